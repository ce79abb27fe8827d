// The maintenance track in a real VS Code (code-server) against the project's fake GitHub (issue 11): a red
// Copilot PR shows as a card in the panel's Red PRs section (state, attempts, the reason); "Fix now" asks
// Copilot exactly once with the failed job's log excerpt; the card then says "fixing · attempt 1 of 3" with the
// excerpt, the status bar counts it; screenshots at the sidebar's default and a wide width, light and dark.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { artifactsDir, controlPanel, repoRoot } from './harness.mjs';
import { signInToFake, workbenchOnFakeClone } from './fakeGitHub.mjs';
import { eventually, screenshotSidebar } from './sidebarShots.mjs';

const vsix = path.join(repoRoot, 'dist-vsix', 'ato.vsix');
const failingLog = 'Run npm test\n> app@1.0.0 test\nnpm ERR! Test failed: expected 2, got 3\n    at sum.test.js:4:10\n';
let fake, server, context, page, pr;
const panel = () => controlPanel(page);
const loopSection = () => panel().locator('[data-section="loop"]');
const card = () => panel().locator(`[data-section="redPrs"] .care-card[data-pr="${pr}"]`);

async function copilotComments(number) {
  const response = await fetch(`${fake.api}/repos/octo/app/issues/${number}/comments`, { headers: { authorization: `token ${fake.token}` } });
  return (await response.json()).filter(comment => comment.body.startsWith('@copilot '));
}

describe('the maintenance track in a real VS Code', () => {
  before(async () => {
    ({ fake, server, context, page } = await workbenchOnFakeClone({ vsix }));
  });

  after(async () => {
    if (page) await page.screenshot({ path: path.join(artifactsDir, 'maintenance-last.png') }).catch(() => undefined);
    await context?.close();
    await server?.stop();
    fake?.stop();
  });

  test('a red Copilot PR is a card under Red PRs: state, attempts, the reason', async () => {
    // An issue made by hand and Copilot's finished PR for it: an ATO agent's PR; CI red on its head only.
    const created = await fetch(`${fake.api}/repos/octo/app/issues`, { method: 'POST', headers: { authorization: `token ${fake.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Make sum add' }) });
    const issue = await created.json();
    pr = await fake.control('copilotOpensPullRequest', issue.number, { files: { 'src/sum.js': 'module.exports = (a, b) => a - b;\n' } });
    await fake.control('copilotFinishes', pr);
    await fake.control('setCi', { pullRequestsOnly: true, checks: [{ name: 'ci/build', conclusion: 'failure', log: failingLog }] });

    await signInToFake(page, fake);
    await loopSection().locator('vscode-button[data-loop-action="preview"]').click();
    await card().waitFor({ timeout: 60_000 });
    assert.equal(await card().getAttribute('data-state'), 'red');
    assert.match(await card().locator('.care-reason').textContent(), /fix attempt 1 of 3 goes to copilot/);
    assert.deepEqual(await copilotComments(pr), [], 'a preview asks nothing');
  });

  test('"Fix now" asks Copilot once, with the log excerpt; the card says fixing, attempt 1 of 3, and shows the excerpt; the status bar counts it', async () => {
    await card().locator('vscode-button', { hasText: 'Fix now' }).click();
    const asked = await eventually('the @copilot comment', async () => { const comments = await copilotComments(pr); return comments.length > 0 ? comments : undefined; });
    assert.equal(asked.length, 1);
    assert.match(asked[0].body, /npm ERR! Test failed: expected 2, got 3/);
    await eventually('the card to say fixing', async () => await card().getAttribute('data-state') === 'fixing');
    assert.match(await card().locator('.care-summary').textContent(), /attempt 1 of 3/);
    assert.match(await card().locator('.care-last').textContent(), /Last fix: copilot/);
    await card().locator('.care-log summary').click();
    assert.match(await card().locator('.care-excerpt').textContent(), /npm ERR! Test failed/);
    await page.locator('.statusbar-item', { hasText: /1 fixing/ }).first().waitFor({ timeout: 60_000 });
    await screenshotSidebar(page, card(), 'maintenance-card', ['light', 'dark'], { inner: '.care-title, .care-summary, .care-reason, .care-actions', overflow: false });
    assert.equal((await copilotComments(pr)).length, 1, 'still one comment');
  });
});
