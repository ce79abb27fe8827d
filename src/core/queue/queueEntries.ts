import type { QueueFolder } from '../planning/planningLayout';
import type { QueueCounts } from '../state/atoState';
import { isValidQueueEntry, queueEntryId, type QueueEntry, type ValidQueueEntry } from './queueEntry';
import { compareDispatchOrder, splitPending, type PendingOrder } from './queueOrder';

/** Task files that share an id (in one folder or across folders), in path order. */
export interface DuplicateId {
  readonly id: string;
  readonly entries: readonly QueueEntry[];
}

/**
 * What the store keeps of the queue: counts, problems and the dispatch order. Immutable; built from
 * references to the (immutable) entries, and shared between revisions for whatever did not change.
 */
export interface QueueSnapshot {
  /** Increases with every batch of changes the index applies. */
  readonly revision: number;
  /**
   * Valid tasks per folder. Invalid files are counted apart (`invalid`), never in a folder's count: every view
   * (panel, tree, status bar, CLI) says "1 pending · 1 invalid", not "2 pending" for one task and one broken file.
   */
  readonly counts: QueueCounts;
  /** Files in any folder that did not parse into a task, in path order. */
  readonly invalid: readonly QueueEntry[];
  readonly duplicates: readonly DuplicateId[];
  /** Valid pending tasks in dispatch order. */
  readonly pending: PendingOrder;
  /** Valid tasks in `processed/` and in `complete/`, each in path order. */
  readonly processed: readonly ValidQueueEntry[];
  readonly complete: readonly ValidQueueEntry[];
}

/**
 * The in-memory side of the queue index: entries by file, plus aggregates kept up to date on every
 * `set`/`delete` (counts, ids, invalid files) so a snapshot costs nothing for what did not change. The
 * pending tasks stay sorted (a changed task is moved into place by binary search, not re-sorted with the
 * rest); the ready/blocked split is redone, in one linear pass, only when `pending/` or `complete/` (or a
 * duplicate id) changed, and only when a snapshot is asked for. No I/O.
 */
export class QueueEntries {
  private readonly byFile = new Map<string, QueueEntry>();
  private readonly filesById = new Map<string, Set<string>>();
  /** How many files in `complete/` carry each id. */
  private readonly completedIds = new Map<string, number>();
  private readonly duplicateIds = new Set<string>();
  private readonly invalidFiles = new Set<string>();
  private readonly counts: Record<QueueFolder, number> = { pending: 0, processed: 0, complete: 0 };
  /** Valid pending tasks in dispatch order, as of the last snapshot; the two below are the changes since. */
  private sortedPending: ValidQueueEntry[] = [];
  private readonly pendingAdded = new Set<ValidQueueEntry>();
  private readonly pendingRemoved = new Set<ValidQueueEntry>();
  private currentRevision = 0;
  private order: PendingOrder | undefined;
  private invalid: readonly QueueEntry[] | undefined;
  private duplicates: readonly DuplicateId[] | undefined;
  /** Valid entries of `processed/` and `complete/`, rebuilt only when that folder changed. */
  private readonly settled: { processed: readonly ValidQueueEntry[] | undefined; complete: readonly ValidQueueEntry[] | undefined } = { processed: undefined, complete: undefined };
  private cached: QueueSnapshot | undefined;

  get revision(): number {
    return this.currentRevision;
  }

  get size(): number {
    return this.byFile.size;
  }

  get(file: string): QueueEntry | undefined {
    return this.byFile.get(file);
  }

  values(): IterableIterator<QueueEntry> {
    return this.byFile.values();
  }

  /** Every entry with this id, in path order; more than one is a duplicate. */
  byId(id: string): QueueEntry[] {
    const files = this.filesById.get(id);
    if (files === undefined) return [];
    return [...files].flatMap(file => this.byFile.get(file) ?? []).sort(byPath);
  }

  /** Adds or replaces the entry for its file; returns the entry it replaced. */
  set(entry: QueueEntry): QueueEntry | undefined {
    const previous = this.delete(entry.file);
    this.byFile.set(entry.file, entry);
    this.account(entry, 1);
    return previous;
  }

  delete(file: string): QueueEntry | undefined {
    const previous = this.byFile.get(file);
    if (previous === undefined) return undefined;
    this.byFile.delete(file);
    this.account(previous, -1);
    return previous;
  }

  /** Ends a batch of changes: the next snapshot gets a new revision. */
  commit(): number {
    this.cached = undefined;
    return ++this.currentRevision;
  }

  snapshot(): QueueSnapshot {
    if (this.cached !== undefined) return this.cached;
    this.invalid ??= Object.freeze([...this.invalidFiles].flatMap(file => this.byFile.get(file) ?? []).sort(byPath));
    this.duplicates ??= Object.freeze([...this.duplicateIds].sort().map(id => Object.freeze({ id, entries: Object.freeze(this.byId(id)) })));
    this.order ??= this.computeOrder();
    this.cached = Object.freeze({
      revision: this.currentRevision,
      counts: Object.freeze({ ...this.counts }),
      invalid: this.invalid,
      duplicates: this.duplicates,
      pending: this.order,
      processed: this.settled.processed ??= this.validIn('processed'),
      complete: this.settled.complete ??= this.validIn('complete'),
    });
    return this.cached;
  }

  private validIn(folder: 'processed' | 'complete'): readonly ValidQueueEntry[] {
    const entries: ValidQueueEntry[] = [];
    for (const entry of this.byFile.values()) if (entry.folder === folder && isValidQueueEntry(entry)) entries.push(entry);
    return Object.freeze(entries.sort(byPath));
  }

  private computeOrder(): PendingOrder {
    const duplicates = new Map<string, string[]>();
    for (const { entries } of this.duplicates ?? []) {
      for (const entry of entries) duplicates.set(entry.file, entries.filter(other => other !== entry).map(other => other.relativePath));
    }
    const order = splitPending(this.sortPending(), this.completedIds, { duplicates });
    return Object.freeze({ ready: Object.freeze(order.ready), blocked: Object.freeze(order.blocked) });
  }

  /** Brings `sortedPending` up to date: a few changes by binary insertion, many (a cold index) by one sort. */
  private sortPending(): readonly ValidQueueEntry[] {
    const changes = this.pendingAdded.size + this.pendingRemoved.size;
    if (changes > 64) {
      this.sortedPending = this.sortedPending.filter(entry => !this.pendingRemoved.has(entry)).concat([...this.pendingAdded]).sort(compareDispatchOrder);
    } else if (changes > 0) {
      for (const entry of this.pendingRemoved) {
        const at = lowerBound(this.sortedPending, entry);
        this.sortedPending.splice(this.sortedPending[at] === entry ? at : this.sortedPending.indexOf(entry), 1);
      }
      for (const entry of this.pendingAdded) this.sortedPending.splice(lowerBound(this.sortedPending, entry), 0, entry);
    }
    this.pendingAdded.clear();
    this.pendingRemoved.clear();
    return this.sortedPending;
  }

  private trackPending(entry: ValidQueueEntry, delta: 1 | -1): void {
    if (delta > 0) {
      if (!this.pendingRemoved.delete(entry)) this.pendingAdded.add(entry);
    } else if (!this.pendingAdded.delete(entry)) {
      this.pendingRemoved.add(entry);
    }
  }

  private account(entry: QueueEntry, delta: 1 | -1): void {
    this.cached = undefined;
    if (isValidQueueEntry(entry)) this.counts[entry.folder] += delta;
    if (entry.folder !== 'pending') this.settled[entry.folder] = undefined;
    if (entry.folder !== 'processed') this.order = undefined;
    if (entry.folder === 'pending' && isValidQueueEntry(entry)) this.trackPending(entry, delta);
    if (!isValidQueueEntry(entry)) {
      if (delta > 0) this.invalidFiles.add(entry.file);
      else this.invalidFiles.delete(entry.file);
      this.invalid = undefined;
    }
    const id = queueEntryId(entry);
    if (entry.folder === 'complete') {
      const count = (this.completedIds.get(id) ?? 0) + delta;
      if (count > 0) this.completedIds.set(id, count);
      else this.completedIds.delete(id);
    }
    let files = this.filesById.get(id);
    if (files === undefined) this.filesById.set(id, files = new Set());
    if (delta > 0) files.add(entry.file);
    else files.delete(entry.file);
    if (files.size === 0) this.filesById.delete(id);
    const duplicated = files.size > 1;
    if (duplicated || this.duplicateIds.has(id)) {
      // Any change to a duplicated id can change which files the others point at.
      if (duplicated) this.duplicateIds.add(id);
      else this.duplicateIds.delete(id);
      this.duplicates = undefined;
      this.order = undefined;
    }
  }
}

/** First position in `sorted` whose entry does not go before `entry`. */
function lowerBound(sorted: readonly ValidQueueEntry[], entry: ValidQueueEntry): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const other = sorted[middle];
    if (other !== undefined && compareDispatchOrder(other, entry) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function byPath(a: QueueEntry, b: QueueEntry): number {
  return a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0;
}
