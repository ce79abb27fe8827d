import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { atoDirectory, ensureAtoDirectory } from '../../events/atoDirectory';
import { codeOf } from '../../queue/queueFiles';
import { writeFileAtomic } from '../../util/atomicWrite';
import { intentIdPattern, parseIntent, type Intent, type JsonValue } from './intentRecord';
import { syncDirectory } from '../../util/syncDirectory';

/** A record file that could not be used: it was moved aside to `movedTo` (`<file>.corrupt`). */
export interface IntentProblem {
  readonly file: string;
  readonly kind: 'unreadable' | 'invalidJson' | 'invalidRecord';
  readonly message: string;
  readonly movedTo: string | undefined;
}

export interface IntentScan {
  /** Open intents, oldest first. */
  readonly open: readonly Intent[];
  /** Every valid record, oldest first. */
  readonly all: readonly Intent[];
  readonly problems: readonly IntentProblem[];
}

export type IntentLogErrorKind =
  /** A step, finish or abandon on an intent that is done or abandoned. */
  | 'notOpen'
  /** The intent is not in this log. */
  | 'unknownIntent';

export class IntentLogError extends Error {
  override readonly name = 'IntentLogError';

  constructor(readonly kind: IntentLogErrorKind, message: string) {
    super(message);
  }

  static is(error: unknown, kind?: IntentLogErrorKind): error is IntentLogError {
    return error instanceof IntentLogError && (kind === undefined || error.kind === kind);
  }
}

export interface IntentLogOptions {
  readonly workspaceRoot: string;
  readonly now?: () => Date;
  /** Each corrupt record, as it is moved aside. */
  readonly onProblem?: (problem: IntentProblem) => void;
  /** A temporary file older than this is a crash's leftover and is deleted by a scan; default 60 s. */
  readonly staleTempMs?: number;
}

const suffix = '.json';
const dayMs = 24 * 60 * 60_000;

/**
 * Write-ahead intents in `.ato/intents/<id>.json`, one file per guarded action, each write atomic (temporary
 * file, fsync, rename, fsync of the folder): a crash leaves the previous version or the next, never half.
 * A corrupt file is reported and moved aside, never fatal. The log is read once and then kept in memory —
 * the local lock makes this loop the workspace's only writer. Calls run one at a time, in call order.
 */
export class IntentLog {
  private readonly now: () => Date;
  private readonly byId = new Map<string, Intent>();
  private loaded: Promise<IntentScan> | undefined;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: IntentLogOptions) {
    this.now = options.now ?? (() => new Date());
  }

  get directory(): string {
    return join(atoDirectory(this.options.workspaceRoot), 'intents');
  }

  /** Starts an intent, or returns the open one with the same key (a retry after a crash, or a second call). */
  begin(kind: string, key: string, data: JsonValue = null): Promise<Intent> {
    return this.serialized(async () => {
      await this.load();
      const existing = [...this.byId.values()].find(intent => intent.state === 'open' && intent.key === key);
      if (existing !== undefined) return existing;
      const at = this.now();
      const intent: Intent = {
        id: `${compactTime(at)}-${slug(kind)}-${randomBytes(3).toString('hex')}`,
        kind, key, createdAt: at.toISOString(), updatedAt: at.toISOString(), steps: {}, state: 'open', data,
      };
      await this.write(intent);
      return intent;
    });
  }

  /** Records that a step happened (with what it produced, e.g. the created issue's number). */
  step(intent: Intent, name: string, result?: JsonValue): Promise<Intent> {
    return this.update(intent, current => {
      const at = this.now().toISOString();
      return { ...current, updatedAt: at, steps: { ...current.steps, [name]: result === undefined ? { at } : { at, result } } };
    });
  }

  finish(intent: Intent): Promise<Intent> {
    return this.update(intent, current => ({ ...current, state: 'done', updatedAt: this.now().toISOString() }));
  }

  /** Gives the action up (it cannot be finished, or it no longer should be), with the reason. */
  abandon(intent: Intent, reason: string): Promise<Intent> {
    return this.update(intent, current => ({ ...current, state: 'abandoned', reason, updatedAt: this.now().toISOString() }));
  }

  /** Unfinished intents, oldest first: the loop's work for recovery at start-up. */
  async open(): Promise<readonly Intent[]> {
    return (await this.scan()).open;
  }

  /** The open intent with this key, if any. */
  async find(key: string): Promise<Intent | undefined> {
    return (await this.scan()).open.find(intent => intent.key === key);
  }

  /** Every record as it is now in memory (the folder is read on first use), with the problems found then. */
  scan(): Promise<IntentScan> {
    return this.serialized(async () => {
      const { problems } = await this.load();
      const all = [...this.byId.values()].sort(byAge);
      return { open: all.filter(intent => intent.state === 'open'), all, problems };
    });
  }

  /** Deletes done and abandoned intents last changed more than `maxAgeDays` ago; returns how many. */
  prune(maxAgeDays = 30): Promise<number> {
    return this.serialized(async () => {
      await this.load();
      const cutoff = this.now().getTime() - maxAgeDays * dayMs;
      let removed = 0;
      for (const intent of [...this.byId.values()]) {
        if (intent.state === 'open' || Date.parse(intent.updatedAt) >= cutoff) continue;
        await unlink(this.file(intent.id)).catch(ignoreMissing);
        this.byId.delete(intent.id);
        removed++;
      }
      return removed;
    });
  }

  private update(intent: Intent, change: (current: Intent) => Intent): Promise<Intent> {
    return this.serialized(async () => {
      await this.load();
      const current = this.byId.get(intent.id);
      if (current === undefined) throw new IntentLogError('unknownIntent', `No intent ${intent.id} in ${this.directory}.`);
      if (current.state !== 'open') throw new IntentLogError('notOpen', `Intent ${intent.id} (${intent.key}) is ${current.state}.`);
      const next = change(current);
      await this.write(next);
      return next;
    });
  }

  private async write(intent: Intent): Promise<void> {
    await writeFileAtomic(this.file(intent.id), `${JSON.stringify(intent, null, 2)}\n`);
    await syncDirectory(this.directory);
    this.byId.set(intent.id, intent);
  }

  private file(id: string): string {
    return join(this.directory, `${id}${suffix}`);
  }

  private load(): Promise<IntentScan> {
    this.loaded ??= this.readFolder().catch((error: unknown) => {
      this.loaded = undefined;
      throw error;
    });
    return this.loaded;
  }

  private async readFolder(): Promise<IntentScan> {
    await ensureAtoDirectory(this.options.workspaceRoot);
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    const problems: IntentProblem[] = [];
    for (const name of (await readdir(this.directory)).sort()) {
      const file = join(this.directory, name);
      if (name.startsWith('.') && name.endsWith('.tmp')) {
        await this.removeIfStale(file);
        continue;
      }
      if (!name.endsWith(suffix) || !intentIdPattern.test(name.slice(0, -suffix.length))) continue;
      const problem = await this.readRecord(file, name.slice(0, -suffix.length));
      if (problem !== undefined) {
        problems.push(problem);
        this.options.onProblem?.(problem);
      }
    }
    const all = [...this.byId.values()].sort(byAge);
    return { open: all.filter(intent => intent.state === 'open'), all, problems };
  }

  private async readRecord(file: string, id: string): Promise<IntentProblem | undefined> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (codeOf(error) === 'ENOENT') return undefined;
      return { file, kind: 'unreadable', message: error instanceof Error ? error.message : String(error), movedTo: undefined };
    }
    const parsed = parseIntent(text);
    if ('intent' in parsed && parsed.intent.id === id) {
      this.byId.set(id, parsed.intent);
      return undefined;
    }
    const kind = 'problem' in parsed ? parsed.problem : 'invalidRecord';
    const message = 'problem' in parsed ? parsed.message : `the file holds intent ${parsed.intent.id}`;
    return { file, kind, message, movedTo: await moveAside(file, this.now()) };
  }

  private async removeIfStale(file: string): Promise<void> {
    const stats = await stat(file).catch(() => undefined);
    if (stats !== undefined && this.now().getTime() - stats.mtimeMs > (this.options.staleTempMs ?? 60_000)) await unlink(file).catch(ignoreMissing);
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.tail.then(work);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

/** `<file>.corrupt` (or with a time when that is taken), so the scan never reads it again and nothing is lost. */
async function moveAside(file: string, now: Date): Promise<string | undefined> {
  for (const target of [`${file}.corrupt`, `${file}.${compactTime(now)}.corrupt`]) {
    try {
      await stat(target);
      continue;
    } catch (error) {
      if (codeOf(error) !== 'ENOENT') return undefined;
    }
    try {
      await rename(file, target);
      return target;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function byAge(a: Intent, b: Intent): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** `20261121T100000123Z`: sortable, safe in a file name. */
function compactTime(at: Date): string {
  return at.toISOString().replace(/[-:.]/g, '');
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'intent';
}

function ignoreMissing(error: unknown): void {
  if (codeOf(error) !== 'ENOENT') throw error;
}
