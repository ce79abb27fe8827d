import assert from 'node:assert/strict';
import type { GitHubMaintenance } from '../../../src/core/forges/github/githubMaintenance';
import { logExcerpt } from '../../../src/core/loop/tracks/maintenance/logExcerpt';
import { startAdapterOnFake, type AdapterOnFake } from './fakeGitHubPort';

/** The maintenance track's reads and writes (issue 11) through the real adapter, over HTTP, against the fake GitHub. */
describe('GitHub adapter: the maintenance track\'s reads against the fake GitHub', function () {
  this.timeout(60_000);
  let env: AdapterOnFake;
  let maintenance: GitHubMaintenance;

  beforeEach(async () => {
    env = await startAdapterOnFake();
    const port = env.port.maintenance;
    assert.ok(port !== undefined, 'the GitHub adapter serves the maintenance track');
    maintenance = port;
  });
  afterEach(async () => {
    await env.stop();
  });

  async function copilotPull(file: string): Promise<number> {
    const issue = await env.port.createIssue({ title: `Change ${file}`, body: 'b', labels: [] });
    const pull = await env.fake.simulate.copilotOpensPullRequest(issue.number, { files: { [file]: 'export const changed = 1;\n' } });
    await env.fake.simulate.copilotFinishes(pull);
    return pull;
  }

  it('the failed jobs of a red head and an excerpt of a failed job\'s log, read without sending the token to the log host', async () => {
    const pull = await copilotPull('src/a.ts');
    const failingLog = `${'setup\n'.repeat(500)}src/a.ts(1,14): error TS2322: Type 'number' is not assignable to type 'string'.\n##[error]Process completed with exit code 2.\n`;
    await env.fake.simulate.setCheckRuns(pull, [{ name: 'ci/build', status: 'completed', conclusion: 'failure', log: failingLog }, { name: 'lint', status: 'completed', conclusion: 'success' }]);
    const head = env.fake.state.repo().pull(pull)!.pull.headSha;
    const failed = await maintenance.failedJobs(head);
    assert.deepEqual(failed.map(job => [job.name, job.conclusion, job.workflowName]), [['ci/build', 'failure', 'CI']]);
    const log = await maintenance.jobLog(failed[0]!.jobId, 1_000_000);
    assert.equal(log.text, failingLog);
    assert.equal(log.truncated, false);
    assert.deepEqual(env.fake.state.leakedTokenRequests, [], 'the token never reached the log host');
    const tail = await maintenance.jobLog(failed[0]!.jobId, 200);
    assert.equal(tail.truncated, true);
    assert.ok(tail.text.length <= 200);
    assert.match(tail.text, /##\[error\]Process completed with exit code 2\.\n$/, 'the end of a long log is kept: errors come late');
    assert.match(logExcerpt(log.text).text, /error TS2322/);
    assert.deepEqual(await maintenance.failedJobs('0'.repeat(40)), []);
  });

  it('update-branch: updated, then up to date; a conflict and a moved head are outcomes, not errors', async () => {
    const pull = await env.fake.simulate.openPullRequest({ head: 'feature/behind', title: 'Behind', files: { 'behind.txt': 'b\n' } });
    const head = env.fake.state.repo().pull(pull)!.pull.headSha;
    assert.equal(await maintenance.updateBranch(pull, head), 'upToDate');
    await env.fake.simulate.pushFiles('main', { 'main.txt': 'm\n' }, 'Main moves');
    assert.equal(await maintenance.updateBranch(pull, 'f'.repeat(40)), 'headMoved');
    assert.equal(await maintenance.updateBranch(pull, head), 'updated');
    const conflicting = await env.fake.simulate.openPullRequest({ head: 'feature/conflict', title: 'Conflict', files: { 'README.md': '# theirs\n' } });
    await env.fake.simulate.pushFiles('main', { 'README.md': '# ours\n' }, 'README on main');
    assert.equal(await maintenance.updateBranch(conflicting, env.fake.state.repo().pull(conflicting)!.pull.headSha), 'conflict');
  });

  it('the default branch\'s runs, the latest deployments and a review\'s line comments', async () => {
    await env.fake.simulate.setCi({ checks: [{ name: 'ci/build', conclusion: 'failure' }] });
    await env.fake.simulate.pushFiles('main', { 'x.txt': 'x\n' }, 'Break main');
    const runs = await maintenance.workflowRuns('main', 5);
    assert.deepEqual(runs.map(run => [run.conclusion, run.event]), [['failure', 'push']]);

    await env.fake.simulate.deploy('main', 'production', 'failure', 'Health check failed');
    const deployments = await maintenance.deployments(5);
    assert.deepEqual(deployments.map(d => [d.environment, d.state, d.description]), [['production', 'failure', 'Health check failed']]);

    const pull = await copilotPull('src/c.ts');
    await env.fake.simulate.grantWriteAccess('alice');
    await env.fake.simulate.requestChanges(pull, 'alice', 'Handle the empty case.', [{ path: 'src/c.ts', line: 1, body: 'Empty list?' }]);
    const comments = await maintenance.reviewComments(pull);
    assert.deepEqual(comments.map(c => [c.path, c.line, c.body, c.author]), [['src/c.ts', 1, 'Empty list?', 'alice']]);
  });
});
