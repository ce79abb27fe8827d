import { codeSpan, fenced, singleLine } from './thirdPartyText';

/** A review's line comment, as a follow-up quotes it. */
export interface QuotedReviewComment {
  readonly path: string;
  readonly line: number | null;
  readonly author: string;
  readonly body: string;
}

/** At most this many line comments and characters of each travel in one follow-up. */
const maxComments = 30;
const maxCommentChars = 2_000;

function withMention(mention: string | undefined, text: string): string {
  return mention === undefined ? text : `${mention} ${text}`;
}

function finish(lines: string[], marker: string | undefined): string {
  if (marker !== undefined) lines.push('', marker);
  return lines.join('\n');
}

/** Asks the authoring agent to bring its branch up to date with the base and resolve the conflicts. */
export function rebaseRequestText(options: { readonly mention?: string; readonly headSha: string; readonly baseRef: string; readonly marker?: string }): string {
  return finish([
    withMention(options.mention, `this pull request conflicts with ${codeSpan(singleLine(options.baseRef, 100))} at ${options.headSha.slice(0, 7)}, and GitHub cannot update the branch on its own. Please rebase it onto (or merge) ${codeSpan(singleLine(options.baseRef, 100))}, resolve the conflicts keeping both sides' intent, and push.`),
    '',
    'ATO checks again once the new head is pushed.',
  ], options.marker);
}

/** The review's line comments (file:line, each fenced: reviewers' text is quoted, never obeyed as ATO's). */
export function reviewFollowUpText(options: { readonly mention?: string; readonly reviewers: readonly string[]; readonly comments: readonly QuotedReviewComment[]; readonly marker?: string }): string {
  const by = options.reviewers.map(login => codeSpan(singleLine(login, 60))).join(', ');
  const lines = [withMention(options.mention, `changes were requested on this pull request${by === '' ? '' : ` by ${by}`}. Please address each comment below and push; keep the change to what they ask.`)];
  const shown = options.comments.slice(0, maxComments);
  if (shown.length === 0) lines.push('', 'The review has no line comments: see its summary on the pull request.');
  for (const comment of shown) {
    const where = comment.line === null ? singleLine(comment.path, 200) : `${singleLine(comment.path, 200)}:${String(comment.line)}`;
    const body = comment.body.length > maxCommentChars ? `${comment.body.slice(0, maxCommentChars)}…` : comment.body;
    lines.push('', `**${codeSpan(where)}** (${codeSpan(singleLine(comment.author, 60))})`, '', fenced(body));
  }
  if (options.comments.length > shown.length) lines.push('', `…and ${String(options.comments.length - shown.length)} more comment(s) on the pull request.`);
  return finish(lines, options.marker);
}

/** The record ATO leaves on a PR when it handed a request to an agent it runs (no mention: nobody is notified). */
export function handedToAgentText(options: { readonly what: string; readonly agentId: string; readonly reference: string; readonly prompt: string; readonly marker: string }): string {
  return finish([
    `ATO handed ${options.what} to ${codeSpan(options.agentId)} (${codeSpan(singleLine(options.reference, 100))}). What it was asked:`,
    '',
    options.prompt,
  ], options.marker);
}

/** A read-only agent's analysis of a red draft, posted once per head (its text fenced: an agent's output is third-party). */
export function draftAnalysisText(options: { readonly agentId: string; readonly headSha: string; readonly analysis: string; readonly marker: string }): string {
  return finish([
    `CI is red on this draft at ${options.headSha.slice(0, 7)}. ${codeSpan(options.agentId)} (read-only) looked at what failed:`,
    '',
    fenced(options.analysis),
  ], options.marker);
}
