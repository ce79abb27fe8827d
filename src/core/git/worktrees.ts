import { mkdir, readdir, realpath, rm } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { atoDirectoryName, ensureAtoDirectory } from '../events/atoDirectory';
import { uncommittedFiles } from './changedFiles';
import { taskBranchPrefix as atoBranchPrefix, taskIdProblem } from '../tasks/taskIdRules';
import { forceRemoveWorktree } from './forceRemoveWorktree';
import { GitError, runGit } from './git';
import { parseWorktreeList, type WorktreeEntry } from './worktreeList';
import { pruneWorktrees, withWorktreeLock } from './worktreeLock';
import { claimPooledWorktree, releaseToPool, type WorktreePoolOptions } from './worktreePool';
import { pathExists } from '../util/pathExists';

/**
 * Git worktrees for local agents (PRODUCT §5): each run works in `<repo>/.ato/worktrees/<task-id>` on its
 * own branch `ato/<task-id>`, so the user's working tree and current branch are never touched.
 *
 * Crash-safety rule, applied by {@link createWorktree} before it adds a worktree:
 * 1. A leftover worktree at the task's path (an interrupted earlier run) is removed. If it has uncommitted
 *    changes and is on an `ato/` branch, they are first committed to that branch ("salvage" commit, author
 *    ATO, hooks skipped), so no work is lost; dirty leftovers on any other branch are refused
 *    (`worktreeExists`) for a human to look at. A stray directory there that git does not know is deleted.
 * 2. The branch is the first of `ato/<id>`, `ato/<id>-2`, `ato/<id>-3`… that either does not exist, or exists
 *    with no commits of its own (every commit reachable from the base) and is not checked out elsewhere —
 *    such a branch is reset to the base, which loses nothing. A branch with commits of its own is never
 *    moved or deleted: the new run gets the next name, and the earlier work stays for review.
 * 3. With a pool (`pool`), the worktree is a prepared one from `.ato/worktree-pool/` reset to the base when
 *    one is there (worktreePool.ts), else added afresh; {@link retireWorktree} puts a finished run's back.
 * Branches are never deleted by this module.
 */


export interface CreateWorktreeOptions {
  readonly repoRoot: string;
  readonly taskId: string;
  /** Commit-ish the branch starts from; default `HEAD` of `repoRoot`. */
  readonly baseRef?: string;
  /** Take a prepared worktree from the pool when there is one (see worktreePool.ts); default none. */
  readonly pool?: WorktreePoolOptions;
}

export interface CreatedWorktree {
  /** Absolute, symlinks resolved. */
  readonly path: string;
  readonly branch: string;
  readonly baseRef: string;
  /** The commit the branch was created at. */
  readonly baseSha: string;
  /** The worktree came from the pool, reset to the base, rather than being written afresh. */
  readonly fromPool: boolean;
  /** What was cleaned up from an interrupted earlier attempt. */
  readonly recovered: {
    /** A leftover worktree or directory at `path` was removed. */
    readonly removedLeftover: boolean;
    /** Uncommitted work found in the leftover, committed to its branch before removal. */
    readonly salvaged?: Salvaged;
    /** Existing branches left alone because they hold commits (or are checked out elsewhere). */
    readonly skippedBranches: readonly string[];
    /** An existing branch without commits of its own, reset to the base and reused. */
    readonly reusedBranch: boolean;
  };
}

/** A worktree under `.ato/worktrees/`; `branch` is undefined when detached or when git does not know the directory. */
export interface AtoWorktree extends WorktreeEntry {
  /** The directory name under `.ato/worktrees/`, which is the task id. */
  readonly taskId: string;
  /** False for a stray directory under `.ato/worktrees/` that git does not list. */
  readonly registered: boolean;
}

/** Uncommitted work from an interrupted run, committed to its branch before its worktree was removed. */
export interface Salvaged {
  readonly branch: string;
  readonly commit: string;
}

const maxBranchSuffix = 100;

/** Task ids become a directory and a branch name: the parser's rule for ids (`taskIdProblem`), checked again here. */
export function assertWorktreeTaskId(taskId: string): void {
  const problem = taskIdProblem(taskId);
  if (problem !== undefined) {
    throw new GitError('invalidName', `"${taskId}" cannot name a worktree and branch: it ${problem}`, [], '', undefined);
  }
}

/** `<repo top level>/.ato/worktrees`, symlinks resolved. */
export async function atoWorktreesDirectory(repoRoot: string): Promise<string> {
  return join(await repositoryRoot(repoRoot), atoDirectoryName, 'worktrees');
}

/** Creates a fresh worktree for a run of `taskId`, recovering from an interrupted earlier attempt (see the module rule). */
export async function createWorktree(options: CreateWorktreeOptions): Promise<CreatedWorktree> {
  const { taskId } = options;
  const baseRef = options.baseRef ?? 'HEAD';
  assertWorktreeTaskId(taskId);
  if (baseRef.startsWith('-') || baseRef.trim() === '') throw new GitError('invalidName', `"${baseRef}" is not a commit-ish`, [], '', undefined);
  const root = await repositoryRoot(options.repoRoot);
  await ensureAtoDirectory(root);
  const worktreesDir = join(root, atoDirectoryName, 'worktrees');
  await mkdir(worktreesDir, { recursive: true });
  const path = join(worktreesDir, taskId);
  const git = (args: readonly string[]) => runGit(args, { cwd: root });

  const resolved = await runGit(['rev-parse', '--verify', '--quiet', `${baseRef}^{commit}`], { cwd: root, okExitCodes: [1] });
  if (resolved.exitCode !== 0) throw new GitError('unknownRevision', `${baseRef} is not a commit in ${root}`, [], '', resolved.exitCode);
  const baseSha = resolved.stdout.trim();
  await pruneWorktrees(root);

  let removedLeftover = false;
  let salvaged: Salvaged | undefined;
  let worktrees = await listWorktrees(root);
  const leftover = worktrees.find(entry => entry.path === path);
  if (leftover !== undefined) {
    salvaged = await salvageUncommittedWork(leftover);
    await forceRemoveWorktree(root, path);
    removedLeftover = true;
  } else if (await pathExists(path)) {
    await rm(path, { recursive: true, force: true });
    removedLeftover = true;
  }

  if (removedLeftover) worktrees = await listWorktrees(root);
  const checkedOut = new Set(worktrees.flatMap(entry => (entry.branch === undefined ? [] : [entry.branch])));
  const skippedBranches: string[] = [];
  for (let suffix = 1; suffix <= maxBranchSuffix; suffix++) {
    const branch = `${atoBranchPrefix}${taskId}${suffix === 1 ? '' : `-${suffix}`}`;
    const exists = await branchExists(root, branch);
    if (!exists || (!checkedOut.has(branch) && (await ownCommitCount(root, baseSha, branch)) === 0)) {
      const branchFlag = exists ? '-B' : '-b';
      const fromPool = options.pool !== undefined && await claimPooledWorktree({ root, path, branch, branchFlag, baseSha }, options.pool);
      if (!fromPool) await withWorktreeLock(root, () => git(['worktree', 'add', '--quiet', '--no-track', branchFlag, branch, path, baseSha]));
      return { path, branch, baseRef, baseSha, fromPool, recovered: { removedLeftover, ...optional({ salvaged }), skippedBranches, reusedBranch: exists } };
    }
    skippedBranches.push(branch);
  }
  throw new GitError('branchExists', `every branch name from ${atoBranchPrefix}${taskId} to ${atoBranchPrefix}${taskId}-${maxBranchSuffix} holds work`, [], '', undefined);
}

export interface RemoveWorktreeOptions {
  readonly repoRoot: string;
  /** The worktree's path, or the task id whose worktree to remove. */
  readonly path?: string;
  readonly taskId?: string;
}

/**
 * Removes an ATO worktree (force: uncommitted changes in it are discarded; locked ones too) and prunes git's
 * bookkeeping. The branch stays. Missing worktrees are not an error; returns whether anything was removed.
 * Refuses paths outside `.ato/worktrees/`, so it can never remove the main worktree or a user's.
 */
export async function removeWorktree(options: RemoveWorktreeOptions): Promise<boolean> {
  const root = await repositoryRoot(options.repoRoot);
  const worktreesDir = join(root, atoDirectoryName, 'worktrees');
  let path: string;
  if (options.taskId !== undefined) {
    assertWorktreeTaskId(options.taskId);
    path = join(worktreesDir, options.taskId);
  } else if (options.path !== undefined) {
    path = await resolveExisting(resolve(root, options.path));
  } else {
    throw new TypeError('removeWorktree needs a path or a task id');
  }
  if (taskIdOf(worktreesDir, path) === undefined) {
    throw new GitError('failed', `${path} is not an ATO worktree (they live in ${worktreesDir})`, [], '', undefined);
  }
  let removed = false;
  if ((await listWorktrees(root)).some(entry => entry.path === path)) {
    await forceRemoveWorktree(root, path);
    removed = true;
  } else if (await pathExists(path)) {
    await rm(path, { recursive: true, force: true });
    removed = true;
  }
  await pruneWorktrees(root);
  return removed;
}

/**
 * Ends a run's worktree: into the pool when `pool` has room (see worktreePool.ts), otherwise removed as
 * {@link removeWorktree} does. Only a registered worktree directly inside `.ato/worktrees/` is pooled.
 */
export async function retireWorktree(options: { readonly repoRoot: string; readonly path: string; readonly pool?: WorktreePoolOptions }): Promise<'pooled' | 'removed' | 'missing'> {
  if (options.pool !== undefined) {
    const root = await repositoryRoot(options.repoRoot);
    const path = await resolveExisting(resolve(root, options.path));
    const own = taskIdOf(join(root, atoDirectoryName, 'worktrees'), path) !== undefined && (await listWorktrees(root)).some(entry => entry.path === path);
    if (own && (await releaseToPool(root, path, options.pool))) return 'pooled';
  }
  return (await removeWorktree({ repoRoot: options.repoRoot, path: options.path })) ? 'removed' : 'missing';
}

/** ATO's worktrees (and stray directories) under `<repo>/.ato/worktrees/`, from `git worktree list --porcelain`. */
export async function listAtoWorktrees(repoRoot: string): Promise<AtoWorktree[]> {
  const root = await repositoryRoot(repoRoot);
  const worktreesDir = join(root, atoDirectoryName, 'worktrees');
  const result = new Map<string, AtoWorktree>();
  for (const entry of await listWorktrees(root)) {
    const taskId = taskIdOf(worktreesDir, entry.path);
    if (taskId !== undefined) result.set(taskId, { ...entry, taskId, registered: true });
  }
  for (const name of await readdir(worktreesDir).catch(() => [])) {
    if (result.has(name)) continue;
    const path = join(worktreesDir, name);
    result.set(name, { path, taskId: name, branch: undefined, head: undefined, registered: false, locked: false, lockReason: undefined, prunable: false });
  }
  return [...result.values()].sort((a, b) => a.taskId.localeCompare(b.taskId));
}

export interface RemovedWorktree extends AtoWorktree {
  readonly salvaged?: Salvaged;
}

export interface OrphanRemovalResult {
  readonly removed: readonly RemovedWorktree[];
  /** Orphans left in place: uncommitted work on a non-`ato/` branch or a detached HEAD, for a human. */
  readonly kept: readonly { readonly worktree: AtoWorktree; readonly reason: string }[];
}

/**
 * Removes ATO worktrees whose task has no live run (after a crash or a restart). Uncommitted work on an
 * `ato/` branch is committed to it first (as in {@link createWorktree}); branches are always kept.
 */
export async function removeOrphanedWorktrees(repoRoot: string, liveTaskIds: Iterable<string>): Promise<OrphanRemovalResult> {
  const live = new Set(liveTaskIds);
  const root = await repositoryRoot(repoRoot);
  const removed: RemovedWorktree[] = [];
  const kept: { worktree: AtoWorktree; reason: string }[] = [];
  for (const worktree of await listAtoWorktrees(root)) {
    if (live.has(worktree.taskId)) continue;
    let salvaged: Salvaged | undefined;
    if (worktree.registered) {
      try {
        salvaged = await salvageUncommittedWork(worktree);
      } catch (error) {
        if (!GitError.is(error, 'worktreeExists')) throw error;
        kept.push({ worktree, reason: error.message });
        continue;
      }
      await forceRemoveWorktree(root, worktree.path);
    } else {
      await rm(worktree.path, { recursive: true, force: true });
    }
    removed.push({ ...worktree, ...optional({ salvaged }) });
  }
  await pruneWorktrees(root);
  return { removed, kept };
}

/**
 * Commits a leftover worktree's uncommitted changes to its `ato/` branch, so removing the worktree loses
 * nothing. Clean worktrees are left as they are. Dirty ones on another branch or detached are refused.
 */
async function salvageUncommittedWork(entry: WorktreeEntry): Promise<Salvaged | undefined> {
  if (entry.prunable || !(await pathExists(entry.path))) return undefined;
  // A crash inside `git worktree add` leaves it locked "initializing" and half checked out: no agent ran
  // there, and its "changes" are files not yet written.
  if (entry.locked && entry.lockReason === 'initializing') return undefined;
  if ((await uncommittedFiles(entry.path)).length === 0) return undefined;
  if (entry.branch?.startsWith(atoBranchPrefix) !== true) {
    throw new GitError('worktreeExists', `${entry.path} has uncommitted changes on ${entry.branch ?? 'a detached HEAD'}; ATO leaves it for you`, [], '', undefined);
  }
  const identity = ['-c', 'user.name=ATO', '-c', 'user.email=ato@localhost', '-c', 'commit.gpgsign=false'];
  await runGit(['add', '--all'], { cwd: entry.path });
  await runGit([...identity, 'commit', '--quiet', '--no-verify', '-m', 'ATO: work left uncommitted by an interrupted run'], { cwd: entry.path });
  const commit = (await runGit(['rev-parse', 'HEAD'], { cwd: entry.path })).stdout.trim();
  return { branch: entry.branch, commit };
}

async function listWorktrees(root: string): Promise<WorktreeEntry[]> {
  const { stdout } = await withWorktreeLock(root, () => runGit(['worktree', 'list', '--porcelain'], { cwd: root }));
  return Promise.all(parseWorktreeList(stdout).map(async entry => ({ ...entry, path: await resolveExisting(entry.path) })));
}

/** The top level of the repository containing `directory`, symlinks resolved (git prints real paths). */
async function repositoryRoot(directory: string): Promise<string> {
  const { stdout } = await runGit(['rev-parse', '--show-toplevel'], { cwd: directory });
  return resolveExisting(stdout.trim());
}

async function branchExists(root: string, branch: string): Promise<boolean> {
  const result = await runGit(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], { cwd: root, okExitCodes: [1] });
  return result.exitCode === 0;
}

/** Commits on `branch` that `baseSha` does not contain. */
async function ownCommitCount(root: string, baseSha: string, branch: string): Promise<number> {
  const { stdout } = await runGit(['rev-list', '--count', `${baseSha}..refs/heads/${branch}`], { cwd: root });
  return Number.parseInt(stdout.trim(), 10);
}

async function resolveExisting(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return resolve(path);
  }
}

/** The task id when `path` is directly inside `.ato/worktrees/`. */
function taskIdOf(worktreesDir: string, path: string): string | undefined {
  const name = relative(worktreesDir, path);
  return name === '' || name.startsWith('..') || name.includes(sep) || isAbsolute(name) ? undefined : name;
}

function optional<T>(value: { salvaged: T | undefined }): { salvaged?: T } {
  return value.salvaged === undefined ? {} : { salvaged: value.salvaged };
}
