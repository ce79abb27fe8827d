/**
 * "The loop's queue on origin/main · 2 tasks not in your checkout (git pull) · 1 local task file not on
 * origin/main (Queue it)": what the views say of a queue read from the planning branch (issue 14).
 */
export function queueSourceText(source: { readonly branch: string; readonly notInCheckout: number; readonly onlyInCheckout: number }): string {
  const parts = [`The loop's queue on ${source.branch}`];
  if (source.notInCheckout > 0) parts.push(`${plural(source.notInCheckout, 'task')} not in your checkout yet (git pull)`);
  if (source.onlyInCheckout > 0) parts.push(`${plural(source.onlyInCheckout, 'local task file')} not on ${source.branch} yet (ATO: Queue It)`);
  return parts.join(' · ');
}

function plural(count: number, noun: string): string {
  return `${String(count)} ${noun}${count === 1 ? '' : 's'}`;
}

/** A queue row whose file the working tree does not have yet: the panel and the tree say it the same way. */
export const notInCheckoutText = {
  status: 'not in your checkout — git pull',
  tooltip: 'The loop\'s planning branch has this task file; your working tree does not have it yet. Pull to dispatch or open it here; until then it opens on GitHub.',
} as const;
