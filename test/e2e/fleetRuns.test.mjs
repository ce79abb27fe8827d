// Fleet runs in a real VS Code (code-server, the extension from its .vsix), driven through the control panel
// by Playwright: a fan-out of two pending tasks to a custom CLI agent with "Dispatch selected", and a Jules
// run (against the fake Jules over real HTTP) whose plan is approved from Needs you. Screenshots in
// test-results/e2e/.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { tsImport } from 'tsx/esm/api';
import { artifactsDir, launchChromium, repoRoot, runCommand, startCodeServer } from './harness.mjs';
import { eventually, screenshotSidebar, succeededRun } from './sidebarShots.mjs';

const { startFakeJules } = await tsImport('../fakes/jules/fakeJules.ts', import.meta.url);

const vsix = path.join(repoRoot, 'dist-vsix', 'ato.vsix');
const taskFile = (id, title, agent) => `---\nid: ${id}\ntype: feature\nagent: ${agent}\ntargets: [${id}.txt]\n---\n# ${title}\n\n**Prompt:**\nWrite result.txt.\n`;

let server, context, page, jules;
const panel = () => page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
const queueFolder = folder => path.join(server.workspace, 'planning', 'issue_queue', folder);

describe('fleet runs in a real VS Code', () => {
  before(async () => {
    assert.ok(fs.existsSync(vsix), `build the .vsix first (npm run package): ${vsix} is missing`);
    fs.mkdirSync(artifactsDir, { recursive: true });
    jules = await startFakeJules({ sources: [{ owner: 'acme', repo: 'app' }] });
    server = await startCodeServer({
      vsix: [vsix],
      files: { 'README.md': '# fleet runs sample\n' },
      git: true,
      machineSettings: {
        'ato.agents.custom': [
          { id: 'counter', command: process.execPath, args: [path.join(repoRoot, 'test/fixtures/agents/countingAgent.mjs')], taskTypes: ['feature'], concurrent: 3 },
        ],
        'ato.agents.jules.enabled': true,
        'ato.jules.apiUrl': jules.apiUrl,
      },
    });
    // Jules finds its source from `origin` (github.com/acme/app, never contacted: only its name is read).
    execFileSync('git', ['remote', 'add', 'origin', 'https://github.com/acme/app.git'], { cwd: server.workspace });
    context = await launchChromium(path.join(server.tmp, 'chromium'));
    page = context.pages()[0] ?? await context.newPage();
    await page.goto(server.url(), { timeout: 90_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    // The workbench's renderer is still busy starting the extension host on a loaded machine: give it as long as the load.
    await page.locator('.activitybar a[aria-label="ATO"]').click({ timeout: 90_000 });
    await page.locator('.sidebar .welcome-view-content', { hasText: 'no planning folder' }).waitFor({ timeout: 90_000 });
    await runCommand(page, 'ATO: Initialize Planning Folder');
    await eventually('the queue folders', () => ['pending', 'processed', 'complete'].every(folder => fs.existsSync(queueFolder(folder))), 30_000);
    // The Jules key as a user gives it: into SecretStorage through the command.
    await runCommand(page, 'ATO: Set Jules API Key');
    const box = page.locator('.quick-input-widget');
    // The box comes from the extension host, which on a loaded machine is still busy with the folder it just
    // initialized: wait for the box itself, as long as for any other answer of the extension.
    await box.locator('.quick-input-title', { hasText: 'ATO: Set Jules API Key' }).waitFor({ timeout: 60_000 });
    await box.locator('input').fill(jules.apiKey);
    await page.keyboard.press('Enter');
    await box.waitFor({ state: 'hidden' });
    // F1 pressed right after the input box closes may not reach the workbench: focus the editor area first.
    await page.locator('.part.editor').click({ position: { x: 200, y: 200 } });
  });

  after(async () => {
    if (page) await page.screenshot({ path: path.join(artifactsDir, 'fleet-runs-last.png') }).catch(() => undefined);
    await context?.close();
    await server?.stop();
    await jules?.stop();
  });

  test('fan-out: two pending tasks ticked in the panel go out with "Dispatch selected", both start and complete', async () => {
    fs.writeFileSync(path.join(queueFolder('pending'), 'fan-one.task.md'), taskFile('fan-one', 'First fanned task', 'counter'));
    fs.writeFileSync(path.join(queueFolder('pending'), 'fan-two.task.md'), taskFile('fan-two', 'Second fanned task', 'counter'));
    await runCommand(page, 'ATO: Open Control Panel');
    const queue = panel().locator('[data-list="queue"]');
    await queue.locator('input[data-select="fan-one"]').check({ timeout: 60_000 });
    await queue.locator('input[data-select="fan-two"]').check({ timeout: 30_000 });
    assert.equal(await panel().locator('.fanout-count').textContent(), '2 tasks selected');
    // The lines change as the runs go on (a held-back task may start 5 s later, or sooner than this test reads
    // on a loaded machine): every line the panel shows is recorded as it appears, and the test reads the record.
    await panel().locator('.fanout-outcomes').evaluate(list => {
      const seen = [];
      const record = () => {
        for (const item of list.querySelectorAll('li[data-outcome]')) {
          const line = [item.dataset.outcome, item.dataset.runState ?? '', item.textContent];
          if (!seen.some(known => known.join('\n') === line.join('\n'))) seen.push(line);
        }
      };
      new MutationObserver(record).observe(list, { childList: true, subtree: true, characterData: true, attributes: true });
      window.__fanOutLinesSeen = seen;
    });
    await panel().locator('vscode-button[data-action="dispatchTasks"]').click();

    // The panel says what became of each: the first starts at once; the fleet spaces the second start to the
    // same agent out by 5–10 s (ato.fleet.startsPerMinute), so it waits, saying why, and starts after the gap.
    // The answer is one line per task, and each says the first answer until its run is in a snapshot.
    const outcomes = panel().locator('.fanout-outcomes li[data-outcome]');
    await outcomes.nth(1).waitFor({ timeout: 60_000 });
    await page.locator('.part.sidebar').screenshot({ path: path.join(artifactsDir, 'fleet-fanout-answer-300-light.png') });
    const lines = () => outcomes.evaluateAll(items => items.map(item => [item.dataset.outcome, item.dataset.runState ?? '', item.textContent]));
    assert.equal((await lines()).length, 2);
    const answered = (await outcomes.evaluateAll(items => items.map(item => item.dataset.outcome))).sort();
    assert.deepEqual(answered, ['started', 'waiting']);
    const seen = () => panel().locator('.fanout-outcomes').evaluate(() => window.__fanOutLinesSeen);
    const shown = await seen();
    const startedSaid = shown.filter(([outcome]) => outcome === 'started');
    assert.ok(startedSaid.length > 0 && startedSaid.every(([, , words]) => /^(?:First|Second) fanned task \(fan-(one|two)\): (started|queued|preparing|running|succeeded)on counter · run /.test(words)), JSON.stringify(shown));
    const waitingSaid = shown.filter(([outcome]) => outcome === 'waiting');
    assert.match(waitingSaid[0]?.[2] ?? '', /^(?:First|Second) fanned task \(fan-(one|two)\): waiting.*counter: starts are spaced out/, JSON.stringify(shown));
    assert.equal(waitingSaid[0]?.[1], '', 'the held-back task had no run when the answer came');

    // Both runs finish: each task is moved to complete/ with its result, and its run says succeeded.
    for (const id of ['fan-one', 'fan-two']) {
      await eventually(`${id} in complete/`, () => fs.existsSync(path.join(queueFolder('complete'), `${id}.task.md`)), 90_000);
      assert.ok(!fs.existsSync(path.join(queueFolder('pending'), `${id}.task.md`)), `${id} left pending/`);
      await (await succeededRun(page, id)).waitFor({ timeout: 30_000 });
    }
    // The fan-out lines followed the runs: the task that waited says it succeeded too, on the run the Runs
    // section lists — no stale "waiting" left on screen.
    await panel().locator('.fanout-outcomes li[data-run-state="succeeded"]').nth(1).waitFor({ timeout: 30_000 });
    const followed = (await lines()).sort();
    // In between, the held-back task's line followed its run through its states, never back to "waiting".
    const heldBack = (await seen()).filter(([outcome]) => outcome === 'waiting');
    assert.deepEqual(heldBack.slice(1).filter(([, state]) => state === ''), [], JSON.stringify(heldBack));
    assert.deepEqual(followed.map(([outcome, state]) => [outcome, state]), [['started', 'succeeded'], ['waiting', 'succeeded']]);
    for (const [, , words] of followed) {
      // Each line names the run the dispatch started: its record says that task, that agent, succeeded.
      const [, taskId, runId] = words.match(/^(?:First|Second) fanned task \((fan-one|fan-two)\): succeededon counter · run (\S+)$/) ?? [];
      assert.ok(runId !== undefined, words);
      const record = JSON.parse(fs.readFileSync(path.join(server.workspace, '.ato', 'runs', `${runId}.json`), 'utf8'));
      assert.deepEqual([record.taskId, record.agentId, record.state], [taskId, 'counter', 'succeeded']);
    }
    await screenshotSidebar(page, panel().locator('.fanout-outcomes'), 'fleet-fanout', ['light', 'dark']);
  });

  test('Jules: the plan awaits approval in Needs you, "Approve plan" approves it at the fake, the run completes', async () => {
    fs.writeFileSync(path.join(queueFolder('pending'), 'jules-plan.task.md'), taskFile('jules-plan', 'A task for Jules', 'jules'));
    const row = panel().locator('[data-list="queue"] .vrow', { hasText: 'A task for Jules' });
    await row.locator('[data-row-action="dispatchTask"]').click({ timeout: 60_000 });

    // The extension created one session on the repository's source; Jules plans and waits for approval.
    const session = await eventually('a Jules session', () => jules.state.listSessions()[0], 60_000);
    assert.equal(jules.state.listSessions().length, 1);
    assert.equal(session.sourceContext.source, 'sources/github/acme/app');
    assert.match(session.prompt, /<!-- ato:task=jules-plan -->/);
    assert.equal(jules.state.advance(session.id).state, 'AWAITING_PLAN_APPROVAL');

    // The plan is read in full in Needs you: a card with each step the fake planned, and Approve.
    const item = panel().locator('[data-section="needsYou"] .plan-card[data-kind="planAwaitingApproval"]');
    await item.waitFor({ timeout: 90_000 });
    assert.equal(await item.locator('.plan-title').textContent(), 'jules asks you to approve its plan for A task for Jules (jules-plan)');
    const planned = jules.state.activities(session.id).flatMap(activity => activity.planGenerated?.plan.steps.map(step => step.title) ?? []);
    assert.ok(planned.length > 0, 'the fake planned steps');
    assert.deepEqual(await item.locator('.plan-steps li').allTextContents(), planned);
    assert.ok(!jules.requests.some(request => request.path.endsWith(':approvePlan')), 'nothing approved before the click');
    await screenshotSidebar(page, item, 'fleet-jules-approve', ['dark', 'light'], { inner: '.plan-title, .plan-step, vscode-button' });

    await item.locator('vscode-button[data-row-action="approvePlan"]').click();
    const approval = await eventually('the approval at the fake', () => jules.requests.find(request => request.method === 'POST' && request.path === `/v1alpha/sessions/${session.id}:approvePlan`), 30_000);
    assert.equal(approval.status, 200);
    assert.ok(approval.authorized, 'the approval carried the key');
    assert.equal(jules.state.session(session.id).state, 'IN_PROGRESS');

    assert.equal(jules.state.advance(session.id).state, 'COMPLETED');
    const done = path.join(queueFolder('complete'), 'jules-plan.task.md');
    await eventually('jules-plan in complete/', () => fs.existsSync(done), 150_000);
    assert.match(fs.readFileSync(done, 'utf8'), /## Result[\s\S]*https:\/\/github\.com\/acme\/app\/pull\/1/, 'the pull request Jules opened is in the result');
    await item.waitFor({ state: 'detached', timeout: 30_000 });
    assert.match(await (await succeededRun(page, 'jules-plan')).locator('.row-title').textContent({ timeout: 30_000 }), /^A task for Jules$/);
  });
});
