import { isGitHubError } from '../../forges/github/githubError';
import type { GitHubPort, PullRequestRef } from '../../forges/github/githubPort';
import type { LandingTarget } from './landingTarget';

/** What opening a run's pull request needs of GitHub: the port's two PR calls, a push, the base branch. */
export interface RunPullRequestForge {
  readonly port: Pick<GitHubPort, 'openPullRequest' | 'openPullRequestsFrom'>;
  /** Pushes a local commit-ish to a branch of the remote (with the token for the remote's host only). */
  readonly push: (source: string, branch: string) => Promise<void>;
  /** The branch the pull request goes into (the remote's default branch). */
  readonly baseBranch: string;
}

export interface RunPullRequestOutcome {
  readonly pullRequest: PullRequestRef;
  /** False: an open pull request from the branch existed already (nothing pushed, nothing opened). */
  readonly opened: boolean;
}

/**
 * Pushes the run's branch and opens a pull request from it, once: an open pull request from the branch is
 * found and returned instead (a second call, or one after a crash between the push and the answer). The push
 * is not forced, so a branch that moved on the remote is refused rather than overwritten.
 */
export async function openRunPullRequest(target: LandingTarget, text: { readonly title: string; readonly body: string }, forge: RunPullRequestForge): Promise<RunPullRequestOutcome> {
  const existing = (await forge.port.openPullRequestsFrom(target.branch))[0];
  if (existing !== undefined) return { pullRequest: existing, opened: false };
  await forge.push(target.ref, target.branch);
  try {
    return { pullRequest: await forge.port.openPullRequest({ head: target.branch, base: forge.baseBranch, title: text.title, body: text.body }), opened: true };
  } catch (error) {
    // 422: one exists already (opened by a call whose answer was lost).
    const found = isGitHubError(error, 'invalid') ? (await forge.port.openPullRequestsFrom(target.branch))[0] : undefined;
    if (found === undefined) throw error;
    return { pullRequest: found, opened: false };
  }
}

/** The pull request's title and body: the task's title, the run's result summary, where it came from. */
export function runPullRequestText(input: { readonly title: string; readonly taskId: string; readonly runId: string; readonly agentId: string; readonly summary: string | undefined; readonly branch: string }): { title: string; body: string } {
  const summary = input.summary?.trim() ?? '';
  const body = [
    `Task \`${input.taskId}\`, run \`${input.runId}\` by ${input.agentId} on \`${input.branch}\`.`,
    '',
    '## Result',
    '',
    summary === '' ? '_The agent gave no summary._' : fence(summary),
    '',
    '<sub>Opened by ATO from a local run.</sub>',
  ].join('\n');
  return { title: input.title.trim() === '' ? `ato: ${input.taskId}` : input.title.trim().slice(0, 250), body };
}

/** The agent's words in a code fence longer than any backtick run inside: they are shown, never rendered as Markdown. */
function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map(match => match[0].length));
  const marks = '`'.repeat(longest + 1);
  return `${marks}text\n${text}\n${marks}`;
}
