/**
 * Text ATO did not write (task files, PR descriptions, comments) placed inside what ATO writes on GitHub.
 * It must not be able to carry an ATO marker (or any hidden HTML comment), break out of its fence, or
 * notify people: markers are defused with a zero-width space after `<`, which keeps the text readable.
 */

const zeroWidthSpace = '\u200B';

/** Defuses every HTML comment opener, so no marker (and nothing hidden) survives in the text. */
export function defuseMarkers(text: string): string {
  return text.replace(/<!--/g, `<${zeroWidthSpace}!--`);
}

/**
 * The text in a fenced code block that it cannot close: the fence is longer than any backtick run in the
 * text. Inside code GitHub renders no HTML, links no `#123` and notifies no `@name`.
 */
export function fenced(text: string, info = 'text'): string {
  const body = defuseMarkers(text.replace(/\r\n?/g, '\n')).replace(/\n+$/, '');
  const longest = Math.max(0, ...[...body.matchAll(/`+/g)].map(run => run[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${body}\n${fence}`;
}

/** One line of third-party text for a title or a heading: no line breaks, no marker, bounded length. */
export function singleLine(text: string, maxLength = 200): string {
  const line = defuseMarkers(text.replace(/[\r\n\t]+/g, ' ').replace(/\s{2,}/g, ' ').trim());
  return line.length <= maxLength ? line : `${line.slice(0, maxLength - 1).trimEnd()}…`;
}

/** An inline code span for a path or a name: backticks and line breaks removed, so it cannot escape. */
export function codeSpan(text: string): string {
  return `\`${defuseMarkers(text.replace(/[`\r\n]/g, ''))}\``;
}
