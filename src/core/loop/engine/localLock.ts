import { randomBytes } from 'node:crypto';
import { link, lstat, open, readdir, readFile, unlink, utimes, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod/mini';
import '../../../shared/zod';
import { ensureAtoDirectory } from '../../events/atoDirectory';
import { codeOf } from '../../queue/queueFiles';

/** What `.ato/loop.lock` says about the loop that holds it. */
export interface LoopLockHolder {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
  /** Who runs the loop, for the panel: e.g. `VS Code window`, `ato run`. */
  readonly owner: string;
  /** Unique per acquisition: tells this lock from a later one by the same process. */
  readonly token: string;
}

const holderSchema = z.object({
  pid: z.int(),
  host: z.string(),
  startedAt: z.iso.datetime({ offset: true }),
  owner: z.string(),
  token: z.string(),
});

export interface LoopLockOptions {
  readonly owner: string;
  readonly now?: () => Date;
  /**
   * A lock from another host (a shared folder) is stale when neither its start nor its last `refresh()`
   * is this recent; default 10 minutes. On this host only a dead pid makes a lock stale.
   */
  readonly otherHostTtlMs?: number;
  /** Default: `process.kill(pid, 0)`. */
  readonly isProcessAlive?: (pid: number) => boolean;
}

export type LoopLockAttempt =
  | { readonly acquired: true; readonly lock: LoopLock }
  /** `holder` undefined: the lock file is there but unreadable, most likely being written. */
  | { readonly acquired: false; readonly holder: LoopLockHolder | undefined };

export const loopLockFileName = 'loop.lock';
/** An unreadable lock younger than this may be one being written (no hard links here): not stale yet. */
const unreadableGraceMs = 10_000;
/** A break claim younger than this belongs to a takeover in progress; older, its taker died. */
const claimGraceMs = 30_000;
const leftoverAgeMs = 10 * 60_000;
const maxRounds = 100;

/**
 * One loop per workspace per machine (PRODUCT §9): `.ato/loop.lock`. The lock is published whole — written
 * to a temporary file, then hard-linked to its name, which fails when the name exists — so nobody ever
 * reads half a lock and exactly one of any number of racers creates it.
 *
 * A stale lock (its pid is dead; or it comes from another host and is older than a TTL) is taken over
 * with a claim: a hard link `loop.lock.break.<token>.<n>` to the lock. Creating the claim is atomic, and
 * the claim proves which lock it is (its token), so exactly one racer may remove that stale lock; the
 * others wait for it and then race for the free name like everyone else. A claim whose taker died is
 * skipped after a grace period by claiming the next number. (A taker frozen for longer than that grace
 * in the middle of a takeover could remove a newer lock: documented, not handled.)
 */
export async function acquireLoopLock(workspaceRoot: string, options: LoopLockOptions): Promise<LoopLockAttempt> {
  const now = options.now ?? (() => new Date());
  const directory = await ensureAtoDirectory(workspaceRoot);
  const file = join(directory, loopLockFileName);
  const holder: LoopLockHolder = { pid: process.pid, host: hostname(), startedAt: now().toISOString(), owner: options.owner, token: randomBytes(8).toString('hex') };
  const temporary = join(directory, `${loopLockFileName}.${holder.token}.tmp`);
  await writeNew(temporary, `${JSON.stringify(holder)}\n`);
  const staleness: Staleness = { now, otherHostTtlMs: options.otherHostTtlMs ?? leftoverAgeMs, isAlive: options.isProcessAlive ?? isProcessAlive };
  try {
    let last: LoopLockHolder | undefined;
    for (let round = 0; round < maxRounds; round++) {
      if (await publish(temporary, file)) {
        await removeLeftovers(directory, holder.token, now());
        return { acquired: true, lock: new LoopLock(file, holder) };
      }
      const current = await readLock(file);
      if (current === undefined) continue;
      last = current.holder;
      if (!isStale(current, staleness)) return { acquired: false, holder: current.holder };
      if (await claimAndRemove(directory, file, current, now) === 'wait') await delay(5 + Math.random() * 10);
    }
    return { acquired: false, holder: last };
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

/** A held loop lock. */
export class LoopLock {
  constructor(readonly file: string, readonly holder: LoopLockHolder) {}

  /** Whether the file still holds this lock (nobody took it over). */
  async isHeld(): Promise<boolean> {
    return (await readLock(this.file))?.holder?.token === this.holder.token;
  }

  /** Marks the lock as alive for loops on other hosts (a shared folder); call it well within their TTL. */
  async refresh(at: Date = new Date()): Promise<boolean> {
    if (!await this.isHeld()) return false;
    await utimes(this.file, at, at);
    return true;
  }

  /** Removes the lock when it is still ours; true when it was. */
  async release(): Promise<boolean> {
    if (!await this.isHeld()) return false;
    await unlink(this.file).catch((error: unknown) => {
      if (codeOf(error) !== 'ENOENT') throw error;
    });
    return true;
  }
}

interface LockFile {
  readonly holder: LoopLockHolder | undefined;
  readonly ino: number;
  readonly mtimeMs: number;
}

interface Staleness {
  readonly now: () => Date;
  readonly otherHostTtlMs: number;
  readonly isAlive: (pid: number) => boolean;
}

/** Makes `file` a second name of `temporary`; false when `file` exists. */
async function publish(temporary: string, file: string): Promise<boolean> {
  try {
    await link(temporary, file);
    return true;
  } catch (error) {
    const code = codeOf(error);
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw error;
  }
  // A file system without hard links: an exclusive create, then the content (readers give it a grace period).
  let handle: FileHandle;
  try {
    handle = await open(file, 'wx', 0o600);
  } catch (error) {
    if (codeOf(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(await readFile(temporary));
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

async function readLock(file: string): Promise<LockFile | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const stats = await handle.stat();
    return { holder: parseHolder(await handle.readFile('utf8')), ino: stats.ino, mtimeMs: stats.mtimeMs };
  } finally {
    await handle.close();
  }
}

export function parseHolder(text: string): LoopLockHolder | undefined {
  try {
    const parsed = holderSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function isStale(lock: LockFile, staleness: Staleness): boolean {
  const now = staleness.now().getTime();
  const { holder } = lock;
  if (holder === undefined) return now - lock.mtimeMs > unreadableGraceMs;
  if (holder.host === hostname()) return !staleness.isAlive(holder.pid);
  const lastSign = Math.max(Date.parse(holder.startedAt), lock.mtimeMs);
  return now - lastSign > staleness.otherHostTtlMs;
}

/**
 * Removes the stale lock `victim` if this racer wins its claim. `retry`: the lock changed or is gone, look
 * again now; `wait`: another racer is taking it over, look again shortly.
 */
async function claimAndRemove(directory: string, file: string, victim: LockFile, now: () => Date): Promise<'retry' | 'wait'> {
  const id = victim.holder?.token ?? `ino-${victim.ino}`;
  for (let generation = 0; generation < maxRounds; generation++) {
    const claim = join(directory, `${loopLockFileName}.break.${id}.${generation}`);
    try {
      await link(file, claim);
    } catch (error) {
      const code = codeOf(error);
      if (code === 'ENOENT') return 'retry';
      if (code !== 'EEXIST') throw error;
      // link() changes the inode's ctime, so it tells when the claim was made.
      const claimed = await lstat(claim).then(stats => stats.ctimeMs, () => undefined);
      if (claimed === undefined) return 'retry';
      if (now().getTime() - claimed < claimGraceMs) return 'wait';
      continue;
    }
    try {
      const claimed = await readLock(claim);
      const same = claimed !== undefined && (victim.holder === undefined ? claimed.ino === victim.ino : claimed.holder?.token === victim.holder.token);
      // Only the claim's owner removes the lock it names, so the name still holds that lock here.
      if (same) await unlink(file).catch(ignoreMissing);
      return 'retry';
    } finally {
      await unlink(claim).catch(ignoreMissing);
    }
  }
  return 'wait';
}

/** Temporary files and claims left by crashed racers, once they are old. */
async function removeLeftovers(directory: string, token: string, now: Date): Promise<void> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(`${loopLockFileName}.`) || name.includes(token)) continue;
    if (!name.endsWith('.tmp') && !name.startsWith(`${loopLockFileName}.break.`)) continue;
    const path = join(directory, name);
    const stats = await lstat(path).catch(() => undefined);
    if (stats !== undefined && now.getTime() - Math.max(stats.mtimeMs, stats.ctimeMs) > leftoverAgeMs) await unlink(path).catch(ignoreMissing);
  }
}

async function writeNew(file: string, text: string): Promise<void> {
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return codeOf(error) === 'EPERM';
  }
}

function ignoreMissing(error: unknown): void {
  if (codeOf(error) !== 'ENOENT') throw error;
}

function delay(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}
