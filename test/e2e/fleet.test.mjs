// The fleet in a real VS Code (code-server 1.139, the extension from its .vsix), driven by Playwright: the
// control panel's Agents section with health and headroom, Test and Configure, the tree's Agents node, and
// the panel at the sidebar's default width and wide, light and dark (screenshots in test-results/e2e/).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { artifactsDir, launchChromium, repoRoot, runCommand, setColorTheme, setSidebarWidth, startCodeServer } from './harness.mjs';

const vsix = path.join(repoRoot, 'dist-vsix', 'ato.vsix');
const taskFile = (id, title) => `---\nid: ${id}\ntype: feature\nagent: counter\ntargets: [${id}.txt]\n---\n# ${title}\n\n**Prompt:**\nWrite result.txt.\n`;

let server, context, page;
const panel = () => page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
const agentCard = id => panel().locator(`[data-section="agents"] [data-agent="${id}"]`);

describe('the fleet in a real VS Code', () => {
  before(async () => {
    assert.ok(fs.existsSync(vsix), `build the .vsix first (npm run package): ${vsix} is missing`);
    fs.mkdirSync(artifactsDir, { recursive: true });
    server = await startCodeServer({
      vsix: [vsix],
      files: { 'README.md': '# fleet sample\n' },
      git: true,
      machineSettings: {
        'ato.agents.custom': [
          { id: 'counter', command: process.execPath, args: [path.join(repoRoot, 'test/fixtures/agents/countingAgent.mjs')], taskTypes: ['feature'], concurrent: 3 },
          { id: 'broken', command: '/nonexistent/agent-cli-that-is-not-installed', taskTypes: ['feature'] },
        ],
      },
    });
    context = await launchChromium(path.join(server.tmp, 'chromium'));
    page = context.pages()[0] ?? await context.newPage();
    await page.goto(server.url());
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  });

  after(async () => {
    if (page) await page.screenshot({ path: path.join(artifactsDir, 'fleet-last.png') }).catch(() => undefined);
    await context?.close();
    await server?.stop();
  });

  test('the Agents section shows each agent with health in words, load and headroom, and the tree an Agents node', async () => {
    await page.locator('.activitybar a[aria-label="ATO"]').click();
    // The welcome view says ATO is active and has looked for a planning folder.
    await page.locator('.sidebar .welcome-view-content', { hasText: 'no planning folder' }).waitFor({ timeout: 90_000 });
    await runCommand(page, 'ATO: Initialize Planning Folder');
    const pending = path.join(server.workspace, 'planning', 'issue_queue', 'pending');
    for (let i = 0; i < 50 && !fs.existsSync(pending); i++) await new Promise(r => setTimeout(r, 100));
    fs.writeFileSync(path.join(pending, 'fleet-one.task.md'), taskFile('fleet-one', 'First task for the fleet'));
    await runCommand(page, 'ATO: Open Control Panel');
    const counter = agentCard('counter');
    await counter.locator('.agent-health', { hasText: 'healthy' }).waitFor({ timeout: 60_000 });
    assert.deepEqual(await counter.locator('.meter-text').allTextContents(), ['0/3 running', '0 runs today', '$0.00 today']);
    assert.equal(await counter.locator('meter[aria-label="counter: runs in flight"]').count(), 1);
    const broken = agentCard('broken');
    await broken.locator('.agent-health', { hasText: 'unhealthy' }).waitFor({ timeout: 30_000 });
    // Its failing health check is said once, as the health detail, and not again as a last error (it never ran).
    assert.match(await broken.locator('.agent-detail').textContent(), /agent-cli-that-is-not-installed/);
    assert.equal(await broken.locator('.agent-error').count(), 0);
    assert.ok(await agentCard('claude-code').count() === 1, 'Claude Code is always listed');
    await page.locator('.sidebar .monaco-list-row', { hasText: 'Agents' }).first().waitFor({ timeout: 30_000 });
  });

  test('a run shows in the agent\'s headroom: runs today counts it', async () => {
    const row = panel().locator('[data-list="queue"] .vrow', { hasText: 'First task for the fleet' });
    await row.locator('[data-row-action="dispatchTask"]').click();
    await agentCard('counter').locator('.meter-text', { hasText: '1 run today' }).waitFor({ timeout: 60_000 });
    await agentCard('counter').locator('.meter-text', { hasText: '0/3 running' }).waitFor({ timeout: 60_000 });
  });

  test('Test runs Doctor\'s check for the agent and says how it went; Configure opens its setting', async () => {
    await agentCard('broken').locator('[data-row-action="testAgent"]').click();
    await page.locator('.notifications-toasts .notification-toast', { hasText: 'agent broken (custom)' }).first().waitFor({ timeout: 30_000 });
    await agentCard('counter').locator('[data-row-action="configureAgent"]').click();
    const settings = page.locator('.settings-editor');
    await settings.waitFor({ timeout: 30_000 });
    // The Settings editor searches for the agent's setting id.
    await settings.locator('.view-lines', { hasText: 'ato.agents.custom' }).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(artifactsDir, 'fleet-configure.png') });
    // VS Code 1.139 may open it in a second (modal) editor part: close it, so one editor part remains.
    await page.keyboard.press('Escape');
    await runCommand(page, 'View: Close All Editor Groups');
    await page.waitForFunction(() => document.querySelectorAll('.part.editor').length === 1, undefined, { timeout: 15_000 }).catch(() => undefined);
  });

  test('the panel reads at the sidebar\'s default width and wide, light and dark (screenshots)', async () => {
    for (const [theme, kind, workbench] of [['Light Modern', 'light', 'vs'], ['Dark Modern', 'dark', 'vs-dark']]) {
      await setColorTheme(page, theme);
      await page.locator(`.monaco-workbench.${workbench}`).waitFor({ timeout: 30_000 });
      await panel().locator(`body.vscode-${kind}`).waitFor({ timeout: 30_000 });
      for (const width of [300, 500]) {
        await setSidebarWidth(page, width);
        await agentCard('broken').scrollIntoViewIfNeeded();
        await page.waitForTimeout(300);
        const file = path.join(artifactsDir, `fleet-agents-${width}-${kind}.png`);
        await page.locator('.part.sidebar').screenshot({ path: file });
        assert.ok(fs.statSync(file).size > 5000, `${file} holds a real screenshot`);
        // Nothing in a card is wider than the panel: long errors wrap.
        const overflow = await agentCard('broken').evaluate(card => card.scrollWidth - card.clientWidth);
        assert.ok(overflow <= 1, `the broken agent's card overflows by ${overflow}px at ${width}px`);
      }
    }
  });
});
