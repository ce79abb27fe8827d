import assert from 'node:assert/strict';
import { headroomOf } from '../../../../../src/core/agents/fleet/headroom';
import { FleetLedger } from '../../../../../src/core/agents/fleet/ledger';
import { VendorWindows } from '../../../../../src/core/agents/fleet/vendorWindows';
import type { FleetBudgets, FleetLimits } from '../../../../../src/core/agents/fleet/fleetSettings';
import { aRunRecord } from '../../../../support/runRecords';

const agents = [{ id: 'claude-code', kind: 'claude-code' as const }, { id: 'claude', kind: 'claude' as const }, { id: 'codex', kind: 'custom' as const }];

function sources(limits: FleetLimits = {}, budgets: FleetBudgets = {}): { ledger: FleetLedger; windows: VendorWindows; settings: { limits: FleetLimits; budgets: FleetBudgets } } {
  return { ledger: new FleetLedger(agents, { copilotPremiumRequestUsd: 0.04 }), windows: new VendorWindows(), settings: { limits, budgets } };
}

describe('headroomOf: caps, budgets and windows, with reasons', () => {
  const now = new Date('2026-12-07T14:00:00.000Z');

  it('an agent with nothing set has headroom', () => {
    assert.deepEqual(headroomOf('codex', sources(), now), { open: true, reasons: [] });
  });

  it('the daily cap closes at N runs started today and reopens the next UTC day', () => {
    const s = sources({ codex: { dailyRuns: 2 } });
    s.ledger.observe(aRunRecord({ runId: 'a', agentId: 'codex', attempts: 1, startedAt: '2026-12-07T01:00:00.000Z' }));
    assert.equal(headroomOf('codex', s, now).open, true);
    s.ledger.observe(aRunRecord({ runId: 'b', agentId: 'codex', attempts: 1, startedAt: '2026-12-07T02:00:00.000Z' }));
    assert.deepEqual(headroomOf('codex', s, now), { open: false, reasons: ['daily cap 2/2'] });
    assert.equal(headroomOf('codex', s, new Date('2026-12-08T00:00:00.000Z')).open, true);
  });

  it('a vendor budget closes every agent of the vendor; the monthly one until the month turns', () => {
    const s = sources({}, { anthropic: { dailyUsd: 5, monthlyUsd: 6 } });
    s.ledger.observe(aRunRecord({ runId: 'a', agentId: 'claude-code', attempts: 1, startedAt: '2026-12-06T10:00:00.000Z', usage: { costUsd: 1.5 } }));
    s.ledger.observe(aRunRecord({ runId: 'b', agentId: 'claude-code', attempts: 1, startedAt: '2026-12-07T10:00:00.000Z', usage: { costUsd: 3 } }));
    assert.equal(headroomOf('claude', s, now).open, true);
    s.ledger.observe(aRunRecord({ runId: 'c', agentId: 'claude-code', attempts: 1, startedAt: '2026-12-07T11:00:00.000Z', usage: { costUsd: 2 } }));
    assert.deepEqual(headroomOf('claude', s, now), { open: false, reasons: ['anthropic daily budget reached ($5.00/$5.00)', 'anthropic monthly budget reached ($6.50/$6.00)'] });
    assert.equal(headroomOf('codex', s, now).open, true, 'another vendor keeps its headroom');
    assert.deepEqual(headroomOf('claude', s, new Date('2026-12-08T09:00:00.000Z')).reasons, ['anthropic monthly budget reached ($6.50/$6.00)'], 'the next day: only the month is spent');
    assert.equal(headroomOf('claude', s, new Date('2027-01-01T00:00:00.000Z')).open, true, 'a new month');
  });

  it('a closed vendor window closes both Anthropic agents with the window\'s reason', () => {
    const s = sources();
    s.windows.close({ vendor: 'anthropic', until: '2026-12-07T14:32:00.000Z', source: 'retryAfter', agentId: 'claude-code' }, now);
    for (const agent of ['claude-code', 'claude']) assert.deepEqual(headroomOf(agent, s, now), { open: false, reasons: ['anthropic window closed until 14:32 UTC (429 retry-after)'] });
    assert.equal(headroomOf('codex', s, now).open, true);
  });
});
