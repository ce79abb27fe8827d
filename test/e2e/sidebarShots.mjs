// What the real-VS-Code suites that drive the control panel share: waiting on a condition, the row of a
// succeeded run, and screenshots of the sidebar at the default and a wide width, light and dark.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { artifactsDir, controlPanel, setColorTheme, setSidebarWidth } from './harness.mjs';

export async function eventually(what, check, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}

/** The panel's row for the task's succeeded run (the Succeeded group starts collapsed: it is expanded first). */
export async function succeededRun(page, taskId, timeoutMs = 30_000) {
  const panel = controlPanel(page);
  const group = panel.locator('[data-list="runs"] .vrow.group[data-group="runs:succeeded"]');
  await group.waitFor({ timeout: timeoutMs });
  if (await group.getAttribute('aria-expanded') === 'false') await group.click();
  await panel.locator('[data-list="runs"] .vrow.group[data-group="runs:succeeded"][aria-expanded="true"]').waitFor({ timeout: 15_000 });
  return panel.locator('[data-list="runs"] .vrow[data-state="succeeded"]', { hasText: `${taskId} · ` }).first();
}

const themes = {
  light: { label: 'Light Modern', workbench: 'vs' },
  dark: { label: 'Dark Modern', workbench: 'vs-dark' },
};

/**
 * The sidebar in each theme (in the order given) at 300 and 500 px, with `part` in view, saved as
 * `<name>-<width>-<theme>.png`. At each size, `part` and everything in it matching `inner` stays inside the
 * sidebar; with `overflow` (default) none of them overflows either: read at that width, nothing is cut.
 */
export async function screenshotSidebar(page, part, name, order, { inner = '*', overflow = true } = {}) {
  const panel = controlPanel(page);
  for (const kind of order) {
    // Switching themes goes through the palette: not when the workbench is in that theme already.
    if (await page.locator(`.monaco-workbench.${themes[kind].workbench}`).count() === 0) await setColorTheme(page, themes[kind].label);
    await page.locator(`.monaco-workbench.${themes[kind].workbench}`).waitFor({ timeout: 30_000 });
    await panel.locator(`body.vscode-${kind}`).waitFor({ timeout: 30_000 });
    for (const width of kind === order[0] ? [300, 500] : [500, 300]) {
      await setSidebarWidth(page, width);
      // The panel has laid out at the new width once its document is that wide (less the sidebar's padding).
      await eventually(`the panel at ${width}px`, async () => {
        const inside = await panel.locator('body').evaluate(body => body.clientWidth);
        return inside <= width && inside > width - 40;
      }, 15_000);
      await part.scrollIntoViewIfNeeded();
      const file = path.join(artifactsDir, `${name}-${width}-${kind}.png`);
      await page.locator('.part.sidebar').screenshot({ path: file });
      assert.ok(fs.statSync(file).size > 5000, `${file} holds a real screenshot`);
      const cut = await part.evaluate((node, { selector, checkOverflow }) => [node, ...node.querySelectorAll(selector)].flatMap(each => {
        const box = each.getBoundingClientRect();
        const overflowBy = checkOverflow ? each.scrollWidth - each.clientWidth : 0;
        const outside = box.right - document.documentElement.clientWidth;
        return overflowBy > 1 || outside > 0.5 ? [`${each.className || each.tagName}: overflows by ${overflowBy}px, ${outside}px outside`] : [];
      }), { selector: inner, checkOverflow: overflow });
      assert.deepEqual(cut, [], `nothing is cut at ${width}px (${file})`);
    }
  }
}
