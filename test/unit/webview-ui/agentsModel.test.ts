import assert from 'node:assert/strict';
import { Redactor } from '../../../src/core/logging/redactor';
import { buildPanelSnapshot } from '../../../src/core/state/panelSnapshot';
import { runsTodayText, spendText, windowText } from '../../../src/shared/agentWords';
import { buildAgentCards } from '../../../webview-ui/src/agentsModel';
import { restrictedReason } from '../../../webview-ui/src/listModel';
import { anAgentSummary } from '../../support/panelState';
import { anAtoState } from '../../support/stateBuilders';

const snapshotWith = (trusted: boolean, ...agents: ReturnType<typeof anAgentSummary>[]) => buildPanelSnapshot(anAtoState({ trusted, agents }), new Redactor());

describe('the Agents section model', () => {
  it('one card per agent: health in words and icon, meters with their text, window and last error', () => {
    const [claude, jules] = buildAgentCards(snapshotWith(true,
      anAgentSummary({ inFlight: 1, runsToday: 3, spendTodayUsd: 1.2, budgetUsd: 5 }),
      anAgentSummary({ id: 'jules', kind: 'jules', health: { state: 'failing', detail: 'no key' }, dailyCap: 15, runsToday: 15, window: { closedUntil: new Date(2026, 10, 21, 14, 32).toISOString(), reason: '429 retry-after' }, lastError: 'rateLimit: 429' }),
    ));
    assert.deepEqual([claude?.icon, claude?.health, claude?.tone], ['pass', 'healthy', 'normal']);
    assert.deepEqual(claude?.meters.map(meter => [meter.value, meter.max, meter.text]), [[1, 2, '1/2 running'], [3, null, '3 runs today'], [1.2, 5, '$1.20 of $5.00 today']]);
    assert.equal(claude.window, undefined);
    assert.deepEqual([jules?.icon, jules?.health, jules?.tone, jules?.window, jules?.lastError], ['watch', 'unhealthy', 'error', 'closed until 14:32 — 429 retry-after', 'rateLimit: 429']);
    assert.deepEqual(jules?.meters[1], { label: 'jules: runs today', value: 15, max: 15, text: '15/15 runs today' });
  });

  it('says a failing health check once, not again as the last error', () => {
    const [broken] = buildAgentCards(snapshotWith(true, anAgentSummary({ health: { state: 'failing', detail: '`x` not found' }, lastError: '`x` not found' })));
    assert.deepEqual([broken?.healthDetail, broken?.lastError], ['`x` not found', undefined]);
  });

  it('a healthy agent at its daily cap or budget is a warning', () => {
    const [capped, broke] = buildAgentCards(snapshotWith(true, anAgentSummary({ dailyCap: 2, runsToday: 2 }), anAgentSummary({ id: 'b', budgetUsd: 1, spendTodayUsd: 1 })));
    assert.deepEqual([capped?.tone, broke?.tone], ['warning', 'warning']);
  });

  it('Test runs the agent\'s Doctor check, Configure opens its setting; Restricted Mode disables Test only', () => {
    const [trusted] = buildAgentCards(snapshotWith(true, anAgentSummary()));
    assert.deepEqual(trusted?.actions.map(action => [action.message, action.disabledReason]), [[{ type: 'testAgent', agentId: 'claude-code' }, undefined], [{ type: 'configureAgent', agentId: 'claude-code' }, undefined]]);
    const [restricted] = buildAgentCards(snapshotWith(false, anAgentSummary()));
    assert.deepEqual(restricted?.actions.map(action => action.disabledReason), [restrictedReason, undefined]);
  });

  it('words: runs and spend with and without a cap, the window in local time', () => {
    assert.equal(runsTodayText({ runsToday: 1, dailyCap: null }), '1 run today');
    assert.equal(runsTodayText({ runsToday: 1, dailyCap: 15 }), '1/15 runs today');
    assert.equal(spendText({ spendTodayUsd: 0.004, budgetUsd: null }), '$0.00 today');
    assert.equal(windowText({ window: null }), undefined);
    assert.equal(windowText({ window: { closedUntil: 'soon', reason: 'rate_limit_event' } }), 'closed until soon — rate_limit_event');
  });
});
