/**
 * What the loop's commands receive: nothing (from the palette), a PR number (from the panel or a caller),
 * or a tree row (its `ref` and `url`). Anything else is ignored, never guessed at.
 */

/** A PR number from a number, its digits, or a tree row's `ref`. */
export function pullNumberOf(value: unknown): number | undefined {
  const raw = typeof value === 'object' && value !== null && 'ref' in value ? value.ref : value;
  const number = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,10}$/.test(raw) ? Number(raw) : Number.NaN;
  return Number.isSafeInteger(number) && number > 0 && number <= 2_147_483_647 ? number : undefined;
}

/** A link from a string or a tree row's `url` (the caller still checks that the loop knows it). */
export function urlOf(value: unknown): string | undefined {
  const raw = typeof value === 'object' && value !== null && 'url' in value ? value.url : value;
  return typeof raw === 'string' ? raw : undefined;
}
