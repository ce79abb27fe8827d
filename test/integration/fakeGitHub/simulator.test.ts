import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { api, pick, planningLoopScenario, useFakeGitHub } from './fakeGitHubKit';

type Json = Record<string, unknown>;

describe('fake GitHub: the simulator', function () {
  this.timeout(60_000);
  const fake = useFakeGitHub(() => planningLoopScenario);

  it('the planning-loop scenario: octo/app with the planning folder, Copilot on, ci/build required', async () => {
    const github = fake();
    const repo = github.state.repo();
    assert.deepEqual([repo.owner, repo.name, repo.defaultBranch], ['octo', 'app', 'main']);
    for (const path of ['README.md', 'planning/vision/goal.md', 'planning/state/system_capabilities.md', 'planning/issue_queue/pending/.gitkeep', 'planning/issue_queue/processed/.gitkeep', 'planning/issue_queue/complete/.gitkeep']) {
      assert.notEqual(await repo.readFile('main', path), undefined, path);
    }
    assert.deepEqual(repo.protection.get('main')?.requiredStatusChecks, ['ci/build']);
    const actors = await api(github, 'POST', '/graphql', { query: '{ repository(owner: "octo", name: "app") { suggestedActors(capabilities: [CAN_BE_ASSIGNED], first: 5) { nodes { login } } } }' });
    assert.equal(pick(actors.body, 'data.repository.suggestedActors.nodes.0.login'), 'copilot-swe-agent');
  });

  it('Copilot works an assigned issue: a draft [WIP] PR on a copilot/ branch, then finishes and asks its assigner for review', async () => {
    const github = fake();
    const issue = await api(github, 'POST', '/repos/octo/app/issues', {
      title: 'Add a login form', body: 'Users sign in with email.', labels: ['ato:task'],
      assignees: ['copilot-swe-agent[bot]'], agent_assignment: { base_branch: 'main', custom_instructions: 'Use the existing styles.' },
    });
    const number = Number(pick(issue.body, 'number'));
    const pull = await github.simulate.copilotOpensPullRequest(number, { files: { 'src/login.ts': 'export const login = () => true;\n' } });
    const repo = github.state.repo();
    const opened = repo.pull(pull)!;
    assert.match(opened.pull.headRef, /^copilot\/add-a-login-form$/);
    assert.deepEqual([opened.title, opened.body, opened.pull.draft, opened.author], ['[WIP] Add a login form', `Fixes #${number}`, true, 'Copilot']);
    assert.equal(await repo.readFile(opened.pull.headRef, 'src/login.ts'), 'export const login = () => true;\n');
    const commit = await repo.commit(opened.pull.headSha);
    assert.ok(commit);
    assert.equal(commit.author.email, '198982749+Copilot@users.noreply.github.com');
    assert.match(commit.message, /Co-authored-by: octocat </);
    assert.deepEqual(repo.events(number).map(event => event.event), ['labeled', 'assigned', 'cross-referenced']);
    assert.deepEqual(repo.events(pull).map(event => event.event), ['assigned', 'assigned', 'copilot_work_started']);
    const rest = await api(github, 'GET', `/repos/octo/app/pulls/${pull}`);
    assert.deepEqual([pick(rest.body, 'user.login'), pick(rest.body, 'user.type')], ['Copilot', 'Bot']);

    await github.simulate.copilotFinishes(pull);
    const finished = repo.pull(pull)!;
    assert.equal(finished.title, 'Add a login form');
    assert.equal(finished.pull.draft, true, 'Copilot leaves its PR a draft');
    assert.deepEqual(finished.pull.requestedReviewers, ['octocat']);
    const timeline = (await api(github, 'GET', `/repos/octo/app/issues/${pull}/timeline`)).body as Json[];
    assert.deepEqual(timeline.map(event => event['event']), ['assigned', 'assigned', 'copilot_work_started', 'renamed', 'copilot_work_finished', 'review_requested']);
    const requested = timeline.at(-1)!;
    assert.deepEqual([pick(requested, 'actor.login'), pick(requested, 'review_requester.login'), pick(requested, 'requested_reviewer.login')], ['Copilot', 'Copilot', 'octocat']);
    assert.equal(pick(timeline[4], 'performed_via_github_app.slug'), 'copilot-swe-agent');

    const second = await api(github, 'POST', '/repos/octo/app/issues', { title: 'Refactor the store', assignees: ['copilot-swe-agent[bot]'] });
    const failing = await github.simulate.copilotOpensPullRequest(Number(pick(second.body, 'number')), { files: {}, title: 'Refactor the store' });
    await github.simulate.copilotFails(failing);
    assert.equal(repo.events(failing).at(-1)?.event, 'copilot_work_finished_failure');
    assert.equal(repo.pull(failing)?.title, '[WIP] Refactor the store');
  });

  it('humans: a pull request linked by hand, comments and reviews', async () => {
    const github = fake();
    await api(github, 'POST', '/repos/octo/app/issues', { title: 'Docs' });
    const pull = await github.simulate.openPullRequest({ head: 'docs', title: 'Write docs', author: 'bob', files: { 'docs/a.md': 'a\n' }, linkedIssues: [1] });
    const repo = github.state.repo();
    assert.deepEqual(repo.events(1).map(event => [event.event, event.sourceNumber]), [['connected', pull]]);
    assert.deepEqual(repo.events(pull).map(event => [event.event, event.sourceNumber]), [['connected', 1]]);
    const closing = await api(github, 'POST', '/graphql', { query: `{ repository(owner: "octo", name: "app") { pullRequest(number: ${pull}) { closingIssuesReferences(first: 5) { nodes { number } } } } }` });
    assert.deepEqual(pick(closing.body, 'data.repository.pullRequest.closingIssuesReferences.nodes'), [{ number: 1 }]);
    const comment = await github.simulate.comment(pull, 'Please add an example.', 'octocat');
    assert.equal(repo.comments(pull)[0]?.id, comment);
    await github.simulate.review(pull, 'octocat', 'CHANGES_REQUESTED', 'Needs an example');
    assert.deepEqual(repo.reviews(pull).map(review => [review.author, review.state]), [['octocat', 'CHANGES_REQUESTED']]);
    await github.simulate.closeIssue(1, 'not_planned');
    assert.deepEqual([repo.issue(1)?.state, repo.issue(1)?.stateReason], ['closed', 'not_planned']);
  });

  it('every simulator action is reachable over HTTP at /_fake/<action>, with faults and the request log', async () => {
    const github = fake();
    const control = async (method: string, action: string, body?: unknown): Promise<{ status: number; body: Json }> => {
      const response = await fetch(`${github.apiUrl}/_fake/${action}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      return { status: response.status, body: await response.json() as Json };
    };
    await api(github, 'POST', '/repos/octo/app/issues', { title: 'Over HTTP', assignees: ['copilot-swe-agent[bot]'] });
    const opened = await control('POST', 'copilotOpensPullRequest', { args: [1, { files: { 'x.txt': 'x\n' } }] });
    assert.deepEqual(opened, { status: 200, body: { result: 2 } });
    assert.equal((await control('POST', 'setCheckRuns', { args: [2, [{ name: 'ci/build', status: 'completed', conclusion: 'success' }]] })).status, 200);
    assert.equal(github.state.repo().checkRuns[0]?.conclusion, 'success');
    const unknown = await control('POST', 'copilotFinishes', { args: [99] });
    assert.deepEqual([unknown.status, unknown.body['message']], [400, 'No pull request #99 in octo/app']);
    assert.equal((await control('POST', 'faults', { pathPattern: '^/repos/octo/app/pulls', status: 503, times: 1 })).status, 200);
    assert.equal((await api(github, 'GET', '/repos/octo/app/pulls')).status, 503);
    assert.equal((await api(github, 'GET', '/repos/octo/app/pulls')).status, 200);
    const log = await control('GET', 'requests');
    assert.deepEqual((log.body as unknown as Json[]).slice(-2).map(request => [request['path'], request['status']]), [['/repos/octo/app/pulls', 503], ['/repos/octo/app/pulls', 200]]);
    assert.equal((await control('POST', 'resetRequests', {})).status, 200);
    assert.equal(github.requests.length, 0);
    assert.equal((await control('POST', 'nope', {})).status, 404);
  });
});

describe('fake GitHub: the CLI', function () {
  this.timeout(60_000);

  it('prints the API URL, git URL and token, serves, and stops on SIGINT', async () => {
    const cli = join(__dirname, '..', '..', 'fakes', 'github', 'cli.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '--scenario', planningLoopScenario], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    while (!output.includes('Token:')) {
      if (child.exitCode !== null) assert.fail(`the CLI exited early: ${output}`);
      await once(child.stdout, 'data');
    }
    const apiUrl = /API URL:\s+(\S+)/.exec(output)?.[1] ?? '';
    const token = /Token:\s+(\S+)/.exec(output)?.[1] ?? '';
    assert.match(output, /octo\/app: http:\/\/127\.0\.0\.1:\d+\/octo\/app\.git/);
    assert.equal(token, 'fake-token-planning-loop');
    const repo = await fetch(`${apiUrl}/repos/octo/app`, { headers: { authorization: `token ${token}` } });
    assert.equal(repo.status, 200);
    child.kill('SIGINT');
    const [code] = await once(child, 'exit') as [number | null];
    assert.equal(code, 0);
  });
});
