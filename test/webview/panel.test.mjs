// The control panel's real bundle (dist/webview, build it with `node esbuild.mjs`) in headless Chromium,
// against a fake host page (fakeHost.mjs). Snapshots come from the real host-side builder.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { tsImport } from 'tsx/esm/api';
import { deliver, launchBrowser, openPanel, startFakeHost } from './fakeHost.mjs';

const { buildPanelSnapshot } = await tsImport('../../src/core/state/panelSnapshot.ts', import.meta.url);
const { Redactor } = await tsImport('../../src/core/logging/redactor.ts', import.meta.url);
const { aBusyState, aQueueEntry, aRun } = await tsImport('../support/panelState.ts', import.meta.url);
const { QueueEntries } = await tsImport('../../src/core/queue/queueEntries.ts', import.meta.url);
const { taskFileText } = await tsImport('../support/simpleTaskParser.ts', import.meta.url);
const { anAtoState } = await tsImport('../support/stateBuilders.ts', import.meta.url);

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

let host, browser;

describe('control panel in headless Chromium', () => {
  before(async () => {
    host = await startFakeHost();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await host?.close();
  });

  test('says ready first, once, and renders nothing before a snapshot', async () => {
    const { tab, errors } = await openPanel(browser, host);
    assert.deepEqual(await tab.evaluate(() => window.__posted), [{ type: 'ready' }]);
    assert.equal(await tab.locator('body[data-ready="true"]').count(), 0);
    await deliver(tab, smallSnapshot());
    await tab.locator('body[data-ready="true"]').waitFor();
    assert.deepEqual(await tab.evaluate(() => window.__posted), [{ type: 'ready' }]);
    assert.deepEqual(errors, []);
    await tab.close();
  });

  test('a task title with markup shows as text and runs nothing', async () => {
    const { tab, errors } = await openPanel(browser, host);
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

  test('keeps the markers the real-VS-Code test relies on', async () => {
    const { tab } = await openPanel(browser, host);
    await deliver(tab, smallSnapshot({ planning: { kind: 'missing', path: '/repo/planning' }, queue: undefined, runs: [] }));
    assert.equal(await tab.locator('#app[aria-live]').count(), 1);
    assert.match(await tab.locator('[data-section="planning"]').innerText(), /No planning folder yet/);
    assert.ok(await tab.locator('vscode-button[data-action="initPlanningFolder"]').isVisible());
    assert.match(await tab.locator('[data-section="redPrs"]').innerText(), /No GitHub remote yet/);
    assert.match(await tab.locator('[data-section="runs"]').innerText(), /No runs yet/);
    await tab.close();
  });

  test('clicks post the right validated messages; Restricted Mode disables them with the reason', async () => {
    const { tab } = await openPanel(browser, host);
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

  test('10,000 tasks and 1,000 runs render and scroll with a bounded DOM', async () => {
    const snapshot = wire(buildPanelSnapshot(aBusyState(10_000, 1000).state, new Redactor()));
    const { tab, errors } = await openPanel(browser, host);
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
    const { tab } = await openPanel(browser, host);
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

    const restored = await openPanel(browser, host, { ...state, filter: 'zzz-nothing' });
    await deliver(restored.tab, smallSnapshot());
    assert.deepEqual(await restored.tab.locator('[data-list="queue"] .vrow:not(.group) .row-title').allTextContents(), []);
    assert.equal(await restored.tab.locator('vscode-textfield[data-control="filter"]').evaluate(field => field.value), 'zzz-nothing');
    await restored.tab.close();
  });

  test('drops a malformed snapshot and keeps the last good one', async () => {
    const { tab } = await openPanel(browser, host);
    await deliver(tab, smallSnapshot());
    const bad = smallSnapshot();
    bad.queue.items[0].folder = '../../etc';
    await deliver(tab, bad);
    await deliver(tab, { ...smallSnapshot(), version: 1 });
    assert.equal(await tab.locator('[data-list="queue"] .row-title', { hasText: 'Add a login form' }).count(), 1);
    await tab.close();
  });
});
