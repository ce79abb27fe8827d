/** The longest summary a `## Result` gets from a report; the rest is in the report file. */
export const maxReportSummaryLength = 600;

/**
 * The `## Result` summary of a report (the model's Markdown answer): its first heading as a headline and
 * its first paragraph of prose, as ONE line — a report cannot add a heading, a list or a section to the
 * task file this way (a requeued task is parsed again, and a `## Prompt` smuggled into its result would
 * be sent to the next agent). Code blocks, tables, rules and HTML comments are skipped; Markdown emphasis
 * stays. Cut at a word near {@link maxReportSummaryLength} with "…". An answer with no prose gives
 * `undefined`.
 */
export function summarizeReport(markdown: string): string | undefined {
  const blocks = proseBlocks(markdown);
  const first = blocks[0];
  if (first === undefined) return undefined;
  const parts = first.heading && blocks[1] !== undefined && !blocks[1].heading ? [`${first.text}:`, blocks[1].text] : [first.text];
  return clip(parts.join(' '), maxReportSummaryLength);
}

interface ProseBlock {
  readonly heading: boolean;
  readonly text: string;
}

function proseBlocks(markdown: string): ProseBlock[] {
  const lines = markdown.replace(/\r\n?/g, '\n').replace(/<!--[\s\S]*?(-->|$)/g, '').split('\n');
  const blocks: ProseBlock[] = [];
  let paragraph: string[] = [];
  let fence: string | undefined;
  const flush = (): void => {
    const text = oneLine(paragraph.join(' '));
    if (text !== '') blocks.push({ heading: false, text });
    paragraph = [];
  };
  for (const line of lines) {
    const trimmed = line.trim();
    const fenceMark = /^(`{3,}|~{3,})/.exec(trimmed)?.[1];
    if (fence !== undefined) {
      if (fenceMark !== undefined && fenceMark.startsWith(fence.charAt(0)) && fenceMark.length >= fence.length) fence = undefined;
      continue;
    }
    if (fenceMark !== undefined) {
      flush();
      fence = fenceMark;
      continue;
    }
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(trimmed);
    if (heading !== null) {
      flush();
      const text = oneLine(heading[1] ?? '');
      if (text !== '') blocks.push({ heading: true, text });
      continue;
    }
    if (trimmed === '' || /^(\|.*|[-*_](\s*[-*_]){2,}|=+|-+)$/.test(trimmed)) {
      flush();
      continue;
    }
    // A list item or a quote counts as prose, without its marker.
    paragraph.push(trimmed.replace(/^(>\s*)+/, '').replace(/^([-*+]|\d+[.)])\s+/, ''));
  }
  flush();
  return blocks;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
