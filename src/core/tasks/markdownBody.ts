import { LineIndex } from './lineIndex';
import { atxHeading, boldLabel, codeFence, isSetextUnderline, listItemText, stripClosingHashes, withoutCheckbox } from './markdownLine';
import type { TextRange } from './task';

/** `humanOnly`: a section for people, never sent to an agent (see {@link humanOnlySectionLabels}). */
export type SectionName = 'targetFiles' | 'prompt' | 'successCriteria' | 'context' | 'humanOnly';

/**
 * Sections for people, not for the agent: notes that earlier tools and teams keep in a task file (`## Notes`,
 * `**Notes:**`, …) and the `## Result` that ATO appends when a run ends. Lower case, single spaces.
 */
export const humanOnlySectionLabels = ['notes', 'note', 'human notes', 'internal notes', 'private notes', 'notes for humans', 'result'] as const;

/** Section labels, lower case with single spaces, as written in `**Label:**` or `## Label`. */
const sectionLabels: ReadonlyMap<string, SectionName> = new Map<string, SectionName>([
  ['target files', 'targetFiles'], ['target file', 'targetFiles'], ['targets', 'targetFiles'], ['files', 'targetFiles'],
  ['prompt', 'prompt'], ['instructions', 'prompt'],
  ['success criteria', 'successCriteria'], ['acceptance criteria', 'successCriteria'], ['criteria', 'successCriteria'],
  ['context', 'context'], ['background', 'context'],
  ...humanOnlySectionLabels.map(label => [label, 'humanOnly'] as const),
]);

export interface LocatedText {
  readonly text: string;
  readonly range: TextRange;
}

/** A task file's Markdown, taken apart. Ranges are in the whole file. */
export interface TaskBody {
  readonly title: LocatedText | undefined;
  /**
   * Set when no `# Title` heading was found (in a file with frontmatter) and the first other heading
   * (`## Fix the login`) was taken as the title instead: that heading, for a hint.
   */
  readonly titleFromSubheading: LocatedText | undefined;
  /** Lines of human-only sections (their label included): never part of what an agent receives. */
  readonly humanOnlyLines: ReadonlySet<number>;
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
  /** The heading level of a `## Label`; 7 for a bold label (which any heading ends, when it is human-only). */
  readonly level: number;
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
    if (name !== undefined) return { name, inline: bold.rest, level: 7 };
  }
  const heading = atxHeading(line);
  if (heading !== undefined && heading.level >= 2) {
    const name = sectionName(heading.text.endsWith(':') ? heading.text.slice(0, -1).trimEnd() : heading.text);
    if (name !== undefined) return { name, inline: '', level: heading.level };
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
 * Markdown the first non-empty line; failing both in a file with frontmatter, its first other heading), and
 * the Target Files, Prompt, Success Criteria and Context sections (bold `**Label:**` or `## Label` headings,
 * case-insensitive). Fenced code blocks are content, never structure. A human-only section (`## Notes`, ATO's
 * `## Result`) runs to the next section label or the next heading of its level or above, and is left out
 * of every section; after it, the section it interrupted goes on.
 */
export function parseTaskBody(lines: LineIndex, firstLine: number, plainMarkdown: boolean): TaskBody {
  let title: LocatedText | undefined;
  /** Lines that belong to the title (an ATX heading, or a setext heading and its underline). */
  const titleLines = new Set<number>();
  let firstSubheading: { readonly text: string; readonly line: number } | undefined;
  const sections: { name: SectionName; line: number; content: ContentLine[] }[] = [];
  const seen = new Set<SectionName>();
  const repeatedSections: LocatedText[] = [];
  const humanOnlyLines = new Set<number>();
  /** The open human-only section: its level, and the section it interrupted (which goes on after it). */
  let humanOnly: { readonly level: number; readonly interrupted: SectionName | undefined } | undefined;
  let openFence: string | undefined;
  const addContent = (text: string, line: number): void => {
    if (humanOnly !== undefined) humanOnlyLines.add(line);
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
    const heading = label === undefined ? atxHeading(text) : undefined;
    if (humanOnly !== undefined && (label !== undefined || (heading !== undefined && heading.level <= humanOnly.level))) {
      const resumed = label === undefined ? humanOnly.interrupted : undefined;
      humanOnly = undefined;
      if (resumed !== undefined) sections.push({ name: resumed, line, content: [] });
    }
    if (label !== undefined) {
      if (label.name === 'humanOnly') {
        humanOnly = { level: label.level, interrupted: sections.findLast(section => section.name !== 'humanOnly')?.name };
        humanOnlyLines.add(line);
      } else if (seen.has(label.name) && !repeatedSections.some(repeated => sectionLabel(repeated.text)?.name === label.name)) {
        repeatedSections.push({ text: text.trim(), range: lines.trimmedLineRange(line) });
      }
      seen.add(label.name);
      sections.push({ name: label.name, line, content: label.inline === '' ? [] : [{ text: label.inline, line }] });
      continue;
    }
    if (title === undefined && humanOnly === undefined) {
      const found = plainMarkdown ? plainTitle(text) : markdownTitle(lines, line);
      if (found !== undefined) {
        title = { text: found.text, range: lines.trimmedLineRange(line) };
        if (found.heading) {
          titleLines.add(line);
          if (found.setext) titleLines.add(line + 1);
          continue;
        }
      } else if (!plainMarkdown && heading !== undefined && heading.text !== '') {
        firstSubheading ??= { text: heading.text, line };
      }
    }
    addContent(text, line);
  }
  // An earlier tool's file whose only heading is `## Fix the login`: that heading is the title (with a hint).
  let titleFromSubheading: LocatedText | undefined;
  if (title === undefined && firstSubheading !== undefined) {
    title = titleFromSubheading = { text: firstSubheading.text, range: lines.trimmedLineRange(firstSubheading.line) };
    titleLines.add(firstSubheading.line);
  }
  const contentOf = (name: SectionName): ContentLine[] | undefined => {
    const parts = sections.filter(section => section.name === name);
    return parts.length === 0 ? undefined : parts.flatMap(section => section.content).filter(content => !titleLines.has(content.line));
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
    titleFromSubheading,
    humanOnlyLines,
    targetFiles,
    successCriteria: listItems(contentOf('successCriteria') ?? []),
    prompt: prompt === undefined ? undefined : prompt.map(content => content.text).join('\n').trim(),
    promptLabel: promptSection === undefined ? undefined : lines.trimmedLineRange(promptSection.line),
    context: (contentOf('context') ?? []).map(content => content.text).join('\n').trim(),
    repeatedSections,
  };
}

/**
 * The lines from `firstLine` on, less those in `excluded` (human-only sections), joined with `\n` and trimmed:
 * the text an agent may receive when a task has no Prompt section.
 */
export function linesExcept(lines: LineIndex, firstLine: number, excluded: ReadonlySet<number>): string {
  const kept: string[] = [];
  for (let line = firstLine; line < lines.lineCount; line++) if (!excluded.has(line)) kept.push(lines.lineText(line));
  return kept.join('\n').trim();
}

/** `markdown` without its human-only sections (`## Notes`, `## Result`, …), for text that goes to an agent. */
export function withoutHumanOnlySections(markdown: string): string {
  const lines = new LineIndex(markdown);
  const { humanOnlyLines } = parseTaskBody(lines, 0, false);
  return humanOnlyLines.size === 0 ? markdown : linesExcept(lines, 0, humanOnlyLines);
}
