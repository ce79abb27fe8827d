import assert from 'node:assert/strict';
import { computeSuccessRates } from '../../../../../src/core/agents/fleet/successRates';
import type { RunRecord } from '../../../../../src/core/runs/runRecord';
import { aRunRecord } from '../../../../support/runRecords';

let sequence = 0;
function finished(agentId: string, state: RunRecord['state'], overrides: Partial<RunRecord> = {}): RunRecord {
  sequence++;
  const endedAt = new Date(Date.UTC(2026, 10, 21, 0, 0, sequence)).toISOString();
  return aRunRecord({ runId: `r${sequence}`, agentId, state, endedAt, ...overrides });
}

describe('computeSuccessRates', () => {
  it('is Laplace-smoothed: 0.5 without history, (s + 1) / (n + 2) with it', () => {
    const rates = computeSuccessRates([
      finished('claude-code', 'succeeded'), finished('claude-code', 'succeeded'), finished('claude-code', 'succeeded'), finished('claude-code', 'failed'),
      finished('jules', 'failed'),
    ]);
    assert.equal(rates.rate('copilot', 'feature'), 0.5);
    assert.deepEqual(rates.stats('claude-code', 'feature'), { succeeded: 3, failed: 1, rate: 4 / 6 });
    assert.equal(rates.rate('jules', 'feature'), 1 / 3);
  });

  it('keeps task types apart', () => {
    const rates = computeSuccessRates([finished('claude-code', 'succeeded', { taskType: 'fix' }), finished('claude-code', 'failed', { taskType: 'documentation' })]);
    assert.equal(rates.rate('claude-code', 'fix'), 2 / 3);
    assert.equal(rates.rate('claude-code', 'documentation'), 1 / 3);
    assert.equal(rates.rate('claude-code', 'feature'), 0.5);
  });

  it('ignores runs still going, cancelled runs and failures of class cancelled', () => {
    const rates = computeSuccessRates([
      finished('a', 'running'), finished('a', 'needsYou'), finished('a', 'queued'), finished('a', 'cancelled'),
      finished('a', 'failed', { failure: { class: 'cancelled', message: 'user' } }),
    ]);
    assert.deepEqual(rates.stats('a', 'feature'), { succeeded: 0, failed: 0, rate: 0.5 });
  });

  it('counts only the newest results within the window', () => {
    const records = [...Array.from({ length: 5 }, () => finished('a', 'failed')), ...Array.from({ length: 3 }, () => finished('a', 'succeeded'))];
    assert.deepEqual(computeSuccessRates(records.reverse(), { window: 3 }).stats('a', 'feature'), { succeeded: 3, failed: 0, rate: 4 / 5 });
    assert.deepEqual(computeSuccessRates(records).stats('a', 'feature'), { succeeded: 3, failed: 5, rate: 4 / 10 });
  });
});
