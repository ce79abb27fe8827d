import assert from 'node:assert/strict';
import { ConcurrencyLimiter, type ConcurrencyCounts } from '../../../../../src/core/agents/fleet/concurrencyLimiter';

describe('ConcurrencyLimiter', () => {
  const backends = [{ id: 'claude-code', limits: { concurrent: 2 } }, { id: 'jules', limits: { concurrent: 1 } }];

  it('hands out slots up to each agent limit', () => {
    const limiter = ConcurrencyLimiter.fromBackends(backends, 10);
    const a = limiter.tryAcquire('claude-code');
    const b = limiter.tryAcquire('claude-code');
    assert.ok(a && b);
    assert.equal(limiter.tryAcquire('claude-code'), undefined);
    assert.deepEqual(limiter.load('claude-code'), { active: 2, limit: 2, canStart: false });
    assert.ok(limiter.tryAcquire('jules'), 'other agents are not affected');
    a.release();
    assert.deepEqual(limiter.load('claude-code'), { active: 1, limit: 2, canStart: true });
    assert.ok(limiter.tryAcquire('claude-code'));
  });

  it('enforces the overall limit across agents', () => {
    const limiter = ConcurrencyLimiter.fromBackends(backends, 2);
    const first = limiter.tryAcquire('claude-code');
    assert.ok(first && limiter.tryAcquire('jules'));
    assert.equal(limiter.tryAcquire('claude-code'), undefined, 'claude-code has room, but the overall limit is reached');
    assert.deepEqual(limiter.load('claude-code'), { active: 1, limit: 2, canStart: false });
    first.release();
    assert.ok(limiter.tryAcquire('claude-code'));
  });

  it('ignores a second release of the same slot', () => {
    const limiter = ConcurrencyLimiter.fromBackends(backends, 10);
    const first = limiter.tryAcquire('claude-code');
    const second = limiter.tryAcquire('claude-code');
    first?.release();
    first?.release();
    first?.release();
    assert.deepEqual(limiter.counts(), { overall: { active: 1, limit: 10 }, agents: { 'claude-code': { active: 1, limit: 2 }, jules: { active: 0, limit: 1 } } });
    second?.release();
    assert.equal(limiter.counts().overall.active, 0);
  });

  it('gives unknown agents no room', () => {
    const limiter = ConcurrencyLimiter.fromBackends(backends, 10);
    assert.equal(limiter.tryAcquire('copilot'), undefined);
    assert.deepEqual(limiter.load('copilot'), { active: 0, limit: 0, canStart: false });
    limiter.setLimit('copilot', 1);
    assert.ok(limiter.tryAcquire('copilot'));
  });

  it('adopts runs found after a restart even past the limit, then makes new runs wait', () => {
    const limiter = ConcurrencyLimiter.fromBackends(backends, 10);
    const adopted = [limiter.adopt('jules'), limiter.adopt('jules')];
    assert.deepEqual(limiter.load('jules'), { active: 2, limit: 1, canStart: false });
    adopted[0]?.release();
    assert.equal(limiter.tryAcquire('jules'), undefined, 'still at the limit');
    adopted[1]?.release();
    assert.ok(limiter.tryAcquire('jules'));
  });

  it('treats invalid limits as zero and Infinity as no limit', () => {
    const limiter = new ConcurrencyLimiter(Number.POSITIVE_INFINITY, [['a', -1], ['b', Number.NaN], ['c', 2.7]]);
    assert.equal(limiter.load('a').limit, 0);
    assert.equal(limiter.load('b').limit, 0);
    assert.equal(limiter.load('c').limit, 2);
    assert.equal(limiter.counts().overall.limit, Number.POSITIVE_INFINITY);
    limiter.setOverallLimit(0);
    assert.equal(limiter.tryAcquire('c'), undefined);
  });

  it('tells the UI about every change', () => {
    const limiter = ConcurrencyLimiter.fromBackends(backends, 10);
    const seen: ConcurrencyCounts[] = [];
    const subscription = limiter.onDidChange(counts => seen.push(counts));
    const slot = limiter.tryAcquire('jules');
    slot?.release();
    slot?.release();
    limiter.tryAcquire('jules');
    limiter.tryAcquire('jules'); // refused: no change
    subscription.dispose();
    assert.deepEqual(seen.map(counts => counts.agents['jules']?.active), [1, 0, 1]);
  });
});
