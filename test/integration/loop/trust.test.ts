import assert from 'node:assert/strict';
import type { FakeGitHub } from '../../fakes/github/fakeGitHub';
import { useTempDir } from '../../support/tempDir';
import { cloneApp, planningScenario, startFakeGitHub } from './loopHarness';
import { openKitLoop, queueTask, taskIssueNumber, tickOk, type KitLoop } from './loopKit';

/**
 * PRODUCT §4 "Whom ATO trusts on a forge", through the loop against the fake GitHub with auto-merge on: a PR
 * is linked to ATO's work and merged only when an agent or someone with write access opened it, from this
 * repository (forks only by opt-in), and only reviews by people with write access count.
 */
describe('the loop trusts only its agents and people with write access', function () {
  this.timeout(180_000);
  const tempDir = useTempDir('ato-loop-trust-');
  let fake: FakeGitHub | undefined;

  beforeEach(async () => {
    fake = await startFakeGitHub({ scenario: await planningScenario({ collaborators: ['alice', 'bob'] }) });
  });
  afterEach(async () => {
    await fake?.stop();
    fake = undefined;
  });

  const github = (): FakeGitHub => {
    assert.ok(fake);
    return fake;
  };
  const permissionRequests = (): number => github().requests.filter(request => /\/collaborators\/[^/]+\/permission$/.test(request.path)).length;

  /** The previous loop went away: its lease is deleted, so the next one need not wait for it to expire. */
  async function leaseGone(): Promise<void> {
    const response = await fetch(`${github().apiUrl}/repos/octo/app/git/refs/ato/lease`, { method: 'DELETE', headers: { authorization: `token ${github().token}` } });
    assert.equal(response.status, 204);
  }

  /** The task promoted: its issue is open and assigned to Copilot. Returns the issue. */
  async function promoted(loop: KitLoop): Promise<number> {
    await queueTask(github(), 'add-login');
    assert.deepEqual(await tickOk(loop), ['promoteTask:done']);
    return taskIssueNumber(github(), 'add-login');
  }

  /** A PR on the task's branch that fixes its issue, with green CI. */
  async function pullRequestOnTaskBranch(issue: number, author: string, fromFork?: string): Promise<number> {
    const pr = await github().simulate.openPullRequest({
      head: 'ato/add-login', title: 'Add a login form', body: `Fixes #${String(issue)}`, author, files: { 'src/login.ts': `export const by = '${author}';\n` },
      ...(fromFork === undefined ? {} : { fromFork }),
    });
    await github().simulate.setCheckRuns(pr, [{ name: 'ci/build', status: 'completed', conclusion: 'success' }]);
    return pr;
  }

  it('a non-collaborator\'s PR on ato/add-login, approved by another non-collaborator, auto-merge on: not merged, not linked, and the reason says why', async () => {
    const root = await cloneApp(github(), tempDir());
    const loop = await openKitLoop(github(), root);
    const issue = await promoted(loop);
    const pr = await pullRequestOnTaskBranch(issue, 'mallory', 'mallory');
    await github().simulate.approve(pr, 'eve');

    assert.deepEqual(await tickOk(loop), [], 'nothing acts on it');
    assert.equal(github().state.repo().pull(pr)?.pull.merged, false);
    const stage = loop.state().stage;
    assert.equal(stage?.stage, '2b');
    assert.match(stage.reason, new RegExp(`^Waiting for copilot-swe-agent(\\[bot\\])? to open a PR for issue #${String(issue)} \\(task add-login\\)`), 'the task still waits for its agent: the PR is not linked');
    assert.match(stage.reason, new RegExp(`Ignored, not trusted: PR #${String(pr)} \\(ato/add-login\\), opened from the fork mallory/app`));
    assert.ok(!loop.state().needsYou.some(item => item.pullNumber === pr), 'no merge is offered');
    assert.equal(permissionRequests(), 0, 'a stranger costs no request');
    await loop.close();

    // With forks allowed, the author still decides.
    await leaseGone();
    const forks = await openKitLoop(github(), root, { settings: { 'loop.allowForkPullRequests': true } });
    assert.deepEqual(await tickOk(forks), []);
    assert.equal(github().state.repo().pull(pr)?.pull.merged, false);
    assert.match(forks.state().stage?.reason ?? '', /opened by mallory, who is not one of ATO's agents and has no write access/);
    await forks.close();
  });

  it('a collaborator\'s PR is linked once GitHub confirms write access (asked once); a stranger\'s approval does not count, a collaborator\'s does', async () => {
    const loop = await openKitLoop(github(), await cloneApp(github(), tempDir()));
    const issue = await promoted(loop);
    const pr = await pullRequestOnTaskBranch(issue, 'alice');
    await github().simulate.approve(pr, 'eve');

    assert.deepEqual(await tickOk(loop), []);
    assert.match(loop.state().stage?.reason ?? '', new RegExp(`Waiting for PR #${String(pr)} \\(task add-login\\): no review request or approval yet`), 'linked, but eve\'s approval is no signal');
    assert.equal(github().state.repo().pull(pr)?.pull.merged, false);

    await github().simulate.approve(pr, 'bob');
    assert.deepEqual(await tickOk(loop), ['mergePullRequest:done']);
    assert.equal(github().state.repo().pull(pr)?.pull.merged, true);
    assert.equal(permissionRequests(), 1, 'alice\'s write access was asked once, then remembered');
    await loop.close();
  });

  it('a PR from a fork is linked and merged only with ato.loop.allowForkPullRequests', async () => {
    const root = await cloneApp(github(), tempDir());
    const loop = await openKitLoop(github(), root);
    const issue = await promoted(loop);
    const pr = await pullRequestOnTaskBranch(issue, 'alice', 'alice');
    await github().simulate.approve(pr, 'bob');

    assert.deepEqual(await tickOk(loop), []);
    assert.match(loop.state().stage?.reason ?? '', /opened from the fork alice\/app; ATO trusts fork PRs only with `ato\.loop\.allowForkPullRequests`/);
    assert.equal(github().state.repo().pull(pr)?.pull.merged, false);
    await loop.close();

    await leaseGone();
    const optedIn = await openKitLoop(github(), root, { settings: { 'loop.allowForkPullRequests': true } });
    assert.deepEqual(await tickOk(optedIn), ['mergePullRequest:done']);
    assert.equal(github().state.repo().pull(pr)?.pull.merged, true);
    await optedIn.close();
  });
});
