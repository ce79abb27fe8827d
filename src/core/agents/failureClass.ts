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
