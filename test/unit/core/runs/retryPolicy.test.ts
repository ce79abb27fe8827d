import assert from 'node:assert/strict';
import { failureClasses, isTransient } from '../../../../src/core/agents/failureClass';
import { decideRetry, type RetryDecision } from '../../../../src/core/runs/retryPolicy';
import { seededRandom } from '../../../support/seededRandom';

describe('decideRetry', () => {
  const top = () => 1 - Number.EPSILON; // the largest value random() may return

  it('retries transient failures with a doubling cap: 10 s, 20 s, 40 s … at most 5 min', () => {
    const table: [number, number][] = [[1, 10_000], [2, 20_000], [3, 40_000], [4, 80_000], [5, 160_000], [6, 300_000], [7, 300_000], [20, 300_000]];
    for (const [attempts, cap] of table) {
      const decision = decideRetry({ failure: 'network', attempts, nextAgentAvailable: true }, top, { maxAttempts: 100 });
      assert.ok(decision.retry, `attempt ${attempts}`);
      assert.equal(decision.delayMs, cap - 1, `attempt ${attempts}`);
    }
  });

  it('keeps jittered delays within [0, cap) and spreads them (seeded random)', () => {
    const random = seededRandom(42);
    for (const [attempts, cap] of [[1, 10_000], [2, 20_000], [6, 300_000]] as const) {
      const delays: number[] = [];
      for (let i = 0; i < 500; i++) {
        const decision = decideRetry({ failure: 'rateLimit', attempts, nextAgentAvailable: false }, random, { maxAttempts: 10 });
        assert.ok(decision.retry);
        delays.push(decision.delayMs);
      }
      assert.ok(delays.every(delay => Number.isInteger(delay) && delay >= 0 && delay < cap), `within [0, ${cap})`);
      assert.ok(Math.min(...delays) < cap * 0.1 && Math.max(...delays) > cap * 0.9, 'full jitter covers the range');
      const mean = delays.reduce((sum, delay) => sum + delay, 0) / delays.length;
      assert.ok(Math.abs(mean - cap / 2) < cap * 0.08, `mean ${mean} near ${cap / 2}`);
    }
  });

  it('is deterministic for the same seed', () => {
    const run = () => [1, 2].map(attempts => decideRetry({ failure: 'timeout', attempts, nextAgentAvailable: true }, seededRandom(1)));
    assert.deepEqual(run(), run());
  });

  it('stops after maxAttempts tries (default 3) and escalates to the next agent, else to a human', () => {
    assert.equal(decideRetry({ failure: 'timeout', attempts: 2, nextAgentAvailable: true }, () => 0.5).retry, true);
    assertEscalation(decideRetry({ failure: 'timeout', attempts: 3, nextAgentAvailable: true }, () => 0.5), 'nextAgent', /timeout after 3 of 3 tries/);
    assertEscalation(decideRetry({ failure: 'timeout', attempts: 3, nextAgentAvailable: false }, () => 0.5), 'needsYou', /no other agent/);
    assertEscalation(decideRetry({ failure: 'network', attempts: 1, nextAgentAvailable: false }, () => 0.5, { maxAttempts: 1 }), 'needsYou');
  });

  it('never retries a non-transient failure on the same agent', () => {
    for (const failure of failureClasses.filter(f => !isTransient(f) && f !== 'cancelled')) {
      assertEscalation(decideRetry({ failure, attempts: 1, nextAgentAvailable: true }, () => 0.5), 'nextAgent', new RegExp(failure));
      assertEscalation(decideRetry({ failure, attempts: 1, nextAgentAvailable: false }, () => 0.5), 'needsYou');
    }
  });

  it('sends a cancelled run nowhere', () => {
    assertEscalation(decideRetry({ failure: 'cancelled', attempts: 1, nextAgentAvailable: true }, () => 0.5), 'none');
  });

  it('waits at least as long as the server asked (Retry-After)', () => {
    const decision = decideRetry({ failure: 'rateLimit', attempts: 1, nextAgentAvailable: true, retryAfterMs: 90_000 }, () => 0.5);
    assert.ok(decision.retry);
    assert.equal(decision.delayMs, 90_000);
    const shorter = decideRetry({ failure: 'rateLimit', attempts: 1, nextAgentAvailable: true, retryAfterMs: 1 }, () => 0.5);
    assert.ok(shorter.retry && shorter.delayMs === 5_000);
  });

  it('treats a random source out of range as the nearest bound', () => {
    for (const value of [-1, Number.NaN, 2]) {
      const decision = decideRetry({ failure: 'network', attempts: 1, nextAgentAvailable: true }, () => value);
      assert.ok(decision.retry && decision.delayMs >= 0 && decision.delayMs < 10_000, String(value));
    }
  });
});

function assertEscalation(decision: RetryDecision, escalate: 'nextAgent' | 'needsYou' | 'none', reason?: RegExp): void {
  assert.equal(decision.retry, false);
  assert.equal(decision.escalate, escalate);
  if (reason) assert.match(decision.reason, reason);
}

