import type { IssueComment, PullRequestSummary } from '../../forges/github/githubModel';
import { formatMarker } from './markers';
import { codeSpan, fenced, singleLine } from './thirdPartyText';

export const defaultCapabilitiesPath = 'planning/state/system_capabilities.md';

/** GitHub's limit on an issue body is 65,536 characters; this leaves room for the frame. */
const maxBodyLength = 60_000;
const maxDescriptionLength = 20_000;
const maxCommentLength = 6_000;

/** The capability-update issue's title (stage 3a). */
export function capabilityIssueTitle(pr: Pick<PullRequestSummary, 'number' | 'title'>): string {
  return singleLine(`Update the capabilities after PR #${String(pr.number)}: ${pr.title}`, 256);
}

/**
 * The capability-update issue body (stage 3a): what merged (the PR's description and its discussion, oldest
 * first), a request to update the capabilities document to match, and the source-PR marker. The PR's text
 * and comments are third-party: each sits in its own fence (no hidden comment, no mention, no link survives)
 * and long ones are cut; when everything does not fit, the oldest comments are left out and the body says so.
 */
export function capabilityIssueBody(pr: PullRequestSummary, comments: readonly IssueComment[], capabilitiesPath = defaultCapabilitiesPath): string {
  const head = [
    `## Update ${codeSpan(capabilitiesPath)} after PR #${String(pr.number)}`,
    '',
    `Pull request #${String(pr.number)} (${codeSpan(singleLine(pr.title))}) was merged${pr.mergedAt === null ? '' : ` at ${pr.mergedAt}`}. ` +
      `Update ${codeSpan(capabilitiesPath)} so that it describes what the system can do now, including what this pull request added or changed. ` +
      'Describe capabilities as they are, not plans.',
    '',
    '**Rules**',
    `- Change only ${codeSpan(capabilitiesPath)}; make no code changes.`,
    '- The pull request you are working in is the only one for this issue; do not open other pull requests or create issues.',
    '',
    '### The pull request\'s description',
    '',
    pr.body.trim() === '' ? '_(no description)_' : fenced(cut(pr.body, maxDescriptionLength)),
  ].join('\n');
  const marker = formatMarker({ kind: 'capabilityUpdate', sourcePr: pr.number });
  const ordered = [...comments].sort((a, b) => compareTimes(a.createdAt, b.createdAt) || a.id - b.id);
  const rendered = ordered.map(renderComment);
  // Newest comments are kept first when the budget runs out: they carry the outcome of the discussion.
  let budget = maxBodyLength - head.length - marker.length - 200;
  let firstKept = rendered.length;
  while (firstKept > 0 && (rendered[firstKept - 1]?.length ?? 0) + 2 <= budget) {
    firstKept--;
    budget -= (rendered[firstKept]?.length ?? 0) + 2;
  }
  const omitted = firstKept;
  const discussion = rendered.length === 0
    ? ['### Discussion', '', '_(no comments)_']
    : ['### Discussion, oldest first', '', ...(omitted > 0 ? [`_(${String(omitted)} earlier comment${omitted === 1 ? '' : 's'} left out for length)_`, ''] : []), rendered.slice(firstKept).join('\n\n')];
  return `${[head, '', ...discussion, '', marker].join('\n')}\n`;
}

function renderComment(comment: IssueComment): string {
  return `**${codeSpan(comment.author)}** at ${comment.createdAt}:\n\n${fenced(cut(comment.body, maxCommentLength))}`;
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n… (cut: ${String(text.length - max)} more characters)`;
}

function compareTimes(a: string, b: string): number {
  const x = Date.parse(a);
  const y = Date.parse(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return a < b ? -1 : a > b ? 1 : 0;
  return x - y;
}
