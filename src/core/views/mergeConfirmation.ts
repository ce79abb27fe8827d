import type { LoopState } from '../loop/engine/loopModel';
import type { MergeMethod } from '../forges/github/githubModel';

/** What the modal before a merge says: the PR's title, author, head commit (short) and the merge method. */
export interface MergeConfirmation {
  readonly message: string;
  readonly detail: string;
  /** The button that merges; anything else (Cancel, Escape, closing the dialog) merges nothing. */
  readonly confirm: string;
}

/**
 * The confirmation for merging PR #n, from what the loop last read of it (the followed PR; the needs-you item for the author when
 * the PR is not followed). The PR's title and author come from
 * GitHub and are shown as text in a native dialog. The merge itself still re-checks the policy at the head.
 */
export function mergeConfirmation(loop: LoopState, pullNumber: number, method: MergeMethod): MergeConfirmation {
  const followed = loop.followedPullRequests.find(pr => pr.number === pullNumber);
  const needsYou = loop.needsYou.find(item => item.kind === 'readyToMerge' && item.pullNumber === pullNumber);
  const title = followed?.title;
  const author = followed?.author ?? needsYou?.author;
  const head = followed === undefined || followed.headSha === '' ? undefined : followed.headSha.slice(0, 7);
  const lines = [
    `Title: ${title ?? '(not read yet)'}`,
    `Author: ${author ?? '(not read yet)'}`,
    `Head: ${head ?? '(not read yet)'}`,
    `Method: ${method}`,
    '',
    'ATO checks the merge policy again at the PR\'s current head before it merges; a new commit since then stops the merge.',
  ];
  return { message: `Merge PR #${String(pullNumber)}${title === undefined ? '' : ` "${title}"`}?`, detail: lines.join('\n'), confirm: 'Merge' };
}
