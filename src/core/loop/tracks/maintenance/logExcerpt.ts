/**
 * The part of a failed CI job's log an agent needs to fix it (issue 11): the lines around the first errors,
 * size-bounded. A job log is third-party text — the caller fences it and the GitHub client redacts it on the way
 * out — and it can be megabytes: only the excerpt travels.
 */
export interface LogExcerptOptions {
  /** Upper bound of the excerpt in characters (default 6,000). */
  readonly maxChars?: number;
  /** Lines kept before and after each error line (defaults 3 and 12: a stack trace follows its error). */
  readonly before?: number;
  readonly after?: number;
  /** Error sites quoted at most (default 3: the first errors explain the rest). */
  readonly maxSites?: number;
  /** Lines quoted from the end when no line looks like an error (default 40). */
  readonly tailLines?: number;
}

export interface LogExcerpt {
  readonly text: string;
  /** How many lines looked like errors. */
  readonly errorLines: number;
  /** Something was left out (other error sites, or the bound cut it). */
  readonly shortened: boolean;
}

// eslint-disable-next-line no-control-regex -- ANSI colour codes are what the pattern removes
const ansi = /\u001b\[[0-9;?]*[A-Za-z]/g;
const actionsTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z ?/;
/** Lines that say what failed, strongest first: Actions' own annotation, then what common tools print. */
const errorPatterns: readonly RegExp[] = [
  /^##\[error\]/,
  /^(?:npm|yarn|pnpm) ERR!|^error(?:\[\w+\])?:|\berror TS\d+:|^\s*(?:FAIL|ERROR)\b|Traceback \(most recent call last\)|panicked at|^\s*[✖✗×]\s|AssertionError|^\s*\d+\) /i,
];

function clean(line: string): string {
  return line.replace(ansi, '').replace(actionsTimestamp, '').replace(/^##\[(?:group|endgroup)\]/, '');
}

function isError(line: string): boolean {
  return errorPatterns.some(pattern => pattern.test(line));
}

export function logExcerpt(log: string, options: LogExcerptOptions = {}): LogExcerpt {
  const maxChars = options.maxChars ?? 6_000;
  const before = options.before ?? 3;
  const after = options.after ?? 12;
  const maxSites = options.maxSites ?? 3;
  const lines = log.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n').map(clean);
  const errors = lines.flatMap((line, index) => isError(line) ? [index] : []);
  let ranges: [number, number][] = [];
  if (errors.length === 0) {
    ranges = [[Math.max(0, lines.length - (options.tailLines ?? 40)), lines.length - 1]];
  } else {
    for (const index of errors) {
      const range: [number, number] = [Math.max(0, index - before), Math.min(lines.length - 1, index + after)];
      const last = ranges.at(-1);
      if (last !== undefined && range[0] <= last[1] + 1) last[1] = Math.max(last[1], range[1]);
      else if (ranges.length < maxSites) ranges.push(range);
    }
  }
  const blocks = ranges.map(([from, to]) => lines.slice(from, to + 1).join('\n'));
  let text = blocks.join('\n…\n');
  let shortened = errors.length > 0 && ranges.length >= maxSites && errors.some(index => !ranges.some(([from, to]) => index >= from && index <= to));
  if (ranges[0] !== undefined && ranges[0][0] > 0) text = `…\n${text}`;
  if (text.length > maxChars) {
    text = `${text.slice(0, maxChars - 2).trimEnd()}\n…`;
    shortened = true;
  }
  return { text, errorLines: errors.length, shortened };
}
