import assert from 'node:assert/strict';
import { Redactor } from '../../../../src/core/logging/redactor';
import { buildPanelSnapshot } from '../../../../src/core/state/panelSnapshot';
import { agentRows } from '../../../../src/core/views/agentTreeRows';
import { commandIds, treeItemContexts } from '../../../../src/core/views/commandIds';
import { dispatchOutcomesForPanel, previewForPanel } from '../../../../src/core/views/fleetAnswers';
import { needsYouRows } from '../../../../src/core/views/loopTreeRows';
import { buildTreeModel } from '../../../../src/core/views/treeModel';
import { panelSnapshotSchema } from '../../../../src/shared/protocol';
import { anAgentSummary } from '../../../support/panelState';
import { aRunRecord } from '../../../support/runRecords';
import { anAtoState, planningExamples } from '../../../support/stateBuilders';

const secret = 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789';
const jules = anAgentSummary({ id: 'jules', kind: 'jules', settingId: 'ato.jules', health: { state: 'failing', detail: `401 for key ${secret}` }, dailyCap: 15, runsToday: 15, window: { closedUntil: '2026-11-21T14:32:00.000Z', reason: '429 retry-after' }, lastError: `401 for key ${secret}` });
const planRun = aRunRecord({ runId: 'run-plan', taskId: 'add-login', agentId: 'jules', state: 'needsYou', history: [{ state: 'needsYou', at: '2026-11-21T10:00:00.000Z', reason: 'Jules plan awaiting approval: 1. Read the form 2. Add validation' }] });

function redactorKnowing(value: string): Redactor {
  const redactor = new Redactor();
  redactor.addSecret(value);
  return redactor;
}

describe('the fleet in the panel snapshot and the tree', () => {
  it('puts every agent in the snapshot with its headroom, redacting what it quotes', () => {
    const state = anAtoState({ agents: [anAgentSummary(), jules] });
    const snapshot = buildPanelSnapshot(state, redactorKnowing(secret));
    assert.ok(panelSnapshotSchema.safeParse(snapshot).success);
    assert.deepEqual(snapshot.agents.map(agent => [agent.id, agent.health, agent.dailyCap, agent.runsToday, agent.window?.reason ?? null]), [['claude-code', 'ok', null, 0, null], ['jules', 'failing', 15, 15, '429 retry-after']]);
    assert.ok(!JSON.stringify(snapshot).includes(secret), 'the key in the health detail is redacted');
  });

  it('a Jules run waiting in needsYou is a plan to approve, with the plan and one-click Approve; another agent\'s question is not', () => {
    const question = aRunRecord({ runId: 'run-q', taskId: 'add-logout', agentId: 'claude-code', state: 'needsYou', history: [{ state: 'needsYou', at: '2026-11-21T10:00:00.000Z', reason: 'which database?' }] });
    const snapshot = buildPanelSnapshot(anAtoState({ agents: [anAgentSummary(), jules], runs: [planRun, question] }), new Redactor());
    const plan = snapshot.needsYou.find(item => item.key === 'run-plan');
    assert.deepEqual(plan && [plan.kind, plan.label, plan.action, plan.detail], ['planAwaitingApproval', 'Approve plan', { type: 'approvePlan', taskId: 'add-login' }, 'Jules plan awaiting approval: 1. Read the form 2. Add validation']);
    assert.equal(snapshot.needsYou.find(item => item.key === 'run-q')?.kind, 'runNeedsYou');
    // Without knowing the agent is Jules (no agents yet), nothing offers to approve.
    const unknown = buildPanelSnapshot(anAtoState({ runs: [planRun] }), new Redactor());
    assert.equal(unknown.needsYou.find(item => item.key === 'run-plan')?.kind, 'runNeedsYou');
  });

  it('redacts the plan summary', () => {
    const leaky = aRunRecord({ ...planRun, history: [{ state: 'needsYou', at: '2026-11-21T10:00:00.000Z', reason: `Jules plan awaiting approval: export KEY=${secret}` }] });
    const snapshot = buildPanelSnapshot(anAtoState({ agents: [jules], runs: [leaky] }), redactorKnowing(secret));
    assert.ok(!JSON.stringify(snapshot.needsYou).includes(secret));
  });

  it('the tree has an Agents node: health, load and headroom in words, Test and Configure in the menu', () => {
    const [node] = agentRows(anAtoState({ agents: [anAgentSummary({ inFlight: 1 }), jules] }));
    assert.equal(node?.label, 'Agents');
    assert.equal(node.collapsed, true, 'starts collapsed: the accounts below stay in sight');
    assert.equal(node.description, '2 · 1 running · 1 unhealthy');
    const [claude, julesRow] = node.children ?? [];
    assert.deepEqual([claude?.label, claude?.description, claude?.icon, claude?.contextValue, claude?.ref], ['claude-code', 'healthy · 1/2 running · 0 runs today · $0.00 today', 'pass', treeItemContexts.agent, 'claude-code']);
    assert.match(julesRow?.description ?? '', /^unhealthy · 0\/2 running · 15\/15 runs today · \$0\.00 today · closed until \d\d:\d\d — 429 retry-after$/);
    assert.equal(julesRow?.icon, 'watch');
    assert.match(julesRow.tooltip ?? '', /Last error: 401 for key/);
    assert.deepEqual(agentRows(anAtoState()), [], 'no node before the dispatcher knows its agents');
    const ready = buildTreeModel(anAtoState({ planning: planningExamples.ready, agents: [anAgentSummary()] }));
    assert.ok(ready.some(row => row.id === 'agents'));
  });

  it('the tree\'s Needs you offers Approve on a Jules plan (its ref is the task id)', () => {
    const [needsYou] = needsYouRows(anAtoState({ agents: [jules], runs: [planRun] }));
    const row = needsYou?.children?.find(child => child.id === 'needsYou/run/run-plan');
    assert.deepEqual([row?.contextValue, row?.ref, row?.tooltip], [treeItemContexts.planAwaitingApproval, 'add-login', 'Jules plan awaiting approval: 1. Read the form 2. Add validation']);
  });

  it('issue 14: the tree shows a Jules plan as rows, one per step, then an Approve plan row (not only in a tooltip)', () => {
    const reason = 'Jules plan awaiting approval: 1. Read the login form; 2. Bump the validator to version 3. then test; 3. Add validation';
    const run = aRunRecord({ ...planRun, history: [{ state: 'needsYou', at: '2026-11-21T10:00:00.000Z', reason }] });
    const [needsYou] = needsYouRows(anAtoState({ agents: [jules], runs: [run] }));
    const row = needsYou?.children?.find(child => child.id === 'needsYou/run/run-plan');
    assert.ok(row?.children);
    assert.equal(row.description, '3 steps');
    assert.deepEqual(row.children.map(child => [child.label, child.command, child.commandArgs]), [
      ['1. Read the login form', undefined, undefined],
      ['2. Bump the validator to version 3. then test', undefined, undefined],
      ['3. Add validation', undefined, undefined],
      ['Approve plan', commandIds.approvePlan, ['add-login']],
    ]);
    assert.equal(row.children[1]?.tooltip, 'Step 2 of 3: Bump the validator to version 3. then test');
  });
});

describe('answers of the fan-out and preview commands, for the panel', () => {
  it('reads per-task outcomes: started on an agent, waiting and refused with why', () => {
    const answer = [
      { taskId: 'a', status: 'started', agentId: 'claude-code', runId: 'r1' },
      { taskId: 'b', status: 'waiting', reason: 'targets overlap with a (src/a.ts)' },
      { taskId: 'c', status: 'refused', reason: `unknown ${secret}` },
    ];
    const outcomes = dispatchOutcomesForPanel(answer, redactorKnowing(secret));
    assert.deepEqual(outcomes?.map(outcome => [outcome.taskId, outcome.status]), [['a', 'started'], ['b', 'waiting'], ['c', 'refused']]);
    assert.equal(outcomes[0]?.detail, 'on claude-code · run r1');
    assert.equal(outcomes[1]?.detail, 'targets overlap with a (src/a.ts)');
    assert.ok(!JSON.stringify(outcomes).includes(secret));
    assert.deepEqual(dispatchOutcomesForPanel({ outcomes: answer.slice(0, 1) }, new Redactor())?.length, 1);
  });

  it('ignores an answer that is not one', () => {
    for (const answer of [undefined, null, 'started', [{ taskId: 'a', status: 'exploded' }], { outcomes: 'x' }]) assert.equal(dispatchOutcomesForPanel(answer, new Redactor()), undefined, JSON.stringify(answer));
    for (const answer of [undefined, {}, { status: 'selected', reason: 'x' }, { decision: { status: 'maybe', reason: 'x', candidates: [] } }]) assert.equal(previewForPanel('a', answer, new Redactor()), undefined, JSON.stringify(answer));
  });

  it('reads the ranking of a preview: the chosen agent, each candidate with its score and reasons', () => {
    const decision = {
      status: 'selected', agentId: 'my-cli', explicit: false, reason: 'my-cli scored highest (0.900)',
      candidates: [
        { agentId: 'my-cli', kind: 'custom', eligible: true, score: 0.9, reasons: ['score 0.900 = …'], factors: {} },
        { agentId: 'jules', kind: 'jules', eligible: false, score: undefined, reasons: ['unhealthy: no key'], factors: undefined },
      ],
    };
    const preview = previewForPanel('add-login', { decision }, new Redactor());
    assert.deepEqual(preview, {
      taskId: 'add-login', chosen: 'my-cli', summary: 'my-cli scored highest (0.900)',
      candidates: [{ agentId: 'my-cli', eligible: true, score: 0.9, reasons: ['score 0.900 = …'] }, { agentId: 'jules', eligible: false, score: null, reasons: ['unhealthy: no key'] }],
    });
    assert.equal(previewForPanel('x', { ...decision, status: 'wait', reason: 'busy' }, new Redactor())?.chosen, null);
  });

  it('reads the dispatcher\'s preview document (a verdict, the agent, every candidate) and a live fan-out\'s reports', () => {
    const document = {
      taskId: 'add-login', verdict: 'start', agentId: 'my-cli', explicit: false, reason: 'my-cli scored highest (0.900)',
      candidates: [{ agentId: 'my-cli', kind: 'custom', eligible: true, score: 0.9, factors: null, reasons: ['score 0.900 = …'], chosen: true }],
    };
    assert.deepEqual(previewForPanel('add-login', document, new Redactor())?.chosen, 'my-cli');
    const busy = previewForPanel('add-login', { ...document, verdict: 'busy', reason: 'at its limit (1/1 running)' }, new Redactor());
    assert.deepEqual([busy?.chosen, busy?.summary], [null, 'busy: at its limit (1/1 running)']);
    const fanOut = { reports: () => [{ taskId: 'a', status: 'finished', agentId: 'my-cli', runId: 'r1', state: 'succeeded', detail: 'succeeded' }, { taskId: 'b', status: 'waiting', reason: 'waits for a' }] };
    assert.deepEqual(dispatchOutcomesForPanel(fanOut, new Redactor()), [{ taskId: 'a', status: 'started', detail: 'on my-cli · run r1 · finished: succeeded' }, { taskId: 'b', status: 'waiting', detail: 'waits for a' }]);
  });
});
