// The extension, installed from its .vsix into a real VS Code (code-server 1.139), driven through the
// UI by Playwright in Chromium: what a user sees and does. Run by scripts/test.mjs (node --test).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { artifactsDir, filesContaining, launchChromium, repoRoot, runCommand, setColorTheme, setSidebarWidth, startCodeServer } from './harness.mjs';

const vsix = path.join(repoRoot, 'dist-vsix', 'ato.vsix');
// One unique canary per secret; none may appear anywhere ATO writes or shows.
const canaries = {
  'ATO: Set GitHub Token': `ghcanary${Date.now()}GITHUBxx`,
  'ATO: Set GitLab Token': `glcanary${Date.now()}GITLABxx`,
  'ATO: Set Jules API Key': `jucanary${Date.now()}JULESxxx`,
  'ATO: Set Anthropic API Key': `ancanary${Date.now()}ANTHROPIC`,
};

let echo, echoed = [], server, context, page;

/** A server that fails every request with a 500 whose body echoes the request's headers back. */
function startHeaderEcho() {
  return new Promise(resolve => {
    const s = http.createServer((req, res) => {
      echoed.push(JSON.stringify(req.headers));
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'echo', path: req.url, headers: req.headers }));
    }).listen(0, '127.0.0.1', () => resolve(s));
  });
}

const shot = name => page.screenshot({ path: path.join(artifactsDir, `${name}.png`) });
const panel = () => page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
const overviewRows = () => page.locator('.sidebar .pane:has(.pane-header:has-text("Overview")) .monaco-list-row .label-name');
/** The control panel's own frame (inside VS Code's webview iframe), to run code in it. */
async function findPanelFrame() {
  await panel().locator('[data-section="planning"]').waitFor({ timeout: 30_000 });
  for (const frame of page.frames()) {
    if (await frame.locator('#app[aria-live]').count().catch(() => 0)) return frame;
  }
  throw new Error('control panel frame not found');
}
const statusItem = text => page.locator('.statusbar-item', { hasText: text });
/** The user's `workbench.colorTheme`, as VS Code saved it (the web workbench does not watch settings.json for edits, so the theme picker sets it). */
function savedColorTheme() {
  const text = fs.readFileSync(path.join(server.userData, 'User', 'settings.json'), 'utf8');
  return /"workbench\.colorTheme"\s*:\s*"([^"]*)"/.exec(text)?.[1];
}
describe('ATO in a real VS Code', () => {
  before(async () => {
    assert.ok(fs.existsSync(vsix), `build the .vsix first (npm run package): ${vsix} is missing`);
    fs.mkdirSync(artifactsDir, { recursive: true });
    echo = await startHeaderEcho();
    const api = `http://127.0.0.1:${echo.address().port}`;
    server = await startCodeServer({
      vsix: [vsix],
      files: { 'README.md': '# sample project\n', 'src/index.ts': 'export const answer = 42;\n', 'app.ts': 'export function add(a: number, b: number) { return a + b; }\n' },
      machineSettings: {
        'ato.github.apiUrl': `${api}/github`,
        'ato.gitlab.apiUrl': `${api}/gitlab`,
        'ato.jules.apiUrl': `${api}/jules`,
        'ato.anthropic.apiUrl': `${api}/anthropic`,
        'ato.network.timeoutSeconds': 5,
      },
    });
    context = await launchChromium(path.join(server.tmp, 'chromium'));
    page = context.pages()[0] ?? await context.newPage();
    await page.goto(server.url());
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  });

  after(async () => {
    if (page) await shot('last').catch(() => undefined);
    await context?.close();
    await server?.stop();
    echo?.close();
  });

  test('the .vsix carries the users\' README with every image it links (relative, not rewritten), and no CONTRIBUTING', () => {
    const files = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).split('\n');
    const readme = execFileSync('unzip', ['-p', vsix, 'extension/readme.md'], { encoding: 'utf8' });
    assert.equal(readme, fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8'), 'the README as written: its relative links are left for the details page to resolve');
    assert.match(readme.split('\n').slice(0, 12).join('\n'), /npm ci && npm start[\s\S]*npm ci && npm test/, 'its first lines still name the two commands');
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map(match => match[1]);
    assert.ok(images.length >= 2, 'the README shows screenshots');
    for (const image of images) {
      assert.doesNotMatch(image, /^\w+:/, `a relative link: ${image}`);
      assert.ok(files.includes(`extension/${image}`), `${image} is in the .vsix`);
    }
    assert.ok(!files.some(file => /contributing/i.test(file)), 'CONTRIBUTING.md stays in the repository');
  });

  test('opening the ATO container activates the extension: status bar, welcome view, control panel', async () => {
    await page.locator('.activitybar a[aria-label="ATO"]').click();
    await statusItem('ATO: no planning folder').waitFor({ timeout: 60_000 });
    const welcome = page.locator('.sidebar .welcome-view-content', { hasText: 'no planning folder' });
    await welcome.waitFor({ timeout: 30_000 });
    assert.ok(await welcome.locator('a.monaco-button', { hasText: 'Initialize Planning Folder' }).isVisible());
    await panel().locator('[data-section="planning"]').waitFor({ timeout: 30_000 });
    assert.match(await panel().locator('[data-section="planning"]').innerText(), /No planning folder yet/);
    assert.ok(await panel().locator('vscode-button[data-action="initPlanningFolder"]').isVisible());
    // No loop runs yet: one line says so and what to do, with no buttons that could do nothing (issue 14).
    const loop = panel().locator('[data-section="loop"]');
    assert.equal(await loop.locator('[data-loop-state]').getAttribute('data-loop-state'), 'off');
    assert.match(await loop.locator('.loop-state-detail').innerText(), /^Loop off: there is no planning folder yet/);
    assert.equal(await loop.locator('vscode-button').count(), 0);
    await shot('01-no-planning-folder');
  });

  test('"ATO: Initialize Planning Folder" from the palette creates the folder and every surface updates', async () => {
    await runCommand(page, 'ATO: Initialize Planning Folder');
    const goal = path.join(server.workspace, 'planning', 'vision', 'goal.md');
    for (let i = 0; i < 100 && !fs.existsSync(goal); i++) await new Promise(r => setTimeout(r, 100));
    assert.ok(fs.existsSync(goal), 'planning/vision/goal.md was created');
    // The folder is created piece by piece: goal.md can be there a moment before the queue folders.
    const queueFolders = ['pending', 'processed', 'complete'].map(folder => path.join(server.workspace, 'planning', 'issue_queue', folder));
    for (let i = 0; i < 100 && !queueFolders.every(folder => fs.existsSync(folder)); i++) await new Promise(r => setTimeout(r, 100));
    for (const folder of queueFolders) assert.ok(fs.existsSync(folder), folder);
    await page.locator('.tabs-container .tab', { hasText: 'goal.md' }).waitFor({ timeout: 15_000 });
    await statusItem('ATO: 0 pending · 0 dispatched').waitFor({ timeout: 15_000 });
    await overviewRows().filter({ hasText: 'Queue' }).waitFor({ timeout: 15_000 });
    const rows = await overviewRows().allTextContents();
    assert.ok(rows.includes('Planning folder') && rows.includes('Queue') && rows.includes('Accounts'), `tree rows: ${rows.join(', ')}`);
    await panel().locator('[data-section="planning"]', { hasText: '0 pending' }).waitFor({ timeout: 15_000 });
    // One snapshot, one truth (issue 14): the update that says the folder is there does not leave the loop line
    // saying "no planning folder yet" (it did for ~6 s, until the loop's rebuild ended).
    assert.doesNotMatch(await panel().locator('[data-section="loop"]').innerText(), /no planning folder/i);
    await shot('02-planning-folder-ready');
  });

  test('a task file dropped into pending/ shows up in the tree, the panel and the status bar', async () => {
    fs.writeFileSync(path.join(server.workspace, 'planning', 'issue_queue', 'pending', 'add-login.task.md'), '# Add a login form\n');
    await statusItem('ATO: 1 pending').waitFor({ timeout: 30_000 });
    await panel().locator('[data-section="planning"]', { hasText: '1 pending' }).waitFor({ timeout: 30_000 });
  });

  test('right-click a file → "Delegate to AI…" → a task file with that target appears in pending/', async () => {
    await page.locator('.activitybar a[aria-label^="Explorer"]').click();
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'app.ts' });
    await row.waitFor({ timeout: 15_000 });
    await row.click({ button: 'right' });
    // VS Code's menus act on the focused item: hover it, then Enter (a synthetic click is not always taken).
    await page.locator('.context-view .action-label', { hasText: 'Delegate to AI…' }).hover();
    await page.keyboard.press('Enter');
    const box = page.locator('.quick-input-widget');
    await box.locator('.quick-input-title', { hasText: 'Delegate app.ts to AI' }).waitFor({ timeout: 15_000 });
    await box.locator('input').fill('Add overflow checks to add()');
    await page.keyboard.press('Enter');
    const file = path.join(server.workspace, 'planning', 'issue_queue', 'pending', 'add-overflow-checks-to-add.task.md');
    for (let i = 0; i < 100 && !fs.existsSync(file); i++) await new Promise(r => setTimeout(r, 100));
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /^# Add overflow checks to add\(\)$/m);
    assert.match(text, /\*\*Target Files:\*\*\n- app\.ts\n/);
    await page.locator('.notifications-toasts', { hasText: 'queued "add-overflow-checks-to-add"' }).waitFor({ timeout: 15_000 });
    await shot('04-delegated');
    await page.locator('.activitybar a[aria-label="ATO"]').click();
  });

  test('a task file with an error shows in the Problems panel; fixing it clears it', async () => {
    const file = path.join(server.workspace, 'planning', 'issue_queue', 'pending', 'broken.task.md');
    const text = type => `---\ntype: ${type}\npriority: high\n---\n# Fix the flaky test\n\n**Prompt:**\nMake it pass reliably.\n`;
    fs.writeFileSync(file, text('fixx'));
    // The status bar's problems item opens the panel (a shortcut could land in the focused webview instead).
    await page.locator('[id="status.problems"]').click();
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'Unknown type "fixx"' });
    await problem.waitFor({ timeout: 30_000 }).catch(async error => { await shot('problems-fail'); throw error; });
    assert.match(await problem.innerText(), /did you mean "fix"/);
    await shot('05-problems-panel');
    fs.writeFileSync(file, text('fix'));
    await problem.waitFor({ state: 'detached', timeout: 30_000 });
    await page.locator('[id="status.problems"]').click(); // and closes it again
    await page.locator('.markers-panel').waitFor({ state: 'hidden' });
  });

  test('canary: secrets set through the UI appear in no log, event, file, webview or message', async () => {
    // Record every message the control panel receives from here on.
    const panelFrame = await findPanelFrame();
    await panelFrame.evaluate(() => {
      window.__atoMessages = [];
      window.addEventListener('message', event => { window.__atoMessages.push(JSON.stringify(event.data)); });
    });
    for (const [title, canary] of Object.entries(canaries)) {
      await runCommand(page, title);
      const box = page.locator('.quick-input-widget');
      await box.locator('.quick-input-title', { hasText: title }).waitFor({ timeout: 15_000 });
      assert.equal(await box.locator('input').getAttribute('type'), 'password', 'keys are typed into a password box');
      await box.locator('input').fill(canary);
      await page.keyboard.press('Enter');
      await box.waitFor({ state: 'hidden' });
    }
    await overviewRows().filter({ hasText: 'GitHub' }).waitFor();
    await page.locator('.sidebar .monaco-list-row', { hasText: 'token set' }).first().waitFor({ timeout: 15_000 });

    await runCommand(page, 'ATO: Doctor');
    const editor = page.locator('.editor-instance .view-lines');
    await editor.filter({ hasText: 'ATO Doctor' }).waitFor({ timeout: 30_000 });
    // Monaco renders only the visible lines: read the report at the top, then at the end (the connections).
    const reportTop = await editor.innerText();
    await editor.click();
    await page.keyboard.press('Control+End');
    await editor.filter({ hasText: 'HTTP 500' }).waitFor({ timeout: 30_000 });
    await shot('03-doctor-report');

    // The requests really carried the secrets (so the check below is meaningful)...
    for (const canary of Object.values(canaries)) assert.ok(echoed.some(h => h.includes(canary)), 'the echo server received each key');
    // ...and the server's echo of them went nowhere.
    const report = `${reportTop}\n${await editor.innerText()}`;
    const pageText = await page.evaluate(() => document.body.innerText);
    const panelText = await panel().locator('body').innerText();
    await panel().locator('[data-section="accounts"]', { hasText: 'Anthropic API key set' }).waitFor();
    const panelMessages = await panelFrame.evaluate(() => window.__atoMessages);
    assert.ok(panelMessages.some(m => m.includes('"type":"update"')), 'the panel received updates while the keys were set');
    const logs = path.join(server.userData, 'logs');
    // The ATO output channel's file: it logged each failed connection, with the echo redacted.
    const atoLog = filesContaining(logs, 'doctor: GitHub').find(file => file.endsWith(path.join('ato-team.ato', 'ATO.log')));
    assert.ok(atoLog, 'the ATO log channel logged the doctor run to disk');
    assert.match(fs.readFileSync(path.join(logs, atoLog), 'utf8'), /authorization\W+Bearer ‹redacted›/);
    for (const canary of Object.values(canaries)) {
      assert.ok(!report.includes(canary), 'doctor report');
      assert.ok(!pageText.includes(canary), 'workbench text (notifications, status bar, tree)');
      assert.ok(!panelText.includes(canary), 'control panel');
      assert.ok(!panelMessages.some(m => m.includes(canary)), 'messages posted to the control panel');
      assert.deepEqual(filesContaining(server.workspace, canary), [], 'files in the workspace (.ato/ event log included)');
      assert.deepEqual(filesContaining(logs, canary), [], 'VS Code logs, the ATO output channel included');
    }
    const events = fs.readFileSync(path.join(server.workspace, '.ato', 'events.ndjson'), 'utf8');
    assert.match(events, /"kind":"doctor.ran"/);
    assert.match(events, /‹redacted›/, 'the echoed keys were redacted in the event log');
  });

  test('the control panel follows the light and the dark theme (screenshots saved as artifacts)', async () => {
    await runCommand(page, 'ATO: Open Control Panel');
    // No GitHub remote here: local mode leads with the queue, runs and agents; the loop is one line saying how
    // to turn it on, with no stepper and no buttons that could do nothing (issue 14).
    const loop = panel().locator('[data-section="loop"]');
    await loop.locator('.loop-collapsed').waitFor({ timeout: 30_000 });
    assert.match(await loop.innerText(), /^Local mode: the GitHub loop turns on with a GitHub origin remote/);
    assert.deepEqual([await loop.locator('.stepper').count(), await loop.locator('vscode-button').count()], [0, 0]);
    assert.ok(await panel().locator('[data-section="redPrs"]').isHidden(), 'no pull-request lists in local mode');
    const colours = {};
    for (const [theme, kind, workbench] of [['Light Modern', 'light', 'vs'], ['Dark Modern', 'dark', 'vs-dark']]) {
      await setColorTheme(page, theme);
      await page.locator(`.monaco-workbench.${workbench}`).waitFor({ timeout: 30_000 });
      // VS Code 1.139 saves the label; older versions saved "Default <label>".
      const saved = () => [theme, `Default ${theme}`].includes(savedColorTheme() ?? '');
      for (let i = 0; i < 50 && !saved(); i++) await new Promise(r => setTimeout(r, 100));
      assert.ok(saved(), `the workbench.colorTheme setting holds the theme (${savedColorTheme() ?? 'unset'})`);
      await panel().locator(`body.vscode-${kind}`).waitFor({ timeout: 30_000 });
      // The panel's colours come from the theme's variables (checked on the rendered page, not assumed).
      colours[kind] = await panel().locator('body').evaluate(body => [getComputedStyle(body).color, getComputedStyle(body).backgroundColor].join(' / '));
      await page.waitForTimeout(300); // let the webview repaint before the screenshot
      const file = path.join(artifactsDir, `panel-${kind}.png`);
      await page.locator('.part.sidebar').screenshot({ path: file });
      assert.ok(fs.statSync(file).size > 5000, `${file} holds a real screenshot`);
      await shot(`06-workbench-${kind}`);
    }
    assert.notEqual(colours.light, colours.dark, `the panel's text colours follow the theme: ${JSON.stringify(colours)}`);
    // Local mode at the sidebar's default width and wide, light and dark: the one loop line wraps, nothing is cut.
    for (const [theme, kind, workbench] of [['Light Modern', 'light', 'vs'], ['Dark Modern', 'dark', 'vs-dark']]) {
      await setColorTheme(page, theme);
      await page.locator(`.monaco-workbench.${workbench}`).waitFor({ timeout: 30_000 });
      await panel().locator(`body.vscode-${kind}`).waitFor({ timeout: 30_000 });
      for (const width of [300, 500]) {
        await setSidebarWidth(page, width);
        await page.waitForTimeout(300);
        const line = loop.locator('.loop-collapsed .loop-state-detail');
        assert.ok(await line.evaluate(node => node.scrollWidth <= node.clientWidth + 1), `the loop line fits at ${width}px`);
        const file = path.join(artifactsDir, `panel-local-${width}-${kind}.png`);
        await page.locator('.part.sidebar').screenshot({ path: file });
        assert.ok(fs.statSync(file).size > 5000, `${file} holds a real screenshot`);
      }
    }
  });
});
