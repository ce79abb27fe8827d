import type { TextPosition, TextRange } from './task';

const lineBreak = /\r\n|\r|\n/g;

/**
 * Offsets ↔ positions in a text, counting lines as VS Code does: `\r\n`, `\r` and `\n` end a line, and
 * characters are UTF-16 code units. Every position it returns lies inside the text's bounds.
 */
export class LineIndex {
  /** Offset of each line's first character. */
  readonly #starts: number[] = [0];
  /** Offset just past each line's content (before its line break). */
  readonly #ends: number[] = [];

  constructor(readonly text: string) {
    lineBreak.lastIndex = 0;
    for (let match = lineBreak.exec(text); match !== null; match = lineBreak.exec(text)) {
      this.#ends.push(match.index);
      this.#starts.push(match.index + match[0].length);
    }
    this.#ends.push(text.length);
  }

  get lineCount(): number {
    return this.#starts.length;
  }

  /** The line's text without its line break; empty for a line outside the text. */
  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  lineStart(line: number): number {
    return this.#starts[this.#clampLine(line)] ?? 0;
  }

  lineEnd(line: number): number {
    return this.#ends[this.#clampLine(line)] ?? 0;
  }

  /** The position of `offset`, clamped into the text (an offset inside a `\r\n` maps to the line's end). */
  positionAt(offset: number): TextPosition {
    const target = Math.max(0, Math.min(Number.isFinite(offset) ? Math.floor(offset) : 0, this.text.length));
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.#starts[mid] ?? 0) <= target) low = mid;
      else high = mid - 1;
    }
    const start = this.#starts[low] ?? 0;
    const end = this.#ends[low] ?? start;
    return { line: low, character: Math.min(target, end) - start };
  }

  rangeOf(startOffset: number, endOffset: number): TextRange {
    const start = this.positionAt(startOffset);
    const end = this.positionAt(Math.max(startOffset, endOffset));
    return { start, end };
  }

  /** The range of a whole line's content (its line break excluded). */
  lineRange(line: number): TextRange {
    return this.rangeOf(this.lineStart(line), this.lineEnd(line));
  }

  /** A line's content without its leading and trailing white space; the start when the line is blank. */
  trimmedLineRange(line: number): TextRange {
    const text = this.lineText(line);
    const start = this.lineStart(line);
    const leading = text.length - text.trimStart().length;
    if (leading === text.length) return this.rangeOf(start, start);
    return this.rangeOf(start + leading, start + text.trimEnd().length);
  }

  #clampLine(line: number): number {
    return Math.max(0, Math.min(Number.isFinite(line) ? Math.floor(line) : 0, this.#starts.length - 1));
  }
}
