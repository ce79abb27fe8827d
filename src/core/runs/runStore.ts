import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod/mini';
import '../../shared/zod';
import { atoDirectory, ensureAtoDirectory } from '../events/atoDirectory';
import { describeError, type Redactor } from '../logging/redactor';
import { runIdPattern, runRecordSchema, type RunRecord } from './runRecord';
import { syncDirectory } from '../util/syncDirectory';

export interface RunStoreOptions {
  readonly workspaceRoot: string;
  /** Every record and log line passes it: run records never hold a secret (PRODUCT §7). */
  readonly redactor: Redactor;
  readonly now?: () => Date;
  /** A temporary file older than this is a crash's leftover and is deleted by `list()`; default 60 s. */
  readonly staleTempMs?: number;
}

/** A record file that could not be used. It is reported and left in place, never deleted. */
export interface RunRecordProblem {
  readonly file: string;
  readonly runId: string;
  readonly kind: 'unreadable' | 'invalidJson' | 'invalidRecord';
  readonly message: string;
}

export type ReadRunResult =
  | { readonly ok: true; readonly record: RunRecord }
  | { readonly ok: false; readonly missing: true }
  | { readonly ok: false; readonly missing: false; readonly problem: RunRecordProblem };

export interface RunList {
  /** Valid records, oldest start first. */
  readonly records: readonly RunRecord[];
  readonly problems: readonly RunRecordProblem[];
  /** Leftover temporary files (from a crash mid-write) that were deleted. */
  readonly removedTempFiles: readonly string[];
}

export type RunStoreErrorKind = 'invalidRunId' | 'invalidRecord';

export class RunStoreError extends Error {
  override readonly name = 'RunStoreError';

  constructor(readonly kind: RunStoreErrorKind, message: string) {
    super(message);
  }

  static is(error: unknown, kind?: RunStoreErrorKind): error is RunStoreError {
    return error instanceof RunStoreError && (kind === undefined || error.kind === kind);
  }
}

const recordSuffix = '.json';
const tempPattern = /^\..+\.tmp$/;

/**
 * Run records at `<workspace>/.ato/runs/<runId>.json` and run logs at `<runId>.log`. A record is written
 * atomically (a temporary file in the same folder, fsync, rename, fsync of the folder), so a crash leaves
 * the old record or the new one, never half of one. Reading validates; a corrupt file is reported.
 */
export class RunStore {
  private readonly now: () => Date;
  private readonly logQueues = new Map<string, Promise<void>>();
  private prepared: Promise<void> | undefined;
  /** Records this store wrote; with the folder's mtime, the records' revision. */
  private writes = 0;

  constructor(private readonly options: RunStoreOptions) {
    this.now = options.now ?? (() => new Date());
  }

  get directory(): string {
    return join(atoDirectory(this.options.workspaceRoot), 'runs');
  }

  recordFile(runId: string): string {
    return join(this.directory, `${checkRunId(runId)}${recordSuffix}`);
  }

  logFile(runId: string): string {
    return join(this.directory, `${checkRunId(runId)}.log`);
  }

  /** Validates (after redaction) and writes atomically. Throws {@link RunStoreError} for an invalid record. */
  async write(record: RunRecord): Promise<void> {
    const redacted = this.options.redactor.redactValue(record);
    const parsed = runRecordSchema.safeParse(redacted);
    if (!parsed.success) throw new RunStoreError('invalidRecord', `run record ${record.runId} is invalid: ${z.prettifyError(parsed.error)}`);
    const file = this.recordFile(parsed.data.runId);
    await this.prepare();
    const temp = join(this.directory, `.${parsed.data.runId}${recordSuffix}.${randomUUID()}.tmp`);
    const handle = await open(temp, 'wx', 0o600);
    try {
      try {
        await handle.writeFile(`${JSON.stringify(parsed.data, null, 2)}\n`, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, file);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    this.writes++;
    await syncDirectory(this.directory);
  }

  /**
   * Changes whenever a record is written — by this store, or by another process or window: every write
   * renames a file into the folder, which changes the folder's mtime. (A record edited in place by hand
   * may go unnoticed until the next write.)
   */
  async revision(): Promise<string> {
    let mtime = 'none';
    try {
      mtime = (await stat(this.directory, { bigint: true })).mtimeNs.toString();
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
    }
    return `${mtime}:${String(this.writes)}`;
  }

  async read(runId: string): Promise<ReadRunResult> {
    const file = this.recordFile(runId);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return { ok: false, missing: true };
      return { ok: false, missing: false, problem: { file, runId, kind: 'unreadable', message: describeError(error) } };
    }
    return parseRecord(file, runId, text);
  }

  /** Every record; corrupt ones are reported in `problems`; stale temporary files are deleted. */
  async list(): Promise<RunList> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return { records: [], problems: [], removedTempFiles: [] };
      throw error;
    }
    const records: RunRecord[] = [];
    const problems: RunRecordProblem[] = [];
    const removedTempFiles: string[] = [];
    for (const name of names.sort()) {
      if (tempPattern.test(name)) {
        if (await this.removeIfStale(name)) removedTempFiles.push(name);
        continue;
      }
      if (!name.endsWith(recordSuffix)) continue;
      const runId = name.slice(0, -recordSuffix.length);
      if (!runIdPattern.test(runId)) continue;
      const result = await this.read(runId);
      if (result.ok) records.push(result.record);
      else if (!result.missing) problems.push(result.problem);
    }
    records.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.runId.localeCompare(b.runId));
    return { records, problems, removedTempFiles };
  }

  /**
   * Appends to the run's log, redacted, adding a final newline when missing. Pass whole lines: a secret
   * split across two calls cannot be recognised. Appends to one log keep their order even when not awaited.
   */
  appendLog(runId: string, text: string): Promise<void> {
    const file = this.logFile(runId);
    const redacted = this.options.redactor.redact(text);
    const line = redacted.endsWith('\n') ? redacted : `${redacted}\n`;
    const previous = this.logQueues.get(file) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(async () => {
      await this.prepare();
      await appendFile(file, line, { encoding: 'utf8', mode: 0o600 });
    });
    this.logQueues.set(file, next);
    void next.finally(() => {
      if (this.logQueues.get(file) === next) this.logQueues.delete(file);
    }).catch(() => undefined);
    return next;
  }

  private async prepare(): Promise<void> {
    this.prepared ??= (async () => {
      await ensureAtoDirectory(this.options.workspaceRoot);
      await mkdir(this.directory, { recursive: true, mode: 0o700 });
    })();
    try {
      await this.prepared;
    } catch (error) {
      this.prepared = undefined;
      throw error;
    }
  }

  private async removeIfStale(name: string): Promise<boolean> {
    const file = join(this.directory, name);
    try {
      const { mtimeMs } = await stat(file);
      // A younger one may belong to a write in progress in another window.
      if (this.now().getTime() - mtimeMs < (this.options.staleTempMs ?? 60_000)) return false;
      await unlink(file);
      return true;
    } catch {
      return false;
    }
  }
}

function parseRecord(file: string, runId: string, text: string): ReadRunResult {
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (error) {
    return { ok: false, missing: false, problem: { file, runId, kind: 'invalidJson', message: describeError(error) } };
  }
  const parsed = runRecordSchema.safeParse(json);
  if (!parsed.success) return { ok: false, missing: false, problem: { file, runId, kind: 'invalidRecord', message: z.prettifyError(parsed.error) } };
  if (parsed.data.runId !== runId) {
    return { ok: false, missing: false, problem: { file, runId, kind: 'invalidRecord', message: `the file holds run ${parsed.data.runId}` } };
  }
  return { ok: true, record: parsed.data };
}

function checkRunId(runId: string): string {
  if (!runIdPattern.test(runId)) throw new RunStoreError('invalidRunId', `"${runId}" is not a run id (letters, digits, ".", "_", "-")`);
  return runId;
}

function errorCode(error: unknown): unknown {
  return error instanceof Error && 'code' in error ? error.code : undefined;
}
