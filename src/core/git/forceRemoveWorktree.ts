import { rm } from 'node:fs/promises';
import { GitError, runGit } from './git';

/**
 * `git worktree remove --force --force` (uncommitted changes and locks overridden). When git refuses (a
 * submodule inside, a directory already gone, a worktree git no longer knows), the directory is deleted and
 * git's record unlocked and pruned.
 */
export async function forceRemoveWorktree(root: string, path: string): Promise<void> {
  try {
    await runGit(['worktree', 'remove', '--force', '--force', path], { cwd: root });
  } catch (error) {
    if (!GitError.is(error)) throw error;
    await runGit(['worktree', 'unlock', path], { cwd: root }).catch(() => undefined);
    await rm(path, { recursive: true, force: true });
    await runGit(['worktree', 'prune'], { cwd: root });
  }
}
