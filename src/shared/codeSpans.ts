/**
 * ATO's messages (loop reasons, agent health, setting problems) name paths and settings as Markdown code
 * spans: `` `planning/` ``. Where VS Code renders Markdown (hover tooltips) they stay code; everywhere else
 * (tree descriptions, the status bar, notifications, the panel's text) the ticks would show literally.
 */

/** A piece of a message: plain text, or the inside of a code span with the backtick run that fenced it. */
export type CodeSpanSegment =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'code'; readonly text: string; readonly fence: string };

/** A run of backticks, then the shortest text up to a run of the same length (CommonMark's code span). */
const codeSpanPattern = /(?<!`)(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g;

/** Splits a message into text and code spans; an unmatched backtick stays in the text. */
export function splitCodeSpans(message: string): CodeSpanSegment[] {
  const segments: CodeSpanSegment[] = [];
  let at = 0;
  for (const match of message.matchAll(codeSpanPattern)) {
    const [whole, fence = '`', inside = ''] = match;
    if (match.index > at) segments.push({ kind: 'text', text: message.slice(at, match.index) });
    // CommonMark strips one space on each side of a span that has text besides spaces (`` `x` `` fences a tick).
    const stripped = /^ .*[^ ].* $/s.test(inside) ? inside.slice(1, -1) : inside;
    segments.push({ kind: 'code', text: stripped, fence });
    at = match.index + whole.length;
  }
  if (at < message.length) segments.push({ kind: 'text', text: message.slice(at) });
  return segments;
}

/** The message as plain text: each code span's text without its ticks. */
export function plainText(message: string): string {
  return message.includes('`') ? splitCodeSpans(message).map(segment => segment.text).join('') : message;
}
