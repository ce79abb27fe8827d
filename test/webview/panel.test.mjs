// The control panel's real bundle (dist/webview, build it with `node esbuild.mjs`) in headless Chromium,
// against a fake host page (fakeHost.mjs). Snapshots come from the real host-side builder.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { tsImport } from 'tsx/esm/api';
import { deliver, useFakeHostAndBrowser } from './fakeHost.mjs';

const { buildPanelSnapshot } = await tsImport('../../src/core/state/panelSnapshot.ts', import.meta.url);
const { Redactor } = await tsImport('../../src/core/logging/redactor.ts', import.meta.url);
const { aBusyState, aQueueEntry, aRun } = await tsImport('../support/panelState.ts', import.meta.url);
const { QueueEntries } = await tsImport('../../src/core/queue/queueEntries.ts', import.meta.url);
const { taskFileText } = await tsImport('../support/simpleTaskParser.ts', import.meta.url);
const { anAtoState } = await tsImport('../support/stateBuilders.ts', import.meta.url);
const { initialLoopState } = await tsImport('../../src/core/loop/engine/loopModel.ts', import.meta.url);
const { aFollowedPullRequest, aLoopState, aPlan, aRedPullRequest, mergeAction, readyToMerge, awaitingApproval } = await tsImport('../support/loopStates.ts', import.meta.url);

const screenshots = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-results', 'webview');
fs.mkdirSync(screenshots, { recursive: true });
const wire = value => JSON.parse(JSON.stringify(value));
const evil = '<img src=x onerror="window.__pwned=1">';

function smallSnapshot(overrides = {}) {
  const entries = new QueueEntries();
  entries.set(aQueueEntry('pending', 'evil.task.md', taskFileText({ title: evil })));
  entries.set(aQueueEntry('pending', 'add-login.task.md', taskFileText({ id: 'add-login', title: 'Add a login form' }), Date.UTC(2026, 10, 22)));
  entries.commit();
  const state = anAtoState({ queue: entries.snapshot(), runs: [aRun(2, 'running'), aRun(1, 'failed')], ...overrides });
  return wire(buildPanelSnapshot(state, new Redactor()));
}

/** A GitHub loop whose every piece of GitHub text is markup. */
function evilLoopSnapshot(overrides = {}, loopOverrides = {}) {
  const loop = aLoopState({
    stage: { ...aPlan().stage, reason: evil, focus: { kind: 'task', title: evil, taskId: 'add-login', issue: { number: 3, title: evil, url: 'https://github.com/octo/repo/issues/3' }, pullRequest: { number: 12, title: `[WIP] ${evil}`, url: 'https://github.com/octo/repo/pull/12' } } },
    plan: aPlan({ tracks: [{ track: 'runs', action: undefined, reason: evil }, { track: 'planning', action: { kind: 'closeIssue', reason: evil, issueNumber: 3 }, reason: evil }] }),
    redPullRequests: [aRedPullRequest(21, { title: evil, failingChecks: [{ name: evil, url: 'https://github.com/octo/repo/actions/runs/2101' }] })],
    followedPullRequests: [aFollowedPullRequest(12, { title: evil, author: evil, verdict: { ready: false, rules: [{ rule: 'open', ok: true, detail: 'open' }, { rule: 'checksGreen', ok: false, detail: evil }] } })],
    needsYou: [{ ...readyToMerge, title: evil, detail: evil }, awaitingApproval],
    error: undefined,
    ...loopOverrides,
  });
  return wire(buildPanelSnapshot(anAtoState({ loop, ...overrides }), new Redactor()));
}

describe('control panel in headless Chromium', () => {
  const panelPage = useFakeHostAndBrowser();

  test('says ready first, once, and renders nothing before a snapshot', async () => {
    const { tab, errors } = await panelPage.open();
    assert.deepEqual(await tab.evaluate(() => window.__posted), [{ type: 'ready' }]);
    assert.equal(await tab.locator('body[data-ready="true"]').count(), 0);
    await deliver(tab, smallSnapshot());
    await tab.locator('body[data-ready="true"]').waitFor();
    assert.deepEqual(await tab.evaluate(() => window.__posted), [{ type: 'ready' }]);
    assert.deepEqual(errors, []);
    await tab.close();
  });

  test('a task title with markup shows as text and runs nothing', async () => {
    const { tab, errors } = await panelPage.open();
    await deliver(tab, smallSnapshot());
    const title = tab.locator('[data-list="queue"] .row-title', { hasText: 'onerror' });
    await title.waitFor();
    assert.equal(await title.textContent(), evil);
    assert.equal(await tab.locator('#app img').count(), 0, 'no element was created from the title');
    await tab.waitForTimeout(100);
    assert.equal(await tab.evaluate(() => window.__pwned), undefined);
    assert.deepEqual(errors, []);
    await tab.close();
  });

  test('GitHub mode: the Queue lists the loop\'s planning branch and says so, with what the checkout lacks (issue 14)', async () => {
    const { tab } = await panelPage.open();
    const branch = [aQueueEntry('processed', 'add-login.task.md', taskFileText({ id: 'add-login', title: 'Add a login form' }))];
    const loop = aLoopState({ queue: { branch: 'origin/main', revision: 'abc', entries: branch } });
    await deliver(tab, wire(buildPanelSnapshot(anAtoState({ loop, queue: new QueueEntries().snapshot() }), new Redactor())));
    assert.equal(await tab.locator('[data-section="queue"] [data-queue-part="source"]').innerText(), 'The loop\'s queue on origin/main · 1 task not in your checkout yet (git pull)');
    assert.deepEqual(await tab.locator('[data-list="queue"] .vrow:not(.group) .row-title').allTextContents(), ['Add a login form']);
    await tab.close();
  });

  test('keeps the markers the real-VS-Code test relies on', async () => {
    const { tab } = await panelPage.open();
    await deliver(tab, smallSnapshot({ planning: { kind: 'missing', path: '/repo/planning' }, queue: undefined, runs: [] }));
    assert.equal(await tab.locator('#app[aria-live]').count(), 1);
    assert.match(await tab.locator('[data-section="planning"]').innerText(), /No planning folder yet/);
    assert.ok(await tab.locator('vscode-button[data-action="initPlanningFolder"]').isVisible());
    assert.ok(await tab.locator('[data-section="redPrs"]').isHidden(), 'no GitHub loop: no pull-request lists');
    assert.match(await tab.locator('[data-section="loop"] .loop-state-detail').innerText(), /no planning folder yet/);
    assert.match(await tab.locator('[data-section="runs"]').innerText(), /No runs yet/);
    await tab.close();
  });

  test('clicks post the right validated messages; Restricted Mode disables them with the reason', async () => {
    const { tab } = await panelPage.open();
    await deliver(tab, smallSnapshot());
    const row = tab.locator('[data-list="queue"] .vrow', { hasText: 'Add a login form' });
    await row.locator('[data-row-action="dispatchTask"]').click();
    await row.locator('[data-row-action="openTask"]').click();
    const run = tab.locator('[data-list="runs"] .vrow[data-state="running"]');
    await run.locator('[data-row-action="cancelRun"]').click();
    await run.locator('[data-row-action="showRunLog"]').click();
    await tab.locator('vscode-button[data-action="newTask"]').click();
    assert.deepEqual((await tab.evaluate(() => window.__posted)).slice(1), [
      { type: 'dispatchTask', taskId: 'add-login' },
      { type: 'openTask', path: 'issue_queue/pending/add-login.task.md' },
      { type: 'cancelRun', runId: 'run-00002' },
      { type: 'showRunLog', runId: 'run-00002' },
      { type: 'newTask' },
    ]);

    await deliver(tab, smallSnapshot({ trusted: false }));
    const dispatch = tab.locator('[data-list="queue"] .vrow', { hasText: 'Add a login form' }).locator('[data-row-action="dispatchTask"]');
    assert.match(await dispatch.getAttribute('title'), /Restricted Mode/);
    assert.equal(await dispatch.getAttribute('disabled'), '');
    await dispatch.dispatchEvent('click');
    assert.equal((await tab.evaluate(() => window.__posted)).length, 6, 'a disabled action posts nothing');
    await tab.close();
  });

  test('a finished local run offers View Diff, Open Pull Request, Merge and Discard; each posts its message; a landed run offers none', async () => {
    const { tab } = await panelPage.open();
    await deliver(tab, smallSnapshot());
    const run = tab.locator('[data-list="runs"] .vrow[data-state="failed"]');
    const actions = () => run.locator('[data-row-action]').evaluateAll(buttons => buttons.map(button => [button.dataset.rowAction, button.getAttribute('title')]));
    assert.deepEqual(await actions(), [['showRunLog', 'Show Log'], ['viewRunDiff', 'View Diff'], ['openRunPullRequest', 'Open Pull Request'], ['mergeRun', 'Merge into Current Branch'], ['discardRun', 'Discard Branch'], ['showTaskEvents', 'Task Events']]);
    for (const type of ['viewRunDiff', 'openRunPullRequest', 'mergeRun', 'discardRun']) await run.locator(`[data-row-action="${type}"]`).click();
    assert.deepEqual((await tab.evaluate(() => window.__posted)).slice(1), ['viewRunDiff', 'openRunPullRequest', 'mergeRun', 'discardRun'].map(type => ({ type, runId: 'run-00001' })));
    assert.deepEqual(await tab.locator('[data-list="runs"] .vrow[data-state="running"] [data-row-action]').evaluateAll(buttons => buttons.map(button => button.dataset.rowAction)), ['showRunLog', 'cancelRun', 'showTaskEvents'], 'a running run has nothing to land yet');
    // Narrow and wide: every button inside the row and the window (the title gives way), for a look in test-results/webview/.
    for (const width of [300, 500]) {
      await tab.setViewportSize({ width, height: 700 });
      const outside = await run.evaluate(row => [...row.querySelectorAll('[data-row-action]')].map(button => button.getBoundingClientRect().right - Math.min(row.getBoundingClientRect().right, document.documentElement.clientWidth)).filter(excess => excess > 0.5));
      assert.deepEqual(outside, [], `no Land action is cut at ${width}px`);
      await run.scrollIntoViewIfNeeded();
      await tab.screenshot({ path: path.join(screenshots, `land-run-actions-${width}.png`) });
    }

    const landed = { ...aRun(1, 'failed'), landing: { kind: 'discarded', at: '2026-11-21T10:05:00.000Z', detail: 'deleted ato/task-1' } };
    await deliver(tab, smallSnapshot({ runs: [aRun(2, 'running'), landed] }));
    await tab.waitForFunction(() => document.querySelector('[data-list="runs"] .vrow[data-state="failed"] [data-row-action="discardRun"]') === null);
    assert.deepEqual((await actions()).map(([type]) => type), ['showRunLog', 'showTaskEvents']);
    await tab.close();
  });

  test('10,000 tasks and 1,000 runs render and scroll with a bounded DOM', async () => {
    const snapshot = wire(buildPanelSnapshot(aBusyState(10_000, 1000).state, new Redactor()));
    const { tab, errors } = await panelPage.open();
    const [handlerMs] = await deliver(tab, snapshot);
    const rows = () => tab.locator('.vrow').count();
    const initial = await rows();
    assert.ok(initial > 10 && initial < 200, `${initial} rows in the DOM`);
    const queue = tab.locator('[data-list="queue"]');
    assert.ok(Number((await queue.evaluate(list => list.querySelector('.vlist-spacer').style.height)).replace('px', '')) >= 9000 * 22, 'one row height per task (completed ones start collapsed)');
    for (const top of [50_000, 150_000, 1_000_000]) {
      await queue.evaluate((list, y) => { list.scrollTop = y; }, top);
      // The rows in the DOM are those around the scrolled-to position.
      await tab.waitForFunction(() => {
        const list = document.querySelector('[data-list="queue"]');
        const indexes = [...list.querySelectorAll('.vrow')].map(row => Number(row.dataset.index));
        return indexes.length > 0 && indexes.some(index => index * 22 >= list.scrollTop && index * 22 < list.scrollTop + list.clientHeight)
          && indexes.every(index => Math.abs(index * 22 - list.scrollTop) < 22 * 40);
      });
      assert.ok(await queue.evaluate(list => list.scrollTop) > 40_000);
      const count = await rows();
      assert.ok(count < 200, `${count} rows after scrolling to ${top}`);
    }
    assert.ok(await tab.evaluate(() => window.__state?.scroll?.queue > 0), 'the scroll position is kept with setState');
    assert.deepEqual(errors, []);
    console.log(`10,000 tasks + 1,000 runs: handler ${handlerMs.toFixed(1)} ms, ${initial} rows in the DOM`);
    await tab.close();
  });

  test('filter text and collapsed groups are kept with setState and restored from getState', async () => {
    const { tab } = await panelPage.open();
    await deliver(tab, smallSnapshot());
    await tab.locator('[data-list="runs"] .vrow.group', { hasText: 'Running' }).click();
    assert.equal(await tab.locator('[data-list="runs"] .vrow:not(.group)').count(), 1, 'the Running group collapsed');
    await tab.locator('vscode-textfield[data-control="filter"]').evaluate(field => {
      field.value = 'login';
      field.dispatchEvent(new Event('input'));
    });
    const state = await tab.evaluate(() => window.__state);
    assert.equal(state.filter, 'login');
    assert.ok(state.collapsed.includes('runs:running'));
    assert.deepEqual(await tab.locator('[data-list="queue"] .vrow:not(.group) .row-title').allTextContents(), ['Add a login form']);
    await tab.close();

    const restored = await panelPage.open({ ...state, filter: 'zzz-nothing' });
    await deliver(restored.tab, smallSnapshot());
    assert.deepEqual(await restored.tab.locator('[data-list="queue"] .vrow:not(.group) .row-title').allTextContents(), []);
    assert.equal(await restored.tab.locator('vscode-textfield[data-control="filter"]').evaluate(field => field.value), 'zzz-nothing');
    await restored.tab.close();
  });

  test('GitHub text in the loop (PR title, check name, reason, plan) shows as text and runs nothing', async () => {
    const { tab, errors } = await panelPage.open();
    await deliver(tab, evilLoopSnapshot());
    await tab.locator('[data-section="loop"] .loop-reason').waitFor();
    assert.equal(await tab.locator('[data-section="loop"] .loop-reason').textContent(), evil);
    assert.equal(await tab.locator('[data-loop-part="focus"] a.link').textContent(), `Task add-login · issue #3 · PR #12 · ${evil}`);
    // The issue is titled like the work (its number is enough); the PR's own title is shown, as text.
    assert.deepEqual(await tab.locator('.loop-focus-refs a.link').allTextContents(), ['Issue #3', `PR #12: [WIP] ${evil}`]);
    assert.equal(await tab.locator('[data-list="followedPrs"] .vrow[data-pr="12"] .row-title').textContent(), `#12 ${evil}`);
    assert.equal(await tab.locator('[data-list="followedPrs"] .vrow[data-rule="checksGreen"] .row-title').textContent(), evil);
    assert.equal(await tab.locator('[data-list="redPrs"] .vrow[data-pr="21"] .row-title').textContent(), `#21 ${evil}`);
    assert.equal(await tab.locator('[data-list="redPrs"] .vrow.indent .row-title').textContent(), evil);
    assert.equal(await tab.locator('[data-list="needsYou"] .vrow[data-kind="readyToMerge"] .row-title').textContent(), evil);
    assert.match(await tab.locator('[data-loop-part="plan"]').innerText(), /onerror/);
    assert.equal(await tab.locator('#app img').count(), 0, 'no element was created from GitHub text');
    await tab.waitForTimeout(100);
    assert.equal(await tab.evaluate(() => window.__pwned), undefined);
    assert.deepEqual(errors, []);
    await tab.close();
  });

  test('the loop header: state, a stepper that marks the stage in words, the reason, ticks and budget', async () => {
    const { tab, errors } = await panelPage.open();
    await deliver(tab, evilLoopSnapshot({}, { stage: { ...aPlan().stage, stage: '2b', reason: 'task add-login is dispatched' } }));
    const loop = tab.locator('[data-section="loop"]');
    await loop.locator('.stepper').waitFor();
    assert.equal(await loop.locator('[data-loop-state]').getAttribute('data-loop-state'), 'paused');
    assert.deepEqual(await loop.locator('[aria-current="step"]').evaluateAll(nodes => nodes.map(node => node.dataset.stage)), ['2b']);
    assert.equal(await loop.locator('.step').count(), 9);
    assert.match(await loop.locator('[aria-current="step"]').innerText(), /2b[\s\S]*current stage/);
    assert.match(await loop.locator('.stage-group.current .group-label').innerText(), /Development/);
    assert.match(await loop.locator('.loop-stage').innerText(), /Stage 2b · Development — task add-login is dispatched/);
    assert.match(await loop.locator('.loop-ticks').innerText(), /^last tick .* · paused: no tick scheduled$/);
    assert.match(await loop.locator('[data-loop-part="budget"]').innerText(), /Core API: 4,321 \/ 5,000 left/);
    assert.equal(await loop.locator('[data-loop-part="counts"]').innerText(), 'Planning branch: 3 pending · 1 processed · 2 complete · 1 invalid · 2 unpromoted · 2 open ATO issues · 1 of 5 open PRs followed');

    await deliver(tab, evilLoopSnapshot({}, { ticking: true, running: true }));
    assert.equal(await loop.locator('[data-loop-state]').getAttribute('data-loop-state'), 'ticking');
    assert.equal(await loop.locator('[data-loop-state] .codicon-modifier-spin').count(), 1, 'a spinner while ticking');
    // Held while the window is unfocused (the status bar's "ATO paused (window unfocused)"): said, with how it resumes.
    await deliver(tab, evilLoopSnapshot({}, { running: true, pausedUnfocused: true }));
    assert.equal(await loop.locator('[data-loop-state]').getAttribute('data-loop-state'), 'pausedUnfocused');
    assert.equal(await loop.locator('.loop-state-label').innerText(), 'Paused (window unfocused)');
    assert.match(await loop.locator('.loop-state-detail').innerText(), /catches up with one tick as soon as this window has focus again/);
    assert.match(await loop.locator('.loop-ticks').innerText(), / · no tick while unfocused$/);
    await deliver(tab, evilLoopSnapshot({}, { error: 'GitHub answered 502' }));
    assert.equal(await loop.locator('[data-loop-state]').getAttribute('data-loop-state'), 'error');
    assert.match(await loop.locator('.loop-state-detail').innerText(), /GitHub answered 502/);
    await deliver(tab, wire(buildPanelSnapshot(anAtoState(), new Redactor())));
    assert.equal(await loop.locator('[data-loop-state]').getAttribute('data-loop-state'), 'off');
    assert.match(await loop.locator('.loop-state-detail').innerText(), /^Loop off: .*has not started/);
    // No GitHub loop here: one line, no stepper and no buttons that could do nothing (issue 14).
    assert.deepEqual([await loop.locator('.stepper').count(), await loop.locator('vscode-button').count()], [0, 0]);
    await deliver(tab, wire(buildPanelSnapshot(anAtoState({ loop: { ...initialLoopState, mode: 'local', error: 'This repository has no `origin` remote.' } }), new Redactor())));
    assert.equal(await loop.locator('.loop-collapsed').innerText(), 'Local mode: the GitHub loop turns on with a GitHub origin remote and a sign-in (or token).');
    assert.equal(await loop.locator('.loop-collapsed').getAttribute('title'), 'This repository has no `origin` remote.');
    assert.ok((await loop.boundingBox()).height < 60, 'one line high');
    assert.ok(await tab.locator('[data-section="redPrs"]').isHidden(), 'local mode has no pull requests to show');
    assert.deepEqual(errors, []);
    await tab.close();
  });

  test('preview renders the plan: each track\'s action and why, or why nothing', async () => {
    const { tab } = await panelPage.open();
    await deliver(tab, evilLoopSnapshot({}, { plan: undefined, lastReport: undefined }));
    assert.equal(await tab.locator('[data-loop-part="plan"]').count(), 0);
    await tab.locator('vscode-button[data-loop-action="preview"]').click();
    assert.deepEqual((await tab.evaluate(() => window.__posted)).slice(1), [{ type: 'loop.preview' }]);
    // The host previews and the store's new plan arrives with the next snapshot.
    await deliver(tab, evilLoopSnapshot({}, { lastReport: undefined, plan: aPlan() }));
    const plan = tab.locator('[data-loop-part="plan"]');
    assert.match(await plan.locator('.loop-subtitle').innerText(), /^Plan at stage 2c · /);
    assert.deepEqual(await plan.locator('.row-text').allTextContents(), ['Runs: nothing to do', 'Planning: Merge PR #12 at abcdef1, then close #3']);
    assert.deepEqual(await plan.locator('.row-detail').allTextContents(), ['no run is active', 'PR #12 is ready']);
    // Auto-merge off: the merge is still in the plan, waiting for you.
    await deliver(tab, evilLoopSnapshot({}, { lastReport: undefined, plan: aPlan({ tracks: [{ track: 'planning', action: undefined, reason: 'Auto-merge is off.', held: { action: mergeAction, waitsFor: 'you' } }] }) }));
    assert.deepEqual(await plan.locator('.row-text').allTextContents(), ['Planning: Merge PR #12 at abcdef1, then close #3 — waits for you']);
    await tab.close();
  });

  test('the pull requests the loop follows: each with its work, CI and verdict, then every merge rule with its reason', async () => {
    const { tab, errors } = await panelPage.open();
    const green = aFollowedPullRequest(30, { ci: 'green', pendingChecks: [], verdict: { ready: true, rules: [{ rule: 'open', ok: true, detail: 'open' }] } });
    await deliver(tab, evilLoopSnapshot({}, { followedPullRequests: [aFollowedPullRequest(12), green] }));
    const list = tab.locator('[data-list="followedPrs"]');
    await list.locator('.vrow[data-pr="12"]').waitFor();
    assert.equal(await tab.locator('[data-section="followedPrs"] .section-title .count').textContent(), '2');
    assert.deepEqual(await list.locator('.vrow:not(.indent) .row-detail').allTextContents(), ['Task add-login · CI pending · 2 merge rules unmet', 'Task add-login · CI green · ready to merge']);
    assert.deepEqual(await list.locator('.vrow.indent .row-title').allTextContents(), ['open', 'no review requested and no approval', 'checks pending: ci/build', 'open']);
    assert.deepEqual(await list.locator('.vrow.indent .row-detail').allTextContents(), ['met', 'unmet', 'unmet', 'met']);
    await deliver(tab, evilLoopSnapshot({}, { followedPullRequests: [] }));
    assert.match(await tab.locator('[data-section="followedPrs"]').innerText(), /No open pull request of the gap analysis, a task or a capability update/);
    assert.deepEqual(errors, []);
    await tab.close();
  });

  test('the loop\'s buttons, merge, approve and links post the right messages', async () => {
    const { tab } = await panelPage.open();
    await deliver(tab, evilLoopSnapshot());
    await tab.locator('vscode-button[data-loop-action="start"]').click();
    await tab.locator('vscode-button[data-loop-action="tick"]').click();
    await tab.locator('vscode-button[data-loop-action="preview"]').click();
    const ready = tab.locator('[data-list="needsYou"] .vrow[data-kind="readyToMerge"]');
    await ready.locator('[data-row-action="loop.merge"]').click();
    await ready.locator('[data-row-action="openExternal"]').click();
    await tab.locator('[data-list="needsYou"] .vrow[data-kind="workflowsAwaitingApproval"] [data-row-action="openExternal"]').first().click();
    await tab.locator('[data-list="redPrs"] .vrow.indent .row-title.link').click();
    await tab.locator('[data-loop-part="focus"] a.link').click();
    await tab.locator('.loop-focus-refs a.link').first().click();
    await tab.locator('[data-list="followedPrs"] .vrow[data-pr="12"] .row-title.link').click();
    await deliver(tab, evilLoopSnapshot({}, { running: true }));
    await tab.locator('vscode-button[data-loop-action="pause"]').click();
    assert.deepEqual((await tab.evaluate(() => window.__posted)).slice(1), [
      { type: 'loop.start' },
      { type: 'loop.tick' },
      { type: 'loop.preview' },
      { type: 'loop.merge', pullNumber: 12 },
      { type: 'openExternal', url: 'https://github.com/octo/repo/pull/12' },
      { type: 'openExternal', url: 'https://github.com/octo/repo/pull/14/checks' },
      { type: 'openExternal', url: 'https://github.com/octo/repo/actions/runs/2101' },
      { type: 'openExternal', url: 'https://github.com/octo/repo/pull/12' },
      { type: 'openExternal', url: 'https://github.com/octo/repo/issues/3' },
      { type: 'openExternal', url: 'https://github.com/octo/repo/pull/12' },
      { type: 'loop.pause' },
    ]);
    assert.equal(new URL(tab.url()).pathname, '/panel.html', 'a link never navigates the panel');
    await tab.close();
  });

  test('a focused loop button keeps its focus when a snapshot changes only the lists', async () => {
    const { tab } = await panelPage.open();
    await deliver(tab, evilLoopSnapshot({ runs: [aRun(1, 'running')] }));
    await tab.locator('vscode-button[data-loop-action="tick"]').focus();
    await deliver(tab, evilLoopSnapshot({ runs: [aRun(2, 'running'), aRun(1, 'running')] }));
    assert.equal(await tab.evaluate(() => document.activeElement?.dataset?.loopAction), 'tick');
    await tab.close();
  });

  test('Restricted Mode shows the loop but disables every loop action with the reason; links still open', async () => {
    const { tab } = await panelPage.open();
    await deliver(tab, evilLoopSnapshot({ trusted: false }));
    const loop = tab.locator('[data-section="loop"]');
    assert.equal(await loop.locator('[data-loop-state]').getAttribute('data-loop-state'), 'untrusted');
    assert.match(await loop.locator('.loop-stage').innerText(), /Stage 2c/);
    for (const id of ['start', 'tick', 'preview']) {
      const button = loop.locator(`vscode-button[data-loop-action="${id}"]`);
      assert.equal(await button.getAttribute('disabled'), '', id);
      assert.match(await button.getAttribute('title'), /Restricted Mode/);
      await button.dispatchEvent('click');
    }
    const merge = tab.locator('[data-list="needsYou"] .vrow[data-kind="readyToMerge"] [data-row-action="loop.merge"]');
    assert.equal(await merge.getAttribute('disabled'), '');
    assert.match(await merge.getAttribute('title'), /Restricted Mode/);
    await merge.dispatchEvent('click');
    assert.equal((await tab.evaluate(() => window.__posted)).length, 1, 'nothing was posted');
    await tab.locator('[data-list="redPrs"] .vrow.indent .row-title.link').click();
    assert.deepEqual((await tab.evaluate(() => window.__posted)).slice(1), [{ type: 'openExternal', url: 'https://github.com/octo/repo/actions/runs/2101' }]);
    await tab.close();
  });

  test('drops a malformed snapshot and keeps the last good one', async () => {
    const { tab } = await panelPage.open();
    await deliver(tab, smallSnapshot());
    const bad = smallSnapshot();
    bad.queue.items[0].folder = '../../etc';
    await deliver(tab, bad);
    const badLink = evilLoopSnapshot();
    badLink.loop.redPullRequests[0].url = 'javascript:alert(1)';
    await deliver(tab, badLink);
    assert.equal(await tab.locator('[data-list="queue"] .row-title', { hasText: 'Add a login form' }).count(), 1);
    await tab.close();
  });
});
