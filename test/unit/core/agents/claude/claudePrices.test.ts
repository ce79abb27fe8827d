import assert from 'node:assert/strict';
import { claudeCost, claudeModelPrices, priceOf } from '../../../../../src/core/agents/claude/claudePrices';

const none = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };

describe('claudeCost (the price table)', () => {
  it('prices input and output per million tokens at each model\'s list price', () => {
    assert.deepEqual(claudeCost('claude-opus-5-5', { ...none, inputTokens: 1_000_000 }), { known: true, usd: 4, note: 'list price of claude-opus-5-5 as of 2026-12-07' });
    assert.deepEqual(claudeCost('claude-opus-5-5', { ...none, outputTokens: 1_000_000 }), { known: true, usd: 20, note: 'list price of claude-opus-5-5 as of 2026-12-07' });
    const sonnet = claudeCost('claude-sonnet-5-5', { ...none, inputTokens: 1000, outputTokens: 500 });
    assert.ok(sonnet.known);
    assert.equal(sonnet.usd, (1000 * 2 + 500 * 10) / 1e6);
    const haiku = claudeCost('claude-haiku-5-5', { ...none, inputTokens: 2_000_000, outputTokens: 2_000_000 });
    assert.ok(haiku.known);
    assert.equal(haiku.usd, 0.2 + 1);
  });

  it('cache reads at 0.1×, 5-minute writes at 1.25× and 1-hour writes at 2× the input price', () => {
    const read = claudeCost('claude-sonnet-5-5', { ...none, cacheReadTokens: 1_000_000 });
    assert.ok(read.known);
    assert.equal(read.usd, 0.2);
    const writes = claudeCost('claude-sonnet-5-5', { ...none, cacheWriteTokens: 3_000_000, cacheWrite1hTokens: 1_000_000 });
    assert.ok(writes.known);
    assert.equal(writes.usd, 2 * 2 * 1.25 + 2 * 2);
    // No split from the API: every write at the 5-minute rate; a split larger than the total is capped.
    const unsplit = claudeCost('claude-sonnet-5-5', { ...none, cacheWriteTokens: 1_000_000 });
    assert.ok(unsplit.known);
    assert.equal(unsplit.usd, 2.5);
    const capped = claudeCost('claude-sonnet-5-5', { ...none, cacheWriteTokens: 1_000_000, cacheWrite1hTokens: 5_000_000 });
    assert.ok(capped.known);
    assert.equal(capped.usd, 4);
  });

  it('a dated model id takes its model\'s price; an unknown model has no cost, and says so', () => {
    assert.deepEqual(priceOf('claude-sonnet-5-5-20261001'), claudeModelPrices['claude-sonnet-5-5']);
    assert.equal(priceOf('claude-sonnet-5-5-preview'), undefined);
    assert.deepEqual(claudeCost('claude-future-9', { ...none, inputTokens: 10 }), { known: false, note: 'no price known for model claude-future-9 (ATO\'s table of 2026-12-07): tokens only' });
  });
});
