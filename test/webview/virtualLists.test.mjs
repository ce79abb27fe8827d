// The panel's virtual lists with 10,000 tasks and 1,000 runs, in the real bundle (dist/webview) in headless
// Chromium: what a screen reader and a keyboard user get from rows that mostly do not exist, and that a bad
// task deep in a long list still keeps the whole message out.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { tsImport } from 'tsx/esm/api';
import { deliver, useFakeHostAndBrowser } from './fakeHost.mjs';

const { buildPanelSnapshot } = await tsImport('../../src/core/state/panelSnapshot.ts', import.meta.url);
const { Redactor } = await tsImport('../../src/core/logging/redactor.ts', import.meta.url);
const { aBusyState } = await tsImport('../support/panelState.ts', import.meta.url);

const wire = value => JSON.parse(JSON.stringify(value));
const busy = () => wire(buildPanelSnapshot(aBusyState(10_000, 1000).state, new Redactor()));
const rowHeight = 22;

describe('virtual lists of 10,000 tasks in headless Chromium', () => {
  const panelPage = useFakeHostAndBrowser();

  test('each rendered row says its place in the whole list (aria-setsize, aria-posinset), and its buttons are named buttons', async () => {
    const { tab, errors } = await panelPage.open();
    await deliver(tab, busy());
    const queue = tab.locator('[data-list="queue"]');
    assert.equal(await queue.getAttribute('role'), 'list');
    const total = Number((await queue.evaluate(list => list.querySelector('.vlist-spacer').style.height)).replace('px', '')) / rowHeight;
    assert.ok(total > 9000, `${total} rows in the queue`);
    const rows = await queue.evaluate(list => [...list.querySelectorAll('.vrow')].map(row => ({ role: row.getAttribute('role'), index: Number(row.dataset.index), size: row.getAttribute('aria-setsize'), position: row.getAttribute('aria-posinset') })));
    assert.ok(rows.length > 10 && rows.length < 60, `${rows.length} rows in the DOM`);
    for (const row of rows) assert.deepEqual(row, { role: 'listitem', index: row.index, size: String(total), position: String(row.index + 1) });

    const dispatch = queue.locator('.vrow:not(.group)').first().locator('[data-row-action="dispatchTask"]');
    assert.deepEqual(await dispatch.evaluate(button => [button.tagName, button.type, button.getAttribute('aria-label')]), ['BUTTON', 'button', 'Dispatch Now']);

    // Scrolled far down, the rows in the DOM say where they are.
    await queue.evaluate(list => { list.scrollTop = 100_000; });
    await tab.waitForFunction(() => [...document.querySelectorAll('[data-list="queue"] .vrow')].some(row => Number(row.getAttribute('aria-posinset')) > 4000));
    const positions = await queue.evaluate(list => [...list.querySelectorAll('.vrow')].map(row => Number(row.getAttribute('aria-posinset')) - 1 - Number(row.dataset.index)));
    assert.ok(positions.every(difference => difference === 0));
    assert.deepEqual(errors, []);
    await tab.close();
  });

  test('a focused checkbox keeps its focus (and its row) while its row is scrolled out of view, and Space still selects', async () => {
    const { tab, errors } = await panelPage.open();
    await deliver(tab, busy());
    const queue = tab.locator('[data-list="queue"]');
    const box = queue.locator('.vrow[data-index="3"] input.select');
    await box.focus();
    const key = await queue.locator('.vrow[data-index="3"]').getAttribute('data-key');
    await queue.evaluate(list => { list.scrollTop = 50_000; });
    await tab.waitForFunction(() => [...document.querySelectorAll('[data-list="queue"] .vrow')].some(row => Number(row.dataset.index) > 2000));
    assert.deepEqual(await tab.evaluate(() => [document.activeElement?.tagName, document.activeElement?.closest('.vrow')?.dataset.index, document.activeElement?.isConnected]), ['INPUT', '3', true]);
    assert.ok(await queue.locator(`.vrow[data-key="${key}"]`).count() === 1, 'the focused row is still in the DOM');
    await tab.keyboard.press('Space');
    await tab.locator('.fanout-count', { hasText: '1' }).waitFor();
    // Once the focus moves on, the row goes like any other out of view.
    await tab.evaluate(() => { document.activeElement?.blur(); });
    await queue.evaluate(list => { list.scrollTop = 60_000; });
    await tab.waitForFunction(k => document.querySelector(`[data-list="queue"] .vrow[data-key="${k}"]`) === null, key);
    assert.deepEqual(errors, []);
    await tab.close();
  });

  test('a bad task at the end of 10,000 keeps the whole message out: nothing of it is rendered', async () => {
    const { tab } = await panelPage.open();
    const bad = busy();
    bad.queue.items[bad.queue.items.length - 1].diagnostics = -1;
    const warnings = [];
    tab.on('console', message => { if (message.type() === 'warning') warnings.push(message.text()); });
    await deliver(tab, bad);
    assert.equal(await tab.locator('.vrow').count(), 0);
    assert.equal(await tab.locator('body[data-ready="true"]').count(), 0);
    assert.ok(warnings.some(text => /ignored invalid message at parts\.queue\.items\.\d+\.diagnostics/.test(text)), warnings.join('\n'));
    await tab.close();
  });
});
