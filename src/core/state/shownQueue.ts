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
}

const branchSnapshots = new WeakMap<LoopQueueView, QueueSnapshot>();

/**
 * The queue every view shows (issue 14): in GitHub mode the one the loop reads — its planning branch, not the
 * working tree, which says "No task files yet" until a `git pull` after the loop promoted a task — with the
 * working tree's differences counted; otherwise the working tree's queue index.
 */
export function shownQueue(state: AtoState): ShownQueue {
  const view = state.loop.mode === 'github' ? state.loop.queue : undefined;
  if (view === undefined) return { queue: state.queue, source: undefined };
  const queue = branchSnapshot(view);
  let notInCheckout = 0;
  if (state.queue !== undefined) {
    const local = new Set<string>();
    for (const entry of [...state.queue.pending.ready, ...state.queue.pending.blocked.map(blocked => blocked.entry), ...state.queue.processed, ...state.queue.complete]) local.add(queueEntryId(entry));
    for (const entry of view.entries) if (!local.has(queueEntryId(entry))) notInCheckout++;
  } else {
    notInCheckout = view.entries.length;
  }
  return { queue, source: { branch: view.branch, notInCheckout, onlyInCheckout: state.loop.drafts.length } };
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
