import type { LoopQueueView } from '../loop/engine/loopModel';
import { QueueEntries, type QueueSnapshot } from '../queue/queueEntries';
import { queueEntryId } from '../queue/queueEntry';
import type { AtoState } from './atoState';

/** Where the queue the views show comes from, and how the working tree differs from it (GitHub mode). */
export interface QueueSource {
  /** e.g. `origin/main`. */
  readonly branch: string;
  /** Task ids on the branch that the working tree does not have (a `git pull` brings them). */
  readonly notInCheckout: number;
  /** Task files of the working tree's pending/ that the branch does not have (local drafts: "Queue it"). */
  readonly onlyInCheckout: number;
}

export interface ShownQueue {
  readonly queue: QueueSnapshot | undefined;
  /** Undefined: the working tree's queue (local mode, or before the loop read its branch). */
  readonly source: QueueSource | undefined;
  /**
   * GitHub mode: the branch's task files (relative paths) that the working tree does not have at that path —
   * promoted or moved on the remote, not pulled yet. Their rows offer no working-tree action.
   */
  readonly notInCheckout: ReadonlySet<string>;
  /** A task file's page on the planning branch, when the loop knows the repository's web address. */
  fileUrl(relativePath: string): string | undefined;
}

const noPaths: ReadonlySet<string> = new Set();
const noUrl = (): undefined => undefined;

const branchSnapshots = new WeakMap<LoopQueueView, QueueSnapshot>();

/**
 * The queue every view shows (issue 14): in GitHub mode the one the loop reads — its planning branch, not the
 * working tree, which says "No task files yet" until a `git pull` after the loop promoted a task — with the
 * working tree's differences counted; otherwise the working tree's queue index.
 */
export function shownQueue(state: AtoState): ShownQueue {
  const view = state.loop.mode === 'github' ? state.loop.queue : undefined;
  if (view === undefined) return { queue: state.queue, source: undefined, notInCheckout: noPaths, fileUrl: noUrl };
  const queue = branchSnapshot(view);
  let notInCheckout = 0;
  const pathsNotInCheckout = new Set<string>();
  if (state.queue !== undefined) {
    const local = new Set<string>();
    const localPaths = new Set<string>();
    for (const entry of [...state.queue.pending.ready, ...state.queue.pending.blocked.map(blocked => blocked.entry), ...state.queue.processed, ...state.queue.complete]) local.add(queueEntryId(entry));
    for (const entry of [...state.queue.pending.ready, ...state.queue.pending.blocked.map(blocked => blocked.entry), ...state.queue.processed, ...state.queue.complete, ...state.queue.invalid]) localPaths.add(entry.relativePath);
    for (const entry of view.entries) {
      if (!local.has(queueEntryId(entry))) notInCheckout++;
      if (!localPaths.has(entry.relativePath)) pathsNotInCheckout.add(entry.relativePath);
    }
  } else {
    notInCheckout = view.entries.length;
    for (const entry of view.entries) pathsNotInCheckout.add(entry.relativePath);
  }
  const base = view.fileUrlBase;
  const fileUrl = base === undefined ? noUrl : (relativePath: string): string => base + relativePath.split('/').map(encodeURIComponent).join('/');
  return { queue, source: { branch: view.branch, notInCheckout, onlyInCheckout: state.loop.drafts.length }, notInCheckout: pathsNotInCheckout, fileUrl };
}

/** Whether `url` is the page of a task file the shown queue lists as not in the checkout (the host opens only those). */
export function isNotInCheckoutUrl(state: AtoState, url: string): boolean {
  const shown = shownQueue(state);
  for (const path of shown.notInCheckout) if (shown.fileUrl(path) === url) return true;
  return false;
}

/** The branch's entries as a queue snapshot (counts, dispatch order, invalid files), built once per read. */
function branchSnapshot(view: LoopQueueView): QueueSnapshot {
  let snapshot = branchSnapshots.get(view);
  if (snapshot === undefined) {
    const entries = new QueueEntries();
    for (const entry of view.entries) entries.set(entry);
    entries.commit();
    snapshot = entries.snapshot();
    branchSnapshots.set(view, snapshot);
  }
  return snapshot;
}
