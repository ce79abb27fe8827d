// The fleet's parts of the control panel — Agents, plan approval, fan-out, agent preview — in the real bundle
// (dist/webview) in headless Chromium, against the fake host page. Snapshots come from the real builder.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { tsImport } from 'tsx/esm/api';
import { deliver, useFakeHostAndBrowser } from './fakeHost.mjs';

const { buildPanelSnapshot } = await tsImport('../../src/core/state/panelSnapshot.ts', import.meta.url);
const { Redactor } = await tsImport('../../src/core/logging/redactor.ts', import.meta.url);
const { anAgentSummary, aQueueEntry } = await tsImport('../support/panelState.ts', import.meta.url);
const { aRunRecord } = await tsImport('../support/runRecords.ts', import.meta.url);
const { QueueEntries } = await tsImport('../../src/core/queue/queueEntries.ts', import.meta.url);
const { taskFileText } = await tsImport('../support/simpleTaskParser.ts', import.meta.url);
const { anAtoState } = await tsImport('../support/stateBuilders.ts', import.meta.url);

const wire = value => JSON.parse(JSON.stringify(value));
const evil = '<img src=x onerror="window.__pwned=1">';
const planReason = 'Jules plan awaiting approval: 1. Read the login form 2. Add validation 3. Add tests';

function fleetSnapshot(overrides = {}) {
  const entries = new QueueEntries();
  entries.set(aQueueEntry('pending', 'add-login.task.md', taskFileText({ id: 'add-login', title: 'Add a login form' })));
  entries.set(aQueueEntry('pending', 'add-logout.task.md', taskFileText({ id: 'add-logout', title: 'Add a logout button' })));
  entries.set(aQueueEntry('complete', 'done.task.md', taskFileText({ id: 'done', title: 'Done already' })));
  entries.commit();
  const agents = [
    anAgentSummary({ inFlight: 1, runsToday: 3, spendTodayUsd: 1.2, budgetUsd: 5 }),
    anAgentSummary({ id: 'jules', kind: 'jules', settingId: 'ato.jules', health: { state: 'failing', detail: evil }, dailyCap: 15, runsToday: 15, window: { closedUntil: new Date(2026, 10, 21, 14, 32).toISOString(), reason: '429 retry-after' }, lastError: `rateLimit: ${'a very long error message that must wrap at 300 px '.repeat(3)}${evil}` }),
  ];
  const plan = aRunRecord({ runId: 'run-plan', taskId: 'add-search', agentId: 'jules', state: 'needsYou', history: [{ state: 'needsYou', at: '2026-11-21T10:00:00.000Z', reason: planReason }] });
  return wire(buildPanelSnapshot(anAtoState({ queue: entries.snapshot(), agents, runs: [plan], ...overrides }), new Redactor()));
}

const posted = async tab => (await tab.evaluate(() => window.__posted)).slice(1);
const send = (tab, message) => tab.evaluate(data => window.__deliver(data), message);

describe('the fleet in the control panel, headless Chromium', () => {
  const panelPage = useFakeHostAndBrowser();

  test('Agents: each agent with health in words, meters with text, the window and the last error, as text', async () => {
    const { tab, errors } = await panelPage.open();
    await deliver(tab, fleetSnapshot());
    const claude = tab.locator('[data-section="agents"] [data-agent="claude-code"]');
    const jules = tab.locator('[data-section="agents"] [data-agent="jules"]');
    assert.equal(await claude.locator('.agent-health').textContent(), 'healthy');
    assert.deepEqual(await claude.locator('.meter-text').allTextContents(), ['1/2 running', '3 runs today', '$1.20 of $5.00 today']);
    assert.equal(await claude.locator('meter').count(), 2, 'a meter for the capped in-flight and spend, none for the uncapped runs');
    assert.equal(await claude.locator('meter[aria-label="claude-code: spend today"]').getAttribute('aria-label'), 'claude-code: spend today');
    assert.equal(await jules.locator('.agent-health').textContent(), 'unhealthy');
    assert.equal(await jules.locator('[data-window="closed"]').textContent(), 'Window closed until 14:32 — 429 retry-after');
    assert.match(await jules.locator('.agent-error').textContent(), /^Last error: rateLimit: a very long error/);
    assert.equal(await jules.locator('.agent-detail').textContent(), evil, 'the health detail is text');
    assert.equal(await tab.locator('#app img').count(), 0);
    assert.equal(await tab.evaluate(() => window.__pwned), undefined);
    assert.deepEqual(errors, []);
    await tab.close();
  });

  test('Test and Configure post their validated messages; Restricted Mode disables Test with the reason', async () => {
    const { tab } = await panelPage.open();
    await deliver(tab, fleetSnapshot());
    const jules = tab.locator('[data-agent="jules"]');
    await jules.locator('[data-row-action="testAgent"]').click();
    await jules.locator('[data-row-action="configureAgent"]').click();
    assert.deepEqual(await posted(tab), [{ type: 'testAgent', agentId: 'jules' }, { type: 'configureAgent', agentId: 'jules' }]);
    await deliver(tab, fleetSnapshot({ trusted: false }));
    const test = tab.locator('[data-agent="jules"] [data-row-action="testAgent"]');
    assert.match(await test.getAttribute('title'), /Restricted Mode/);
    await test.dispatchEvent('click');
    assert.equal((await posted(tab)).length, 2, 'a disabled Test posts nothing');
    await tab.close();
  });

  test('a Jules plan in Needs you shows the plan and approves with one click', async () => {
    const { tab } = await panelPage.open();
    await deliver(tab, fleetSnapshot());
    const card = tab.locator('[data-section="needsYou"] .plan-card[data-kind="planAwaitingApproval"]');
    assert.equal(await card.locator('.plan-title').textContent(), 'jules asks you to approve its plan for add-search');
    assert.equal(await card.locator('.plan-intro').textContent(), 'Jules plan awaiting approval');
    assert.deepEqual(await card.locator('.plan-steps li').allTextContents(), ['Read the login form', 'Add validation', 'Add tests']);
    assert.equal(await tab.locator('[data-list="needsYou"] .vrow[data-kind="planAwaitingApproval"]').count(), 0, 'the plan is a card, not a one-line row as well');
    assert.equal(await tab.locator('[data-section="needsYou"] .count').textContent(), '1');
    await card.locator('vscode-button[data-row-action="approvePlan"]').click();
    assert.deepEqual(await posted(tab), [{ type: 'approvePlan', taskId: 'add-search' }]);
    // Restricted Mode: the plan is still readable, Approve is disabled with the reason and posts nothing.
    await deliver(tab, fleetSnapshot({ trusted: false }));
    const approve = card.locator('vscode-button[data-row-action="approvePlan"]');
    assert.match(await approve.getAttribute('title'), /Restricted Mode/);
    await approve.dispatchEvent('click');
    assert.equal((await posted(tab)).length, 1);
    await tab.close();
  });

  test('at 300 px the plan wraps: every step and Approve are inside the width, none cut', async () => {
    const { tab } = await panelPage.open();
    await tab.setViewportSize({ width: 300, height: 900 });
    const longStep = 'Rewrite the validation of every field of the login form so that each error is said next to its field';
    const plan = aRunRecord({ runId: 'run-plan', taskId: 'add-search', agentId: 'jules', state: 'needsYou', history: [{ state: 'needsYou', at: '2026-11-21T10:00:00.000Z', reason: `Jules plan awaiting approval: 1. ${longStep}; 2. ${evil}; 3. Add tests` }] });
    await deliver(tab, fleetSnapshot({ runs: [plan] }));
    const card = tab.locator('.plan-card');
    assert.deepEqual(await card.locator('.plan-steps li').allTextContents(), [longStep, evil, 'Add tests']);
    const fits = await card.evaluate(node => [node, ...node.querySelectorAll('.plan-title, .plan-step, vscode-button')].map(part => {
      const box = part.getBoundingClientRect();
      return { part: part.className || part.tagName, inside: box.left >= 0 && box.right <= document.documentElement.clientWidth + 0.5, overflow: part.scrollWidth - part.clientWidth };
    }));
    for (const fit of fits) assert.ok(fit.inside && fit.overflow <= 1, JSON.stringify(fit));
    const lineHeight = await card.locator('.plan-step').first().evaluate(node => parseFloat(getComputedStyle(node).lineHeight) || 16);
    assert.ok((await card.locator('.plan-step').first().boundingBox()).height > 1.5 * lineHeight, 'the long step wraps onto more lines');
    assert.equal(await tab.locator('#app img').count(), 0);
    await tab.close();
  });

  test('fan-out: pending tasks are selected with the keyboard, Dispatch selected posts them, each outcome is said in words', async () => {
    const { tab } = await panelPage.open();
    await deliver(tab, fleetSnapshot());
    const dispatch = tab.locator('vscode-button[data-action="dispatchTasks"]');
    assert.equal(await dispatch.getAttribute('disabled'), '', 'nothing selected yet');
    assert.equal(await tab.locator('[data-list="queue"] .vrow', { hasText: 'Done already' }).locator('input.select').count(), 0, 'a completed task cannot be selected');
    const login = tab.locator('[data-list="queue"] input[data-select="add-login"]');
    await login.focus();
    await tab.keyboard.press('Space');
    await tab.locator('[data-list="queue"] input[data-select="add-logout"]').check();
    assert.equal(await tab.locator('.fanout-count').textContent(), '2 tasks selected');
    assert.equal(await tab.locator('[data-list="queue"] input[data-select="add-login"]').isChecked(), true);
    // A new snapshot keeps the selection while the tasks stay pending.
    await deliver(tab, fleetSnapshot());
    assert.equal(await tab.locator('.fanout-count').textContent(), '2 tasks selected');
    await dispatch.click();
    const sent = await posted(tab);
    assert.equal(sent.length, 1);
    assert.deepEqual(sent[0].type, 'dispatchTasks');
    assert.deepEqual([...sent[0].taskIds].sort(), ['add-login', 'add-logout']);

    await send(tab, { type: 'dispatchResult', outcomes: [{ taskId: 'add-login', status: 'started', detail: 'on claude-code · run r1' }, { taskId: 'add-logout', status: 'waiting', detail: 'targets overlap with add-login (src/a.ts)' }, { taskId: 'x', status: 'refused', detail: evil }] });
    const outcomes = tab.locator('.fanout-outcomes li');
    assert.deepEqual(await outcomes.evaluateAll(items => items.map(item => [item.dataset.outcome, item.textContent])), [
      ['started', 'Add a login form (add-login): startedon claude-code · run r1'],
      ['waiting', 'Add a logout button (add-logout): waitingtargets overlap with add-login (src/a.ts)'],
      ['refused', `x: refused${evil}`],
    ]);
    assert.equal(await tab.locator('.fanout-count').textContent(), 'Select pending tasks to dispatch them together.', 'the selection is done with');
    assert.equal(await tab.locator('#app img').count(), 0);
    await tab.close();
  });

  test('fan-out lines follow the runs: a waiting task that starts, then finishes, and one that fails, as the Runs section says', async () => {
    const { tab } = await panelPage.open();
    // add-logout ran once before (failed): that old run is not the one this dispatch starts.
    const oldRun = aRunRecord({ runId: 'old-logout', taskId: 'add-logout', state: 'failed', startedAt: '2026-11-21T09:00:00.000Z', endedAt: '2026-11-21T09:01:00.000Z', failure: { class: 'agentError', message: 'exit 1' } });
    await deliver(tab, fleetSnapshot({ runs: [oldRun] }));
    await tab.locator('[data-list="queue"] input[data-select="add-login"]').check();
    await tab.locator('[data-list="queue"] input[data-select="add-logout"]').check();
    await tab.locator('vscode-button[data-action="dispatchTasks"]').click();
    await send(tab, { type: 'dispatchResult', outcomes: [{ taskId: 'add-login', status: 'started', detail: 'on claude-code · run r-login' }, { taskId: 'add-logout', status: 'waiting', detail: 'waits: claude-code: starts are spaced out (at most 6 a minute): waiting for the gap after the last start' }] });
    const lines = async () => tab.locator('.fanout-outcomes li').evaluateAll(items => items.map(item => [item.dataset.outcome, item.dataset.runState ?? '', item.textContent]));
    const login = (state, extra = {}) => aRunRecord({ runId: 'r-login', taskId: 'add-login', state, startedAt: '2026-11-21T10:00:00.000Z', ...extra });
    const logout = (state, extra = {}) => aRunRecord({ runId: 'r-logout', taskId: 'add-logout', state, startedAt: '2026-11-21T10:00:08.000Z', ...extra });

    await deliver(tab, fleetSnapshot({ runs: [login('running'), oldRun] }));
    assert.deepEqual(await lines(), [
      ['started', 'running', 'Add a login form (add-login): runningon claude-code · run r-login'],
      ['waiting', '', 'Add a logout button (add-logout): waitingwaits: claude-code: starts are spaced out (at most 6 a minute): waiting for the gap after the last start'],
    ]);
    await deliver(tab, fleetSnapshot({ runs: [logout('running'), login('succeeded', { endedAt: '2026-11-21T10:00:05.000Z' }), oldRun] }));
    assert.deepEqual(await lines(), [
      ['started', 'succeeded', 'Add a login form (add-login): succeededon claude-code · run r-login'],
      ['waiting', 'running', 'Add a logout button (add-logout): runningon claude-code · run r-logout'],
    ]);
    await deliver(tab, fleetSnapshot({ runs: [logout('failed', { endedAt: '2026-11-21T10:00:20.000Z', failure: { class: 'agentError', message: evil } }), login('succeeded', { endedAt: '2026-11-21T10:00:05.000Z' }), oldRun] }));
    assert.deepEqual(await lines(), [
      ['started', 'succeeded', 'Add a login form (add-login): succeededon claude-code · run r-login'],
      ['waiting', 'failed', `Add a logout button (add-logout): failedon claude-code · run r-logout · agentError: ${evil}`],
    ]);
    assert.equal(await tab.locator('.fanout-outcomes li[data-run-state="failed"]').getAttribute('class'), 'row tone-error');
    assert.equal(await tab.locator('#app img').count(), 0);
    await tab.close();
  });

  test('Preview Agent posts the task; the ranking shows each agent, eligible or not, with its score and reasons', async () => {
    const { tab } = await panelPage.open();
    await deliver(tab, fleetSnapshot());
    assert.equal(await tab.locator('[data-section="preview"]').isVisible(), false);
    await tab.locator('[data-list="queue"] .vrow', { hasText: 'Add a login form' }).locator('[data-row-action="previewDispatch"]').click();
    assert.deepEqual(await posted(tab), [{ type: 'previewDispatch', taskId: 'add-login' }]);
    await send(tab, { type: 'preview', preview: { taskId: 'add-login', chosen: 'claude-code', summary: 'claude-code scored highest (0.900)', candidates: [{ agentId: 'claude-code', eligible: true, score: 0.9, reasons: ['score 0.900 = weight 1 × success 0.90 × (1 − load 0.00) + priority bonus 0.000'] }, { agentId: 'jules', eligible: false, score: null, reasons: ['unhealthy: no key', evil] }] } });
    const preview = tab.locator('[data-section="preview"]');
    assert.equal(await preview.locator('.preview-chosen').textContent(), 'Would go to claude-code: claude-code scored highest (0.900)');
    assert.deepEqual(await preview.locator('.candidate-head').allTextContents(), ['claude-code — eligible, score 0.900', 'jules — not eligible']);
    assert.deepEqual(await preview.locator('[data-agent="jules"] .candidate-reasons li').allTextContents(), ['unhealthy: no key', evil]);
    assert.equal(await tab.locator('#app img').count(), 0);
    await tab.close();
  });

  test('drops a malformed answer and keeps the panel as it was', async () => {
    const { tab, errors } = await panelPage.open();
    await deliver(tab, fleetSnapshot());
    await send(tab, { type: 'preview', preview: { taskId: 'a', chosen: null, summary: 's', candidates: [{ agentId: 'x', eligible: 'yes', score: null, reasons: [] }] } });
    await send(tab, { type: 'dispatchResult', outcomes: [{ taskId: 'a', status: 'exploded', detail: '' }] });
    assert.equal(await tab.locator('[data-section="preview"]').isVisible(), false);
    assert.equal(await tab.locator('.fanout-outcomes li').count(), 0);
    assert.deepEqual(errors, []);
    await tab.close();
  });
});
