import { findFrontmatter } from './frontmatterBlock';
import { LineIndex } from './lineIndex';

/**
 * Sets one scalar key of a task file's frontmatter (`budget_usd: 5`): the line of that key is replaced, or
 * the key is added before the closing fence, or a frontmatter block is added at the top of a plain-Markdown
 * file. The rest of the text is kept byte for byte. Pure. Throws on an unterminated frontmatter (a person
 * fixes the file first) and on a value that is not a plain scalar.
 */
export function setFrontmatterScalar(text: string, key: string, value: string): string {
  if (!/^[a-z_]+$/.test(key) || !/^[\w.$-]+$/.test(value)) throw new Error(`not a plain frontmatter scalar: ${key}: ${value}`);
  const lines = new LineIndex(text);
  const block = findFrontmatter(lines);
  const entry = `${key}: ${value}`;
  if (block.kind === 'none') return `---\n${entry}\n---\n${text}`;
  if (block.kind === 'unterminated') throw new Error('the frontmatter has no closing `---`');
  const keyLine = new RegExp(`^${key}[ \\t]*:`);
  for (let line = block.openLine + 1; line < block.closeLine; line++) {
    if (!keyLine.test(lines.lineText(line))) continue;
    return text.slice(0, lines.lineStart(line)) + entry + text.slice(lines.lineStart(line) + lines.lineText(line).length);
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return text.slice(0, block.yamlEnd) + entry + eol + text.slice(block.yamlEnd);
}
