import type { QueueSnapshot } from './queueEntries';

const cache = new WeakMap<QueueSnapshot, ReadonlyMap<string, string>>();

/**
 * Task id → title, for every valid task in the queue (pending, dispatched, complete). Views name a task by its
 * title and show the id beside it (issue 14: one naming everywhere); a run of a task that is no longer in the
 * queue keeps its id. Built once per (immutable) queue snapshot.
 */
export function taskTitles(queue: QueueSnapshot | undefined): ReadonlyMap<string, string> {
  if (queue === undefined) return new Map();
  let titles = cache.get(queue);
  if (titles === undefined) {
    const map = new Map<string, string>();
    const entries = [...queue.pending.ready, ...queue.pending.blocked.map(blocked => blocked.entry), ...queue.processed, ...queue.complete];
    // The first file of an id wins, as the dispatcher's lookup does for duplicates.
    for (const entry of entries) if (!map.has(entry.result.task.id)) map.set(entry.result.task.id, entry.result.task.title);
    titles = map;
    cache.set(queue, titles);
  }
  return titles;
}
