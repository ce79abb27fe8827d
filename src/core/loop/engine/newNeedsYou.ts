import type { LoopNeedsYou } from './loopModel';

/** A needs-you item's identity across ticks: its kind and what it is about. */
export function needsYouKey(item: LoopNeedsYou): string {
  return `${item.kind}:${String(item.pullNumber ?? '')}:${String(item.issueNumber ?? '')}:${item.taskId ?? ''}`;
}

/**
 * The items that appeared since the last look, for a notification each. `seen` is updated in place to the
 * current items, so an item that went away and comes back is new again.
 */
export function newNeedsYou(items: readonly LoopNeedsYou[], seen: Set<string>): LoopNeedsYou[] {
  const current = new Map(items.map(item => [needsYouKey(item), item]));
  const fresh = [...current].filter(([key]) => !seen.has(key)).map(([, item]) => item);
  seen.clear();
  for (const key of current.keys()) seen.add(key);
  return fresh;
}
