import { mkdir, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { atoDirectoryName } from '../events/atoDirectory';
import { forceRemoveWorktree } from './forceRemoveWorktree';
import { runGit } from './git';
import { withWorktreeLock } from './worktreeLock';

/**
 * A pool of prepared worktrees (issue 14): writing a fresh worktree of a large repository is most of a
 * dispatch, so a run's worktree, once the run is over, waits in the pool for the next run instead of
 * being deleted; the next run gets it reset to its own base, which rewrites only what differs.
 *
 * Rules:
 * - An entry is a linked worktree at `<repo>/.ato/worktree-pool/slot-<n>` with `n` below the pool size, on a
 *   detached HEAD (it holds no branch, so a branch is never "checked out elsewhere" because of the pool).
 * - Claiming = renaming a slot's directory to the run's path: a rename is atomic, so of two runs (in one
 *   process or two) only one can get an entry; the other meets ENOENT and tries the next slot. The claimer
 *   then repairs git's record of the move (`git worktree repair`), checks out the run's branch at the base
 *   with `--force`, and when `git status --ignored` shows any untracked or ignored file removes them all
 *   (`git clean -ffdx`) and checks again; and HEAD must be the base: exactly the base, nothing left from the
 *   run before. If any step fails the entry is removed and the caller adds a fresh worktree as before.
 * - Releasing = detaching HEAD and renaming the run's directory to a free slot (a rename onto an existing
 *   slot fails, so the pool never holds more than its size), then `git worktree repair`. No free slot, a
 *   pool size of 0 or any failure: the caller removes the worktree as before. Slots at or above the size
 *   (the setting was lowered) are removed.
 * - A crash between a rename and its repair leaves the directory in one place only. Under `.ato/worktrees/`
 *   it is a directory git does not know there, which the next run of that task, or recovery at start,
 *   deletes; in the pool, the next claim repairs it (or, if git pruned its record meanwhile, removes it).
 */
export interface WorktreePoolOptions {
  /** Entries kept at most (`ato.agents.worktreePoolSize`); 0 = no pool. */
  readonly size: number;
  /** Crash points, for tests: right after the rename of a claim or a release, before git hears of it. */
  readonly checkpoint?: (step: 'claimed' | 'released', path: string) => void | Promise<void>;
  /**
   * An entry this process is writing for the pool (worktreePoolWarmer.ts): a claim that finds the pool empty
   * waits for it rather than writing a second worktree beside it on the same disk and CPU.
   */
  readonly writing?: () => Promise<unknown> | undefined;
}

export interface PoolClaim {
  /** The repository's top level (symlinks resolved). */
  readonly root: string;
  /** Where the run's worktree goes (`.ato/worktrees/<task-id>`); nothing may be there. */
  readonly path: string;
  readonly branch: string;
  /** `-b` for a new branch, `-B` to reset a branch that holds no commits of its own (as `git worktree add`). */
  readonly branchFlag: '-b' | '-B';
  readonly baseSha: string;
}

const slotPattern = /^slot-(\d+)$/;

/** `<repo top level>/.ato/worktree-pool`. */
export function worktreePoolDirectory(root: string): string {
  return join(root, atoDirectoryName, 'worktree-pool');
}

/** Takes an entry from the pool and makes it exactly `baseSha` on `branch` at `claim.path`; false when none could be used. */
export async function claimPooledWorktree(claim: PoolClaim, pool: WorktreePoolOptions): Promise<boolean> {
  if (pool.size <= 0) return false;
  if (await claimFromSlots(claim, pool)) return true;
  const writing = pool.writing?.();
  if (writing === undefined) return false;
  await writing.catch(() => undefined);
  return claimFromSlots(claim, pool);
}

async function claimFromSlots(claim: PoolClaim, pool: WorktreePoolOptions): Promise<boolean> {
  const directory = worktreePoolDirectory(claim.root);
  for (const slot of await poolSlots(directory)) {
    const step = { moved: false };
    try {
      // Until `repair`, git's record points at the slot: the move and the repair are one section (worktreeLock.ts).
      await withWorktreeLock(claim.root, async () => {
        await rename(join(directory, slot.name), claim.path);
        step.moved = true; // From here the entry is this run's alone.
        await pool.checkpoint?.('claimed', claim.path);
        await runGit(['worktree', 'repair', claim.path], { cwd: claim.root });
      });
      await resetToBase(claim);
      return true;
    } catch {
      // Not moved: another run took it first (ENOENT), or it cannot move; the next one.
      if (step.moved) await forceRemoveWorktree(claim.root, claim.path).catch(() => undefined);
    }
  }
  return false;
}

/** Puts a finished run's worktree into the pool; false when it did not go there (the caller removes it). */
export async function releaseToPool(root: string, path: string, pool: WorktreePoolOptions): Promise<boolean> {
  const directory = worktreePoolDirectory(root);
  for (const slot of await poolSlots(directory)) {
    if (slot.index >= pool.size) await forceRemoveWorktree(root, join(directory, slot.name)).catch(() => undefined);
  }
  if (pool.size <= 0) return false;
  try {
    // Frees the run's branch; uncommitted changes stay until the next claim cleans them (as removal discards them).
    await runGit(['checkout', '--quiet', '--detach'], { cwd: path });
    await mkdir(directory, { recursive: true });
  } catch {
    return false;
  }
  for (let index = 0; index < pool.size; index++) {
    const slot = join(directory, `slot-${String(index)}`);
    const step = { moved: false };
    try {
      await withWorktreeLock(root, async () => {
        await rename(path, slot);
        step.moved = true;
        await pool.checkpoint?.('released', slot);
        await runGit(['worktree', 'repair', slot], { cwd: root });
      });
    } catch {
      if (!step.moved) continue; // Taken (ENOTEMPTY, EEXIST, EPERM on Windows): the next slot.
      await forceRemoveWorktree(root, slot).catch(() => undefined);
    }
    return true;
  }
  return false;
}

async function resetToBase({ root, path, branch, branchFlag, baseSha }: PoolClaim): Promise<void> {
  // `checkout -B` asks every worktree's record whether the branch is checked out there.
  await withWorktreeLock(root, () => runGit(['checkout', '--quiet', '--force', '--no-recurse-submodules', branchFlag, branch, baseSha], { cwd: path }));
  const head = runGit(['rev-parse', 'HEAD'], { cwd: path });
  head.catch(() => undefined); // Awaited below; a failure of `status` first must not leave it unhandled.
  // Untracked and ignored files left by the run before are removed; `git clean` runs only when there are some.
  if ((await leftovers(path)) !== '') {
    await runGit(['clean', '-ffdxq'], { cwd: path });
    const left = await leftovers(path);
    if (left !== '') throw new Error(`a pooled worktree still differs from ${baseSha}: ${left.slice(0, 200)}`);
  }
  const at = (await head).stdout.trim();
  if (at !== baseSha) throw new Error(`a pooled worktree is at ${at}, not ${baseSha}`);
}

/** What `git status` sees besides the checked-out commit: changes, untracked and ignored files ('' = none). */
async function leftovers(path: string): Promise<string> {
  return (await runGit(['status', '--porcelain', '--ignored', '--untracked-files=all'], { cwd: path })).stdout.trim();
}

/** The `slot-<n>` entries in the pool directory, in order (a missing directory: none). */
export async function poolSlots(directory: string): Promise<{ readonly name: string; readonly index: number }[]> {
  const names = await readdir(directory).catch(() => []);
  return names.flatMap(name => {
    const match = slotPattern.exec(name);
    return match?.[1] === undefined ? [] : [{ name, index: Number(match[1]) }];
  }).sort((a, b) => a.index - b.index);
}
