import assert from 'node:assert/strict';
import { FleetLedger } from '../../../../../src/core/agents/fleet/ledger';
import type { RunRecord } from '../../../../../src/core/runs/runRecord';
import { aRunRecord } from '../../../../support/runRecords';

const agents = [
  { id: 'claude-code', kind: 'claude-code' as const },
  { id: 'claude', kind: 'claude' as const },
  { id: 'copilot', kind: 'copilot' as const },
  { id: 'codex', kind: 'custom' as const },
];

function aRun(runId: string, agentId: string, startedAt: string, overrides: Partial<RunRecord> = {}): RunRecord {
  return aRunRecord({ runId, agentId, startedAt, attempts: 1, state: 'succeeded', ...overrides });
}

describe('FleetLedger: runs and spend per agent and vendor', () => {
  it('claude-code and claude share the anthropic vendor; copilot is github; a custom agent is its own vendor', () => {
    const ledger = new FleetLedger(agents, { copilotPremiumRequestUsd: 0.04 });
    assert.deepEqual(agents.map(agent => ledger.vendorOf(agent.id)), ['anthropic', 'anthropic', 'github', 'codex']);
    assert.deepEqual(ledger.agentsOf('anthropic'), ['claude-code', 'claude']);
  });

  it('sums runs and usage.costUsd per UTC day and calendar month, per agent and per vendor', () => {
    const ledger = new FleetLedger(agents, { copilotPremiumRequestUsd: 0.04 });
    ledger.observeAll([
      aRun('a', 'claude-code', '2026-11-30T23:59:59.000Z', { usage: { costUsd: 1.25 } }),
      aRun('b', 'claude-code', '2026-12-01T00:00:00.000Z', { usage: { costUsd: 0.5 } }),
      aRun('c', 'claude', '2026-12-01T12:00:00.000Z', { usage: { costUsd: 2 } }),
      aRun('d', 'codex', '2026-12-01T13:00:00.000Z', { usage: {} }),
    ]);
    const dec1 = new Date('2026-12-01T15:00:00.000Z');
    const nov30 = new Date('2026-11-30T10:00:00.000Z');
    assert.deepEqual(ledger.agentDay('claude-code', dec1), { runs: 1, costUsd: 0.5, premiumRequests: 0 }, 'the run one second before midnight UTC counts on the 30th');
    assert.deepEqual(ledger.agentDay('claude-code', nov30), { runs: 1, costUsd: 1.25, premiumRequests: 0 });
    assert.deepEqual(ledger.vendorDay('anthropic', dec1), { runs: 2, costUsd: 2.5, premiumRequests: 0 });
    assert.equal(ledger.vendorMonth('anthropic', dec1).costUsd, 2.5, 'December does not include November');
    assert.equal(ledger.vendorMonth('anthropic', nov30).costUsd, 1.25);
    assert.deepEqual(ledger.vendorDay('codex', dec1), { runs: 1, costUsd: 0, premiumRequests: 0 });
    assert.deepEqual(ledger.vendorDay('anthropic', new Date('2026-12-02T00:00:00.000Z')), { runs: 0, costUsd: 0, premiumRequests: 0 }, 'a new day starts at zero');
  });

  it('a newer version of a record replaces the older one\'s share (observe is idempotent per run)', () => {
    const ledger = new FleetLedger(agents, { copilotPremiumRequestUsd: 0.04 });
    const now = new Date('2026-12-01T15:00:00.000Z');
    const running = aRun('a', 'claude-code', '2026-12-01T10:00:00.000Z', { state: 'running', usage: { costUsd: 0.1 } });
    ledger.observe(running);
    ledger.observe(running);
    ledger.observe({ ...running, state: 'succeeded', usage: { costUsd: 0.3 } });
    assert.deepEqual(ledger.agentDay('claude-code', now), { runs: 1, costUsd: 0.3, premiumRequests: 0 });
    ledger.observe({ ...running, state: 'failed', attempts: 2, usage: { costUsd: 0.7 } });
    assert.deepEqual(ledger.agentDay('claude-code', now), { runs: 2, costUsd: 0.7, premiumRequests: 0 }, 'a retry of the same record is a second start');
  });

  it('a queued record that never started counts no run', () => {
    const ledger = new FleetLedger(agents, { copilotPremiumRequestUsd: 0.04 });
    ledger.observe(aRun('q', 'codex', '2026-12-01T10:00:00.000Z', { state: 'queued', attempts: 0 }));
    assert.equal(ledger.agentDay('codex', new Date('2026-12-01T11:00:00.000Z')).runs, 0);
  });

  it('Copilot: one premium request per session at the configured unit price', () => {
    const ledger = new FleetLedger(agents, { copilotPremiumRequestUsd: 0.04 });
    ledger.observe(aRun('p', 'copilot', '2026-12-01T10:00:00.000Z', { attempts: 2, usage: { costUsd: 99 } }));
    ledger.observe(aRun('q', 'copilot', '2026-12-01T11:00:00.000Z'));
    const now = new Date('2026-12-01T12:00:00.000Z');
    assert.deepEqual(ledger.vendorDay('github', now), { runs: 3, costUsd: 0.12, premiumRequests: 3 });
    assert.equal(ledger.vendorMonth('github', now).premiumRequests, 3);
  });

  it('keeps each agent\'s latest error, not a cancel', () => {
    const ledger = new FleetLedger(agents, { copilotPremiumRequestUsd: 0.04 });
    ledger.observe(aRun('x', 'codex', '2026-12-01T10:00:00.000Z', { state: 'failed', endedAt: '2026-12-01T10:05:00.000Z', failure: { class: 'rateLimit', message: '429 too many requests' } }));
    ledger.observe(aRun('y', 'codex', '2026-12-01T09:00:00.000Z', { state: 'failed', endedAt: '2026-12-01T09:05:00.000Z', failure: { class: 'fatal', message: 'older' } }));
    ledger.observe(aRun('z', 'codex', '2026-12-01T11:00:00.000Z', { state: 'cancelled', endedAt: '2026-12-01T11:05:00.000Z', failure: { class: 'cancelled', message: 'by you' } }));
    assert.deepEqual(ledger.lastError('codex'), { at: '2026-12-01T10:05:00.000Z', runId: 'x', failure: 'rateLimit', message: '429 too many requests' });
    assert.equal(ledger.lastError('claude-code'), undefined);
  });
});
