import assert from 'node:assert/strict';
import { requeueComment } from '../../../src/core/loop/github/guardedActions';
import type { LoopNeedsYou } from '../../../src/core/loop/engine/loopModel';
import { loadScenario } from '../../fakes/github/scenario';
import type { FakeGitHub } from '../../fakes/github/fakeGitHub';
import { runBuiltCli } from '../../support/builtCli';
import { useTempDir } from '../../support/tempDir';
import { cloneApp, scenarioFile, startFakeGitHub } from './loopHarness';
import { assertNoDuplicateComments, commitsTouchingTask, foldersOf, issuesByMarker, openKitLoop, queueTask, taskIssueNumber, tickOk, type KitLoop } from './loopKit';

/**
 * Requeue in GitHub mode (issue 9 A4): a task whose run failed goes back to pending/ on the planning branch
 * through the loop's guarded action — its old issue closed with ATO's comment — and the next tick promotes it
 * again with a new issue. From the engine (the panel's and tree's one click) and from `ato requeue <id>`.
 */
describe('requeue a failed task in GitHub mode (the fake GitHub)', function () {
  this.timeout(180_000);
  const tempDir = useTempDir('ato-loop-requeue-');
  let fake: FakeGitHub;
  const repo = () => fake.state.repo('octo', 'app');

  // A fixed start: each fake timestamp is one second after the last, so "opened since the new issue" is exact.
  beforeEach(async () => { fake = await startFakeGitHub({ scenario: { ...await loadScenario(scenarioFile), startTime: '2026-06-01T09:00:00Z' } }); });
  afterEach(async () => { await fake.stop(); });

  /** add-login promoted, Copilot opens a PR for it, and the PR is closed without a merge. Returns the old issue. */
  async function failedRun(loop: KitLoop): Promise<number> {
    await queueTask(fake, 'add-login');
    assert.deepEqual(await tickOk(loop), ['promoteTask:done']);
    const issue = taskIssueNumber(fake, 'add-login');
    const pr = await fake.simulate.copilotOpensPullRequest(issue, { files: { 'src/login.ts': 'export const login = 1;\n' } });
    await closeUnmerged(pr);
    return issue;
  }

  async function closeUnmerged(pr: number): Promise<void> {
    const closed = await fetch(`${fake.apiUrl}/repos/octo/app/pulls/${String(pr)}`, { method: 'PATCH', headers: { authorization: `token ${fake.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ state: 'closed' }) });
    assert.equal(closed.status, 200, await closed.text());
  }

  function requeueOffer(needsYou: readonly LoopNeedsYou[]): LoopNeedsYou | undefined {
    return needsYou.find(item => item.taskId === 'add-login' && item.action === 'requeue');
  }

  it('offers the requeue on the failed run, moves the task to pending/, closes the old issue; the next tick promotes it with a new issue', async () => {
    const loop = await openKitLoop(fake, await cloneApp(fake, tempDir()));
    try {
      const oldIssue = await failedRun(loop);
      const plan = await loop.result.engine.preview();
      const offered = requeueOffer(plan.stage?.needsYou ?? []);
      assert.ok(offered, JSON.stringify(plan.stage?.needsYou));
      assert.equal(offered.kind, 'runFailed');
      assert.match(offered.detail, /Requeue it to run it again/);
      assert.deepEqual(offered.requeue && { path: offered.requeue.path, closeIssues: offered.requeue.closeIssues }, { path: 'planning/issue_queue/processed/add-login.task.md', closeIssues: [oldIssue] });

      const outcome = await loop.result.engine.requeueTask('add-login');
      assert.equal(outcome.result, 'done', outcome.message);
      assert.deepEqual(await foldersOf(fake, 'add-login'), ['pending']);
      const old = repo().issue(oldIssue);
      assert.equal(old?.state, 'closed');
      assert.equal(old.stateReason, 'not_planned');
      assert.deepEqual(repo().comments(oldIssue).map(comment => comment.body), [requeueComment('add-login')]);
      assert.ok(loop.events.some(event => event.kind === 'loop.requeue' && event['result'] === 'done'), 'the requeue is in the event log');
      assert.ok(loop.events.some(event => event.kind === 'loop.action' && event['action'] === 'requeueTask' && event['phase'] === 'start'), 'recorded as a guarded action');
      const commits = await commitsTouchingTask(fake, 'add-login');

      // A second click: nothing to do, nothing written.
      const again = await loop.result.engine.requeueTask('add-login');
      assert.equal(again.result, 'skipped', again.message);
      assert.match(again.message, /in pending\/ already/);
      assert.equal(await commitsTouchingTask(fake, 'add-login'), commits);
      assert.equal(repo().comments(oldIssue).length, 1);

      // The next tick promotes it afresh: a new issue (the closed one is not reused), the old PR no longer counts.
      assert.deepEqual(await tickOk(loop), ['promoteTask:done']);
      assert.deepEqual(await foldersOf(fake, 'add-login'), ['processed']);
      assert.equal(issuesByMarker(fake).tasks.get('add-login'), 2);
      const fresh = repo().issues.find(issue => issue.state === 'open' && (issue.body ?? '').includes('<!-- ato:task=add-login -->'));
      assert.ok(fresh && fresh.number !== oldIssue, 'a new open issue');
      const after = await loop.result.engine.preview();
      assert.equal(after.stage?.stage, '2b', after.stage?.reason);
      assert.equal(after.stage.needsYou.filter(item => item.taskId === 'add-login').length, 0, JSON.stringify(after.stage.needsYou));

      // While that run is in progress the requeue is refused.
      const refused = await loop.result.engine.requeueTask('add-login');
      assert.equal(refused.result, 'failed');
      assert.match(refused.message, /only a task in processed\/ whose run failed/);
      assert.deepEqual(await foldersOf(fake, 'add-login'), ['processed']);
      assertNoDuplicateComments(fake);
    } finally {
      await loop.close();
    }
  });

  it('finishes after a crash between closing the old issue and the move, without a second comment', async () => {
    let crash = true;
    const root = await cloneApp(fake, tempDir());
    const loop = await openKitLoop(fake, root, { checkpoint: name => { if (crash && name === 'requeueTask:beforeMove') throw new Error('crash before the move'); } });
    try {
      const oldIssue = await failedRun(loop);
      const first = await loop.result.engine.requeueTask('add-login');
      assert.equal(first.result, 'failed');
      assert.equal(repo().issue(oldIssue)?.state, 'closed');
      assert.deepEqual(await foldersOf(fake, 'add-login'), ['processed']);
      // Still offered: the task is in processed/ and its issue is closed.
      assert.ok(requeueOffer((await loop.result.engine.preview()).stage?.needsYou ?? []));
      crash = false;
      const second = await loop.result.engine.requeueTask('add-login');
      assert.equal(second.result, 'done', second.message);
      assert.deepEqual(await foldersOf(fake, 'add-login'), ['pending']);
      assert.equal(repo().comments(oldIssue).length, 1);
    } finally {
      await loop.close();
    }
  });

  it('on a protected planning branch (queueMoves: pullRequest) the move back to pending/ is proposed as one PR, once', async () => {
    const loop = await openKitLoop(fake, await cloneApp(fake, tempDir()), { settings: { 'loop.queueMoves': 'pullRequest' } });
    const moves = () => repo().pulls.filter(pr => pr.pull.headRef.startsWith('ato/queue/'));
    const mergeMove = async (number: number): Promise<void> => {
      await fake.simulate.setCheckRuns(number, [{ name: 'ci/build', status: 'completed', conclusion: 'success' }]);
      const merged = await fetch(`${fake.apiUrl}/repos/octo/app/pulls/${String(number)}/merge`, { method: 'PUT', headers: { authorization: `token ${fake.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ merge_method: 'merge' }) });
      assert.equal(merged.status, 200, await merged.text());
    };
    try {
      await queueTask(fake, 'add-login');
      assert.deepEqual(await tickOk(loop), ['promoteTask:done']);
      const promotion = moves()[0];
      assert.ok(promotion);
      await mergeMove(promotion.number);
      const oldIssue = taskIssueNumber(fake, 'add-login');
      const pr = await fake.simulate.copilotOpensPullRequest(oldIssue, { files: { 'src/login.ts': 'export const login = 1;\n' } });
      await closeUnmerged(pr);

      const outcome = await loop.result.engine.requeueTask('add-login');
      assert.equal(outcome.result, 'done', outcome.message);
      assert.match(outcome.message, /closed its old issue #\d+: proposed the move to pending\/ in PR #\d+/);
      assert.equal(repo().issue(oldIssue)?.state, 'closed');
      assert.deepEqual(await foldersOf(fake, 'add-login'), ['processed'], 'main is not written directly');
      const proposal = moves().find(move => move.pull.headRef.includes('pending-'));
      assert.ok(proposal, moves().map(move => move.pull.headRef).join(', '));

      const again = await loop.result.engine.requeueTask('add-login');
      assert.equal(again.result, 'skipped', again.message);
      assert.match(again.message, new RegExp(`waits for PR #${String(proposal.number)}`));
      assert.equal(moves().length, 2, 'no second proposal');
      assert.equal(repo().comments(oldIssue).length, 1);

      await mergeMove(proposal.number);
      assert.deepEqual(await foldersOf(fake, 'add-login'), ['pending']);
    } finally {
      await loop.close();
    }
  });

  it('`ato requeue <id>` requeues through the loop when it is in GitHub mode; again is a no-op; a running task is refused', async () => {
    const root = await cloneApp(fake, tempDir());
    const loop = await openKitLoop(fake, root);
    let oldIssue: number;
    try {
      oldIssue = await failedRun(loop);
    } finally {
      await loop.close();
    }
    const env = { ATO_GITHUB_API_URL: fake.apiUrl, ATO_GITHUB_TOKEN: fake.token, ATO_GITHUB_REQUEST_SPACING_MS: '0' };
    const run = await runBuiltCli(['requeue', 'add-login', '--workspace', root], env);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /Requeued task add-login: moved it back to pending\/; closed its old issue #\d+/);
    assert.deepEqual(await foldersOf(fake, 'add-login'), ['pending']);
    assert.equal(repo().issue(oldIssue)?.state, 'closed');

    const again = await runBuiltCli(['requeue', 'add-login', '--workspace', root], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /in pending\/ already/);
    assert.equal(repo().comments(oldIssue).length, 1);

    const next = await openKitLoop(fake, root);
    try {
      assert.deepEqual(await tickOk(next), ['promoteTask:done']);
    } finally {
      await next.close();
    }
    const refused = await runBuiltCli(['requeue', 'add-login', '--workspace', root], env);
    assert.equal(refused.code, 1, refused.stdout);
    assert.match(refused.stderr, /not requeued/);
    assert.deepEqual(await foldersOf(fake, 'add-login'), ['processed']);
  });
});
