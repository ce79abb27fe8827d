// A new user's first minutes in a real VS Code (code-server 1.139), driven through the UI by Playwright:
// `npm start` opens its sample trusted; a task whose run failed goes back to pending/ with the panel's
// Requeue button and then runs to the end; a folder in Restricted Mode says so where the user looks, with
// the way out. Screenshots go to test-results/e2e/.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { artifactsDir, controlPanel, launchChromium, repoRoot, setColorTheme, setSidebarWidth, startCodeServer } from './harness.mjs';

const vsix = path.join(repoRoot, 'dist-vsix', 'ato.vsix');
const statusItem = (page, text) => page.locator('.statusbar-item', { hasText: text });
const overviewRows = page => page.locator('.sidebar .pane:has(.pane-header:has-text("Overview")) .monaco-list-row');
const exists = async (file, timeoutMs = 30_000) => {
  for (let waited = 0; waited < timeoutMs && !fs.existsSync(file); waited += 100) await new Promise(r => setTimeout(r, 100));
  return fs.existsSync(file);
};

/** A planning folder with one task for the agent `second-try`, whose first run fails. */
const planningFiles = {
  'README.md': '# a project\n',
  'planning/vision/goal.md': '# Goal\n',
  'planning/state/system_capabilities.md': '# Capabilities\n',
  'planning/reviews/README.md': '# Reviews\n',
  'planning/issue_queue/processed/.gitkeep': '',
  'planning/issue_queue/complete/.gitkeep': '',
  'planning/issue_queue/pending/add-farewell.task.md': '---\nid: add-farewell\nagent: second-try\n---\n# Add a farewell\n\n**Prompt:**\nWrite result.txt.\n',
};

describe('Requeue in the control panel', () => {
  let server, context, page;
  const queueFile = folder => path.join(server.workspace, 'planning', 'issue_queue', folder, 'add-farewell.task.md');

  before(async () => {
    assert.ok(fs.existsSync(vsix), `build the .vsix first (npm run package): ${vsix} is missing`);
    fs.mkdirSync(artifactsDir, { recursive: true });
    const marker = path.join(fs.mkdtempSync(path.join(repoRoot, 'test-results', 'e2e-agent-')), 'first-run-failed');
    server = await startCodeServer({
      vsix: [vsix],
      files: planningFiles,
      git: true,
      machineSettings: { 'ato.agents.custom': [{ id: 'second-try', command: process.execPath, args: [path.join(repoRoot, 'test/fixtures/agents/failThenSucceed.mjs'), marker] }] },
    });
    context = await launchChromium(path.join(server.tmp, 'chromium'));
    page = context.pages()[0] ?? await context.newPage();
    await page.goto(server.url());
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  });

  after(async () => {
    if (page) await page.screenshot({ path: path.join(artifactsDir, 'requeue-last.png') }).catch(() => undefined);
    await context?.close();
    await server?.stop();
  });

  test('a failed run offers Requeue; the button puts the task back in pending/, and dispatched again it completes', async () => {
    await page.locator('.activitybar a[aria-label="ATO"]').click();
    await statusItem(page, 'ATO: 1 pending').waitFor({ timeout: 60_000 });
    const panel = controlPanel(page);
    await panel.locator('.vrow[data-key="task:issue_queue/pending/add-farewell.task.md"] [data-row-action="dispatchTask"]').click({ timeout: 30_000 });

    const failedRun = panel.locator('.vrow[data-state="failed"]');
    await failedRun.waitFor({ timeout: 60_000 });
    assert.ok(await exists(queueFile('processed')), 'the failed task waits in processed/');
    const inbox = panel.locator('.vrow[data-kind="runFailed"]');
    await inbox.waitFor({ timeout: 15_000 });
    assert.match(await inbox.innerText(), /\(add-farewell\) failed on second-try/);
    assert.equal(await inbox.locator('[data-row-action="requeueTask"]').getAttribute('aria-label'), 'Requeue');
    assert.equal(await failedRun.locator('[data-row-action="requeueTask"]').count(), 1, 'the run row has its Requeue button');

    // The panel at the default sidebar width, in the light and the dark theme.
    for (const [theme, kind, workbench] of [['Light Modern', 'light', 'vs'], ['Dark Modern', 'dark', 'vs-dark']]) {
      await setColorTheme(page, theme);
      await page.locator(`.monaco-workbench.${workbench}`).waitFor({ timeout: 30_000 });
      await panel.locator(`body.vscode-${kind}`).waitFor({ timeout: 30_000 });
      for (const [part, locator] of [['inbox', inbox], ['runs', failedRun]]) {
        await locator.scrollIntoViewIfNeeded();
        await page.waitForTimeout(300);
        const file = path.join(artifactsDir, `requeue-${part}-${kind}.png`);
        await page.locator('.part.sidebar').screenshot({ path: file });
        assert.ok(fs.statSync(file).size > 5000, `${file} holds a real screenshot`);
      }
    }

    await failedRun.locator('[data-row-action="requeueTask"]').click();
    assert.ok(await exists(queueFile('pending')), 'back in pending/');
    assert.ok(!fs.existsSync(queueFile('processed')), 'and only there');
    await page.locator('.notifications-toasts', { hasText: '"add-farewell" is back in pending/' }).waitFor({ timeout: 15_000 });
    await inbox.waitFor({ state: 'detached', timeout: 15_000 });

    await panel.locator('.vrow[data-key="task:issue_queue/pending/add-farewell.task.md"] [data-row-action="dispatchTask"]').click({ timeout: 30_000 });
    assert.ok(await exists(queueFile('complete'), 60_000), 'the second run completed the task');
    await panel.locator('.vrow.group[data-group="runs:succeeded"]').waitFor({ timeout: 30_000 });
    await page.locator('.part.sidebar').screenshot({ path: path.join(artifactsDir, 'requeue-done.png') });
  });
});

describe('Restricted Mode says so, with the way out', () => {
  let server, context, page;

  before(async () => {
    server = await startCodeServer({ vsix: [vsix], files: planningFiles, trusted: false });
    context = await launchChromium(path.join(server.tmp, 'chromium'));
    page = context.pages()[0] ?? await context.newPage();
    await page.goto(server.url());
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  });

  after(async () => {
    await context?.close();
    await server?.stop();
  });

  test('the status bar, the tree and the panel say ATO shows state and takes no action; the panel\'s button opens Workspace Trust', async () => {
    // The prompt VS Code shows on opening an untrusted folder: keep it restricted.
    const prompt = page.locator('.monaco-dialog-box');
    if (await prompt.isVisible({ timeout: 15_000 }).catch(() => false)) await prompt.locator('.monaco-button', { hasText: /No|Don't Trust|Restricted/ }).first().click();
    await page.locator('.activitybar a[aria-label="ATO"]').click();
    await statusItem(page, 'ATO: Restricted Mode').waitFor({ timeout: 60_000 });
    await overviewRows(page).filter({ hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30_000 });
    assert.match(await overviewRows(page).first().innerText(), /Restricted Mode/, 'the first row of the tree');
    const notice = controlPanel(page).locator('[data-section="trust"]');
    await notice.waitFor({ timeout: 30_000 });
    assert.match(await notice.innerText(), /takes no action: it runs no agent, writes nothing and makes no request/);
    // The lists the loop fills from GitHub say that Restricted Mode hides them, not "No GitHub remote yet".
    for (const [section, hidden] of [['redPrs', 'Restricted Mode hides red PRs'], ['followedPrs', 'Restricted Mode hides the loop\'s pull requests'], ['needsYou', 'Restricted Mode hides what the loop would find']]) {
      const text = await controlPanel(page).locator(`[data-section="${section}"]`).innerText();
      assert.ok(text.includes(hidden) && !text.includes('No GitHub remote'), `${section}: ${text}`);
    }
    for (const [theme, kind] of [['Light Modern', 'light'], ['Dark Modern', 'dark']]) {
      await setColorTheme(page, theme);
      await controlPanel(page).locator(`body.vscode-${kind}`).waitFor({ timeout: 30_000 });
      for (const width of [300, 500]) {
        await setSidebarWidth(page, width);
        await controlPanel(page).locator('[data-section="redPrs"]').scrollIntoViewIfNeeded();
        await page.waitForTimeout(300);
        await page.locator('.part.sidebar').screenshot({ path: path.join(artifactsDir, `restricted-lists-${width}-${kind}.png`) });
      }
    }
    await page.waitForTimeout(300);
    await page.locator('.part.sidebar').screenshot({ path: path.join(artifactsDir, 'restricted-dark.png') });
    await notice.locator('vscode-button[data-action="manageTrust"]').click();
    // VS Code 1.139 opens the Workspace Trust editor as a modal over the workbench.
    await page.getByText('You are in Restricted Mode').waitFor({ timeout: 30_000 }).catch(async error => {
      await page.screenshot({ path: path.join(artifactsDir, 'restricted-fail.png') });
      throw error;
    });
  });
});

describe('npm start with code-server opens the sample trusted', () => {
  let start, context, page, tmp;

  const freePort = () => new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    }).on('error', reject);
  });

  before(async () => {
    tmp = fs.mkdtempSync(path.join(repoRoot, 'test-results', 'e2e-start-'));
    const port = await freePort();
    const dir = name => { const p = path.join(tmp, name); fs.mkdirSync(p, { recursive: true }); return p; };
    const env = {
      ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(ATO_(?!E2E_HOME)|GITHUB_TOKEN|GH_TOKEN|ANTHROPIC_API_KEY)/.test(key))),
      ATO_USE_CODE_SERVER: '1', PORT: String(port), ATO_SAMPLE_WORKSPACE: path.join(tmp, 'sample'), ATO_CODE_SERVER_PROFILE: path.join(tmp, 'profile'),
      XDG_CONFIG_HOME: dir('xdg-config'), XDG_DATA_HOME: dir('xdg-data'), XDG_CACHE_HOME: dir('xdg-cache'),
    };
    start = spawn('bash', ['scripts/start.sh'], { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const url = await new Promise((resolve, reject) => {
      const read = chunk => {
        out += chunk;
        const found = /at: (http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)/.exec(out)?.[1];
        if (found) resolve(found);
      };
      start.stdout.on('data', read);
      start.stderr.on('data', read);
      start.on('exit', code => reject(new Error(`npm start exited (${code}): ${out}`)));
    });
    for (let i = 0; ; i++) {
      try { if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break; } catch { /* not up yet */ }
      if (i > 600) throw new Error(`code-server did not answer: ${out}`);
      await new Promise(r => setTimeout(r, 100));
    }
    context = await launchChromium(path.join(tmp, 'chromium'));
    page = context.pages()[0] ?? await context.newPage();
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  });

  after(async () => {
    await context?.close();
    if (start?.pid !== undefined) try { process.kill(-start.pid, 'SIGTERM'); } catch { /* gone */ }
    if (tmp !== undefined && !process.env.KEEP_E2E_TMP) fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 5 });
  });

  test('no trust prompt, no Restricted Mode: ATO shows the sample\'s example task, ready to dispatch', async () => {
    await page.locator('.activitybar a[aria-label="ATO"]').click();
    // "ATO: 1 pending · 0 dispatched", or "ATO: 1 pending" once the local loop's state is known.
    await statusItem(page, 'ATO: 1 pending').waitFor({ timeout: 60_000 });
    assert.equal(await statusItem(page, 'Restricted Mode').count(), 0);
    assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'no "Do you trust the authors" prompt');
    const panel = controlPanel(page);
    await panel.locator('.vrow[data-key="task:issue_queue/pending/add-farewell.task.md"]').waitFor({ timeout: 30_000 });
    assert.equal(await panel.locator('[data-section="trust"]').count(), 0);
    assert.equal(await panel.locator('.vrow[data-key="task:issue_queue/pending/add-farewell.task.md"] [data-row-action="dispatchTask"]').getAttribute('disabled'), null, 'Dispatch Now is enabled');
    await page.screenshot({ path: path.join(artifactsDir, 'npm-start-sample.png') });
  });
});
