import assert from 'node:assert/strict';
import type { FakeGitHub } from '../../fakes/github/fakeGitHub';
import { useTempDir } from '../../support/tempDir';
import { cloneApp, queueOnMain, scenarioFile, startFakeGitHub, taskFile } from './loopHarness';
import { openKitLoop } from './loopKit';

/** PRODUCT §3: on a protected planning branch, queue moves go through pull requests (`ato.loop.queueMoves`). */
describe('queue moves through pull requests, for a protected planning branch', function () {
  this.timeout(120_000);
  const tempDir = useTempDir('ato-loop-protected-');
  let fake: FakeGitHub;

  beforeEach(async () => { fake = await startFakeGitHub({ scenario: scenarioFile }); });
  afterEach(async () => { await fake.stop(); });

  it('proposes the move as one PR, waits for its merge without doubling anything, then goes on', async () => {
    await fake.simulate.pushFiles('main', { 'planning/issue_queue/pending/add-login.task.md': taskFile }, 'Queue a task');
    const root = await cloneApp(fake, tempDir());
    const loop = await openKitLoop(fake, root, { settings: { 'loop.queueMoves': 'pullRequest' } });
    const repo = () => fake.state.repo('octo', 'app');

    const first = await loop.result.engine.tickNow();
    assert.equal(first.plan.stage?.stage, '2a');
    assert.equal(first.outcomes[0]?.result, 'done', first.outcomes[0]?.message);
    assert.match(String(first.outcomes.at(0)?.message), /proposed the move to processed\/ in PR #\d+/);
    const moves = () => repo().pulls.filter(pr => pr.pull.headRef.startsWith('ato/queue/'));
    assert.equal(moves().length, 1);
    const move = moves()[0];
    assert.ok(move);
    assert.doesNotMatch(`${move.title}\n${move.body ?? ''}`, /#\d/, 'the move PR references no issue');
    assert.deepEqual(await queueOnMain(root), ['planning/issue_queue/pending/add-login.task.md'], 'main is not written directly');

    const second = await loop.result.engine.tickNow();
    assert.equal(second.outcomes[0]?.result, 'skipped', second.outcomes[0]?.message);
    assert.equal(moves().length, 1, 'no second move PR');
    assert.equal(repo().issues.filter(i => (i.body ?? '').includes('<!-- ato:task=add-login -->')).length, 1, 'no second issue');

    await fake.simulate.setCheckRuns(move.number, [{ name: 'ci/build', status: 'completed', conclusion: 'success' }]);
    const merged = await fetch(`${fake.apiUrl}/repos/octo/app/pulls/${String(move.number)}/merge`, { method: 'PUT', headers: { authorization: `token ${fake.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ merge_method: 'merge' }) });
    assert.equal(merged.status, 200, await merged.text());
    assert.deepEqual(await queueOnMain(root), ['planning/issue_queue/processed/add-login.task.md']);
    const third = await loop.result.engine.tickNow();
    assert.equal(third.plan.stage?.stage, '2b', third.plan.stage?.reason);
  });
});
