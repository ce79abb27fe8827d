/**
 * Whether two tasks' target files may touch the same file (fan-out runs such tasks one after the other).
 * Targets are workspace-relative paths or globs (`*`, `?`, `[…]`, `{a,b}`, `**`). The answer is
 * conservative: "may overlap" whenever some file could match both — a folder holds every path under it,
 * case is ignored (macOS and Windows file systems), and two wildcard segments overlap unless their fixed
 * beginnings or endings differ. Pure.
 */

export interface TargetOverlap {
  /** The target of the first task and the one of the second that may name the same file. */
  readonly first: string;
  readonly second: string;
}

/** The first pair of targets that may name the same file, or undefined when none can. */
export function findTargetOverlap(first: readonly string[], second: readonly string[]): TargetOverlap | undefined {
  const right = second.map(target => ({ target, patterns: expandBraces(normalize(target)).map(segmentsOf) }));
  for (const target of first) {
    const patterns = expandBraces(normalize(target)).map(segmentsOf);
    for (const other of right) {
      if (patterns.some(a => other.patterns.some(b => pathsMayMeet(a, b)))) return { first: target, second: other.target };
    }
  }
  return undefined;
}

/** "src/a.ts", or "src/** and src/a.ts" when the two differ. */
export function describeOverlap(overlap: TargetOverlap): string {
  return normalize(overlap.first) === normalize(overlap.second) ? overlap.first : `${overlap.first} and ${overlap.second}`;
}

const wildcard = /[*?[]/;

function normalize(target: string): string {
  const slashes = target.trim().replace(/\\/g, '/').replace(/\/+/g, '/').toLowerCase();
  const segments = slashes.split('/').filter(segment => segment !== '' && segment !== '.');
  return segments.join('/');
}

function segmentsOf(path: string): string[] {
  return path === '' ? [] : path.split('/');
}

/** `{a,b}` alternatives; a brace without a comma is literal. Past 64 alternatives (hostile input) it may match anything. */
function expandBraces(pattern: string): string[] {
  const results: string[] = [];
  const pending = [pattern];
  while (pending.length > 0) {
    const next = pending.pop() ?? '';
    const expanded = expandFirstBrace(next);
    if (expanded === undefined) results.push(next);
    else pending.push(...expanded);
    if (results.length + pending.length > 64) return ['**'];
  }
  return results;
}

function expandFirstBrace(pattern: string): string[] | undefined {
  const open = pattern.indexOf('{');
  if (open < 0) return undefined;
  let depth = 0;
  let close = -1;
  const commas: number[] = [];
  for (let index = open; index < pattern.length; index++) {
    const char = pattern[index];
    if (char === '{') depth++;
    else if (char === '}' && --depth === 0) { close = index; break; }
    else if (char === ',' && depth === 1) commas.push(index);
  }
  if (close < 0 || commas.length === 0) return undefined;
  const bounds = [open, ...commas, close];
  return bounds.slice(1).map((end, index) => `${pattern.slice(0, open)}${pattern.slice((bounds[index] ?? 0) + 1, end)}${pattern.slice(close + 1)}`);
}

/** Segment by segment; `**` takes any number of segments; a path that ends first is a folder holding the other. */
function pathsMayMeet(a: readonly string[], b: readonly string[]): boolean {
  const seen = new Map<number, boolean>();
  const meet = (i: number, j: number): boolean => {
    const key = i * (b.length + 1) + j;
    const known = seen.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    const x = a[i];
    const y = b[j];
    if (x === undefined || y === undefined) result = true;
    else if (x === '**') result = meet(i + 1, j) || meet(i, j + 1);
    else if (y === '**') result = meet(i, j + 1) || meet(i + 1, j);
    else result = segmentsMayMeet(x, y) && meet(i + 1, j + 1);
    seen.set(key, result);
    return result;
  };
  return meet(0, 0);
}

function segmentsMayMeet(x: string, y: string): boolean {
  const xWild = wildcard.test(x);
  const yWild = wildcard.test(y);
  if (!xWild && !yWild) return x === y;
  if (!xWild) return segmentRegExp(y)?.test(x) ?? true;
  if (!yWild) return segmentRegExp(x)?.test(y) ?? true;
  const [xHead, yHead] = [fixedHead(x), fixedHead(y)];
  const [xTail, yTail] = [fixedTail(x), fixedTail(y)];
  return (xHead.startsWith(yHead) || yHead.startsWith(xHead)) && (xTail.endsWith(yTail) || yTail.endsWith(xTail));
}

function fixedHead(segment: string): string {
  const index = segment.search(wildcard);
  return index < 0 ? segment : segment.slice(0, index);
}

function fixedTail(segment: string): string {
  let index = segment.length;
  while (index > 0 && !/[*?\]]/.test(segment[index - 1] ?? '')) index--;
  return segment.slice(index);
}

/** One segment's glob as a regular expression; undefined for a class it cannot read (then: may meet). */
function segmentRegExp(glob: string): RegExp | undefined {
  let source = '';
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index] ?? '';
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '[') {
      const close = glob.indexOf(']', index + 2);
      if (close < 0) return undefined;
      const body = glob.slice(index + 1, close).replace(/\\/g, '\\\\').replace(/^!/, '^').replace(/^(\^?)\]/, '$1\\]');
      source += `[${body}]`;
      index = close;
    } else source += char.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  try {
    return new RegExp(`^${source}$`, 'i');
  } catch {
    return undefined;
  }
}
