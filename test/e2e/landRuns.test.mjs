// Local runs you can land (issue 14) in a real VS Code (code-server, the extension from its .vsix), driven
// through the control panel by Playwright: a custom CLI agent's run finishes; its row in Runs offers View
// Diff, Open Pull Request, Merge and Discard; View Diff opens VS Code's multi-file diff editor; Discard asks
// in a modal, then removes the branch, and the actions go. Screenshots in test-results/e2e/.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { artifactsDir, launchChromium, repoRoot, runCommand, startCodeServer } from './harness.mjs';
import { eventually, screenshotSidebar, succeededRun } from './sidebarShots.mjs';

const vsix = path.join(repoRoot, 'dist-vsix', 'ato.vsix');
const taskFile = id => `---\nid: ${id}\ntype: feature\nagent: writer\n---\n# Write the landing sample\n\n**Prompt:**\nWrite src/landed.md.\n`;

let server, context, page;
const panel = () => page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
const queueFolder = folder => path.join(server.workspace, 'planning', 'issue_queue', folder);
const git = (...args) => execFileSync('git', args, { cwd: server.workspace, encoding: 'utf8' }).trim();
const landActions = ['viewRunDiff', 'openRunPullRequest', 'mergeRun', 'discardRun'];

describe('landing a finished local run in a real VS Code', () => {
  before(async () => {
    assert.ok(fs.existsSync(vsix), `build the .vsix first (npm run package): ${vsix} is missing`);
    fs.mkdirSync(artifactsDir, { recursive: true });
    server = await startCodeServer({
      vsix: [vsix],
      files: { 'README.md': '# landing sample\n' },
      git: true,
      machineSettings: {
        'ato.agents.custom': [
          { id: 'writer', command: process.execPath, args: [path.join(repoRoot, 'test/fixtures/agents/scripted-agent.mjs')], env: { AGENT_MODE: 'write', AGENT_FILE: 'src/landed.md' }, taskTypes: ['feature'], concurrent: 1 },
        ],
      },
    });
    context = await launchChromium(path.join(server.tmp, 'chromium'));
    page = context.pages()[0] ?? await context.newPage();
    await page.goto(server.url(), { timeout: 90_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    await page.locator('.activitybar a[aria-label="ATO"]').click({ timeout: 90_000 });
    await page.locator('.sidebar .welcome-view-content', { hasText: 'no planning folder' }).waitFor({ timeout: 90_000 });
    await runCommand(page, 'ATO: Initialize Planning Folder');
    await eventually('the queue folders', () => ['pending', 'processed', 'complete'].every(folder => fs.existsSync(queueFolder(folder))), 30_000);
    // The planning folder is committed: the run's worktree starts from a commit that has it.
    git('-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', 'add', '--all');
    git('-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', 'commit', '--quiet', '-m', 'planning folder');
    await page.locator('.part.editor').click({ position: { x: 200, y: 200 } });
  });

  after(async () => {
    if (page) await page.screenshot({ path: path.join(artifactsDir, 'land-runs-last.png') }).catch(() => undefined);
    await context?.close();
    await server?.stop();
  });

  test('a finished run offers its Land actions in the panel; View Diff opens the diff; Discard (confirmed) deletes the branch and the actions go', async () => {
    fs.writeFileSync(path.join(queueFolder('pending'), 'land-me.task.md'), taskFile('land-me'));
    await runCommand(page, 'ATO: Open Control Panel');
    const queued = panel().locator('[data-list="queue"] .vrow', { hasText: 'Write the landing sample' });
    await queued.locator('[data-row-action="dispatchTask"]').click({ timeout: 60_000 });
    await eventually('land-me in complete/', () => fs.existsSync(path.join(queueFolder('complete'), 'land-me.task.md')), 90_000);
    const row = await succeededRun(page, 'land-me', 60_000);
    await row.waitFor({ timeout: 30_000 });
    const records = () => fs.readdirSync(path.join(server.workspace, '.ato', 'runs')).filter(name => name.endsWith('.json')).map(name => JSON.parse(fs.readFileSync(path.join(server.workspace, '.ato', 'runs', name), 'utf8')));
    const record = await eventually('the run record, succeeded', () => records().find(each => each.taskId === 'land-me' && each.state === 'succeeded'), 30_000);
    assert.equal(record.branch, 'ato/land-me');
    assert.match(record.baseSha, /^[0-9a-f]{40}$/);

    // The Land actions, enabled (a trusted workspace), after Show Log.
    for (const type of landActions) await row.locator(`[data-row-action="${type}"]`).waitFor({ timeout: 30_000 });
    const shown = await row.locator('[data-row-action]').evaluateAll(buttons => buttons.map(button => [button.dataset.rowAction, button.hasAttribute('disabled')]));
    assert.deepEqual(shown, [['showRunLog', false], ...landActions.map(type => [type, false]), ['showTaskEvents', false]]);
    await screenshotSidebar(page, row, 'land-run-actions', ['light', 'dark'], { inner: '.row-actions, .row-actions *', overflow: false });

    // The run log has its header and footer.
    const log = fs.readFileSync(path.join(server.workspace, '.ato', 'runs', `${record.runId}.log`), 'utf8');
    assert.match(log, /^agent: {5}writer$/m);
    assert.match(log, /^command: {3}\S+ \S*scripted-agent\.mjs$/m);
    assert.match(log, /^exit code: 0$/m);

    // View Diff: VS Code's multi-file diff editor with the file the agent wrote.
    await row.locator('[data-row-action="viewRunDiff"]').click();
    const editorTab = page.locator('.tabs-container .tab', { hasText: 'ato/land-me' });
    await editorTab.waitFor({ timeout: 60_000 });
    await page.locator('.part.editor', { hasText: 'landed.md' }).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(artifactsDir, 'land-run-diff.png') });

    // Discard: a modal asks first; Cancel keeps everything.
    await row.locator('[data-row-action="discardRun"]').click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    assert.match(await dialog.textContent(), /Discard ato\/land-me\?/);
    await page.locator('.part.sidebar').screenshot({ path: path.join(artifactsDir, 'land-run-discard-modal.png') }).catch(() => undefined);
    await page.screenshot({ path: path.join(artifactsDir, 'land-run-discard-modal-window.png') });
    await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(git('branch', '--list', 'ato/land-me'), 'ato/land-me', 'cancelled: the branch stays');

    await row.locator('[data-row-action="discardRun"]').click();
    await dialog.waitFor({ timeout: 30_000 });
    await dialog.locator('.monaco-button', { hasText: /^Discard$/ }).click();
    await eventually('the branch deleted', () => git('branch', '--list', 'ato/land-me') === '', 30_000);
    const landed = await eventually('the record says discarded', () => records().find(each => each.runId === record.runId && each.landing?.kind === 'discarded'), 30_000);
    assert.match(landed.landing.detail, /deleted ato\/land-me \(it was at [0-9a-f]{40};/);
    await eventually('the Land actions gone', async () => (await row.locator('[data-row-action="discardRun"]').count()) === 0, 30_000);
    assert.deepEqual(await row.locator('[data-row-action]').evaluateAll(buttons => buttons.map(button => button.dataset.rowAction)), ['showRunLog', 'showTaskEvents']);
    await page.locator('.notifications-toasts', { hasText: 'deleted ato/land-me' }).waitFor({ timeout: 30_000 });
    await page.locator('.part.sidebar').screenshot({ path: path.join(artifactsDir, 'land-run-discarded-300-dark.png') });
  });
});
