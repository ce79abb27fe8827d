// A multi-root window in the real VS Code (code-server), the extension installed from its .vsix: two folders
// (api/ without a planning folder, web/ with one and two tasks) opened as a .code-workspace. The tree groups
// by folder, the status bar sums up, the panel shows one folder and its title bar's folder button switches.
// Screenshots of the sidebar at 300 and 500 px go to test-results/e2e/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { artifactsDir, controlPanel, launchChromium, repoRoot, runCommand, setSidebarWidth, startCodeServer } from './harness.mjs';

const vsix = path.join(repoRoot, 'dist-vsix', 'ato.vsix');
const task = (title, priority) => `---\npriority: ${priority}\n---\n# ${title}\n\n**Prompt:**\n${title}.\n`;
const planning = folder => ({
  [`${folder}/planning/vision/goal.md`]: '# Goal\n\nShip the web app.\n',
  [`${folder}/planning/state/system_capabilities.md`]: '# Capabilities\n',
  [`${folder}/planning/issue_queue/pending/add-login-form.task.md`]: task('Add a login form with e-mail validation', 'high'),
  [`${folder}/planning/issue_queue/pending/dark-mode.task.md`]: task('Support the dark colour scheme', 'low'),
  [`${folder}/planning/issue_queue/processed/.keep`]: '',
  [`${folder}/planning/issue_queue/complete/.keep`]: '',
  [`${folder}/planning/reviews/.keep`]: '',
});

let server, context, page;
const statusItem = text => page.locator('.statusbar-item', { hasText: text });
const treeRows = () => page.locator('.sidebar .pane:has(.pane-header:has-text("Overview")) .monaco-list-row');

describe('ATO in a multi-root window', () => {
  before(async () => {
    assert.ok(fs.existsSync(vsix), `build the .vsix first (node scripts/package.mjs --build): ${vsix} is missing`);
    fs.mkdirSync(artifactsDir, { recursive: true });
    server = await startCodeServer({
      vsix: [vsix],
      files: {
        'api/README.md': '# api\n',
        'web/README.md': '# web\n',
        ...planning('web'),
        'ato.code-workspace': JSON.stringify({ folders: [{ path: 'api' }, { path: 'web' }] }),
      },
    });
    context = await launchChromium(path.join(server.tmp, 'chromium'));
    page = context.pages()[0] ?? await context.newPage();
    await page.goto(`${server.base}/?workspace=${encodeURIComponent(path.join(server.workspace, 'ato.code-workspace'))}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  });

  after(async () => {
    if (page) await page.screenshot({ path: path.join(artifactsDir, 'multiroot-last.png') }).catch(() => undefined);
    await context?.close();
    await server?.stop();
  });

  test('the tree has one node per folder, each with its own state; the status bar sums the folders up', async () => {
    await page.locator('.activitybar a[aria-label="ATO"]').click();
    await treeRows().filter({ hasText: 'no planning folder' }).first().waitFor({ timeout: 60_000 });
    await treeRows().filter({ hasText: '2 pending' }).first().waitFor({ timeout: 30_000 });
    const top = await treeRows().filter({ has: page.locator('.codicon-root-folder') }).allInnerTexts();
    assert.equal(top.length, 2, `two folder nodes: ${top.join(' | ')}`);
    assert.match(top[0], /api[\s\S]*no planning folder/);
    assert.match(top[1], /web[\s\S]*2 pending/);
    await treeRows().filter({ hasText: 'No planning folder yet' }).first().waitFor({ timeout: 10_000 });
    await statusItem('ATO: 2 folders · 2 pending').waitFor({ timeout: 30_000 });
  });

  test('the panel shows one folder, named in its title; the folder button switches it', async () => {
    await controlPanel(page).locator('[data-section="planning"]').waitFor({ timeout: 30_000 });
    assert.match(await controlPanel(page).locator('[data-section="planning"]').innerText(), /No planning folder yet/);
    await page.locator('.pane-header:has-text("Control Panel") .description', { hasText: 'api' }).waitFor({ timeout: 15_000 });
    await runCommand(page, 'ATO: Show Folder in Control Panel');
    const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'web' }).first();
    await pick.waitFor({ timeout: 15_000 });
    await pick.click();
    await page.locator('.pane-header:has-text("Control Panel") .description', { hasText: 'web' }).waitFor({ timeout: 15_000 });
    await controlPanel(page).locator('[data-section="queue"]', { hasText: 'Add a login form' }).waitFor({ timeout: 30_000 });
  });

  test('screenshots of the sidebar with two folders at 300 and 500 px', async () => {
    for (const width of [300, 500]) {
      await setSidebarWidth(page, width);
      await page.waitForTimeout(500);
      const file = path.join(artifactsDir, `multiroot-${width}.png`);
      await page.locator('.part.sidebar').screenshot({ path: file });
      assert.ok(fs.statSync(file).size > 5000, `${file} holds a real screenshot`);
    }
  });
});
