import type { AtoState, QueueCounts } from '../state/atoState';
import { shownQueue } from '../state/shownQueue';

/** The queue's counts as every view shows them: valid tasks per folder, invalid files apart. */
export interface QueueTally extends QueueCounts {
  readonly invalid: number;
}

/**
 * One count for the status bar, the tree and the panel (issue 14): the queue index's once it has read the
 * planning folder, else the planning folder's file count (no file parsed yet, so none known invalid).
 */
export function queueTally(state: AtoState): QueueTally | undefined {
  const queue = shownQueue(state).queue;
  if (queue !== undefined) return { ...queue.counts, invalid: queue.invalid.length };
  return state.planning.kind === 'ready' ? { ...state.planning.queue, invalid: 0 } : undefined;
}

/** "3 pending · 1 invalid": the pending count, and the invalid files when there are any. */
export function pendingText(tally: QueueTally): string {
  return `${String(tally.pending)} pending${tally.invalid > 0 ? ` · ${String(tally.invalid)} invalid` : ''}`;
}
