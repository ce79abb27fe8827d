import assert from 'node:assert/strict';
import type { FakeGitHub } from '../../fakes/github/fakeGitHub';
import { useTempDir } from '../../support/tempDir';
import { cloneApp, fileOnMain, queueOnMain, scenarioFile, startFakeGitHub, taskFile } from './loopHarness';
import { openKitLoop, type KitLoop } from './loopKit';

/**
 * PRODUCT §4's planning track end to end, against the fake GitHub over real HTTP and a real git clone:
 * gap issue → Copilot "opens" a PR adding a pending task → merge → promote → PR → red CI → green → merge →
 * capability issue → PR → merge; the task ends in complete/.
 */
describe('the planning loop, one full cycle against the fake GitHub', function () {
  this.timeout(120_000);
  const tempDir = useTempDir('ato-loop-cycle-');
  let fake: FakeGitHub;

  beforeEach(async () => { fake = await startFakeGitHub({ scenario: scenarioFile }); });
  afterEach(async () => { await fake.stop(); });

  async function tick(loop: KitLoop): Promise<{ stage: string | undefined; actions: string[] }> {
    const report = await loop.result.engine.tickNow();
    const failed = report.outcomes.filter(o => o.result === 'failed');
    assert.deepEqual(failed, [], `an action failed: ${JSON.stringify(failed)}`);
    return { stage: report.plan.stage?.stage, actions: report.outcomes.filter(o => o.result === 'done').map(o => o.action.kind) };
  }

  it('goes from gap analysis to a completed task and a capability update', async () => {
    const root = await cloneApp(fake, tempDir());
    const loop = await openKitLoop(fake, root, { settings: { 'merge.auto': true } });
    const sim = fake.simulate;
    const repo = () => fake.state.repo('octo', 'app');

    // 1a: the gap-analysis issue, ATO's template, assigned to Copilot.
    assert.deepEqual(await tick(loop), { stage: '1a', actions: ['ensureGapIssue'] });
    const gapIssue = repo().issues.find(i => i.labels.includes('ato:gap-analysis'));
    assert.ok(gapIssue);
    assert.equal(gapIssue.state, 'open');
    assert.ok(gapIssue.assignees.some(a => /copilot/i.test(a)), 'assigned to Copilot');
    assert.match(gapIssue.body ?? '', /<!-- ato:kind=gap-analysis -->/);
    assert.equal(await tick(loop).then(t => t.actions.length), 0, 'a second tick creates nothing');

    // 1b → 1c: Copilot opens a draft PR adding one pending task, finishes; CI is green; ATO merges it.
    const gapPr = await sim.copilotOpensPullRequest(gapIssue.number, { files: { 'planning/issue_queue/pending/add-login.task.md': taskFile } });
    await sim.setCheckRuns(gapPr, [{ name: 'ci/build', status: 'completed', conclusion: 'success' }]);
    assert.equal((await tick(loop)).stage, '1b');
    await sim.copilotFinishes(gapPr);
    assert.deepEqual(await tick(loop), { stage: '1c', actions: ['mergePullRequest'] });
    assert.equal(repo().pull(gapPr)?.pull.merged, true);
    assert.equal(repo().issue(gapIssue.number)?.state, 'closed');

    // 2a: the task becomes an issue assigned to Copilot, and moves to processed/ on main.
    assert.deepEqual(await tick(loop), { stage: '2a', actions: ['promoteTask'] });
    const taskIssue = repo().issues.find(i => (i.body ?? '').includes('<!-- ato:task=add-login -->'));
    assert.ok(taskIssue);
    assert.deepEqual(await queueOnMain(root), ['planning/issue_queue/processed/add-login.task.md']);

    // 2b: Copilot's PR, red CI: the loop waits and shows the red PR.
    const taskPr = await sim.copilotOpensPullRequest(taskIssue.number, { files: { 'src/login.ts': 'export const login = true;\n' } });
    await sim.copilotFinishes(taskPr);
    await sim.setCheckRuns(taskPr, [{ name: 'ci/build', status: 'completed', conclusion: 'failure' }]);
    assert.equal((await tick(loop)).stage, '2b');
    assert.deepEqual(loop.state().redPullRequests.map(pr => pr.number), [taskPr]);
    assert.deepEqual(loop.state().redPullRequests[0]?.failingChecks.map(c => c.name), ['ci/build']);

    // Green after a re-run: 2c merges, then the task moves to complete/ with its result, then 3a. GitHub's
    // timestamps have whole seconds and ATO counts a tie between a failed run and its re-run as red, so the
    // re-run starts in a later second, as a real one does.
    await new Promise(resolve => setTimeout(resolve, 1000 - (Date.now() % 1000) + 10));
    await sim.setCheckRuns(taskPr, [{ name: 'ci/build', status: 'completed', conclusion: 'success' }]);
    assert.deepEqual(await tick(loop), { stage: '2c', actions: ['mergePullRequest'] });
    assert.equal(repo().pull(taskPr)?.pull.merged, true);
    const afterMerge = await tick(loop);
    assert.deepEqual(afterMerge.actions, ['completeTask']);
    assert.deepEqual(await queueOnMain(root), ['planning/issue_queue/complete/add-login.task.md']);
    assert.match((await fileOnMain(root, 'planning/issue_queue/complete/add-login.task.md')) ?? '', new RegExp(`## Result[\\s\\S]*PR #${String(taskPr)}`));
    assert.deepEqual((await tick(loop)).actions, ['openCapabilityIssue']);
    const capabilityIssue = repo().issues.find(i => (i.body ?? '').includes(`source-pr=${String(taskPr)}`));
    assert.ok(capabilityIssue);
    assert.ok(capabilityIssue.assignees.some(a => /copilot/i.test(a)));

    // 3b → 3c: the capability PR merges and its issue closes.
    const capabilityPr = await sim.copilotOpensPullRequest(capabilityIssue.number, { files: { 'planning/state/system_capabilities.md': '# System capabilities\n\n- Users can sign in with a login form.\n' } });
    await sim.setCheckRuns(capabilityPr, [{ name: 'ci/build', status: 'completed', conclusion: 'success' }]);
    await sim.copilotFinishes(capabilityPr);
    assert.deepEqual(await tick(loop), { stage: '3c', actions: ['mergePullRequest'] });
    assert.equal(repo().issue(capabilityIssue.number)?.state, 'closed');
    assert.match((await fileOnMain(root, 'planning/state/system_capabilities.md')) ?? '', /login form/);

    // The loop goes round: a new gap analysis. Nothing was duplicated on the way.
    assert.deepEqual(await tick(loop), { stage: '1a', actions: ['ensureGapIssue'] });
    const issues = repo().issues;
    assert.equal(issues.filter(i => (i.body ?? '').includes('<!-- ato:task=add-login -->')).length, 1);
    assert.equal(issues.filter(i => (i.body ?? '').includes(`source-pr=${String(taskPr)}`)).length, 1);
    assert.equal(issues.filter(i => i.state === 'open').length, 1);
    assert.deepEqual(await queueOnMain(root), ['planning/issue_queue/complete/add-login.task.md']);
  });

  it('with auto-merge off, a ready PR waits in Needs you and merges on the one-click merge', async () => {
    const root = await cloneApp(fake, tempDir());
    const loop = await openKitLoop(fake, root, { settings: { 'merge.auto': false } });
    await tick(loop);
    const gapIssue = fake.state.repo('octo', 'app').issues[0];
    assert.ok(gapIssue);
    const pr = await fake.simulate.copilotOpensPullRequest(gapIssue.number, { files: { 'planning/issue_queue/pending/add-login.task.md': taskFile } });
    await fake.simulate.setCheckRuns(pr, [{ name: 'ci/build', status: 'completed', conclusion: 'success' }]);
    await fake.simulate.copilotFinishes(pr);
    const waiting = await tick(loop);
    assert.deepEqual(waiting, { stage: '1c', actions: [] });
    assert.equal(fake.state.repo('octo', 'app').pull(pr)?.pull.merged, false);
    const item = loop.state().needsYou.find(n => n.kind === 'readyToMerge');
    assert.equal(item?.pullNumber, pr);
    assert.equal(item.action, 'merge');
    const outcome = await loop.result.engine.mergeNow(pr);
    assert.equal(outcome.result, 'done', outcome.message);
    assert.equal(fake.state.repo('octo', 'app').pull(pr)?.pull.merged, true);
  });
});
