/**
 * Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two adjacent
 * characters each cost 1, so `fetaure` is one edit from `feature`.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (beforePrevious[j - 2] ?? 0) + 1);
      current.push(best);
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length] ?? Math.max(a.length, b.length);
}

/** The candidate closest to `input` (ties: the earlier candidate) and its distance, or undefined when there is none. */
export function nearest<T extends string>(input: string, candidates: Iterable<readonly [string, T]>): { readonly value: T; readonly distance: number } | undefined {
  let best: T | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  // Long inputs (a pasted paragraph) are compared by their start: the distance is only a suggestion.
  const probe = input.slice(0, 64);
  for (const [spelling, value] of candidates) {
    const distance = editDistance(probe, spelling);
    if (distance < bestDistance) {
      best = value;
      bestDistance = distance;
    }
  }
  return best === undefined ? undefined : { value: best, distance: bestDistance };
}
