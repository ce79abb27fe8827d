// The unfocused pause in a real VS Code (code-server) against the project's fake GitHub: a running loop in a
// window without focus for `ato.loop.pauseWhenUnfocusedMinutes` (1 here) stops polling, and the panel's loop
// line and the tree's Loop row say so, with how it resumes; focus back resumes it. A suite of its own: it waits
// a real minute.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { artifactsDir, repoRoot } from './harness.mjs';
import { signInToFake, workbenchOnFakeClone } from './fakeGitHub.mjs';
import { screenshotSidebar } from './sidebarShots.mjs';

const vsix = path.join(repoRoot, 'dist-vsix', 'ato.vsix');
let fake, server, context, page;
const panel = () => page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
const loopSection = () => panel().locator('[data-section="loop"]');

describe('the unfocused pause in a real VS Code', () => {
  before(async () => {
    ({ fake, server, context, page } = await workbenchOnFakeClone({ vsix, machineSettings: { 'ato.loop.pauseWhenUnfocusedMinutes': 1 } }));
  });

  after(async () => {
    if (page) await page.screenshot({ path: path.join(artifactsDir, 'loop-unfocused-last.png') }).catch(() => undefined);
    await context?.close();
    await server?.stop();
    fake?.stop();
  });

  test('a running loop unfocused for a minute: "Paused (window unfocused)" with how it resumes, in the panel and the tree; focus resumes it', async () => {
    await signInToFake(page, fake);
    await loopSection().locator('vscode-button[data-loop-action="start"]').click();
    await loopSection().locator('[data-loop-state="running"], [data-loop-state="ticking"]').first().waitFor({ timeout: 60_000 });
    // The workbench reads the window's focus from its document when the window's focus events fire: make the
    // document say "unfocused" and fire them, as another window in front would.
    await page.evaluate(() => {
      window.__atoHasFocus = Document.prototype.hasFocus;
      Document.prototype.hasFocus = () => false;
      window.dispatchEvent(new FocusEvent('focus'));
      window.dispatchEvent(new FocusEvent('blur'));
      document.dispatchEvent(new Event('visibilitychange'));
    });
    const line = loopSection().locator('[data-loop-state="pausedUnfocused"]');
    await line.waitFor({ timeout: 150_000 });
    assert.equal(await line.locator('.loop-state-label').innerText(), 'Paused (window unfocused)');
    assert.match(await loopSection().locator('.loop-state-detail').innerText(), /catches up with one tick as soon as this window has focus again/);
    assert.match(await loopSection().locator('.loop-ticks').innerText(), /no tick while unfocused/);
    await page.locator('.sidebar .monaco-list-row', { hasText: 'paused (window unfocused)' }).first().waitFor({ timeout: 30_000 });
    await screenshotSidebar(page, line, 'loop-paused-unfocused', ['light', 'dark'], { overflow: false });
    await page.evaluate(() => {
      Document.prototype.hasFocus = window.__atoHasFocus;
      window.dispatchEvent(new FocusEvent('focus'));
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await line.waitFor({ state: 'detached', timeout: 60_000 });
  });
});
