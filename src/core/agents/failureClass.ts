/**
 * Why an agent run failed (PRODUCT §5). Transient classes are retried with backoff; the others go to the
 * next eligible agent or escalate to a human.
 */
export const failureClasses = ['auth', 'rateLimit', 'timeout', 'network', 'interactivePrompt', 'maxTurns', 'budget', 'cancelled', 'fatal'] as const;
export type FailureClass = (typeof failureClasses)[number];

export const transientFailureClasses: ReadonlySet<FailureClass> = new Set<FailureClass>(['rateLimit', 'network', 'timeout']);

export function isTransient(failure: FailureClass): boolean {
  return transientFailureClasses.has(failure);
}

/** The failure class an error names (an agent's API error knows a 429 from a 401), if it names one. */
export function failureClassOf(error: unknown): FailureClass | undefined {
  if (typeof error !== 'object' || error === null || !('failure' in error)) return undefined;
  const { failure } = error;
  return failureClasses.find(known => known === failure);
}

/** The wait an error says the vendor asked for (a 429's retry-after), in ms, if it says one. */
export function retryAfterOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('retryAfterMs' in error)) return undefined;
  const { retryAfterMs } = error;
  return typeof retryAfterMs === 'number' && Number.isFinite(retryAfterMs) && retryAfterMs >= 0 ? retryAfterMs : undefined;
}
