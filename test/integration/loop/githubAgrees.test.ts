import assert from 'node:assert/strict';
import type { FakeGitHub } from '../../fakes/github/fakeGitHub';
import { useTempDir } from '../../support/tempDir';
import { startApiProxy, type ApiProxy } from './apiProxy';
import { cloneApp, planningScenario, startFakeGitHub, useOriginVia } from './loopHarness';
import { copilotDelivers, openKitLoop, queueTask, taskIssueNumber, tickOk, type KitLoop } from './loopKit';

/**
 * PRODUCT §4 "'Ready' also agrees with the forge", through the loop against the fake GitHub: a PR GitHub
 * would not merge (changes requested, a required approval or code-owner review missing) is not ready and
 * ATO never tries; a merge GitHub refuses anyway becomes needs-you with GitHub's message.
 */
describe('the loop\'s "ready to merge" agrees with GitHub', function () {
  this.timeout(180_000);
  const tempDir = useTempDir('ato-loop-agrees-');
  let fake: FakeGitHub | undefined;
  let proxy: ApiProxy | undefined;

  afterEach(async () => {
    await proxy?.close();
    await fake?.stop();
    proxy = undefined;
    fake = undefined;
  });

  const merges = (github: FakeGitHub): number => github.requests.filter(request => request.method === 'PUT' && /\/pulls\/\d+\/merge$/.test(request.path)).length;

  /** A task promoted and delivered by Copilot with green CI and a review request: ready by ATO's own rules. */
  async function deliveredTask(github: FakeGitHub, loop: KitLoop): Promise<number> {
    await queueTask(github, 'add-login');
    assert.deepEqual(await tickOk(loop), ['promoteTask:done']);
    return copilotDelivers(github, taskIssueNumber(github, 'add-login'), { 'src/login.ts': 'export const login = true;\n' });
  }

  it('branch protection requires one approving review: the PR waits (needs you), changes requested hold it, an approval merges it', async () => {
    fake = await startFakeGitHub({ scenario: await planningScenario({ collaborators: ['alice'], branchProtection: { main: { requiredStatusChecks: ['ci/build'], requiredApprovingReviewCount: 1 } } }) });
    const loop = await openKitLoop(fake, await cloneApp(fake, tempDir()));
    const pr = await deliveredTask(fake, loop);

    assert.deepEqual(await tickOk(loop), [], 'no merge is tried');
    assert.equal(merges(fake), 0);
    const waiting = loop.state();
    assert.equal(waiting.stage?.stage, '2b', waiting.stage?.reason);
    assert.match(waiting.stage.reason, /GitHub requires 1 approving review from people with write access \(0 so far\)/);
    assert.deepEqual(waiting.needsYou.map(item => [item.kind, item.title, item.pullNumber]), [['mergeBlocked', `PR #${String(pr)} waits for a review GitHub requires (task add-login)`, pr]]);

    await fake.simulate.review(pr, 'alice', 'CHANGES_REQUESTED');
    // The planning track waits; the maintenance track sends the review to the agent that wrote the PR, once.
    assert.deepEqual(await tickOk(loop), ['sendReviewFollowUp:done']);
    assert.match(loop.state().stage?.reason ?? '', /changes requested by alice/);
    assert.deepEqual(loop.state().needsYou, [], 'changes requested: the author answers, the loop waits');
    assert.deepEqual(await tickOk(loop), [], 'asked once');

    await fake.simulate.approve(pr, 'alice');
    assert.deepEqual(await tickOk(loop), ['mergePullRequest:done']);
    assert.equal(fake.state.repo().pull(pr)?.pull.merged, true);
    await loop.close();
  });

  it('code-owner reviews: an approval from someone else is not enough; the owner\'s is', async () => {
    fake = await startFakeGitHub({
      scenario: await planningScenario({
        collaborators: ['alice', 'carol'],
        branchProtection: { main: { requiredStatusChecks: ['ci/build'], requiredApprovingReviewCount: 1, requireCodeOwnerReviews: true } },
      }),
    });
    await fake.simulate.pushFiles('main', { '.github/CODEOWNERS': '/src/ @carol\n' }, 'Code owners');
    const loop = await openKitLoop(fake, await cloneApp(fake, tempDir()));
    const pr = await deliveredTask(fake, loop);
    await fake.simulate.approve(pr, 'alice');
    assert.deepEqual(await tickOk(loop), []);
    assert.match(loop.state().stage?.reason ?? '', /GitHub requires a code owner's approval/);
    assert.equal(merges(fake), 0);
    await fake.simulate.approve(pr, 'carol');
    assert.deepEqual(await tickOk(loop), ['mergePullRequest:done']);
    await loop.close();
  });

  it('a merge GitHub refuses becomes needs-you with GitHub\'s message, holds until the PR changes, then merges', async () => {
    fake = await startFakeGitHub({ scenario: await planningScenario({ collaborators: ['alice'] }) });
    const github = fake;
    proxy = await startApiProxy(github.apiUrl);
    const root = await cloneApp(github, tempDir());
    await useOriginVia(root, proxy.url);
    const loop = await openKitLoop(github, root, { apiUrl: proxy.url });
    const pr = await deliveredTask(github, loop);
    // An admin requires a review just as ATO merges: what ATO read a moment ago no longer holds.
    proxy.onRequest = request => {
      if (request.method === 'PUT' && request.path.endsWith(`/pulls/${String(pr)}/merge`)) {
        const rule = github.state.repo().protection.get('main');
        if (rule !== undefined) rule.requiredApprovingReviewCount = 1;
      }
    };
    const refused = await loop.tick();
    assert.deepEqual(refused.outcomes.map(outcome => [outcome.action.kind, outcome.result]), [['mergePullRequest', 'failed']]);
    assert.match(refused.outcomes[0]?.message ?? '', new RegExp(`GitHub refused to merge PR #${String(pr)}: At least 1 approving review is required by reviewers with write access\\.`));

    assert.deepEqual(await tickOk(loop), [], 'the refusal holds: no second try on the same state');
    assert.equal(merges(github), 1);
    const state = loop.state();
    assert.match(state.stage?.reason ?? '', /GitHub refused to merge it: At least 1 approving review is required/);
    const item = state.needsYou.find(candidate => candidate.pullNumber === pr);
    assert.deepEqual([item?.kind, item?.title], ['mergeBlocked', `GitHub refused to merge PR #${String(pr)} (task add-login)`]);
    assert.match(item?.detail ?? '', /At least 1 approving review is required by reviewers with write access\./);

    await github.simulate.approve(pr, 'alice');
    assert.deepEqual(await tickOk(loop), ['mergePullRequest:done'], 'the PR changed: ATO tries again');
    assert.equal(github.state.repo().pull(pr)?.pull.merged, true);
    await loop.close();
  });
});
