import {
  close as closeCallback, closeSync, constants, fstat as fstatCallback, fstatSync, lstat as lstatCallback, open as openCallback, openSync,
  read as readCallback, readSync, type Dirent, type Stats,
} from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isTaskFileName } from '../planning/planningLayout';
import type { TaskParseResult } from '../tasks/task';
import { decodeTaskText } from '../tasks/taskText';
import { isWithin } from '../util/pathContainment';
import { fileProblem } from './queueEntry';

/** Task files larger than this are not read (PRODUCT §3.1: a file over 1 MiB is a diagnostic). */
export const maxTaskFileBytes = 1024 * 1024;

/** The file's text, or a problem when it is binary or not UTF-8 (the same rule as loadTaskFile). */
function decoded(stamp: FileStamp, bytes: Buffer): QueueFileRead {
  const result = decodeTaskText(bytes);
  return 'text' in result ? { kind: 'text', stamp, text: result.text } : { kind: 'problem', stamp, result: fileProblem(result.problem.code, result.problem.message) };
}

/** Diagnostic codes for problems with a file itself, which the index reports without calling the parser. */
export const queueFileProblems = {
  tooLarge: 'file-too-large',
  unreadable: 'file-unreadable',
  symlinkOutside: 'symlink-outside-workspace',
} as const;

export interface FileStamp {
  readonly mtimeMs: number;
  readonly size: number;
}

/** What reading one queue file found. */
export type QueueFileRead =
  /** No regular file (or symlink to one) at the path. */
  | { readonly kind: 'missing' }
  /** Same modification time and size as the stamp the caller passed: not read again. */
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'text'; readonly stamp: FileStamp; readonly text: string }
  /** The file is there but is not read: the result carries the diagnostic. */
  | { readonly kind: 'problem'; readonly stamp: FileStamp; readonly result: TaskParseResult };

export interface QueueFileReaderOptions {
  /** Symlinked task files must resolve inside this folder (the workspace root). */
  readonly containmentRoot: string;
  readonly maxBytes?: number | undefined;
  /** Reads the text instead of the file system (e.g. an editor's buffer); `undefined` means the file is gone. */
  readonly load?: ((file: string) => Promise<string | undefined>) | undefined;
}

// Windows has no O_NOFOLLOW; there the reader checks for a symlink with lstat first.
const noFollow: number | undefined = (constants as Partial<typeof constants>).O_NOFOLLOW;
// A FIFO named like a task file must not block the open; regular files ignore the flag.
const nonBlocking: number = (constants as Partial<typeof constants>).O_NONBLOCK ?? 0;

/**
 * Reads queue files: stamp first, content only when the stamp changed, never more than `maxBytes`, and a
 * symlink only when it resolves inside the containment root. Never throws for a problem with one file:
 * a file that vanished is `missing`, one that cannot be read is a `problem`.
 */
export class QueueFileReader {
  private readonly maxBytes: number;
  private realRoot: Promise<string> | undefined;

  constructor(private readonly options: QueueFileReaderOptions) {
    this.maxBytes = options.maxBytes ?? maxTaskFileBytes;
  }

  async read(file: string, previous?: FileStamp): Promise<QueueFileRead> {
    try {
      if (previous === undefined && noFollow !== undefined && this.options.load === undefined) return await this.readDirect(file, noFollow, undefined);
      // One lstat answers "unchanged" for most known files, and tells a symlink apart.
      const link = await fsCall<Stats>(done => { lstatCallback(file, done); });
      if (link.isSymbolicLink()) {
        const escaped = await this.escapes(file, link);
        if (escaped !== undefined) return sameStamp(stampOf(link), previous) ? { kind: 'unchanged' } : escaped;
      } else if (!link.isFile()) {
        return { kind: 'missing' };
      } else if (sameStamp(stampOf(link), previous)) {
        return { kind: 'unchanged' };
      }
      if (this.options.load !== undefined) return await this.readLoaded(file, this.options.load, previous);
      return await this.readDirect(file, 0, previous);
    } catch (error) {
      return this.failure(file, error);
    }
  }

  /**
   * The common case read synchronously: a regular file, no loader. `undefined` means "not that simple"
   * (a symlink, an error other than absence, no O_NOFOLLOW here): use `read`. Watcher batches use it for
   * a handful of files because the thread pool behind the async calls is shared — with chokidar, which
   * re-scans the whole folder (an lstat per file) on every change in it, and in VS Code with every other
   * extension — so one async read can wait tens of milliseconds, where a few small synchronous ones
   * (at most `maxBytes` each) take microseconds.
   */
  readNow(file: string, previous?: FileStamp): QueueFileRead | undefined {
    if (this.options.load !== undefined || noFollow === undefined) return undefined;
    let fd: number;
    try {
      fd = openSync(file, constants.O_RDONLY | nonBlocking | noFollow);
    } catch (error) {
      const code = codeOf(error);
      return code === 'ENOENT' || code === 'ENOTDIR' ? { kind: 'missing' } : undefined;
    }
    try {
      const stats = fstatSync(fd);
      const early = this.beforeReading(stats, previous);
      if (early !== undefined) return early;
      const stamp = stampOf(stats);
      const buffer = Buffer.allocUnsafe(stats.size);
      let length = 0;
      for (let bytesRead = -1; length < buffer.length && bytesRead !== 0; length += bytesRead) {
        bytesRead = readSync(fd, buffer, length, buffer.length - length, length);
      }
      return decoded(stamp, buffer.subarray(0, length));
    } catch {
      return undefined;
    } finally {
      closeSync(fd);
    }
  }

  /** open + fstat + read + close through the callback API, which costs about half of `FileHandle`'s. */
  private async readDirect(file: string, extraFlags: number, previous: FileStamp | undefined): Promise<QueueFileRead> {
    let fd: number;
    try {
      fd = await fsCall<number>(done => { openCallback(file, constants.O_RDONLY | nonBlocking | extraFlags, done); });
    } catch (error) {
      // O_NOFOLLOW refuses a symlink with ELOOP: check where it points, then follow it.
      if (extraFlags !== 0 && codeOf(error) === 'ELOOP') {
        const escaped = await this.escapes(file, await lstat(file));
        return escaped ?? await this.readDirect(file, 0, previous);
      }
      throw error;
    }
    try {
      const stats = await fsCall<Stats>(done => { fstatCallback(fd, done); });
      const early = this.beforeReading(stats, previous);
      if (early !== undefined) return early;
      const stamp = stampOf(stats);
      const buffer = Buffer.allocUnsafe(stats.size);
      let length = 0;
      while (length < buffer.length) {
        const bytesRead = await fsCall<number>(done => { readCallback(fd, buffer, length, buffer.length - length, length, done); });
        if (bytesRead === 0) break;
        length += bytesRead;
      }
      return decoded(stamp, buffer.subarray(0, length));
    } finally {
      await fsCall<undefined>(done => { closeCallback(fd, error => { done(error, undefined); }); });
    }
  }

  private async readLoaded(file: string, load: (file: string) => Promise<string | undefined>, previous: FileStamp | undefined): Promise<QueueFileRead> {
    const stats = await stat(file);
    if (!stats.isFile()) return { kind: 'missing' };
    const stamp = stampOf(stats);
    if (sameStamp(stamp, previous)) return { kind: 'unchanged' };
    if (stats.size > this.maxBytes) return this.tooLarge(stamp);
    const text = await load(file);
    return text === undefined ? { kind: 'missing' } : { kind: 'text', stamp, text };
  }

  /** A `problem` when the symlink at `file` resolves outside the containment root, else `undefined`. */
  private async escapes(file: string, link: Stats): Promise<QueueFileRead | undefined> {
    this.realRoot ??= realpath(this.options.containmentRoot).catch(() => this.options.containmentRoot);
    const [root, target] = await Promise.all([this.realRoot, realpath(file)]);
    if (isWithin(root, target)) return undefined;
    return {
      kind: 'problem',
      stamp: stampOf(link),
      result: fileProblem(queueFileProblems.symlinkOutside, `This task file is a symlink to ${target}, outside the workspace; ATO does not read it.`),
    };
  }

  /** What an open file's stats already decide (not a file, unchanged, too large), or undefined: read it. */
  private beforeReading(stats: Stats, previous: FileStamp | undefined): QueueFileRead | undefined {
    if (!stats.isFile()) return { kind: 'missing' };
    const stamp = stampOf(stats);
    if (sameStamp(stamp, previous)) return { kind: 'unchanged' };
    if (stats.size > this.maxBytes) return this.tooLarge(stamp);
    return undefined;
  }

  private tooLarge(stamp: FileStamp): QueueFileRead {
    const message = `This task file is ${formatBytes(stamp.size)}; task files may be at most ${formatBytes(this.maxBytes)}.`;
    return { kind: 'problem', stamp, result: fileProblem(queueFileProblems.tooLarge, message) };
  }

  private async failure(file: string, error: unknown): Promise<QueueFileRead> {
    const code = codeOf(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    // Running out of descriptors says nothing about the file: let the caller fail and retry.
    if (code === 'EMFILE' || code === 'ENFILE') throw error;
    const stamp = await lstat(file).then(stampOf, () => undefined);
    if (stamp === undefined) return { kind: 'missing' };
    const reason = error instanceof Error ? error.message : String(error);
    return { kind: 'problem', stamp, result: fileProblem(queueFileProblems.unreadable, `ATO cannot read this task file: ${reason}`) };
  }
}

/** A folder inside a queue folder that is not read: it is reported instead, never silently skipped. */
export interface SkippedFolder {
  /** `/`-separated, inside the queue folder. */
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

/** What one queue folder holds, sub-folders included. */
export interface QueueFolderListing {
  /** Task files, `/`-separated paths inside the folder: `x.md`, `web/y.task.md`. */
  readonly files: readonly string[];
  /** Symlinked and unreadable sub-folders. */
  readonly skipped: readonly SkippedFolder[];
}

export const queueFolderProblems = {
  /** A symlink to a folder inside a queue folder: not followed (no loops, no way out), reported. */
  linkedFolder: 'symlinked-folder',
  unreadableFolder: 'folder-unreadable',
} as const;

/**
 * The task files in one queue folder and its sub-folders (a missing folder has none). Hidden entries
 * (`.name`) are left out, like hidden files; symlinked sub-folders are never entered, and are listed as
 * skipped, like sub-folders that cannot be read.
 */
export async function listQueueFolder(directory: string): Promise<QueueFolderListing> {
  const files: string[] = [];
  const skipped: SkippedFolder[] = [];
  const visit = async (inner: string): Promise<void> => {
    const absolute = inner === '' ? directory : join(directory, ...inner.split('/'));
    let entries: Dirent[];
    try {
      entries = await readdir(absolute, { withFileTypes: true });
    } catch (error) {
      const code = codeOf(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      if (inner === '') throw error;
      skipped.push({ path: inner, code: queueFolderProblems.unreadableFolder, message: `ATO cannot read the folder ${inner}/ in the queue: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    const folders: string[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = inner === '' ? entry.name : `${inner}/${entry.name}`;
      if (entry.isDirectory()) folders.push(path);
      else if ((entry.isFile() || entry.isSymbolicLink()) && isTaskFileName(entry.name)) files.push(path);
      else if (entry.isSymbolicLink() && await isFolder(join(absolute, entry.name))) {
        skipped.push({ path, code: queueFolderProblems.linkedFolder, message: `${path}/ is a symlink to a folder; ATO does not follow symlinked folders in the queue. Move the task files into a real folder.` });
      }
    }
    await Promise.all(folders.map(visit));
  };
  await visit('');
  return { files, skipped };
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Wraps one callback-style fs call in a promise. */
function fsCall<T>(call: (done: (error: NodeJS.ErrnoException | null, value: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    call((error, value) => {
      if (error === null) resolve(value);
      else reject(error);
    });
  });
}

export function codeOf(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function stampOf(stats: Stats): FileStamp {
  return { mtimeMs: stats.mtimeMs, size: stats.size };
}

function sameStamp(stamp: FileStamp, previous: FileStamp | undefined): boolean {
  return previous?.mtimeMs === stamp.mtimeMs && previous.size === stamp.size;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}
