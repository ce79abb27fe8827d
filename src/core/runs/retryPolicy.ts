import { isTransient, type FailureClass } from '../agents/failureClass';

export interface RetryPolicyOptions {
  /** Delay cap of the first retry; doubles for each further one. Default 10 s. */
  readonly baseDelayMs?: number;
  /** Default 5 min. */
  readonly maxDelayMs?: number;
  /** Tries of one agent on one run, the first included. Default 3. */
  readonly maxAttempts?: number;
}

export interface RetryInput {
  readonly failure: FailureClass;
  /** Tries of this agent so far, the one that just failed included (the run record's `attempts`). */
  readonly attempts: number;
  /** Whether another eligible agent could take the task (the registry's answer with this one excluded). */
  readonly nextAgentAvailable: boolean;
  /** A server's Retry-After, when it gave one: the delay is never shorter. */
  readonly retryAfterMs?: number;
}

export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number; readonly reason: string }
  /** `none`: the run was cancelled; nothing else should start on its behalf. */
  | { readonly retry: false; readonly escalate: 'nextAgent' | 'needsYou' | 'none'; readonly reason: string };

export const defaultRetryPolicy = { baseDelayMs: 10_000, maxDelayMs: 5 * 60_000, maxAttempts: 3 } as const;

/**
 * What to do after a failed try (PRODUCT §5), pure. Transient failures (rate limit, network, timeout) are
 * retried on the same agent up to `maxAttempts` tries, after a delay with full jitter:
 * `random() × min(maxDelay, base × 2ⁿ)` where n = retries so far (0 for the first retry), so 0–10 s,
 * 0–20 s, 0–40 s … never above 5 min. Anything else, and transient failures out of tries, go to the next
 * eligible agent, or to a human when there is none. A cancelled run escalates nowhere.
 * `random` returns values in [0, 1) (inject a seeded one in tests).
 */
export function decideRetry(input: RetryInput, random: () => number, options: RetryPolicyOptions = {}): RetryDecision {
  const { baseDelayMs, maxDelayMs, maxAttempts } = { ...defaultRetryPolicy, ...options };
  const { failure, attempts } = input;
  if (failure === 'cancelled') return { retry: false, escalate: 'none', reason: 'the run was cancelled' };
  if (isTransient(failure) && attempts < maxAttempts) {
    const retryIndex = Math.max(0, attempts - 1);
    const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** retryIndex);
    const jittered = Math.floor(clampUnit(random()) * cap);
    const delayMs = Math.max(jittered, input.retryAfterMs ?? 0);
    return { retry: true, delayMs, reason: `${failure}: try ${attempts + 1} of ${maxAttempts} in ${formatSeconds(delayMs)}` };
  }
  const why = isTransient(failure) ? `${failure} after ${attempts} of ${maxAttempts} tries` : `${failure} is not worth retrying on the same agent`;
  return input.nextAgentAvailable
    ? { retry: false, escalate: 'nextAgent', reason: `${why}; trying the next eligible agent` }
    : { retry: false, escalate: 'needsYou', reason: `${why}; no other agent can take the task` };
}

function clampUnit(value: number): number {
  if (!Number.isFinite(value) || value < 0) return 0;
  return value >= 1 ? 1 - Number.EPSILON : value;
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
