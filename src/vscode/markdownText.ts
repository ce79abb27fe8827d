import * as vscode from 'vscode';
import { splitCodeSpans } from '../shared/codeSpans';

/**
 * A message for a hover tooltip: its code spans render as code, and everything else is escaped text, so
 * a title from GitHub or an agent cannot add a link, an image or HTML (the string is not trusted either).
 */
export function markdownOf(message: string): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString();
  for (const segment of splitCodeSpans(message)) {
    if (segment.kind === 'text') markdown.appendText(segment.text);
    else markdown.appendMarkdown(segment.text.startsWith('`') || segment.text.endsWith('`') ? `${segment.fence} ${segment.text} ${segment.fence}` : `${segment.fence}${segment.text}${segment.fence}`);
  }
  return markdown;
}
