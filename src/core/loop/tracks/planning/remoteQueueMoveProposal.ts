import { isGitHubError } from '../../../forges/github/githubError';
import type { GitHubPort, PullRequestRef } from '../../../forges/github/githubPort';
import { moveTaskRemote, type MoveTaskRemoteOptions } from './remoteQueueMoves';

export interface ProposeTaskMoveOptions extends Omit<MoveTaskRemoteOptions, 'branch' | 'expectedHeadSha'> {
  /** The protected planning branch the move is proposed to, e.g. `main`. */
  readonly base: string;
  readonly title: string;
  readonly body: string;
}

export interface TaskMoveProposal {
  /** `opened`: this call opened the PR; `open`: one was already waiting for a merge. */
  readonly status: 'opened' | 'open';
  readonly pullRequest: PullRequestRef;
  readonly branch: string;
}

/** The branch a move is proposed on: one per destination file, so a retry finds its own. */
export function proposalBranch(to: string): string {
  const name = to.split('/').slice(-2).join('-').replace(/\.md$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-');
  return `ato/queue/${name}`;
}

/**
 * A queue move for a protected planning branch (`ato.loop.queueMoves: pullRequest`): the same single commit
 * as `moveTaskRemote`, on a branch of its own, proposed as a pull request for a person (or the branch's
 * rules) to merge. Idempotent: an open PR from the branch is reused, the branch and its commit too. The PR
 * names no issue with `#`, so GitHub links it to nothing the loop follows.
 */
export async function proposeTaskMove(port: GitHubPort, options: ProposeTaskMoveOptions): Promise<TaskMoveProposal> {
  const branch = proposalBranch(options.to);
  const waiting = (await port.openPullRequestsFrom(branch))[0];
  if (waiting !== undefined) return { status: 'open', pullRequest: waiting, branch };
  const ref = `refs/heads/${branch}`;
  let head = (await port.getRef(ref))?.sha;
  if (head === undefined) {
    const base = await port.getRef(`refs/heads/${options.base}`);
    if (base === undefined) throw new Error(`The planning branch ${options.base} does not exist.`);
    try {
      await port.createRef(ref, base.sha);
      head = base.sha;
    } catch (error) {
      if (!isGitHubError(error, 'conflict')) throw error;
      head = (await port.getRef(ref))?.sha ?? base.sha; // created a moment ago by a retry
    }
  }
  await moveTaskRemote(port, { ...options, branch, expectedHeadSha: head });
  const pullRequest = await port.openPullRequest({ head: branch, base: options.base, title: options.title, body: options.body });
  return { status: 'opened', pullRequest, branch };
}
