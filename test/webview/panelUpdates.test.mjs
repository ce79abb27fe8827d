// Partial updates in the panel's real bundle (dist/webview; `node esbuild.mjs`) in headless Chromium: the
// host's real encoder makes the updates, the fake host page delivers them (fakeHost.mjs).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { tsImport } from 'tsx/esm/api';
import { deliverMessage, useFakeHostAndBrowser } from './fakeHost.mjs';

const { buildPanelSnapshot } = await tsImport('../../src/core/state/panelSnapshot.ts', import.meta.url);
const { PanelUpdateEncoder } = await tsImport('../../src/core/state/panelUpdates.ts', import.meta.url);
const { panelProtocolVersion } = await tsImport('../../src/shared/protocol.ts', import.meta.url);
const { Redactor } = await tsImport('../../src/core/logging/redactor.ts', import.meta.url);
const { aBusyState, aQueueEntry } = await tsImport('../support/panelState.ts', import.meta.url);
const { taskFileText } = await tsImport('../support/simpleTaskParser.ts', import.meta.url);

const wire = value => JSON.parse(JSON.stringify(value));

/** A host: the store's state through the real snapshot builder and encoder, as controlPanel.ts does it. */
function aHost() {
  const redactor = new Redactor();
  const encoder = new PanelUpdateEncoder();
  return { next: next => { const update = encoder.next(buildPanelSnapshot(next, redactor)); return update === undefined ? undefined : wire(update); } };
}

/** Marks every row element now in a list, so a later look can tell kept elements from new ones. */
const markRows = (tab, list) => tab.evaluate(id => {
  for (const row of document.querySelectorAll(`[data-list="${id}"] .vrow`)) row.dataset['mark'] = 'kept';
  return document.querySelectorAll(`[data-list="${id}"] .vrow`).length;
}, list);
const rowsOf = (tab, list) => tab.evaluate(id => [...document.querySelectorAll(`[data-list="${id}"] .vrow`)].map(row => ({ key: row.dataset['key'], kept: row.dataset['mark'] === 'kept', detail: row.querySelector('.row-detail')?.textContent ?? '' })), list);

describe('control panel: partial updates in headless Chromium', () => {
  const panelPage = useFakeHostAndBrowser();

  test('a run changes: only that run is sent, and only its row is rendered again', async () => {
    const { state } = aBusyState(300, 40);
    const panel = aHost();
    const { tab, errors } = await panelPage.open();
    await deliverMessage(tab, panel.next(state));
    const running = state.runs.findIndex(run => run.state === 'running');
    const runId = state.runs[running].runId;
    assert.ok(await markRows(tab, 'runs') > 3, 'several runs on screen');
    assert.ok(await markRows(tab, 'queue') > 3, 'several tasks on screen');
    const before = (await rowsOf(tab, 'runs')).find(row => row.key === `run:${runId}`);
    assert.ok(before !== undefined, 'the running run is on screen');

    const next = { ...state, runs: state.runs.map((run, index) => index === running ? { ...run, usage: { ...run.usage, turns: 777 } } : run) };
    const update = panel.next(next);
    assert.deepEqual(Object.keys(update.parts), ['runs'], 'no queue, no loop, no head: they did not change');
    assert.deepEqual(update.parts.runs.changed.map(run => run.runId), [runId]);
    await deliverMessage(tab, update);

    const runs = await rowsOf(tab, 'runs');
    const changed = runs.find(row => row.key === `run:${runId}`);
    assert.equal(changed.kept, false, 'the changed run\'s row is a new element');
    assert.match(changed.detail, /777 turns/);
    assert.deepEqual(runs.filter(row => row.key !== `run:${runId}` && !row.kept).map(row => row.key), [], 'every other run row kept its element');
    assert.ok((await rowsOf(tab, 'queue')).every(row => row.kept), 'the queue was not rendered again');
    assert.deepEqual(errors, []);
    await tab.close();
  });

  test('the queue is sent again only with a new revision, and then its rows change', async () => {
    const { state, entries } = aBusyState(20, 3);
    const panel = aHost();
    const { tab } = await panelPage.open();
    await deliverMessage(tab, panel.next(state));
    await markRows(tab, 'queue');
    // The store publishes the same revision again (a re-scan that found nothing new): nothing to send.
    assert.equal(panel.next({ ...state, queue: entries.snapshot() }), undefined);
    entries.set(aQueueEntry('pending', 'brand-new.task.md', taskFileText({ id: 'brand-new', title: 'A brand new task' }), Date.UTC(2027, 0, 1)));
    entries.commit();
    const update = panel.next({ ...state, queue: entries.snapshot() });
    // The head carries the planning folder's counts, which moved with the queue.
    assert.deepEqual(Object.keys(update.parts), ['head', 'queue']);
    await deliverMessage(tab, update);
    const queue = await rowsOf(tab, 'queue');
    assert.ok(queue.some(row => row.key === 'task:issue_queue/pending/brand-new.task.md' && !row.kept), 'the new task shows');
    assert.equal(await tab.locator('[data-section="queue"] .count').first().textContent(), '21');
    await tab.close();
  });

  test('a host of another protocol version gets a clear message, not a blank panel', async () => {
    for (const message of [
      { type: 'update', version: panelProtocolVersion + 1, full: true, parts: {} },
      // How a host of version 5 and before sent its state.
      { type: 'snapshot', snapshot: { version: 5, workspaceName: 'repo' } },
    ]) {
      const { tab, errors } = await panelPage.open();
      await deliverMessage(tab, message);
      const notice = tab.locator('[data-section="protocolMismatch"]');
      await notice.waitFor();
      const text = await notice.textContent();
      assert.match(text, /ATO was updated/);
      assert.match(text, new RegExp(`panel ${panelProtocolVersion}, extension ${message.type === 'update' ? panelProtocolVersion + 1 : 5}`));
      assert.match(text, /Developer: Reload Window/);
      assert.deepEqual(errors, []);
      await tab.close();
    }
  });

  test('an update the panel cannot apply keeps what it shows and asks the host for everything again', async () => {
    const { state } = aBusyState(10, 5);
    const panel = aHost();
    const { tab } = await panelPage.open();
    // A partial update first (as after a missed full one): nothing to apply it to.
    await deliverMessage(tab, { type: 'update', version: panelProtocolVersion, full: false, parts: { agents: [] } });
    assert.deepEqual(await tab.evaluate(() => window.__posted), [{ type: 'ready' }, { type: 'ready' }]);
    await deliverMessage(tab, panel.next(state));
    const shown = (await rowsOf(tab, 'runs')).map(row => row.key);
    assert.ok(shown.length > 0);
    // An order naming a run the panel never got.
    await deliverMessage(tab, { type: 'update', version: panelProtocolVersion, full: false, parts: { runs: { ids: ['run-never-sent'], changed: [] } } });
    assert.deepEqual(await tab.evaluate(() => window.__posted), [{ type: 'ready' }, { type: 'ready' }, { type: 'ready' }]);
    assert.deepEqual((await rowsOf(tab, 'runs')).map(row => row.key), shown);
    await tab.close();
  });
});
