import assert from 'node:assert/strict';
import { dispatchWhenAllowed } from '../../../../src/core/dispatch/dispatchWhenAllowed';
import type { DispatchOutcome } from '../../../../src/core/dispatch/taskDispatcher';

describe('dispatchWhenAllowed', () => {
  const answers = (...outcomes: DispatchOutcome[]): (() => Promise<DispatchOutcome>) => {
    let next = 0;
    return () => Promise.resolve(outcomes[Math.min(next++, outcomes.length - 1)]!);
  };

  it('waits out a spaced-out start and tries again', async () => {
    const slept: number[] = [];
    const outcome = await dispatchWhenAllowed(answers({ status: 'busy', reason: 'starts are spaced out', retryInMs: 7_000 }, { status: 'started', runId: 'r1', agentId: 'my-cli' }), ms => { slept.push(ms); return Promise.resolve(); });
    assert.deepEqual(outcome, { status: 'started', runId: 'r1', agentId: 'my-cli' });
    assert.deepEqual(slept, [7_000]);
  });

  it('returns a busy answer without a time, and one that would wait past the limit, as it is', async () => {
    const slept: number[] = [];
    const sleep = (ms: number): Promise<void> => { slept.push(ms); return Promise.resolve(); };
    assert.deepEqual(await dispatchWhenAllowed(answers({ status: 'busy', reason: 'at its limit' }), sleep), { status: 'busy', reason: 'at its limit' });
    const long: DispatchOutcome = { status: 'busy', reason: 'window closed', retryInMs: 40_000 };
    assert.deepEqual(await dispatchWhenAllowed(answers(long), sleep, 60_000), long);
    assert.deepEqual(slept, [40_000], 'one wait of 40 s; a second would pass 60 s');
  });
});
