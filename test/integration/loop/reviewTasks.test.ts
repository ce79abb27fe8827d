import assert from 'node:assert/strict';
import type { FakeGitHub } from '../../fakes/github/fakeGitHub';
import { useTempDir } from '../../support/tempDir';
import { cloneApp, fileOnMain, scenarioFile, startFakeGitHub } from './loopHarness';
import { commitsTouchingTask, copilotDelivers, foldersOf, openKitLoop, outcomesOf, queueTask, taskIssueNumber, tickOk, type KitLoop } from './loopKit';

/**
 * Review tasks every N merges (`ato.maintenance.reviewEvery`, issue 11) against the fake GitHub over real
 * HTTP and a real clone: after the second merged task PR (N=2) exactly one review task lands in pending/ on
 * main; a crash at either side of its commit, then a restart, leaves exactly one.
 */
describe('review tasks every N merges against the fake GitHub', function () {
  this.timeout(180_000);
  const tempDir = useTempDir('ato-loop-review-');
  let fake: FakeGitHub;

  beforeEach(async () => { fake = await startFakeGitHub({ scenario: scenarioFile }); });
  afterEach(async () => { await fake.stop(); });

  const reviewId = 'review-merges-1-2';
  const leaseSeconds = 30;
  const afterLease = (): Date => new Date(Date.now() + (leaseSeconds + 1) * 1000);

  /** Review task files on main, in any queue folder. */
  const reviewFiles = async (): Promise<string[]> => foldersOf(fake, reviewId);

  const nextPlanningAction = async (loop: KitLoop): Promise<string | undefined> => (await loop.result.engine.preview()).tracks.find(t => t.track === 'planning')?.action?.kind;

  /** Two task PRs merged and completed, one after the other; ticks until the review task is the next action. */
  async function twoMergedTasks(loop: KitLoop): Promise<string[]> {
    const ran: string[] = [];
    for (const [index, id] of ['rev-a', 'rev-b'].entries()) {
      await queueTask(fake, id);
      const promoted = (): boolean => fake.state.repo('octo', 'app').issues.some(i => (i.body ?? '').includes(`<!-- ato:task=${id} -->`));
      for (let tick = 0; tick < 6 && !promoted(); tick++) ran.push(...await tickOk(loop));
      await copilotDelivers(fake, taskIssueNumber(fake, id), { [`src/${id}.ts`]: `export const n = ${String(index)};\n` });
      for (let tick = 0; tick < 6 && !(await foldersOf(fake, id)).includes('complete'); tick++) {
        ran.push(...await tickOk(loop));
        if (index === 0) assert.deepEqual(await reviewFiles(), [], 'no review after the first merge');
      }
      assert.deepEqual(await foldersOf(fake, id), ['complete'], `${id} completed (ticks: ${ran.join(', ')})`);
    }
    for (let tick = 0; tick < 4 && await nextPlanningAction(loop) !== 'queueReviewTask'; tick++) ran.push(...await tickOk(loop));
    return ran;
  }

  it('reviewEvery=2: after the second merged task PR exactly one review task lands in pending/, listing both PRs', async () => {
    const root = await cloneApp(fake, tempDir());
    const loop = await openKitLoop(fake, root, { settings: { 'maintenance.reviewEvery': 2 } });
    try {
      const ran = await twoMergedTasks(loop);
      assert.equal(await nextPlanningAction(loop), 'queueReviewTask', `ticks: ${ran.join(', ')}`);
      assert.deepEqual(await tickOk(loop), ['queueReviewTask:done']);
      assert.deepEqual(await reviewFiles(), ['pending']);
      const text = await fileOnMain(root, `planning/issue_queue/pending/${reviewId}.task.md`) ?? '';
      assert.match(text, /^type: review$/m);
      assert.match(text, /^priority: medium$/m);
      assert.match(text, /<!-- ato:review-range=1-2 -->/);
      assert.match(text, /planning\/reviews\/review-merges-1-2\.md/);
      const prs = fake.state.repo('octo', 'app').pulls.filter(pr => pr.pull.merged).map(pr => pr.number);
      for (const pr of prs) assert.match(text, new RegExp(`\\[PR #${String(pr)}\\]`));
      // More ticks: never a second one (the loop may promote it; it stays one file, one queueing commit).
      for (let tick = 0; tick < 3; tick++) assert.ok(!(await tickOk(loop)).includes('queueReviewTask:done'));
      assert.equal((await reviewFiles()).length, 1);
      assert.equal(await commitsTouchingTask(fake, reviewId), (await reviewFiles())[0] === 'pending' ? 1 : 2);
    } finally {
      await loop.close();
    }
  });

  for (const point of ['queueReviewTask:beforeCommit', 'queueReviewTask:afterCommit']) {
    it(`a crash at ${point}, then a restart: exactly one review task`, async () => {
      const root = await cloneApp(fake, tempDir());
      let armed = false;
      const settings = { 'maintenance.reviewEvery': 2, 'loop.leaseSeconds': leaseSeconds };
      const first = await openKitLoop(fake, root, {
        settings,
        holder: 'first-life',
        checkpoint: name => { if (armed && name === point) throw new Error(`killed at ${name}`); },
      });
      try {
        await twoMergedTasks(first);
        assert.equal(await nextPlanningAction(first), 'queueReviewTask');
        armed = true;
        const crashed = await first.tick();
        assert.deepEqual(outcomesOf(crashed), ['queueReviewTask:failed']);
        assert.deepEqual(await reviewFiles(), point.endsWith('afterCommit') ? ['pending'] : []);
      } finally {
        await first.close();
      }
      const restarted = await openKitLoop(fake, root, { settings, holder: 'second-life', now: afterLease });
      try {
        for (let tick = 0; tick < 3; tick++) await tickOk(restarted);
      } finally {
        await restarted.close();
      }
      assert.equal((await reviewFiles()).length, 1, 'exactly one review task');
      const folder = (await reviewFiles())[0];
      assert.equal(await commitsTouchingTask(fake, reviewId), folder === 'pending' ? 1 : 2, 'queued by one commit');
    });
  }
});
