import { runGit } from '../../git/git';
import { listAtoWorktrees, removeWorktree } from '../../git/worktrees';
import { LandingError } from './landingError';
import type { LandingTarget } from './landingTarget';

export interface DiscardOutcome {
  /** The worktree removed, when one still had the branch checked out. */
  readonly removedWorktree: string | undefined;
  /** The branch's tip when it was deleted (`git branch <name> <tip>` brings it back while git keeps the commit); undefined when it was gone already. */
  readonly deletedTip: string | undefined;
}

/**
 * Removes the run's worktree (the one under `.ato/worktrees/` that has its branch checked out, if any) and
 * deletes its branch. Idempotent: a branch already gone is not an error. Refused when the branch is checked
 * out outside ATO's worktrees (the user's own).
 */
export async function discardRunBranch(repoRoot: string, target: LandingTarget): Promise<DiscardOutcome> {
  let removedWorktree: string | undefined;
  const worktree = (await listAtoWorktrees(repoRoot)).find(entry => entry.registered && entry.branch === target.branch);
  if (worktree !== undefined) {
    await removeWorktree({ repoRoot, path: worktree.path });
    removedWorktree = worktree.path;
  }
  const tip = await runGit(['rev-parse', '--verify', '--quiet', `${target.ref}^{commit}`], { cwd: repoRoot, okExitCodes: [1] });
  if (tip.exitCode !== 0) return { removedWorktree, deletedTip: undefined };
  const checkedOut = await runGit(['worktree', 'list', '--porcelain'], { cwd: repoRoot });
  if (checkedOut.stdout.split('\n').includes(`branch ${target.ref}`)) {
    throw new LandingError('wrongHead', `${target.branch} is checked out in a working tree of yours: switch that one to another branch first.`);
  }
  // `update-ref -d <ref> <old>` rather than `branch -D <name>`: a full ref name is never read as an option, and
  // the branch is deleted only if it still points where ATO looked.
  const deletedTip = tip.stdout.trim();
  await runGit(['update-ref', '-d', target.ref, deletedTip], { cwd: repoRoot });
  return { removedWorktree, deletedTip };
}
