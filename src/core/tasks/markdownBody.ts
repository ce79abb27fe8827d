import type { LineIndex } from './lineIndex';
import { atxHeading, boldLabel, codeFence, isSetextUnderline, listItemText, stripClosingHashes, withoutCheckbox } from './markdownLine';
import type { TextRange } from './task';

export type SectionName = 'targetFiles' | 'prompt' | 'successCriteria' | 'context';

/** Section labels, lower case with single spaces, as written in `**Label:**` or `## Label`. */
const sectionLabels: ReadonlyMap<string, SectionName> = new Map<string, SectionName>([
  ['target files', 'targetFiles'], ['target file', 'targetFiles'], ['targets', 'targetFiles'], ['files', 'targetFiles'],
  ['prompt', 'prompt'], ['instructions', 'prompt'],
  ['success criteria', 'successCriteria'], ['acceptance criteria', 'successCriteria'], ['criteria', 'successCriteria'],
  ['context', 'context'], ['background', 'context'],
]);

export interface LocatedText {
  readonly text: string;
  readonly range: TextRange;
}

/** A task file's Markdown, taken apart. Ranges are in the whole file. */
export interface TaskBody {
  readonly title: LocatedText | undefined;
  readonly targetFiles: readonly LocatedText[];
  readonly successCriteria: readonly string[];
  /** Undefined when there is no Prompt section. */
  readonly prompt: string | undefined;
  readonly promptLabel: TextRange | undefined;
  readonly context: string;
  /** Labels of sections that appear more than once. */
  readonly repeatedSections: readonly LocatedText[];
}

interface SectionLabel {
  readonly name: SectionName;
  /** Text after the label on the same line (`**Prompt:** do this`). */
  readonly inline: string;
}

interface ContentLine {
  readonly text: string;
  readonly line: number;
}

function sectionName(label: string): SectionName | undefined {
  return label.length > 40 ? undefined : sectionLabels.get(label.toLowerCase().replace(/\s+/g, ' '));
}

function sectionLabel(line: string): SectionLabel | undefined {
  const bold = boldLabel(line);
  if (bold !== undefined) {
    const name = sectionName(bold.label);
    if (name !== undefined) return { name, inline: bold.rest };
  }
  const heading = atxHeading(line);
  if (heading !== undefined && heading.level >= 2) {
    const name = sectionName(heading.text.endsWith(':') ? heading.text.slice(0, -1).trimEnd() : heading.text);
    if (name !== undefined) return { name, inline: '' };
  }
  return undefined;
}

/** A target path from a list item: `` `src/a.ts` ``, `[a](src/a.ts)`, `src/a.ts — the form`, `"src/a b.ts"`. */
export function targetPath(item: string): string {
  const open = item.indexOf('`');
  const close = open < 0 ? -1 : item.indexOf('`', open + 1);
  if (close > open + 1) return item.slice(open + 1, close).trim();
  const link = /^\[[^\]]*\]\(([^)\s]+)\)/.exec(item);
  if (link?.[1] !== undefined) return link[1];
  const quote = item[0];
  if (quote === '"' || quote === "'") {
    const end = item.indexOf(quote, 1);
    if (end > 1) return item.slice(1, end);
  }
  // `path — description`, `path - description`, `path: description`
  const separator = /[ \t](?:—|–|-|:)[ \t]/.exec(item);
  return (separator === null ? item : item.slice(0, separator.index)).trim();
}

interface FoundTitle {
  readonly text: string;
  /** A heading is structure; the first line of plain Markdown may also be the start of the prompt. */
  readonly heading: boolean;
  readonly setext: boolean;
}

function markdownTitle(lines: LineIndex, line: number): FoundTitle | undefined {
  const text = lines.lineText(line);
  const heading = atxHeading(text);
  if (heading !== undefined) return heading.level === 1 && heading.text !== '' ? { text: heading.text, heading: true, setext: false } : undefined;
  if (line + 1 < lines.lineCount && /^ {0,3}\S/.test(text) && listItemText(text) === undefined && isSetextUnderline(lines.lineText(line + 1))) {
    return { text: text.trim(), heading: true, setext: true };
  }
  return undefined;
}

function plainTitle(text: string): FoundTitle | undefined {
  const trimmed = text.trimStart();
  const heading = trimmed.startsWith('#');
  let hashes = 0;
  while (trimmed[hashes] === '#') hashes++;
  const title = stripClosingHashes(trimmed.slice(hashes));
  return title === '' ? undefined : { text: title, heading, setext: false };
}

/** List items (checkboxes or plain), with indented continuation lines joined to their item. */
function listItems(content: readonly ContentLine[]): string[] {
  const items: string[] = [];
  for (const { text } of content) {
    const item = listItemText(text);
    if (item !== undefined) {
      const value = withoutCheckbox(item);
      if (value !== '') items.push(value);
    } else if (/^\s{2,}\S/.test(text) && items.length > 0) {
      items[items.length - 1] = `${items[items.length - 1] ?? ''} ${text.trim()}`;
    }
  }
  return items;
}

/**
 * Reads the Markdown of a task file from line `firstLine`: the title (the first `# ` heading, or for plain
 * Markdown the first non-empty line), and the Target Files, Prompt, Success Criteria and Context sections
 * (bold `**Label:**` or `## Label` headings, case-insensitive). Fenced code blocks are content, never structure.
 */
export function parseTaskBody(lines: LineIndex, firstLine: number, plainMarkdown: boolean): TaskBody {
  let title: LocatedText | undefined;
  /** Lines that belong to the title (an ATX heading, or a setext heading and its underline). */
  const titleLines = new Set<number>();
  const sections: { name: SectionName; line: number; content: ContentLine[] }[] = [];
  const seen = new Set<SectionName>();
  const repeatedSections: LocatedText[] = [];
  let openFence: string | undefined;
  const addContent = (text: string, line: number): void => {
    sections[sections.length - 1]?.content.push({ text, line });
  };
  for (let line = firstLine; line < lines.lineCount; line++) {
    const text = lines.lineText(line);
    const fence = codeFence(text);
    if (openFence !== undefined) {
      if (fence?.startsWith(openFence.charAt(0)) === true && fence.length >= openFence.length && text.trim() === fence) openFence = undefined;
      addContent(text, line);
      continue;
    }
    if (fence !== undefined) {
      openFence = fence;
      addContent(text, line);
      continue;
    }
    if (titleLines.has(line)) continue;
    const label = sectionLabel(text);
    if (label !== undefined) {
      if (seen.has(label.name) && !repeatedSections.some(repeated => sectionLabel(repeated.text)?.name === label.name)) {
        repeatedSections.push({ text: text.trim(), range: lines.trimmedLineRange(line) });
      }
      seen.add(label.name);
      sections.push({ name: label.name, line, content: label.inline === '' ? [] : [{ text: label.inline, line }] });
      continue;
    }
    if (title === undefined) {
      const found = plainMarkdown ? plainTitle(text) : markdownTitle(lines, line);
      if (found !== undefined) {
        title = { text: found.text, range: lines.trimmedLineRange(line) };
        if (found.heading) {
          titleLines.add(line);
          if (found.setext) titleLines.add(line + 1);
          continue;
        }
      }
    }
    addContent(text, line);
  }
  const contentOf = (name: SectionName): ContentLine[] | undefined => {
    const parts = sections.filter(section => section.name === name);
    return parts.length === 0 ? undefined : parts.flatMap(section => section.content);
  };
  const targetFiles: LocatedText[] = [];
  for (const { text, line } of contentOf('targetFiles') ?? []) {
    const item = listItemText(text);
    if (item === undefined) continue;
    const path = targetPath(withoutCheckbox(item));
    if (path === '') continue;
    // Point at the path itself when the line spells it out, else at the whole item.
    const column = text.indexOf(path);
    const start = lines.lineStart(line) + column;
    targetFiles.push({ text: path, range: column < 0 ? lines.trimmedLineRange(line) : lines.rangeOf(start, start + path.length) });
  }
  const prompt = contentOf('prompt');
  const promptSection = sections.find(section => section.name === 'prompt');
  return {
    title,
    targetFiles,
    successCriteria: listItems(contentOf('successCriteria') ?? []),
    prompt: prompt === undefined ? undefined : prompt.map(content => content.text).join('\n').trim(),
    promptLabel: promptSection === undefined ? undefined : lines.trimmedLineRange(promptSection.line),
    context: (contentOf('context') ?? []).map(content => content.text).join('\n').trim(),
    repeatedSections,
  };
}
