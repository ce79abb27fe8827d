import { basename, dirname, join, resolve } from 'node:path';
import { isTaskFileName, planningLayout, queueFolders, type QueueFolder } from '../planning/planningLayout';
import type { TaskParseResult } from '../tasks/task';
import type { Disposable } from '../util/disposable';
import { Emitter, type Event } from '../util/emitter';
import { fileProblem, type QueueEntry } from './queueEntry';
import { QueueEntries, type QueueSnapshot } from './queueEntries';
import { listQueueFolder, QueueFileReader, queueFileProblems, type QueueFileRead } from './queueFiles';

/** Turns a task file's text into a task and its diagnostics; must not throw (the index guards anyway). */
export type TaskFileParser = (text: string, fileName: string) => TaskParseResult;

export interface QueueIndexOptions {
  /** The planning folder (absolute); the queue is its `issue_queue/{pending,processed,complete}`. */
  readonly planningRoot: string;
  readonly parse: TaskFileParser;
  /** Reads a file's text instead of the file system; `undefined` means it is gone. Stamps still come from `stat`. */
  readonly load?: (file: string) => Promise<string | undefined>;
  /** Symlinked task files must resolve inside this folder. Default: the planning folder. */
  readonly workspaceRoot?: string;
  /** Files read at once during a cold index. Default 64. */
  readonly concurrency?: number;
  /**
   * A batch of at most this many files (each change looks at 3: the file and its namesakes) is read with
   * synchronous calls, which do not wait behind the busy thread pool; 0 reads everything asynchronously.
   * Default 24.
   */
  readonly syncBatchLimit?: number;
  /** Larger files are not read and get a `file-too-large` diagnostic. Default 1 MiB. */
  readonly maxFileBytes?: number;
  /** Where an `onDidChange` listener's exception goes. */
  readonly onListenerError?: (error: unknown) => void;
}

/** What a file watcher saw. The kind is only a hint: the index checks the disk for every change. */
export interface QueueFileChange {
  readonly kind: 'add' | 'change' | 'unlink';
  readonly file: string;
}

/** One batch of changes to the index, as `onDidChange` reports it. */
export interface QueueDelta {
  readonly revision: number;
  readonly added: readonly QueueEntry[];
  readonly removed: readonly QueueEntry[];
  readonly changed: readonly { readonly before: QueueEntry; readonly after: QueueEntry }[];
  /** A file that left one queue folder and appeared, under the same name, in another. */
  readonly moved: readonly { readonly from: QueueEntry; readonly to: QueueEntry }[];
}

interface Target {
  readonly file: string;
  readonly folder: QueueFolder;
  readonly fileName: string;
}

/**
 * An index of the task files in the queue folders, kept up to date incrementally. `coldIndex` reads
 * everything; `applyChanges` re-reads only the files a watcher reported, and only when their modification
 * time or size changed. Both run one at a time, in call order, and each fires `onDidChange` at most once.
 *
 * A change to `pending/x.md` also looks at `processed/x.md` and `complete/x.md`: a move between folders
 * (an atomic rename, which a watcher reports as an unlink and an add in either order, possibly apart) is
 * then recorded as one move in one batch, so the index never shows the task in no folder or in two.
 */
export class QueueIndex implements Disposable {
  readonly planningRoot: string;
  private readonly folderPaths: Readonly<Record<QueueFolder, string>>;
  private readonly folderByPath: ReadonlyMap<string, QueueFolder>;
  private readonly entrySet = new QueueEntries();
  private readonly reader: QueueFileReader;
  private readonly parse: TaskFileParser;
  private readonly concurrency: number;
  private readonly syncBatchLimit: number;
  private readonly changed: Emitter<QueueDelta>;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(options: QueueIndexOptions) {
    this.planningRoot = resolve(options.planningRoot);
    this.parse = options.parse;
    this.concurrency = Math.max(1, options.concurrency ?? 64);
    this.syncBatchLimit = options.syncBatchLimit ?? 24;
    const paths = {} as Record<QueueFolder, string>;
    for (const folder of queueFolders) paths[folder] = join(this.planningRoot, planningLayout[folder]);
    this.folderPaths = paths;
    this.folderByPath = new Map(queueFolders.map(folder => [paths[folder], folder]));
    this.reader = new QueueFileReader({ containmentRoot: options.workspaceRoot ?? this.planningRoot, maxBytes: options.maxFileBytes, load: options.load });
    this.changed = new Emitter<QueueDelta>(options.onListenerError);
  }

  /** Fires once per batch that changed something: a cold index, or a batch of watcher changes. */
  get onDidChange(): Event<QueueDelta> {
    return this.changed.event;
  }

  get revision(): number {
    return this.entrySet.revision;
  }

  get size(): number {
    return this.entrySet.size;
  }

  /** Absolute path of a queue folder. */
  folderPath(folder: QueueFolder): string {
    return this.folderPaths[folder];
  }

  /**
   * Reads all three folders (in parallel, `concurrency` files at a time). On an index that already has
   * entries it re-reads only files whose stamp changed and drops those that are gone. Resolves with what
   * changed, or `undefined` when nothing did.
   */
  coldIndex(): Promise<QueueDelta | undefined> {
    return this.serialized(async () => {
      const listed = await Promise.all(queueFolders.map(async folder => (await listQueueFolder(this.folderPaths[folder])).map(fileName => this.target(folder, fileName))));
      const targets = new Map(listed.flat().map(target => [target.file, target]));
      for (const entry of this.entrySet.values()) {
        if (!targets.has(entry.file)) targets.set(entry.file, entry);
      }
      return this.reconcile([...targets.values()]);
    });
  }

  applyChange(change: QueueFileChange): Promise<QueueDelta | undefined> {
    return this.applyChanges([change]);
  }

  /** Re-reads the files a watcher reported (and their namesakes in the other queue folders) as one batch. */
  applyChanges(changes: Iterable<QueueFileChange>): Promise<QueueDelta | undefined> {
    const targets = new Map<string, Target>();
    for (const { file } of changes) {
      const path = resolve(file);
      const fileName = basename(path);
      if (!this.folderByPath.has(dirname(path)) || !isTaskFileName(fileName)) continue;
      for (const folder of queueFolders) {
        const target = this.target(folder, fileName);
        targets.set(target.file, target);
      }
    }
    if (targets.size === 0) return Promise.resolve(undefined);
    return this.serialized(() => this.reconcile([...targets.values()], targets.size <= this.syncBatchLimit));
  }

  /** Every entry, or those of one folder, in no particular order. */
  *entries(folder?: QueueFolder): IterableIterator<QueueEntry> {
    for (const entry of this.entrySet.values()) if (folder === undefined || entry.folder === folder) yield entry;
  }

  entry(file: string): QueueEntry | undefined {
    return this.entrySet.get(resolve(file));
  }

  /** Every task file with this id, in path order: more than one means a duplicate id. */
  byId(id: string): QueueEntry[] {
    return this.entrySet.byId(id);
  }

  /** The summary for the store; the same object until the next change. */
  snapshot(): QueueSnapshot {
    return this.entrySet.snapshot();
  }

  dispose(): void {
    this.changed.dispose();
  }

  private target(folder: QueueFolder, fileName: string): Target {
    return { file: join(this.folderPaths[folder], fileName), folder, fileName };
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async reconcile(targets: readonly Target[], now = false): Promise<QueueDelta | undefined> {
    const reads = await mapBounded(targets, this.concurrency, target => {
      const previous = this.entrySet.get(target.file);
      // An unreadable file may become readable without a new stamp (chmod): always try it again.
      const stamp = previous?.result.diagnostics.some(d => d.code === queueFileProblems.unreadable) ?? true ? undefined : previous;
      return (now ? this.reader.readNow(target.file, stamp) : undefined) ?? this.reader.read(target.file, stamp);
    });
    const added: QueueEntry[] = [];
    const removed: QueueEntry[] = [];
    const changed: { before: QueueEntry; after: QueueEntry }[] = [];
    targets.forEach((target, i) => {
      const read = reads[i];
      if (read === undefined || read.kind === 'unchanged') return;
      if (read.kind === 'missing') {
        const before = this.entrySet.delete(target.file);
        if (before !== undefined) removed.push(before);
        return;
      }
      const after = this.toEntry(target, read);
      const before = this.entrySet.set(after);
      if (before === undefined) added.push(after);
      else changed.push({ before, after });
    });
    if (added.length === 0 && removed.length === 0 && changed.length === 0) return undefined;
    const delta = { revision: this.entrySet.commit(), changed, ...pairMoves(added, removed) };
    this.changed.fire(delta);
    return delta;
  }

  private toEntry(target: Target, read: Extract<QueueFileRead, { kind: 'text' | 'problem' }>): QueueEntry {
    return {
      file: target.file,
      relativePath: `${planningLayout[target.folder]}/${target.fileName}`,
      folder: target.folder,
      fileName: target.fileName,
      mtimeMs: read.stamp.mtimeMs,
      size: read.stamp.size,
      result: read.kind === 'problem' ? read.result : this.safeParse(read.text, target.fileName),
    };
  }

  private safeParse(text: string, fileName: string): TaskParseResult {
    try {
      return this.parse(text, fileName);
    } catch (error) {
      return fileProblem('parser-failed', `The task parser failed on this file: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Pairs a removal with an addition of the same file name in another folder: that is a move. */
function pairMoves(added: QueueEntry[], removed: QueueEntry[]): Pick<QueueDelta, 'added' | 'removed' | 'moved'> {
  if (added.length === 0 || removed.length === 0) return { added, removed, moved: [] };
  const addedByName = new Map<string, QueueEntry[]>();
  for (const entry of added) addedByName.set(entry.fileName, [...addedByName.get(entry.fileName) ?? [], entry]);
  const moved: { from: QueueEntry; to: QueueEntry }[] = [];
  const stillRemoved: QueueEntry[] = [];
  for (const from of removed) {
    const to = addedByName.get(from.fileName)?.shift();
    if (to === undefined) stillRemoved.push(from);
    else moved.push({ from, to });
  }
  const movedTo = new Set(moved.map(move => move.to));
  return { added: added.filter(entry => !movedTo.has(entry)), removed: stillRemoved, moved };
}

/** `Promise.all(items.map(fn))` with at most `limit` calls in flight. */
async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => R | Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
