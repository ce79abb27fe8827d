import type { LineIndex } from './lineIndex';

/** Where a task file's YAML frontmatter is, as offsets and lines of the whole text. */
export type FrontmatterBlock =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'closed';
      /** The line of the opening `---`. */
      readonly openLine: number;
      /** The line of the closing `---` (or `...`). */
      readonly closeLine: number;
      /** Offsets of the YAML between the fences. */
      readonly yamlStart: number;
      readonly yamlEnd: number;
      /** Offset where the Markdown body begins (the line after the closing fence). */
      readonly bodyStart: number;
    }
  | { readonly kind: 'unterminated'; readonly openLine: number; readonly yamlStart: number };

const openingFence = /^\uFEFF?---[ \t]*$/;
const closingFence = /^(?:---|\.\.\.)[ \t]*$/;

/**
 * Finds the frontmatter: an opening `---` line (blank lines before it are tolerated) and the next `---`
 * or `...` line. A file that does not start with `---` has none (it is plain Markdown).
 */
export function findFrontmatter(lines: LineIndex): FrontmatterBlock {
  let openLine = 0;
  while (openLine < lines.lineCount && lines.lineText(openLine).replace(/^\uFEFF/, '').trim() === '') openLine++;
  if (openLine >= lines.lineCount || !openingFence.test(lines.lineText(openLine))) return { kind: 'none' };
  const yamlStart = lines.lineStart(openLine + 1 < lines.lineCount ? openLine + 1 : openLine);
  for (let line = openLine + 1; line < lines.lineCount; line++) {
    if (!closingFence.test(lines.lineText(line))) continue;
    const bodyStart = line + 1 < lines.lineCount ? lines.lineStart(line + 1) : lines.text.length;
    return { kind: 'closed', openLine, closeLine: line, yamlStart, yamlEnd: lines.lineStart(line), bodyStart };
  }
  return { kind: 'unterminated', openLine, yamlStart: openLine + 1 < lines.lineCount ? yamlStart : lines.text.length };
}
