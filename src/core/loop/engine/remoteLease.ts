import { createHash, randomBytes } from 'node:crypto';
import { readFile, realpath } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import * as z from 'zod/mini';
import '../../../shared/zod';
import { isGitHubError } from '../../forges/github/githubError';
import type { GitHubPort } from '../../forges/github/githubPort';
import { isProcessAlive } from './localLock';

/** What a lease commit's message holds (JSON). */
export interface LeaseRecord {
  readonly holder: string;
  readonly expiresAt: string;
  readonly acquiredAt: string;
  /** Tells two instances with the same holder id apart (a restarted process, two CI jobs). */
  readonly nonce?: string;
  /** Where the holder runs: a hash of its machine (boot), user and workspace (see `leaseSite`). */
  readonly site?: string;
  /** The holder's process id on that site: when it is dead there, its successor need not wait. */
  readonly pid?: number;
}

const leaseRecordSchema = z.object({
  holder: z.string(),
  expiresAt: z.iso.datetime({ offset: true }),
  acquiredAt: z.iso.datetime({ offset: true }),
  nonce: z.optional(z.string()),
  site: z.optional(z.string().check(z.maxLength(64))),
  pid: z.optional(z.int().check(z.positive())),
});

export type LeaseResult =
  | {
    readonly held: true;
    readonly holder: string;
    readonly expiresAt: string;
    /** When this holder's unbroken tenure began: unchanged by renewals, new after a lapse. */
    readonly acquiredAt: string;
    /** GitHub requests this call made. */
    readonly requests: number;
    /** The holder this call took the lease from before its expiry: a dead process on this same site. */
    readonly takenOverFrom?: string;
  }
  | {
    readonly held: false;
    /** Who holds it, when known; undefined when the ref kept moving and ATO gave up for this tick. */
    readonly holder: string | undefined;
    readonly expiresAt: string | undefined;
    readonly requests: number;
  };

export interface RemoteLeaseOptions {
  /** Default `<user>@<host>#<pid>`. */
  readonly holder?: string;
  /** How long an acquisition or renewal lasts; default 5 minutes. */
  readonly ttlMs?: number;
  /** Default `refs/ato/lease`. */
  readonly ref?: string;
  /** Compare-and-swap attempts per call when the ref moves under us; default 4. */
  readonly maxAttempts?: number;
  /**
   * This loop's site (`leaseSite`): a lease held by a dead process of the same site (this machine, user and
   * workspace: the loop that ran here before and crashed) is taken over at once. Without one, every other
   * holder's lease is waited out.
   */
  readonly site?: string;
  /** Default `process.pid`. */
  readonly pid?: number;
  /** Default: `process.kill(pid, 0)`. */
  readonly isProcessAlive?: (pid: number) => boolean;
}

export const defaultLeaseRef = 'refs/ato/lease';
const defaultTtlMs = 5 * 60_000;
const treeFile = { path: 'README.md', content: 'ATO loop lease. Each commit message holds the lease as JSON; the ref only moves by fast-forward.\n' };

interface Seen {
  readonly sha: string;
  readonly treeSha: string;
  readonly record: LeaseRecord | undefined;
}

/**
 * Several loops, one repo (PRODUCT §9): the remote lease is the ref `refs/ato/lease` on GitHub, pointing at
 * a commit whose message is the lease. Taking or renewing it makes a commit whose parent is the lease
 * commit last seen and moves the ref with a fast-forward-only update — GitHub's compare-and-swap: when
 * anyone moved the ref in between, the update fails with `conflict`, and the lease is read again. The last
 * lease seen is cached, so an uncontended renewal costs 2 requests (commit, ref update).
 */
export class RemoteLease {
  readonly holder: string;
  private readonly nonce = randomBytes(6).toString('hex');
  private readonly ttlMs: number;
  private readonly ref: string;
  private readonly maxAttempts: number;
  private readonly site: string | undefined;
  private readonly pid: number;
  private readonly isAlive: (pid: number) => boolean;
  private seen: Seen | undefined;
  private treeSha: string | undefined;
  private requestCount = 0;

  constructor(private readonly port: GitHubPort, options: RemoteLeaseOptions = {}) {
    this.holder = options.holder ?? defaultHolderId();
    this.ttlMs = options.ttlMs ?? defaultTtlMs;
    this.ref = options.ref ?? defaultLeaseRef;
    this.maxAttempts = options.maxAttempts ?? 4;
    this.site = options.site;
    this.pid = options.pid ?? process.pid;
    this.isAlive = options.isProcessAlive ?? isProcessAlive;
  }

  /** Requests made by every call so far. */
  get requests(): number {
    return this.requestCount;
  }

  /** Takes the lease when it is free, expired or ours (then it is renewed); otherwise reports who has it. */
  async acquire(now: Date = new Date()): Promise<LeaseResult> {
    const counter = { requests: 0 };
    try {
      return await this.take(now, counter);
    } finally {
      this.requestCount += counter.requests;
    }
  }

  /** Extends the lease; the same compare-and-swap as `acquire`, so a lapsed lease nobody took is taken again. */
  renew(now: Date = new Date()): Promise<LeaseResult> {
    return this.acquire(now);
  }

  /** Writes an expired lease when it is still ours, so another loop need not wait for the expiry. */
  async release(now: Date = new Date()): Promise<{ readonly released: boolean; readonly requests: number }> {
    const counter = { requests: 0 };
    try {
      for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
        const seen = this.isMine(this.seen?.record) ? this.seen : await this.read(counter);
        if (seen === undefined || !this.isMine(seen.record)) return { released: false, requests: counter.requests };
        const expired: LeaseRecord = { ...this.identity(), expiresAt: now.toISOString(), acquiredAt: seen.record?.acquiredAt ?? now.toISOString() };
        if (await this.swap(seen, expired, counter)) return { released: true, requests: counter.requests };
      }
      return { released: false, requests: counter.requests };
    } finally {
      this.requestCount += counter.requests;
    }
  }

  /** Who holds the lease now (1–2 requests). */
  async inspect(): Promise<{ readonly record: LeaseRecord | undefined; readonly mine: boolean; readonly requests: number }> {
    const counter = { requests: 0 };
    try {
      const seen = await this.read(counter);
      return { record: seen?.record, mine: this.isMine(seen?.record), requests: counter.requests };
    } finally {
      this.requestCount += counter.requests;
    }
  }

  private async take(now: Date, counter: { requests: number }): Promise<LeaseResult> {
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      // Trust the cache only when it says the lease is ours: the swap then proves it (or fails).
      const seen = this.isMine(this.seen?.record) ? this.seen : await this.read(counter);
      const record = seen?.record;
      const live = record !== undefined && !this.isMine(record) && !isExpired(record, now);
      const deadPredecessor = live && this.isDeadPredecessor(record);
      if (live && !deadPredecessor) {
        return { held: false, holder: record.holder, expiresAt: record.expiresAt, requests: counter.requests };
      }
      const continuing = record !== undefined && this.isMine(record) && !isExpired(record, now);
      const next: LeaseRecord = {
        ...this.identity(),
        expiresAt: new Date(now.getTime() + this.ttlMs).toISOString(),
        acquiredAt: continuing ? record.acquiredAt : now.toISOString(),
      };
      const won = seen === undefined ? await this.create(next, counter) : await this.swap(seen, next, counter);
      if (won) {
        const taken = deadPredecessor ? { takenOverFrom: `${record.holder} (pid ${String(record.pid)})` } : {};
        return { held: true, holder: next.holder, expiresAt: next.expiresAt, acquiredAt: next.acquiredAt, requests: counter.requests, ...taken };
      }
    }
    const last = this.seen?.record;
    return { held: false, holder: last?.holder, expiresAt: last?.expiresAt, requests: counter.requests };
  }

  /** Reads the ref, and the lease commit only when the ref moved since it was last seen. */
  private async read(counter: { requests: number }): Promise<Seen | undefined> {
    counter.requests++;
    const ref = await this.port.getRef(this.ref);
    if (ref === undefined) {
      this.seen = undefined;
      return undefined;
    }
    if (this.seen?.sha === ref.sha) return this.seen;
    counter.requests++;
    const commit = await this.port.getCommit(ref.sha);
    this.seen = { sha: commit.sha, treeSha: commit.treeSha, record: parseLeaseRecord(commit.message) };
    return this.seen;
  }

  /** The first lease ever: a root commit and `createRef`, which fails with `conflict` when another loop was first. */
  private async create(record: LeaseRecord, counter: { requests: number }): Promise<boolean> {
    if (this.treeSha === undefined) {
      counter.requests++;
      this.treeSha = await this.port.createTree([treeFile]);
    }
    const sha = await this.commit(record, this.treeSha, [], counter);
    counter.requests++;
    try {
      await this.port.createRef(this.ref, sha);
    } catch (error) {
      if (!isGitHubError(error, 'conflict')) throw error;
      this.seen = undefined;
      return false;
    }
    this.seen = { sha, treeSha: this.treeSha, record };
    return true;
  }

  /** A commit on top of the lease last seen, and the fast-forward-only ref update that is the compare-and-swap. */
  private async swap(seen: Seen, record: LeaseRecord, counter: { requests: number }): Promise<boolean> {
    const sha = await this.commit(record, seen.treeSha, [seen.sha], counter);
    counter.requests++;
    try {
      await this.port.updateRefFastForward(this.ref, sha);
    } catch (error) {
      // Someone moved the ref (conflict) or deleted it (notFound): read it again.
      if (!isGitHubError(error, 'conflict') && !isGitHubError(error, 'notFound')) throw error;
      this.seen = undefined;
      return false;
    }
    this.seen = { sha, treeSha: seen.treeSha, record };
    return true;
  }

  private commit(record: LeaseRecord, treeSha: string, parents: readonly string[], counter: { requests: number }): Promise<string> {
    counter.requests++;
    return this.port.createCommit({ message: JSON.stringify(record), treeSha, parents });
  }

  private isMine(record: LeaseRecord | undefined): boolean {
    return record?.holder === this.holder && record.nonce === this.nonce;
  }

  /** The lease of a process that ran on this site (machine, user, workspace) and is dead there now. */
  private isDeadPredecessor(record: LeaseRecord): boolean {
    return this.site !== undefined && record.site === this.site && record.pid !== undefined && record.pid !== this.pid && !this.isAlive(record.pid);
  }

  private identity(): Pick<LeaseRecord, 'holder' | 'nonce' | 'site' | 'pid'> {
    return { holder: this.holder, nonce: this.nonce, ...(this.site === undefined ? {} : { site: this.site, pid: this.pid }) };
  }
}

/** A lease commit's message as a lease; anything else (hand-made, garbled) counts as no lease. */
export function parseLeaseRecord(message: string): LeaseRecord | undefined {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return undefined;
  }
  const parsed = leaseRecordSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { holder, expiresAt, acquiredAt, nonce, site, pid } = parsed.data;
  return {
    holder,
    expiresAt,
    acquiredAt,
    ...(nonce === undefined ? {} : { nonce }),
    ...(site === undefined ? {} : { site }),
    ...(pid === undefined ? {} : { pid }),
  };
}

function isExpired(record: LeaseRecord, now: Date): boolean {
  return Date.parse(record.expiresAt) <= now.getTime();
}

/**
 * Where a loop runs, as the lease records it: a hash (nothing readable goes to GitHub) of this machine —
 * its host name and, on Linux, its boot id, so a reboot or another machine under the same name is never
 * "here" and its pids are never judged by this machine's — the user, and the workspace's real path. The
 * local lock (`.ato/loop.lock`) lets one loop at a time run on a site.
 */
export async function leaseSite(workspaceRoot: string): Promise<string> {
  const boot = await readFile('/proc/sys/kernel/random/boot_id', 'utf8').then(text => text.trim(), () => '');
  const workspace = await realpath(workspaceRoot).catch(() => workspaceRoot);
  return createHash('sha256').update([hostname(), boot, userName(), workspace].join('\0')).digest('hex').slice(0, 32);
}

function userName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? process.env['USERNAME'] ?? 'unknown';
  }
}

/** `<user>@<host>#<pid>`: unique per process on a machine, readable in the panel. */
export function defaultHolderId(): string {
  return `${userName()}@${hostname()}#${String(process.pid)}`;
}
