// The planning loop in a real VS Code (code-server 1.139) against the project's fake GitHub, driven through
// the UI by Playwright: the workspace is a real clone of the fake's repository; the token is typed into
// ATO's password box; "Preview Next Tick" shows a plan, "Run One Tick" acts and every surface follows.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { artifactsDir, repoRoot } from './harness.mjs';
import { signInToFake, workbenchOnFakeClone } from './fakeGitHub.mjs';
import { screenshotSidebar } from './sidebarShots.mjs';

const vsix = path.join(repoRoot, 'dist-vsix', 'ato.vsix');
let fake, server, context, page;
/** The PR the needs-you test makes ready (the merge test confirms and merges it). */
let readyPr;

const shot = name => page.screenshot({ path: path.join(artifactsDir, `loop-${name}.png`) });
const panel = () => page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
const loopSection = () => panel().locator('[data-section="loop"]');
const overviewRows = () => page.locator('.sidebar .pane:has(.pane-header:has-text("Overview")) .monaco-list-row .label-name');

describe('the planning loop in a real VS Code, against the fake GitHub', () => {
  before(async () => {
    ({ fake, server, context, page } = await workbenchOnFakeClone({ vsix }));
  });

  after(async () => {
    if (page) await shot('last').catch(() => undefined);
    await context?.close();
    await server?.stop();
    fake?.stop();
  });

  test('signed in with a token, the panel shows the loop of the cloned repository, paused', async () => {
    await signInToFake(page, fake);
    await shot('01-paused');
  });

  test('"Preview Next Tick" shows the plan (open the gap-analysis issue) and writes nothing', async () => {
    await loopSection().locator('vscode-button[data-loop-action="preview"]').click();
    await loopSection().getByText(/gap-analysis issue/i).first().waitFor({ timeout: 60_000 });
    assert.match(await loopSection().innerText(), /1a/);
    assert.deepEqual(await fake.issues(), [], 'a preview creates nothing');
    await shot('02-preview');
  });

  test('"Run One Tick" opens the gap-analysis issue; the panel, the tree and GitHub agree', async () => {
    await loopSection().locator('vscode-button[data-loop-action="tick"]').click();
    for (let i = 0; i < 300 && (await fake.issues()).length === 0; i++) await new Promise(r => setTimeout(r, 100));
    const issues = await fake.issues();
    assert.equal(issues.length, 1);
    assert.match(issues[0].body, /<!-- ato:kind=gap-analysis -->/);
    await loopSection().getByText(new RegExp(`#${issues[0].number}`)).first().waitFor({ timeout: 30_000 });
    await overviewRows().filter({ hasText: /Loop/ }).first().waitFor({ timeout: 30_000 });
    await shot('03-after-tick');
  });

  test('a ready PR with auto-merge off becomes "needs you" in the status bar and the panel', async () => {
    const [issue] = await fake.issues();
    const pr = await fake.control('copilotOpensPullRequest', issue.number, { files: { 'planning/issue_queue/pending/add-login.task.md': '---\nid: add-login\ntype: feature\npriority: medium\n---\n# Add a login form\n\n**Prompt:**\nAdd a login form.\n' } });
    await fake.control('setCheckRuns', pr, [{ name: 'ci/build', status: 'completed', conclusion: 'success' }]);
    await fake.control('copilotFinishes', pr);
    readyPr = pr;
    await loopSection().locator('vscode-button[data-loop-action="tick"]').click();
    await page.locator('.statusbar-item .codicon-bell-dot').first().waitFor({ timeout: 60_000 });
    await panel().getByText(new RegExp(`#${pr}`)).first().waitFor({ timeout: 30_000 });
    assert.equal((await fake.issues()).filter(i => i.state === 'open').length, 1, 'nothing merged or opened without the user');
    await shot('04-needs-you');
  });

  test('Merge asks first, naming the PR\'s title, author, short head SHA and method; Cancel merges nothing, Merge merges', async () => {
    const number = readyPr;
    assert.ok(number, 'the needs-you test made a PR ready');
    const pr = await fake.pull(number);
    assert.equal(pr.merged, false);
    const merge = panel().locator('[data-section="needsYou"] button.row-action:has(.codicon-git-merge)').first();
    const dialog = page.locator('.monaco-dialog-box');
    await merge.click();
    await dialog.waitFor({ timeout: 30_000 });
    const text = await dialog.innerText();
    assert.match(text, new RegExp(`Merge PR #${number}`));
    assert.ok(text.includes(`Title: ${pr.title}`), text);
    // The loop reads the author from GraphQL, where the Copilot coding agent (REST's `Copilot`) is `copilot-swe-agent`.
    assert.ok(pr.user.login === 'Copilot' && text.includes('Author: copilot-swe-agent'), text);
    assert.ok(text.includes(`Head: ${pr.head.sha.slice(0, 7)}`) && !text.includes(pr.head.sha.slice(0, 8)), text);
    assert.match(text, /Method: squash/);
    await shot('05-merge-confirmation');
    await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
    await new Promise(resolve => setTimeout(resolve, 2_000));
    assert.equal((await fake.pull(number)).merged, false, 'Cancel merges nothing');

    await merge.click();
    await dialog.locator('.monaco-button', { hasText: /^Merge$/ }).click();
    for (let i = 0; i < 300 && !(await fake.pull(number)).merged; i++) await new Promise(r => setTimeout(r, 100));
    assert.equal((await fake.pull(number)).merged, true, 'Merge merges, through the guarded action');
  });
  test('after the merge the loop\'s queue has a task this checkout has not pulled: its row says so and offers only "Open on GitHub"', async () => {
    // The merged PR added pending/add-login.task.md on the fake's main; the workspace has not pulled.
    assert.ok(!fs.existsSync(path.join(server.workspace, 'planning', 'issue_queue', 'pending', 'add-login.task.md')));
    const row = panel().locator('[data-list="queue"] .vrow', { hasText: 'not in your checkout — git pull' }).first();
    for (let i = 0; i < 3 && await row.count() === 0; i++) {
      await loopSection().locator('[data-loop-state="paused"]').waitFor({ timeout: 60_000 });
      await loopSection().locator('vscode-button[data-loop-action="tick"]').click();
      await row.waitFor({ timeout: 20_000 }).catch(() => undefined);
    }
    await row.waitFor({ timeout: 30_000 });
    assert.match(await row.innerText(), /Add a login form/);
    assert.deepEqual(await row.locator('button.row-action').evaluateAll(buttons => buttons.map(button => button.getAttribute('aria-label'))), ['Open on GitHub'], 'no Dispatch, no Open: the file is not in the working tree');
    assert.equal(await row.locator('input.select').count(), 0, 'not selectable for Dispatch selected');
    await screenshotSidebar(page, row, 'loop-not-in-checkout', ['light', 'dark'], { overflow: false });
  });
});
