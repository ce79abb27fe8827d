import assert from 'node:assert/strict';
import { agentSettingIds, headroomFromReport, summarizeAgents } from '../../../../../src/core/agents/fleet/agentSummary';
import type { AgentReport, VendorReport } from '../../../../../src/shared/agentsReport';
import { ConcurrencyLimiter } from '../../../../../src/core/agents/fleet/concurrencyLimiter';
import { aRunRecord } from '../../../../support/runRecords';

const agents = [
  { id: 'claude-code', kind: 'claude-code' as const, limits: { concurrent: 2 } },
  { id: 'my-cli', kind: 'custom' as const, limits: { concurrent: 1 } },
];
// Local noon, so "today" does not depend on the machine's time zone.
const now = new Date(2026, 10, 21, 12, 0, 0);
const at = (hours: number): string => new Date(2026, 10, 21, hours).toISOString();

describe('summarizeAgents', () => {
  it('counts runs in flight from the limiter, today\'s runs and spend from the records (yesterday\'s not)', () => {
    const limiter = new ConcurrencyLimiter(4, agents.map(agent => [agent.id, agent.limits.concurrent] as const));
    limiter.tryAcquire('claude-code');
    const runs = [
      aRunRecord({ runId: 'r1', agentId: 'claude-code', startedAt: at(9), usage: { costUsd: 0.5 } }),
      aRunRecord({ runId: 'r2', agentId: 'claude-code', startedAt: at(10), usage: { costUsd: 0.25 } }),
      aRunRecord({ runId: 'r0', agentId: 'claude-code', startedAt: new Date(2026, 10, 20, 23).toISOString(), usage: { costUsd: 9 } }),
      aRunRecord({ runId: 'r3', agentId: 'my-cli', startedAt: at(11), usage: {} }),
    ];
    const [claude, custom] = summarizeAgents({ agents, health: new Map(), counts: limiter.counts(), runs, now });
    assert.deepEqual([claude?.inFlight, claude?.concurrentCap, claude?.runsToday, claude?.spendTodayUsd], [1, 2, 2, 0.75]);
    assert.deepEqual([custom?.inFlight, custom?.concurrentCap, custom?.runsToday, custom?.spendTodayUsd], [0, 1, 1, 0]);
  });

  it('says whether health was checked, and how it went', () => {
    const limiter = new ConcurrencyLimiter(4);
    const health = new Map([['claude-code', { ok: false, detail: '`claude` not found on PATH' }]]);
    const [claude, custom] = summarizeAgents({ agents, health, counts: limiter.counts(), runs: [], now });
    assert.deepEqual(claude?.health, { state: 'failing', detail: '`claude` not found on PATH' });
    assert.equal(claude.lastError, '`claude` not found on PATH', 'a failing check is the latest error');
    assert.deepEqual(custom?.health, { state: 'unchecked', detail: 'not checked yet' });
  });

  it('names the last failed run\'s error per agent, the newest one', () => {
    const runs = [
      aRunRecord({ runId: 'old', agentId: 'my-cli', state: 'failed', startedAt: at(8), endedAt: at(8), failure: { class: 'timeout', message: 'no output for 15 min' } }),
      aRunRecord({ runId: 'new', agentId: 'my-cli', state: 'failed', startedAt: at(9), endedAt: at(10), failure: { class: 'rateLimit', message: '429 Too Many Requests' } }),
      aRunRecord({ runId: 'ok', agentId: 'my-cli', state: 'succeeded', startedAt: at(11), endedAt: at(11) }),
    ];
    const [claude, custom] = summarizeAgents({ agents, health: new Map([['my-cli', { ok: true, detail: 'found' }]]), counts: new ConcurrencyLimiter(4).counts(), runs, now });
    assert.equal(custom?.lastError, 'rateLimit: 429 Too Many Requests');
    assert.equal(claude?.lastError, undefined);
  });

  it('takes caps, budget, spend and the window from the ledger when it has them', () => {
    const headroom = new Map([['claude-code', { dailyCap: 15, runsToday: 15, spendTodayUsd: 4.5, budgetUsd: 5, window: { closedUntil: at(14), reason: '429 retry-after' } }]]);
    const [claude, custom] = summarizeAgents({ agents, health: new Map(), counts: new ConcurrencyLimiter(4).counts(), runs: [], headroom, now });
    assert.deepEqual([claude?.dailyCap, claude?.runsToday, claude?.spendTodayUsd, claude?.budgetUsd, claude?.window?.reason], [15, 15, 4.5, 5, '429 retry-after']);
    assert.deepEqual([custom?.dailyCap, custom?.budgetUsd, custom?.window], [undefined, undefined, undefined]);
  });

  it('points Configure at each kind\'s setting', () => {
    const [claude, custom] = summarizeAgents({ agents, health: new Map(), counts: new ConcurrencyLimiter(4).counts(), runs: [], now });
    assert.deepEqual([claude?.settingId, custom?.settingId], ['ato.agents.claudeCode', 'ato.agents.custom']);
    assert.equal(agentSettingIds.jules, 'ato.jules');
  });
});

describe('headroomFromReport', () => {
  const window = { open: false, until: '2026-12-07T14:32:00.000Z', source: 'retryAfter' as const, reason: 'anthropic window closed until 14:32 UTC (429 retry-after)' };
  const openWindow = { open: true, until: null, source: null, reason: null };
  const agent = (id: string, vendor: string, over: Partial<AgentReport> = {}): AgentReport => ({
    id, kind: 'custom', vendor, health: null, inFlight: { used: 0, cap: 1 }, runsToday: { used: 0, cap: null }, spendToday: 0, spendMonth: 0,
    window: openWindow, headroom: { open: true, reasons: [] }, lastError: null, successRates: [], ...over,
  });
  const vendor = (name: string, capUsd: number | null, over: Partial<VendorReport> = {}): VendorReport => ({
    vendor: name, agents: [], inFlight: 0, runsToday: { used: 0, cap: null }, spendToday: { spentUsd: 0, capUsd }, spendMonth: { spentUsd: 0, capUsd: null },
    premiumRequests: null, window: openWindow, closedBecause: [], ...over,
  });

  it("gives each agent its runs, daily cap, spend, its vendor's daily budget and a closed window", () => {
    const headroom = headroomFromReport({
      version: 1, generatedAt: '2026-12-07T14:00:00.000Z', problems: [],
      agents: [agent('claude-code', 'anthropic', { runsToday: { used: 15, cap: 15 }, spendToday: 4.5, window }), agent('my-cli', 'my-cli', { runsToday: { used: 2, cap: null } })],
      vendors: [vendor('anthropic', 5), vendor('my-cli', null)],
    });
    assert.deepEqual(headroom.get('claude-code'), { runsToday: 15, dailyCap: 15, spendTodayUsd: 4.5, budgetUsd: 5, window: { closedUntil: '2026-12-07T14:32:00.000Z', reason: window.reason } });
    assert.deepEqual(headroom.get('my-cli'), { runsToday: 2, spendTodayUsd: 0 });
  });
});
