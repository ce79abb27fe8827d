import { mkdir, readdir, realpath, rename } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ensureAtoDirectory } from '../events/atoDirectory';
import { forceRemoveWorktree } from './forceRemoveWorktree';
import { runGit } from './git';
import { withWorktreeLock } from './worktreeLock';
import { poolSlots, worktreePoolDirectory } from './worktreePool';

/**
 * Fills the worktree pool ahead of the first dispatch (issue 14): without it the first run in a session
 * writes a whole worktree (10,000 files: seconds on a busy machine) while every later one claims an entry.
 *
 * Rules:
 * - An entry is written at `.ato/worktree-pool/warming-<pid>-<random>` (`git worktree add --detach` at HEAD),
 *   then renamed to a free `slot-<n>`: claims never see a half-written entry, and a rename onto a taken
 *   slot fails, so two windows warming one pool never hold more than its size (the loser removes its own).
 * - Dispatches come first: while one is preparing its worktree ({@link hold}) no entry is started, and a
 *   dispatch that finds the pool empty while an entry is being written waits for it ({@link writing})
 *   instead of writing a second worktree beside it on the same disk and CPU.
 * - One entry at a time, up to the size; stops at dispose (after the entry being written).
 * - A crash mid-write leaves a `warming-` entry whose process is gone: the next warm-up removes it.
 */
export interface WorktreePoolWarmerOptions {
  readonly repoRoot: string;
  /** `ato.agents.worktreePoolSize`, read before each entry. */
  readonly size: () => number;
  /** Crash point, for tests: the entry is written, not yet renamed to a slot. */
  readonly checkpoint?: (step: 'written', path: string) => void | Promise<void>;
}

const warmingPattern = /^warming-(\d+)-[0-9a-f]+$/;

export class WorktreePoolWarmer {
  private current: Promise<boolean> | undefined;
  private warming: Promise<number> | undefined;
  private holds = 0;
  private disposed = false;

  constructor(private readonly options: WorktreePoolWarmerOptions) {}

  /** The entry being written now, if any: resolves once it is in a slot (or failed). */
  get writing(): Promise<unknown> | undefined {
    return this.current;
  }

  /** A dispatch is preparing its worktree: no entry is started until the returned release is called. */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
    };
  }

  /** Fills the pool up to its size, one entry at a time; resolves with the entries added. Never rejects. */
  warm(): Promise<number> {
    this.warming ??= this.fill().catch(() => 0).finally(() => { this.warming = undefined; });
    return this.warming;
  }

  /** Stops warming; resolves when the entry being written (if any) is done. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.warming;
  }

  private async fill(): Promise<number> {
    // Symlinks resolved, as worktrees.ts names the pool (git prints real paths).
    const root = await realpath((await runGit(['rev-parse', '--show-toplevel'], { cwd: this.options.repoRoot })).stdout.trim());
    // A repository without a commit has nothing to check out.
    const base = await runGit(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { cwd: root, okExitCodes: [1] });
    if (base.exitCode !== 0) return 0;
    await ensureAtoDirectory(root);
    const directory = worktreePoolDirectory(root);
    await mkdir(directory, { recursive: true });
    await removeAbandoned(root, directory);
    let added = 0;
    while (!this.disposed && this.holds === 0 && (await poolSlots(directory)).length < this.options.size()) {
      this.current = this.addEntry(root, directory, base.stdout.trim());
      try {
        if (!(await this.current)) break;
      } finally {
        this.current = undefined;
      }
      added++;
    }
    return added;
  }

  /** Writes one entry and moves it into a free slot; false when there was none (the entry is removed). */
  private async addEntry(root: string, directory: string, baseSha: string): Promise<boolean> {
    // The pid says whose it is (see removeAbandoned); the random part keeps two warmers of one process apart.
    const path = join(directory, `warming-${String(process.pid)}-${randomBytes(4).toString('hex')}`);
    try {
      await withWorktreeLock(root, () => runGit(['worktree', 'add', '--quiet', '--detach', path, baseSha], { cwd: root }));
      await this.options.checkpoint?.('written', path);
      for (let index = 0; index < this.options.size(); index++) {
        const slot = join(directory, `slot-${String(index)}`);
        // The move and the repair are one section: until `repair` git's record points at the old place.
        const moved = await withWorktreeLock(root, async () => {
          try {
            await rename(path, slot);
          } catch {
            return false; // Taken: the next slot.
          }
          await runGit(['worktree', 'repair', slot], { cwd: root });
          return true;
        });
        if (moved) return true;
      }
    } catch {
      // Falls through to removal: a failed warm-up only means the next dispatch writes its own worktree.
    }
    await forceRemoveWorktree(root, path).catch(() => undefined);
    return false;
  }
}

/** `warming-<pid>-…` entries whose process is gone (it crashed mid-write) are removed. */
async function removeAbandoned(root: string, directory: string): Promise<void> {
  for (const name of await readdir(directory).catch(() => [])) {
    const pid = Number(warmingPattern.exec(name)?.[1] ?? Number.NaN);
    if (Number.isNaN(pid) || alive(pid)) continue;
    await forceRemoveWorktree(root, join(directory, name)).catch(() => undefined);
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}
