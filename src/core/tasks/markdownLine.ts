/**
 * Line-level Markdown recognizers, written without backtracking-prone regular expressions: a task file
 * can hold a 1 MiB line, and each of these must stay linear in the line's length.
 */

function isBlank(char: string | undefined): boolean {
  return char === ' ' || char === '\t';
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}

/** Up to three leading spaces, as CommonMark allows before a block marker; undefined for more. */
function afterIndent(line: string): number | undefined {
  let index = 0;
  while (index < 4 && line[index] === ' ') index++;
  return index > 3 ? undefined : index;
}

/** Removes an ATX heading's closing sequence (` ##`), then trims. */
export function stripClosingHashes(text: string): string {
  const trimmed = text.trim();
  let end = trimmed.length;
  while (end > 0 && trimmed[end - 1] === '#') end--;
  if (end === trimmed.length) return trimmed;
  if (end === 0) return '';
  return isBlank(trimmed[end - 1]) ? trimmed.slice(0, end).trim() : trimmed;
}

/** An ATX heading (`## Text ##`): its level and text; undefined when the line is not one. */
export function atxHeading(line: string): { readonly level: number; readonly text: string } | undefined {
  const start = afterIndent(line);
  if (start === undefined) return undefined;
  let index = start;
  while (line[index] === '#') index++;
  const level = index - start;
  if (level < 1 || level > 6) return undefined;
  if (index < line.length && !isBlank(line[index])) return undefined;
  return { level, text: stripClosingHashes(line.slice(index)) };
}

/** A list item's text (`- x`, `* x`, `+ x`, `1. x`, `1) x`), trimmed; undefined when the line is not one. */
export function listItemText(line: string): string | undefined {
  let index = 0;
  while (isBlank(line[index])) index++;
  const marker = line[index];
  if (marker === '-' || marker === '*' || marker === '+') {
    index++;
  } else {
    const digitsStart = index;
    while (index - digitsStart < 10 && isDigit(line[index])) index++;
    const digits = index - digitsStart;
    if (digits < 1 || digits > 9 || (line[index] !== '.' && line[index] !== ')')) return undefined;
    index++;
  }
  if (index < line.length && !isBlank(line[index])) return undefined;
  return line.slice(index).trim();
}

/** Strips a task-list checkbox (`[ ]`, `[x]`, `[X]`) from the start of a list item's text. */
export function withoutCheckbox(item: string): string {
  return /^\[[ xX]\](?:[ \t]|$)/.test(item) ? item.slice(3).trim() : item;
}

/**
 * A bold label at the start of a line: `**Label:**`, `**Label**:`, `__Label:__`, with the rest of the line.
 * `label` is without the colon; undefined when the line does not start with one.
 */
export function boldLabel(line: string): { readonly label: string; readonly rest: string } | undefined {
  const start = afterIndent(line);
  if (start === undefined) return undefined;
  const marker = line.slice(start, start + 2);
  if (marker !== '**' && marker !== '__') return undefined;
  const close = line.indexOf(marker, start + 2);
  // Labels are short: no need to look further (and a long line is prose, not a label).
  if (close < 0 || close - start > 64) return undefined;
  let label = line.slice(start + 2, close).trim();
  let rest = line.slice(close + 2);
  if (label.endsWith(':')) label = label.slice(0, -1).trimEnd();
  else if (rest.trimStart().startsWith(':')) rest = rest.trimStart().slice(1);
  return { label, rest: rest.trim() };
}

/** A fence opening or closing a code block (three or more backticks or tildes): the fence itself. */
export function codeFence(line: string): string | undefined {
  const start = afterIndent(line);
  if (start === undefined) return undefined;
  const char = line[start];
  if (char !== '`' && char !== '~') return undefined;
  let index = start;
  while (line[index] === char) index++;
  return index - start >= 3 ? line.slice(start, index) : undefined;
}

/** A setext level-1 underline (`===`). */
export function isSetextUnderline(line: string): boolean {
  const start = afterIndent(line);
  if (start === undefined || line[start] !== '=') return false;
  return line.slice(start).trimEnd().split('').every(char => char === '=');
}
