import { strict as assert } from 'node:assert';
import { Octokit } from '@octokit/rest';
import { type FakeGitHub, startFakeGitHub } from '../../fakes/github/fakeGitHub';
import { openApiValidator } from '../../fakes/github/openapiValidator';
import { actionsRoutes } from '../../fakes/github/rest/actionsRoutes';
import { deploymentRoutes } from '../../fakes/github/rest/deploymentRoutes';
import { reviewRoutes } from '../../fakes/github/rest/reviewRoutes';
import { api, assertValid, smallScenario } from './fakeGitHubKit';

type Json = Record<string, unknown>;

/**
 * What the maintenance track reads and writes (issue 11): Actions workflow runs, jobs and job logs, deployments
 * and their statuses, update-branch, reviews with line comments; and the simulator's automatic CI and a Copilot
 * that answers an `@copilot` comment with a push. Every answer is validated against GitHub's OpenAPI description.
 */
describe('fake GitHub: the maintenance track\'s routes answer what GitHub\'s OpenAPI description allows', function () {
  this.timeout(60_000);
  let fake: FakeGitHub;
  const covered = new Set<string>();

  async function call(operationId: string, method: string, path: string, expectedStatus: number, body?: unknown): Promise<unknown> {
    const answer = await api(fake, method, path, body);
    assert.equal(answer.status, expectedStatus, `${method} ${path}: ${answer.text}`);
    assert.equal(fake.requests.at(-1)?.operationId, operationId);
    if (expectedStatus !== 204) assertValid(operationId, expectedStatus, answer.body);
    covered.add(`${method} ${operationId}`);
    return answer.body;
  }

  /** A PR by Copilot with one file, so reviews can comment on it. */
  async function copilotPull(file: string): Promise<number> {
    const issue = await api(fake, 'POST', '/repos/octo/app/issues', { title: `Change ${file}` });
    const number = (issue.body as Json)['number'] as number;
    const pull = await fake.simulate.copilotOpensPullRequest(number, { files: { [file]: 'export const changed = true;\n' } });
    await fake.simulate.copilotFinishes(pull);
    return pull;
  }

  before(async () => {
    openApiValidator();
    fake = await startFakeGitHub({ scenario: smallScenario() });
  });

  after(async () => {
    await fake.stop();
  });

  it('workflow runs, their jobs and a job\'s log: a redirect to another host, which refuses the GitHub token', async () => {
    const pull = await copilotPull('src/a.ts');
    await fake.simulate.setCheckRuns(pull, [
      { name: 'build', status: 'completed', conclusion: 'failure', log: 'npm ERR! Test failed: expected 2, got 3\n' },
      { name: 'lint', status: 'completed', conclusion: 'success' },
    ]);
    const head = fake.state.repo().pull(pull)!.pull.headSha;
    const runs = await call('actions/list-workflow-runs-for-repo', 'GET', `/repos/octo/app/actions/runs?head_sha=${head}`, 200) as { total_count: number; workflow_runs: Json[] };
    assert.equal(runs.total_count, 1);
    const run = runs.workflow_runs[0]!;
    assert.deepEqual([run['name'], run['event'], run['status'], run['conclusion'], run['head_branch']], ['CI', 'pull_request', 'completed', 'failure', fake.state.repo().pull(pull)!.pull.headRef]);
    assert.deepEqual((run['pull_requests'] as Json[]).map(entry => entry['number']), [pull]);
    const byBranch = await call('actions/list-workflow-runs-for-repo', 'GET', '/repos/octo/app/actions/runs?branch=main', 200) as { total_count: number };
    assert.equal(byBranch.total_count, 0);
    const one = await call('actions/get-workflow-run', 'GET', `/repos/octo/app/actions/runs/${String(run['id'])}`, 200) as Json;
    assert.equal(one['id'], run['id']);
    assert.equal((await api(fake, 'GET', '/repos/octo/app/actions/runs/999999')).status, 404);
    const jobs = await call('actions/list-jobs-for-workflow-run', 'GET', `/repos/octo/app/actions/runs/${String(run['id'])}/jobs`, 200) as { jobs: Json[] };
    assert.deepEqual(jobs.jobs.map(job => [job['name'], job['conclusion']]).sort(), [['build', 'failure'], ['lint', 'success']]);
    const failed = jobs.jobs.find(job => job['name'] === 'build')!;
    const job = await call('actions/get-job-for-workflow-run', 'GET', `/repos/octo/app/actions/jobs/${String(failed['id'])}`, 200) as Json;
    assert.equal(job['run_id'], run['id']);

    const redirect = await fetch(`${fake.apiUrl}/repos/octo/app/actions/jobs/${String(failed['id'])}/logs`, { headers: { authorization: `token ${fake.token}` }, redirect: 'manual' });
    assert.equal(redirect.status, 302);
    covered.add('GET actions/download-job-logs-for-workflow-run');
    const location = redirect.headers.get('location') ?? '';
    assert.notEqual(new URL(location).host, new URL(fake.apiUrl).host, 'the log lives on another host');
    assert.equal(await (await fetch(location)).text(), 'npm ERR! Test failed: expected 2, got 3\n');
    const leaked = await fetch(location, { headers: { authorization: `token ${fake.token}` } });
    assert.equal(leaked.status, 400, 'the log host refuses a request carrying the GitHub token');
    assert.equal(fake.state.leakedTokenRequests.length, 1);
  });

  it('the vendor\'s client reads a job log: Octokit follows the redirect without sending the token on', async () => {
    const pull = await copilotPull('src/b.ts');
    await fake.simulate.setCheckRuns(pull, [{ name: 'test', status: 'completed', conclusion: 'failure', log: 'FAIL src/b.test.ts\n' }]);
    const octokit = new Octokit({ auth: fake.token, baseUrl: fake.apiUrl });
    const head = fake.state.repo().pull(pull)!.pull.headSha;
    const { data: runs } = await octokit.rest.actions.listWorkflowRunsForRepo({ owner: 'octo', repo: 'app', head_sha: head });
    const { data: jobs } = await octokit.rest.actions.listJobsForWorkflowRun({ owner: 'octo', repo: 'app', run_id: runs.workflow_runs[0]!.id });
    const before = fake.state.leakedTokenRequests.length;
    const log = await octokit.rest.actions.downloadJobLogsForWorkflowRun({ owner: 'octo', repo: 'app', job_id: jobs.jobs[0]!.id });
    assert.equal(String(log.data), 'FAIL src/b.test.ts\n');
    assert.equal(fake.state.leakedTokenRequests.length, before);
  });

  it('the automatic CI runs on each new PR head and on the default branch, with the conclusion set per push', async () => {
    await fake.simulate.setCi({ checks: [{ name: 'ci/build', conclusion: 'failure', log: 'error TS2322\n' }] });
    const pull = await fake.simulate.openPullRequest({ head: 'feature/ci', title: 'CI test', files: { 'src/ci.ts': 'export const x: number = "a";\n' } });
    await api(fake, 'GET', '/repos/octo/app');
    const first = fake.state.repo().pull(pull)!.pull.headSha;
    const red = await api(fake, 'GET', `/repos/octo/app/commits/${first}/check-runs`);
    assert.deepEqual((red.body as { check_runs: Json[] }).check_runs.map(run => [run['name'], run['conclusion']]), [['ci/build', 'failure']]);
    await fake.simulate.setCi({ checks: [{ name: 'ci/build', conclusion: 'success' }] });
    const second = await fake.simulate.pushFiles('feature/ci', { 'src/ci.ts': 'export const x = 1;\n' }, 'Fix the type');
    await api(fake, 'GET', '/repos/octo/app');
    assert.equal(fake.state.repo().pull(pull)!.pull.headSha, second);
    const green = await api(fake, 'GET', `/repos/octo/app/commits/${second}/check-runs`);
    assert.deepEqual((green.body as { check_runs: Json[] }).check_runs.map(run => [run['name'], run['conclusion']]), [['ci/build', 'success']]);
    const again = await api(fake, 'GET', `/repos/octo/app/commits/${first}/check-runs`);
    assert.equal((again.body as { total_count: number }).total_count, 1, 'an old head is not run again');
    const onMain = await api(fake, 'GET', '/repos/octo/app/actions/runs?branch=main&event=push');
    assert.equal((onMain.body as { total_count: number }).total_count, 1, 'the default branch\'s commit ran too');
    await fake.simulate.setCi(null);
  });

  it('deployments and their statuses, newest first', async () => {
    const id = await fake.simulate.deploy('main', 'production', 'in_progress');
    await fake.simulate.deploy('main', 'production', 'failure', 'Health check failed');
    const deployments = await call('repos/list-deployments', 'GET', '/repos/octo/app/deployments?environment=production', 200) as Json[];
    assert.deepEqual(deployments.map(deployment => deployment['id']), [id]);
    const none = await call('repos/list-deployments', 'GET', '/repos/octo/app/deployments?environment=staging', 200) as Json[];
    assert.equal(none.length, 0);
    const statuses = await call('repos/list-deployment-statuses', 'GET', `/repos/octo/app/deployments/${String(id)}/statuses`, 200) as Json[];
    assert.deepEqual(statuses.map(status => [status['state'], status['description']]), [['failure', 'Health check failed'], ['in_progress', '']]);
    await call('repos/list-deployment-statuses', 'GET', '/repos/octo/app/deployments/424242/statuses', 404);
  });

  it('reviews with line comments: changes requested by a collaborator, refused on one\'s own PR and outside the diff', async () => {
    const pull = await copilotPull('src/c.ts');
    const reviewId = await fake.simulate.requestChanges(pull, 'alice', 'Please handle the empty case.', [{ path: 'src/c.ts', line: 1, body: 'What if the list is empty?' }]);
    const comments = await call('pulls/list-review-comments', 'GET', `/repos/octo/app/pulls/${String(pull)}/comments`, 200) as Json[];
    assert.deepEqual(comments.map(comment => [comment['path'], comment['line'], comment['body'], comment['pull_request_review_id']]), [['src/c.ts', 1, 'What if the list is empty?', reviewId]]);
    const forReview = await call('pulls/list-comments-for-review', 'GET', `/repos/octo/app/pulls/${String(pull)}/reviews/${String(reviewId)}/comments`, 200) as Json[];
    assert.equal(forReview.length, 1);
    const reviews = await api(fake, 'GET', `/repos/octo/app/pulls/${String(pull)}/reviews`);
    assert.equal((reviews.body as Json[]).at(-1)?.['state'], 'CHANGES_REQUESTED');
    const comment = await call('pulls/create-review', 'POST', `/repos/octo/app/pulls/${String(pull)}/reviews`, 200, { event: 'COMMENT', body: 'One more thing.', comments: [{ path: 'src/c.ts', line: 1, body: 'Name it better.' }] }) as Json;
    assert.equal(comment['state'], 'COMMENTED');
    await call('pulls/create-review', 'POST', `/repos/octo/app/pulls/${String(pull)}/reviews`, 422, { event: 'COMMENT', body: 'x', comments: [{ path: 'README.md', line: 1, body: 'not in the diff' }] });
    const own = await fake.simulate.openPullRequest({ head: 'feature/own', title: 'Mine', files: { 'own.txt': 'mine\n' } });
    await call('pulls/create-review', 'POST', `/repos/octo/app/pulls/${String(own)}/reviews`, 422, { event: 'REQUEST_CHANGES', body: 'Not like this.' });
  });

  it('update-branch merges the base into the head; refused when the head moved, when up to date, and on a conflict', async () => {
    const pull = await fake.simulate.openPullRequest({ head: 'feature/behind', title: 'Behind', files: { 'behind.txt': 'b\n' } });
    const head = fake.state.repo().pull(pull)!.pull.headSha;
    await call('pulls/update-branch', 'PUT', `/repos/octo/app/pulls/${String(pull)}/update-branch`, 422, {});
    await fake.simulate.pushFiles('main', { 'main.txt': 'moved on\n' }, 'Main moves on');
    await call('pulls/update-branch', 'PUT', `/repos/octo/app/pulls/${String(pull)}/update-branch`, 422, { expected_head_sha: 'f'.repeat(40) });
    const accepted = await call('pulls/update-branch', 'PUT', `/repos/octo/app/pulls/${String(pull)}/update-branch`, 202, { expected_head_sha: head }) as Json;
    assert.equal(accepted['message'], 'Updating pull request branch.');
    await api(fake, 'GET', '/repos/octo/app');
    const updated = fake.state.repo().pull(pull)!.pull.headSha;
    assert.notEqual(updated, head);
    const files = await api(fake, 'GET', `/repos/octo/app/pulls/${String(pull)}/files`);
    assert.deepEqual((files.body as Json[]).map(file => file['filename']), ['behind.txt'], 'the PR still changes only its own file');

    const conflicting = await fake.simulate.openPullRequest({ head: 'feature/conflict', title: 'Conflict', files: { 'README.md': '# theirs\n' } });
    await fake.simulate.pushFiles('main', { 'README.md': '# ours\n' }, 'README changes on main');
    const refused = await call('pulls/update-branch', 'PUT', `/repos/octo/app/pulls/${String(conflicting)}/update-branch`, 422, {}) as Json;
    assert.equal(refused['message'], 'merge conflict between base and head');
  });

  it('Copilot answers an @copilot comment on its PR with a push (and ignores comments that do not mention it)', async () => {
    const pull = await copilotPull('src/d.ts');
    const before = fake.state.repo().pull(pull)!.pull.headSha;
    await fake.simulate.copilotAnswersMentions({ 'src/d.ts': 'export const fixed = true;\n' });
    await api(fake, 'POST', `/repos/octo/app/issues/${String(pull)}/comments`, { body: 'The build fails, please look.' });
    assert.equal(fake.state.repo().pull(pull)!.pull.headSha, before);
    await api(fake, 'POST', `/repos/octo/app/issues/${String(pull)}/comments`, { body: '@copilot the build fails: fix it.' });
    await api(fake, 'GET', '/repos/octo/app');
    const after = fake.state.repo().pull(pull)!.pull.headSha;
    assert.notEqual(after, before);
    const content = await api(fake, 'GET', `/repos/octo/app/contents/src/d.ts?ref=${after}`, undefined, { accept: 'application/vnd.github.raw' });
    assert.equal(content.text, 'export const fixed = true;\n');
    await fake.simulate.copilotAnswersMentions(null);
  });

  it('covers every route it adds', () => {
    const missing = [...actionsRoutes, ...deploymentRoutes, ...reviewRoutes].filter(route => !covered.has(`${route.method} ${route.operationId}`)).map(route => `${route.method} ${route.pattern}`);
    assert.deepEqual(missing, []);
  });
});
