import type { DispatchOutcome } from './taskDispatcher';

/** How long a dispatch asked for by hand waits for a staggered start or a reopening window, at most. */
export const handDispatchMaxWaitMs = 60_000;

/**
 * A dispatch asked for by hand (the palette, a button, `ato dispatch <id>`) that the fleet only holds back
 * for a moment — starts to one vendor are spaced out, or its window reopens soon — waits that moment and
 * tries again, instead of being refused as busy. A longer wait, or a busy answer without a time (every slot
 * taken), is returned as it is.
 */
export async function dispatchWhenAllowed(dispatch: () => Promise<DispatchOutcome>, sleep: (ms: number) => Promise<void> = ms => new Promise(resolve => setTimeout(resolve, ms)), maxWaitMs = handDispatchMaxWaitMs): Promise<DispatchOutcome> {
  let waited = 0;
  for (;;) {
    const outcome = await dispatch();
    if (outcome.status !== 'busy' || outcome.retryInMs === undefined || waited + outcome.retryInMs > maxWaitMs) return outcome;
    await sleep(outcome.retryInMs);
    waited += outcome.retryInMs;
  }
}
