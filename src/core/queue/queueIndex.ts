import { join, resolve, sep } from 'node:path';
import { planningLayout, queueFolders, type QueueFolder } from '../planning/planningLayout';
import type { TaskParseResult } from '../tasks/task';
import { checkTaskPaths } from '../tasks/taskPaths';
import type { Disposable } from '../util/disposable';
import { Emitter, type Event } from '../util/emitter';
import { realPathCache, type RealPath } from '../util/pathContainment';
import { fileProblem, folderProblemEntry, isFolderProblem, pathInQueueFolder, type QueueEntry } from './queueEntry';
import { QueueEntries, type QueueSnapshot } from './queueEntries';
import { QueueFileReader, queueFileProblems, type QueueFileRead } from './queueFiles';
import { QueuePlaces, type FolderScan } from './queuePlaces';

/** Turns a task file's text into a task and its diagnostics; must not throw (the index guards anyway). */
export type TaskFileParser = (text: string, fileName: string) => TaskParseResult;

export interface QueueIndexOptions {
  /** The planning folder (absolute); the queue is its `issue_queue/{pending,processed,complete}`. */
  readonly planningRoot: string;
  readonly parse: TaskFileParser;
  /** Reads a file's text instead of the file system; `undefined` means it is gone. Stamps still come from `stat`. */
  readonly load?: (file: string) => Promise<string | undefined>;
  /**
   * Queue folders and symlinked task files must resolve inside this folder. Default: the planning folder.
   * When given, each task's targets and `cwd` are also checked through the file system (symlinks followed).
   */
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
  /** `/`-separated, inside the queue folder: `x.md`, `web/x.md`. */
  readonly inner: string;
  /** False for a file the index had, in a folder it no longer reads: dropped without being read. */
  readonly readable: boolean;
}

/**
 * An index of the task files in the queue folders, kept up to date incrementally. `coldIndex` reads
 * everything; `applyChanges` re-reads only the files a watcher reported, and only when their modification
 * time or size changed. Both run one at a time, in call order, and each fires `onDidChange` at most once.
 *
 * A change to `pending/x.md` also looks at `processed/x.md` and `complete/x.md`: a move between folders
 * (an atomic rename, which a watcher reports as an unlink and an add in either order, possibly apart) is
 * then recorded as one move in one batch, so the index never shows the task in no folder or in two.
 *
 * Task files in sub-folders count (`pending/web/x.md`: the queue folder is the state, the sub-folder
 * stays across moves). What is not read is reported, never silently skipped: a queue folder that leads
 * outside the workspace (its files are neither read nor moved) and a symlinked sub-folder are entries
 * with an error, as invalid task files are. Task files' targets and `cwd` are checked through the file
 * system when a workspace root is given (again when the file changes; the dispatcher checks once more).
 */
export class QueueIndex implements Disposable {
  readonly planningRoot: string;
  private readonly places: QueuePlaces;
  private readonly entrySet = new QueueEntries();
  private readonly pathRoot: string | undefined;
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
    const containmentRoot = options.workspaceRoot ?? this.planningRoot;
    this.places = new QueuePlaces(this.planningRoot, containmentRoot);
    this.pathRoot = options.workspaceRoot;
    this.reader = new QueueFileReader({ containmentRoot, maxBytes: options.maxFileBytes, load: options.load });
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

  /** True for what a watcher must look at: the queue folders, the way to them, their sub-folders and task files. */
  watches(path: string, isFile?: boolean): boolean {
    return this.places.watches(resolve(path), isFile);
  }

  /** True for a queue folder or a folder below one. */
  isInQueue(path: string): boolean {
    return this.places.isInQueue(resolve(path));
  }

  /** Absolute path of a queue folder. */
  folderPath(folder: QueueFolder): string {
    return this.places.folderPath(folder);
  }

  /**
   * Reads all three folders (in parallel, `concurrency` files at a time). On an index that already has
   * entries it re-reads only files whose stamp changed and drops those that are gone. Resolves with what
   * changed, or `undefined` when nothing did.
   */
  coldIndex(): Promise<QueueDelta | undefined> {
    return this.serialized(() => this.reconcileAll(false));
  }

  applyChange(change: QueueFileChange): Promise<QueueDelta | undefined> {
    return this.applyChanges([change]);
  }

  /**
   * Re-reads the files a watcher reported (and their namesakes in the other queue folders) as one batch.
   * When a queue folder itself changed (it appeared, went, or now leads elsewhere) or a reported file lies
   * behind a symlinked sub-folder, the batch is a full re-index instead: nothing is read through it.
   */
  applyChanges(changes: Iterable<QueueFileChange>): Promise<QueueDelta | undefined> {
    const targets = new Map<string, Target>();
    let structural = false;
    for (const { file } of changes) {
      const path = resolve(file);
      if (this.places.isStructure(path)) structural = true;
      const inner = this.places.taskFileInner(path);
      if (inner === undefined) continue;
      for (const folder of queueFolders) {
        const target = this.target(folder, inner);
        targets.set(target.file, target);
      }
    }
    if (!structural && targets.size === 0) return Promise.resolve(undefined);
    const now = targets.size <= this.syncBatchLimit;
    return this.serialized(async () => {
      const real = realPathCache({ sync: now });
      if (structural || await this.places.foldersChanged(real) || this.places.behindLinkedFolder([...targets.values()].map(target => target.file))) {
        // A full re-index reads every file: asynchronously, whatever the size of the batch that led to it.
        return this.reconcileAll(false);
      }
      return this.reconcile([...targets.values()], now, real);
    });
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

  private target(folder: QueueFolder, inner: string, readable = true): Target {
    return { file: join(this.places.folderPath(folder), ...inner.split('/')), folder, inner, readable };
  }

  /**
   * Lists the three folders and re-reads what changed (by stamp); entries whose file is gone, or is in a
   * folder no longer read, are dropped; each folder that is not read becomes a problem entry.
   */
  private async reconcileAll(now: boolean, real: RealPath = realPathCache({ sync: now })): Promise<QueueDelta | undefined> {
    const scans: FolderScan[] = await Promise.all(queueFolders.map(folder => this.places.scan(folder, real)));
    const targets = new Map<string, Target>();
    for (const scan of scans) {
      for (const inner of scan.files) {
        const target = this.target(scan.folder, inner);
        targets.set(target.file, target);
      }
    }
    const unread = scans.flatMap(scan => scan.problems.map(problem => problem.file));
    for (const entry of this.entrySet.values()) {
      if (targets.has(entry.file) || isFolderProblem(entry)) continue;
      const readable = !unread.some(folder => entry.file.startsWith(`${folder}${sep}`));
      targets.set(entry.file, this.target(entry.folder, pathInQueueFolder(entry), readable));
    }
    const problems = scans.flatMap(scan => scan.problems.map(problem => folderProblemEntry(problem, problem.code, problem.message)));
    return this.reconcile([...targets.values()], now, real, problems);
  }


  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async reconcile(targets: readonly Target[], now: boolean, real: RealPath, folderProblems?: readonly QueueEntry[]): Promise<QueueDelta | undefined> {
    const reads = await mapBounded(targets, this.concurrency, async (target): Promise<QueueEntry | 'missing' | 'unchanged'> => {
      if (!target.readable) return 'missing';
      const previous = this.entrySet.get(target.file);
      // An unreadable file may become readable without a new stamp (chmod): always try it again.
      const stamp = previous?.result.diagnostics.some(d => d.code === queueFileProblems.unreadable) ?? true ? undefined : previous;
      const read = (now ? this.reader.readNow(target.file, stamp) : undefined) ?? await this.reader.read(target.file, stamp);
      return read.kind === 'missing' || read.kind === 'unchanged' ? read.kind : this.toEntry(target, read, real);
    });
    const added: QueueEntry[] = [];
    const removed: QueueEntry[] = [];
    const changed: { before: QueueEntry; after: QueueEntry }[] = [];
    const put = (after: QueueEntry): void => {
      const before = this.entrySet.set(after);
      if (before === undefined) added.push(after);
      else changed.push({ before, after });
    };
    targets.forEach((target, i) => {
      const read = reads[i];
      if (read === undefined || read === 'unchanged') return;
      if (read === 'missing') {
        const before = this.entrySet.delete(target.file);
        if (before !== undefined) removed.push(before);
        return;
      }
      put(read);
    });
    if (folderProblems !== undefined) {
      const current = new Map(folderProblems.map(entry => [entry.file, entry]));
      for (const entry of [...this.entrySet.values()]) {
        if (isFolderProblem(entry) && !current.has(entry.file)) removed.push(this.entrySet.delete(entry.file) ?? entry);
      }
      for (const problem of current.values()) {
        const before = this.entrySet.get(problem.file);
        if (before === undefined || !isFolderProblem(before) || before.result.diagnostics[0]?.message !== problem.result.diagnostics[0]?.message) put(problem);
      }
    }
    if (added.length === 0 && removed.length === 0 && changed.length === 0) return undefined;
    const delta = { revision: this.entrySet.commit(), changed, ...pairMoves(added, removed) };
    this.changed.fire(delta);
    return delta;
  }

  private async toEntry(target: Target, read: Extract<QueueFileRead, { kind: 'text' | 'problem' }>, real: RealPath): Promise<QueueEntry> {
    const fileName = target.inner.slice(target.inner.lastIndexOf('/') + 1);
    const result = read.kind === 'problem' ? read.result : await this.checkedParse(read.text, fileName, real);
    return {
      file: target.file,
      relativePath: `${planningLayout[target.folder]}/${target.inner}`,
      folder: target.folder,
      fileName,
      mtimeMs: read.stamp.mtimeMs,
      size: read.stamp.size,
      result,
    };
  }

  /** Parses, then (with a workspace root) follows the task's targets and `cwd` through the file system. */
  private async checkedParse(text: string, fileName: string, real: RealPath): Promise<TaskParseResult> {
    const parsed = this.safeParse(text, fileName);
    const task = parsed.task;
    if (task === undefined || this.pathRoot === undefined || (task.targetFiles.length === 0 && task.cwd === undefined)) return parsed;
    const problems = await checkTaskPaths(task, { workspaceRoot: this.pathRoot, taskFileText: text, realPath: real });
    if (problems.length === 0) return parsed;
    return { task: undefined, diagnostics: [...parsed.diagnostics, ...problems].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character) };
  }

  private safeParse(text: string, fileName: string): TaskParseResult {
    try {
      return this.parse(text, fileName);
    } catch (error) {
      return fileProblem('parser-failed', `The task parser failed on this file: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Pairs a removal with an addition of the same path (inside the queue folder) in another folder: that is a move. */
function pairMoves(added: QueueEntry[], removed: QueueEntry[]): Pick<QueueDelta, 'added' | 'removed' | 'moved'> {
  if (added.length === 0 || removed.length === 0) return { added, removed, moved: [] };
  const addedByName = new Map<string, QueueEntry[]>();
  for (const entry of added) {
    if (isFolderProblem(entry)) continue;
    const name = pathInQueueFolder(entry);
    addedByName.set(name, [...addedByName.get(name) ?? [], entry]);
  }
  const moved: { from: QueueEntry; to: QueueEntry }[] = [];
  const stillRemoved: QueueEntry[] = [];
  for (const from of removed) {
    const to = isFolderProblem(from) ? undefined : addedByName.get(pathInQueueFolder(from))?.shift();
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
