import assert from 'node:assert/strict';
import type { FakeGitHub } from '../../fakes/github/fakeGitHub';
import { useTempDir } from '../../support/tempDir';
import { cloneApp, startFakeGitHub, scenarioFile } from './loopHarness';
import { copilotDelivers, openKitLoop, queuePath, queueTask, taskIssueNumber, tickOk, type KitLoop } from './loopKit';

/**
 * The merge train (`ato.merge.train`, issue 11) against the fake GitHub over real HTTP: two ready PRs, one
 * merged per tick; the other, now behind main, is not ready (rule upToDate, with its reason) until its branch
 * is updated (GitHub's update-branch, as the maintenance track does it) and CI is green on the new head. With
 * the train off the second PR merges as before, behind or not.
 */
describe('the merge train against the fake GitHub', function () {
  this.timeout(120_000);
  const tempDir = useTempDir('ato-loop-train-');
  let fake: FakeGitHub;

  beforeEach(async () => { fake = await startFakeGitHub({ scenario: scenarioFile }); });
  afterEach(async () => { await fake.stop(); });

  const repo = () => fake.state.repo('octo', 'app');
  const merged = (pr: number): boolean => repo().pull(pr)?.pull.merged === true;

  /** A development task and a side task (maintenance), both promoted, each with a ready Copilot PR. */
  async function twoReadyPullRequests(loop: KitLoop): Promise<{ first: number; second: number }> {
    await queueTask(fake, 'train-a');
    await fake.simulate.pushFiles('main', { [queuePath('pending', 'train-b')]: '---\nid: train-b\ntype: maintenance\npriority: high\n---\n# Tidy train-b\n\n**Prompt:**\nTidy train-b.\n' }, 'Queue train-b');
    assert.deepEqual(await tickOk(loop), ['promoteTask:done']);
    assert.deepEqual(await tickOk(loop), ['promoteTask:done'], 'the side task is promoted while the development task waits');
    const first = await copilotDelivers(fake, taskIssueNumber(fake, 'train-a'), { 'src/train-a.ts': 'export const a = 1;\n' });
    const second = await copilotDelivers(fake, taskIssueNumber(fake, 'train-b'), { 'src/train-b.ts': 'export const b = 2;\n' });
    return { first, second };
  }

  function verdictRule(loop: KitLoop, pr: number, rule: string): { ok: boolean; detail: string } | undefined {
    return loop.state().followedPullRequests.find(p => p.number === pr)?.verdict.rules.find(r => r.rule === rule);
  }

  it('train on: one merge per tick; the other PR, now behind, waits for update-branch and green CI on its new head', async () => {
    const root = await cloneApp(fake, tempDir());
    const loop = await openKitLoop(fake, root, { settings: { 'merge.train': true } });
    try {
      const { first, second } = await twoReadyPullRequests(loop);
      assert.deepEqual(await tickOk(loop), ['mergePullRequest:done']);
      assert.equal(merged(first), true);
      assert.equal(merged(second), false, 'one PR at a time');

      // Right after the merge the side PR is behind main: the preview (panel, `ato preview`) says why it waits,
      // and the maintenance track plans its update-branch.
      const headBefore = repo().pull(second)?.pull.headSha ?? '';
      const preview = await loop.result.engine.preview();
      assert.deepEqual(verdictRule(loop, second, 'upToDate'), { rule: 'upToDate', ok: false, detail: 'behind main: the merge train updates it first, then waits for CI on the new head' });
      assert.equal(preview.tracks.find(track => track.track === 'maintenance')?.action?.kind, 'updateBranch', 'the maintenance track updates it');

      // The planning track's bookkeeping goes on; the maintenance track updates the side PR (a merge commit on its head, no CI on it yet).
      const ran: string[] = [];
      for (let tick = 0; tick < 4 && !ran.includes('updateBranch:done'); tick++) {
        const actions = await tickOk(loop);
        assert.ok(!actions.includes('mergePullRequest:done'), `tick ${String(tick)} merged nothing: ${actions.join()}`);
        ran.push(...actions);
      }
      assert.ok(ran.includes('updateBranch:done'), `the maintenance track updated the behind PR (ticks: ${ran.join(', ')})`);
      assert.notEqual(repo().pull(second)?.pull.headSha, headBefore);
      assert.ok(!(await tickOk(loop)).includes('mergePullRequest:done'), 'no merge before CI reports on the new head');
      assert.equal(merged(second), false);
      assert.equal(verdictRule(loop, second, 'upToDate')?.ok, true);
      assert.equal(verdictRule(loop, second, 'checksGreen')?.ok, false);

      await fake.simulate.setCheckRuns(second, [{ name: 'ci/build', status: 'completed', conclusion: 'success' }]);
      const after: string[] = [];
      for (let tick = 0; tick < 3 && !merged(second); tick++) after.push(...await tickOk(loop));
      assert.ok(merged(second), `merged once updated and green (ticks: ${after.join(', ')})`);
      assert.equal(repo().pull(second)?.pull.mergeCommitSha !== null, true);
    } finally {
      await loop.close();
    }
  });

  it('train off: behaviour unchanged — the second PR merges the tick after the first, behind main, with no upToDate rule', async () => {
    const root = await cloneApp(fake, tempDir());
    const loop = await openKitLoop(fake, root);
    try {
      const { first, second } = await twoReadyPullRequests(loop);
      assert.deepEqual(await tickOk(loop), ['mergePullRequest:done']);
      assert.equal(merged(first), true);
      const headBefore = repo().pull(second)?.pull.headSha;
      const ran: string[] = [];
      for (let tick = 0; tick < 3 && !merged(second); tick++) ran.push(...await tickOk(loop));
      assert.ok(merged(second), `merged without an update (ticks: ${ran.join(', ')})`);
      assert.equal(repo().pull(second)?.pull.headSha, headBefore, 'its branch was not updated');
      assert.ok(loop.state().followedPullRequests.every(pr => pr.verdict.rules.every(rule => rule.rule !== 'upToDate')));
    } finally {
      await loop.close();
    }
  });
});
