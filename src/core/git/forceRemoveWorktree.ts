import { rm } from 'node:fs/promises';
import { GitError, runGit } from './git';
import { pruneWorktrees, withWorktreeLock } from './worktreeLock';

/**
 * `git worktree remove --force --force` (uncommitted changes and locks overridden). When git refuses (a
 * submodule inside, a directory already gone, a worktree git no longer knows), the directory is deleted and
 * git's record unlocked and pruned.
 */
export async function forceRemoveWorktree(root: string, path: string): Promise<void> {
  try {
    await withWorktreeLock(root, () => runGit(['worktree', 'remove', '--force', '--force', path], { cwd: root }));
  } catch (error) {
    if (!GitError.is(error)) throw error;
    await withWorktreeLock(root, () => runGit(['worktree', 'unlock', path], { cwd: root })).catch(() => undefined);
    await rm(path, { recursive: true, force: true });
    await pruneWorktrees(root);
  }
}
