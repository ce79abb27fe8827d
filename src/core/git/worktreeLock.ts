import { runGit } from './git';

/**
 * Git's worktree bookkeeping (`.git/worktrees/<id>/`) is not safe to change concurrently: `git worktree add`
 * reads every other entry (is the branch checked out elsewhere?) and fails on one another add is still
 * writing ("failed to read .git/worktrees/<id>/commondir"); `git worktree prune` drops an entry whose gitdir
 * file is not written yet, or a pooled worktree mid-move (its record points at the old place until `repair`),
 * and the add then fails ("could not open '.git/worktrees/<id>/gitdir'"). A fan-out does exactly this: runs
 * end (remove, prune) while the next ones are added. So within a process every command that writes that
 * bookkeeping, per repository, runs one at a time. The sections are short git commands; `work` must not take
 * the lock again (it would wait for itself).
 */
const tails = new Map<string, Promise<unknown>>();

export async function withWorktreeLock<T>(root: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(root) ?? Promise.resolve();
  const run = previous.then(work, work);
  const tail = run.catch(() => undefined);
  tails.set(root, tail);
  try {
    return await run;
  } finally {
    // The last one out leaves no entry behind (a long-lived host sees many repositories).
    if (tails.get(root) === tail) tails.delete(root);
  }
}

/** `git worktree prune` in `root`, between other worktree changes there. */
export async function pruneWorktrees(root: string): Promise<void> {
  await withWorktreeLock(root, () => runGit(['worktree', 'prune'], { cwd: root }));
}
