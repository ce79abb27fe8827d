import { strict as assert } from 'node:assert';
import { api, pick, useFakeGitHub } from './fakeGitHubKit';

type Json = Record<string, unknown>;

describe('fake GitHub: merging pull requests', function () {
  this.timeout(60_000);
  const fake = useFakeGitHub();

  async function readyPull(files: Record<string, string>, body = 'Fixes #1'): Promise<{ readonly number: number; readonly head: string }> {
    const github = fake();
    await api(github, 'POST', '/repos/octo/app/issues', { title: 'Add a login form' });
    const number = await github.simulate.openPullRequest({ head: 'feature/login', title: 'Login form', body, files });
    await github.simulate.setCheckRuns(number, [{ name: 'ci/build', status: 'completed', conclusion: 'success' }]);
    return { number, head: github.state.repo().pull(number)!.pull.headSha };
  }

  it('a squash merge writes one commit on main with the pull request\'s files and closes the issue it fixes', async () => {
    const github = fake();
    const mainBefore = await github.state.repo().ref('refs/heads/main');
    await github.simulate.pushFiles('feature/login', { 'src/login.ts': 'export const login = 1;\n' }, 'First step');
    const { number, head } = await readyPull({ 'src/form.ts': 'export const form = 2;\n' });
    const answer = await api(github, 'PUT', `/repos/octo/app/pulls/${number}/merge`, { merge_method: 'squash', sha: head });
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(answer.body, { sha: pick(answer.body, 'sha'), merged: true, message: 'Pull Request successfully merged' });
    const repo = github.state.repo();
    const merged = String(pick(answer.body, 'sha'));
    assert.equal(await repo.ref('refs/heads/main'), merged);
    const commit = await repo.commit(merged);
    assert.ok(commit);
    assert.deepEqual(commit.parents, [mainBefore], 'squash: one parent, the old main');
    assert.match(commit.message, /^Login form \(#2\)\n\n\* First step\n\n\* Login form\n$/);
    assert.equal(await repo.readFile('main', 'src/login.ts'), 'export const login = 1;\n');
    assert.equal(await repo.readFile('main', 'src/form.ts'), 'export const form = 2;\n');
    assert.equal(await repo.readFile('main', 'README.md'), '# app\n');

    const pull = repo.pull(number)!;
    assert.deepEqual([pull.state, pull.pull.merged, pull.pull.mergeCommitSha, pull.pull.mergedBy], ['closed', true, merged, 'octocat']);
    assert.deepEqual(repo.events(number).map(event => event.event), ['merged', 'closed']);
    const issue = repo.issue(1)!;
    assert.deepEqual([issue.state, issue.stateReason, issue.closedBy], ['closed', 'completed', 'octocat']);
    const closed = repo.events(1).find(event => event.event === 'closed');
    assert.deepEqual([closed?.commitId, closed?.closerPullNumber], [merged, number]);
    const rest = await api(github, 'GET', '/repos/octo/app/issues/1');
    assert.equal(pick(rest.body, 'closed_by.login'), 'octocat');
    const timeline = await api(github, 'GET', '/repos/octo/app/issues/1/timeline');
    assert.ok((timeline.body as Json[]).some(event => event['event'] === 'closed' && event['commit_id'] === merged));
    const again = await api(github, 'PUT', `/repos/octo/app/pulls/${number}/merge`, { merge_method: 'squash' });
    assert.deepEqual([again.status, pick(again.body, 'message')], [405, 'Pull Request is not mergeable']);
  });

  it('a merge commit has both parents; a rebase replays the commits on main', async () => {
    const github = fake();
    const first = await readyPull({ 'a.txt': 'a\n' }, 'No keyword here, just #1');
    const merged = await api(github, 'PUT', `/repos/octo/app/pulls/${first.number}/merge`, { merge_method: 'merge' });
    assert.equal(merged.status, 200, merged.text);
    const mergeCommit = await github.state.repo().commit(String(pick(merged.body, 'sha')));
    assert.ok(mergeCommit);
    assert.equal(mergeCommit.parents.length, 2);
    assert.equal(mergeCommit.parents[1], first.head);
    assert.equal(github.state.repo().issue(1)?.state, 'open', 'a mention without a closing keyword does not close the issue');

    const second = await github.simulate.openPullRequest({ head: 'feature/b', title: 'B', files: { 'b.txt': 'b\n' } });
    const secondHead = github.state.repo().pull(second)!.pull.headSha;
    const mainTip = await github.simulate.pushFiles('main', { 'c.txt': 'c\n' }, 'Main moves on');
    await github.simulate.setCheckRuns(second, [{ name: 'ci/build', status: 'completed', conclusion: 'success' }]);
    const rebased = await api(github, 'PUT', `/repos/octo/app/pulls/${second}/merge`, { merge_method: 'rebase' });
    assert.equal(rebased.status, 200, rebased.text);
    const tip = await github.state.repo().commit(String(pick(rebased.body, 'sha')));
    assert.ok(tip);
    assert.equal(tip.message, 'B');
    assert.deepEqual(tip.parents, [mainTip], 'replayed on top of the moved main');
    assert.notEqual(tip.sha, secondHead);
    assert.equal(tip.committer.name, 'GitHub');
    assert.equal(await github.state.repo().readFile('main', 'b.txt'), 'b\n');
    assert.equal(await github.state.repo().readFile('main', 'c.txt'), 'c\n');
  });

  it('refuses with GitHub\'s statuses and messages: head moved (409), draft, conflicts and branch protection (405)', async () => {
    const github = fake();
    const { number, head } = await readyPull({ 'src/form.ts': 'form\n' });
    await github.simulate.pushFiles('feature/login', { 'src/form.ts': 'form v2\n' }, 'Later push');
    const moved = await api(github, 'PUT', `/repos/octo/app/pulls/${number}/merge`, { merge_method: 'squash', sha: head });
    assert.deepEqual([moved.status, pick(moved.body, 'message')], [409, 'Head branch was modified. Review and try the merge again.']);

    const required = await api(github, 'PUT', `/repos/octo/app/pulls/${number}/merge`, { merge_method: 'squash' });
    assert.deepEqual([required.status, pick(required.body, 'message')], [405, 'Required status check "ci/build" is expected.'], 'the new head has no check yet');
    await github.simulate.setCheckRuns(number, [{ name: 'ci/build', status: 'completed', conclusion: 'failure' }]);
    const failing = await api(github, 'PUT', `/repos/octo/app/pulls/${number}/merge`, { merge_method: 'squash' });
    assert.deepEqual([failing.status, pick(failing.body, 'message')], [405, 'Required status check "ci/build" is failing.']);

    const draft = await github.simulate.openPullRequest({ head: 'draft', title: 'Draft', draft: true, files: { 'd.txt': 'd\n' } });
    const drafted = await api(github, 'PUT', `/repos/octo/app/pulls/${draft}/merge`, {});
    assert.deepEqual([drafted.status, pick(drafted.body, 'message')], [405, 'Pull Request is still a draft']);

    await github.simulate.pushFiles('main', { 'src/form.ts': 'someone else\'s form\n' }, 'Conflicting change on main');
    const conflicted = await api(github, 'GET', `/repos/octo/app/pulls/${number}`);
    assert.deepEqual([pick(conflicted.body, 'mergeable'), pick(conflicted.body, 'mergeable_state')], [false, 'dirty']);
    const conflict = await api(github, 'PUT', `/repos/octo/app/pulls/${number}/merge`, { merge_method: 'squash' });
    assert.deepEqual([conflict.status, pick(conflict.body, 'message')], [405, 'Pull Request is not mergeable']);
    assert.equal(github.state.repo().pull(number)?.state, 'open');
  });

  it('required reviews: only reviewers with write access count, changes requested block, and GraphQL tells it as GitHub does', async () => {
    const github = fake();
    github.state.repo().protection.get('main')!.requiredApprovingReviewCount = 1;
    const { number } = await readyPull({ 'src/form.ts': 'form\n' });
    const decision = async (): Promise<unknown[]> => {
      const query = `{ repository(owner: "octo", name: "app") { pullRequest(number: ${String(number)}) { reviewDecision mergeStateStatus latestReviews(first: 10) { nodes { state authorCanPushToRepository author { login } } } } } }`;
      const node = pick((await api(github, 'POST', '/graphql', { query })).body, 'data.repository.pullRequest') as Json;
      return [node['reviewDecision'], node['mergeStateStatus'], (node['latestReviews'] as { nodes: Json[] }).nodes.map(review => [pick(review, 'author.login'), review['state'], review['authorCanPushToRepository']])];
    };
    const refusal = 'At least 1 approving review is required by reviewers with write access.';
    assert.deepEqual(await decision(), ['REVIEW_REQUIRED', 'BLOCKED', []]);
    assert.deepEqual(pick((await api(github, 'PUT', `/repos/octo/app/pulls/${number}/merge`, { merge_method: 'squash' })).body, 'message'), refusal);

    await github.simulate.approve(number, 'mallory');
    assert.deepEqual(await decision(), ['REVIEW_REQUIRED', 'BLOCKED', [['mallory', 'APPROVED', false]]], 'a stranger\'s approval does not count');
    await github.simulate.review(number, 'mallory', 'CHANGES_REQUESTED');
    assert.deepEqual((await decision())[0], 'REVIEW_REQUIRED', 'nor does a stranger\'s request for changes');
    await github.simulate.review(number, 'alice', 'CHANGES_REQUESTED');
    assert.deepEqual((await decision()).slice(0, 2), ['CHANGES_REQUESTED', 'BLOCKED']);
    assert.equal((await api(github, 'PUT', `/repos/octo/app/pulls/${number}/merge`, { merge_method: 'squash' })).status, 405);
    await github.simulate.approve(number, 'alice');
    assert.deepEqual((await decision()).slice(0, 2), ['APPROVED', 'CLEAN']);
    assert.equal((await api(github, 'PUT', `/repos/octo/app/pulls/${number}/merge`, { merge_method: 'squash' })).status, 200);
  });

  it('code-owner reviews: each owned file needs its owner\'s approval (CODEOWNERS on the base branch)', async () => {
    const github = fake();
    await github.simulate.pushFiles('main', { '.github/CODEOWNERS': '# owners\n*.md @alice\n/src/ @carol\nsrc/generated/ \n' }, 'Add CODEOWNERS');
    const rule = github.state.repo().protection.get('main')!;
    rule.requiredApprovingReviewCount = 1;
    rule.requireCodeOwnerReviews = true;
    const { number } = await readyPull({ 'src/form.ts': 'form\n', 'docs/guide.md': 'guide\n', 'src/generated/x.ts': 'x\n' });
    const merge = async (): Promise<[number, unknown]> => {
      const answer = await api(github, 'PUT', `/repos/octo/app/pulls/${number}/merge`, { merge_method: 'squash' });
      return [answer.status, pick(answer.body, 'message')];
    };
    assert.deepEqual(await merge(), [405, 'At least 1 approving review is required by reviewers with write access.']);
    await github.simulate.approve(number, 'alice');
    assert.deepEqual(await merge(), [405, 'Waiting on code owner review from @carol.'], 'alice owns the markdown; src/ is carol\'s, and src/generated/ nobody\'s');
    await github.simulate.approve(number, 'carol');
    assert.deepEqual(await merge(), [405, 'Waiting on code owner review from @carol.'], 'carol has no write access yet');
    await github.simulate.grantWriteAccess('carol');
    assert.deepEqual(await merge(), [200, 'Pull Request successfully merged']);
  });

  it('setMergeable overrides what git computes', async () => {
    const github = fake();
    const { number } = await readyPull({ 'x.txt': 'x\n' });
    await github.simulate.setMergeable(number, 'CONFLICTING');
    const answer = await api(github, 'PUT', `/repos/octo/app/pulls/${number}/merge`, { merge_method: 'squash' });
    assert.equal(answer.status, 405);
    await github.simulate.setMergeable(number, null);
    assert.equal((await api(github, 'PUT', `/repos/octo/app/pulls/${number}/merge`, { merge_method: 'squash' })).status, 200);
  });
});
