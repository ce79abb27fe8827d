import assert from 'node:assert/strict';
import { isGitHubError } from '../../../src/core/forges/github/githubError';
import { resolveGitHubRemote } from '../../../src/core/forges/github/githubHosts';
import { startAdapterOnFake, type AdapterOnFake } from './fakeGitHubPort';

describe('GitHub adapter against the fake GitHub (every port method over real HTTP)', function () {
  this.timeout(60_000);
  let env: AdapterOnFake;

  beforeEach(async () => {
    env = await startAdapterOnFake();
  });
  afterEach(async () => {
    await env.stop();
  });

  it('finds the fake from its git remote and the configured API URL', () => {
    const remote = resolveGitHubRemote(env.fake.gitUrl('octo', 'app'), { apiUrl: env.fake.apiUrl });
    assert.deepEqual(remote, { kind: 'github', owner: 'octo', name: 'app', endpoint: { kind: 'enterprise', apiUrl: env.fake.apiUrl, webHost: new URL(env.fake.apiUrl).host } });
  });

  it('issues: create with Copilot and agent_assignment, get, list by label, update, assign, comments, labels', async () => {
    const { port, fake } = env;
    await port.ensureLabel('ato:task', '1d76db', 'exists already');
    await port.ensureLabel('ato:new', '#abcdef', 'made here');
    await port.ensureLabel('ato:new', 'abcdef', 'second call leaves it');
    assert.deepEqual(fake.state.repo().labels.filter(label => label.name === 'ato:new').map(label => [label.color, label.description]), [['abcdef', 'made here']]);

    const created = await port.createIssue({
      title: 'Add notes', body: 'Users keep notes.', labels: ['ato:task'], assignees: ['copilot-swe-agent[bot]'],
      agentAssignment: { base_branch: 'main', custom_instructions: 'Keep it small.' },
    });
    assert.equal(created.title, 'Add notes');
    assert.equal(created.state, 'open');
    assert.deepEqual(created.labels, ['ato:task']);
    assert.deepEqual(fake.state.repo().issue(created.number)?.agentAssignment, { base_branch: 'main', custom_instructions: 'Keep it small.' });

    const plain = await port.createIssue({ title: 'Gap analysis', body: 'b', labels: ['ato:gap-analysis'] });
    const assigned = await port.addAssignees(plain.number, ['copilot-swe-agent[bot]'], { model: 'claude-sonnet-4.6' });
    assert.ok(assigned.assignees.length > 0);
    assert.deepEqual(fake.state.repo().issue(plain.number)?.agentAssignment, { model: 'claude-sonnet-4.6' });

    assert.deepEqual((await port.listIssuesByLabel('ato:task')).map(issue => issue.number), [created.number]);
    const updated = await port.updateIssue(plain.number, { title: 'Gap analysis (done)', state: 'closed', stateReason: 'completed' });
    assert.deepEqual([updated.title, updated.state, updated.stateReason], ['Gap analysis (done)', 'closed', 'completed']);
    assert.deepEqual((await port.listIssuesByLabel('ato:gap-analysis', 'open')).length, 0);
    assert.deepEqual((await port.listIssuesByLabel('ato:gap-analysis', 'closed')).map(issue => issue.number), [plain.number]);

    // Every open issue, labelled or not, oldest first, with its author's association; no pull request.
    const handMade = await port.createIssue({ title: 'By hand', body: 'No label.', labels: [] });
    await fake.simulate.openPullRequest({ head: 'feature', title: 'A pull request', files: { 'x.txt': 'x\n' } });
    const open = await port.listOpenIssues();
    assert.deepEqual(open.map(issue => [issue.number, issue.authorAssociation]), [[created.number, 'COLLABORATOR'], [handMade.number, 'COLLABORATOR']]);
    await port.addLabels(handMade.number, ['ato', 'ato:task']);
    await port.addLabels(handMade.number, ['ato']);
    assert.deepEqual([...(fake.state.repo().issue(handMade.number)?.labels ?? [])].sort(), ['ato', 'ato:task']);

    const comment = await port.createComment(created.number, 'Started.');
    await fake.simulate.comment(created.number, 'Thanks', 'octocat');
    const comments = await port.listComments(created.number);
    assert.deepEqual(comments.map(c => c.body), ['Started.', 'Thanks']);
    assert.equal(comments[0]!.id, comment.id);

    const fetched = await port.getIssue(created.number);
    assert.equal(fetched.number, created.number);
    assert.deepEqual(fetched.linkedPullRequests, []);
    await assert.rejects(port.getIssue(999), (error: unknown) => isGitHubError(error, 'notFound'));
  });

  it('a Copilot pull request: links, timeline signals, checks, ready for review, merge with the pinned sha', async () => {
    const { port, fake } = env;
    const issue = await port.createIssue({ title: 'Add notes', body: 'b', labels: ['ato:task'], assignees: ['copilot-swe-agent[bot]'] });
    const number = await fake.simulate.copilotOpensPullRequest(issue.number, { files: { 'notes.md': '# Notes\n' } });
    await fake.simulate.setCheckRuns(number, [{ name: 'ci/build', status: 'in_progress' }]);

    assert.deepEqual((await port.getIssue(issue.number)).linkedPullRequests, [number]);
    let pr = await port.getPullRequest(number);
    assert.deepEqual([pr.isDraft, pr.author.isBot, pr.closingIssues, pr.changedFiles], [true, true, [issue.number], ['notes.md']]);
    assert.deepEqual(pr.checks.contexts.map(c => [c.name, c.status, c.required]), [['ci/build', 'IN_PROGRESS', true]]);
    assert.deepEqual(pr.checks.requiredContexts, ['ci/build']);
    assert.deepEqual((await port.listTimelineSignals(number)).map(s => s.kind), ['copilotWorkStarted']);

    await fake.simulate.copilotFinishes(number);
    await fake.simulate.setCheckRuns(number, [{ name: 'ci/build', status: 'completed', conclusion: 'success' }]);
    assert.deepEqual((await port.listTimelineSignals(number)).map(s => s.kind), ['copilotWorkStarted', 'copilotWorkFinished', 'reviewRequested']);

    await port.markReadyForReview(pr.nodeId);
    pr = await port.getPullRequest(number);
    assert.equal(pr.isDraft, false);
    assert.ok(pr.timeline.some(signal => signal.kind === 'readyForReview'));
    assert.equal(pr.checks.rollupState, 'SUCCESS');

    await assert.rejects(port.mergePullRequest(number, { sha: 'f'.repeat(40), method: 'squash' }), (error: unknown) => isGitHubError(error, 'conflict'));
    const merged = await port.mergePullRequest(number, { sha: pr.headSha, method: 'squash', title: 'Add notes' });
    assert.equal(merged.merged, true);
    assert.equal(await fake.state.repo().readFile('main', 'notes.md'), '# Notes\n');
    assert.equal((await port.getIssue(issue.number)).state, 'closed', 'Fixes #n closed the issue');
    await assert.rejects(port.mergePullRequest(number, { sha: pr.headSha, method: 'squash' }), (error: unknown) => isGitHubError(error, 'notAllowed'));
  });

  it('contents and git data: read files, one commit per change set, refs as compare-and-swap', async () => {
    const { port, fake } = env;
    assert.match(await port.getFileText('planning/vision/goal.md', 'main') ?? '', /^# Goal/);
    assert.equal(await port.getFileText('planning/nope.md', 'main'), undefined);

    const main = await port.getRef('refs/heads/main');
    assert.ok(main !== undefined);
    assert.equal(main.ref, 'refs/heads/main');
    assert.equal(await port.getRef('heads/nope'), undefined);
    const base = await port.getCommit(main.sha);
    assert.equal(base.sha, main.sha);

    const sha = await port.commitFiles('main', {
      expectedHeadSha: main.sha, message: 'Move a task',
      changes: [{ path: 'planning/issue_queue/processed/t1.md', content: '# T1\nü\n' }, { path: 'planning/issue_queue/pending/.gitkeep', content: null }],
    });
    assert.equal((await port.getRef('heads/main'))?.sha, sha);
    assert.deepEqual((await port.getCommit(sha)).parents, [main.sha]);
    assert.equal(await port.getFileText('planning/issue_queue/processed/t1.md', 'main'), '# T1\nü\n');
    assert.equal(await fake.state.repo().readFile('main', 'planning/issue_queue/pending/.gitkeep'), undefined);
    assert.equal(await port.getFileText('planning/issue_queue/processed/t1.md', main.sha), undefined, 'the old commit is untouched');

    // The lease: a data commit on a ref outside heads/, moved only as a fast-forward.
    const tree = await port.createTree([{ path: 'lease.json', content: '{"holder":"a"}' }]);
    const first = await port.createCommit({ message: 'lease a', treeSha: tree, parents: [] });
    await port.createRef('refs/ato/lease', first);
    await assert.rejects(port.createRef('refs/ato/lease', first), (error: unknown) => isGitHubError(error, 'conflict'));
    const next = await port.createCommit({ message: 'lease a renewed', treeSha: tree, parents: [first] });
    const rival = await port.createCommit({ message: 'lease b', treeSha: tree, parents: [first] });
    await port.updateRefFastForward('refs/ato/lease', next);
    await assert.rejects(port.updateRefFastForward('refs/ato/lease', rival), (error: unknown) => isGitHubError(error, 'conflict'));
    assert.equal(await fake.state.repo().ref('refs/ato/lease'), next);
    await assert.rejects(port.updateRefFastForward('refs/ato/missing', next), (error: unknown) => isGitHubError(error, 'notFound'));
  });

  it('commitFiles from a stale head: conflict, and nothing is written', async () => {
    const { port, fake } = env;
    const stale = (await port.getRef('heads/main'))!.sha;
    const moved = await fake.simulate.pushFiles('main', { 'other.md': 'someone else' }, 'A human pushes');
    fake.resetRequests();
    await assert.rejects(port.commitFiles('main', { expectedHeadSha: stale, message: 'late', changes: [{ path: 'x.md', content: 'x' }] }),
      (error: unknown) => isGitHubError(error, 'conflict'));
    assert.equal(await fake.state.repo().ref('refs/heads/main'), moved);
    assert.deepEqual(fake.requests.map(r => r.method), ['GET'], 'no blob, tree, commit or ref write');
  });

  it('suggestedActors lists the Copilot coding agent first', async () => {
    const actors = await env.port.suggestedActors();
    assert.deepEqual(actors.map(actor => [actor.login, actor.type])[0], ['copilot-swe-agent', 'Bot']);
    assert.ok(actors.some(actor => actor.login === 'octocat' && actor.type === 'User'));
  });

  it('snapshot: repo, open PRs with checks, labelled issues (open and recently closed), recently closed PRs', async () => {
    const { port, fake } = env;
    const task = await port.createIssue({ title: 'Task', body: 'b', labels: ['ato:task'], assignees: ['copilot-swe-agent[bot]'] });
    const done = await port.createIssue({ title: 'Done', body: 'b', labels: ['ato:task'] });
    await port.updateIssue(done.number, { state: 'closed', stateReason: 'not_planned' });
    await port.createIssue({ title: 'Unrelated', body: 'b', labels: [] });
    const open = await fake.simulate.copilotOpensPullRequest(task.number, { files: { 'a.md': 'a' } });
    await fake.simulate.workflowAwaitingApproval(open);
    const human = await fake.simulate.openPullRequest({ head: 'feature/b', title: 'B', files: { 'b.md': 'b' } });
    await fake.simulate.setCheckRuns(human, [{ name: 'ci/build', status: 'completed', conclusion: 'failure' }, { name: 'lint', status: 'completed', conclusion: 'success' }]);
    const closed = await fake.simulate.openPullRequest({ head: 'feature/c', title: 'C', files: { 'c.md': 'c' } });
    await fake.simulate.setCheckRuns(closed, [{ name: 'ci/build', status: 'completed', conclusion: 'success' }]);
    assert.equal((await port.mergePullRequest(closed, { sha: (await port.getPullRequest(closed)).headSha, method: 'merge' })).merged, true);

    const snapshot = await port.snapshot({ issueLabels: ['ato:task', 'ato:gap-analysis'] });
    assert.equal(snapshot.defaultBranch, 'main');
    assert.equal(snapshot.defaultBranchSha, await fake.state.repo().ref('refs/heads/main'));
    const byNumber = new Map(snapshot.openPullRequests.map(pr => [pr.number, pr]));
    assert.deepEqual([...byNumber.keys()], [open, human]);
    assert.deepEqual(snapshot.recentlyClosedPullRequests.map(pr => [pr.number, pr.state]), [[closed, 'merged']]);
    assert.equal(byNumber.get(open)?.checks.awaitingApproval, 1);
    assert.equal(byNumber.get(open)?.checks.rollupState, null, 'no check has reported: "no CI", not green');
    assert.deepEqual(byNumber.get(human)?.checks.contexts.map(ctx => [ctx.name, ctx.conclusion, ctx.required]), [['ci/build', 'FAILURE', true], ['lint', 'SUCCESS', false]]);
    const issues = new Map(snapshot.issues.map(issue => [issue.number, issue]));
    assert.deepEqual([...issues.keys()].sort((a, b) => a - b), [task.number, done.number]);
    assert.deepEqual(issues.get(task.number)?.linkedPullRequests, [open]);
    assert.ok(issues.get(task.number)?.assignees.includes('copilot-swe-agent'), 'the coding agent counts as an assignee');
    assert.equal(issues.get(done.number)?.stateReason, 'not_planned');
    assert.deepEqual(snapshot.warnings, []);
    assert.equal(snapshot.rateLimit?.resource, 'graphql');
  });
});
