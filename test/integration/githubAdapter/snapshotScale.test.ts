import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startAdapterOnFake, type AdapterOnFake } from './fakeGitHubPort';

const run = promisify(execFile);

// Slow for an integration test (~30 s): the fake resolves changed files, commits and check suites with a git
// process per PR. The adapter's own timeout is raised so that no page is retried.
describe('snapshot of many open pull requests against the fake GitHub', function () {
  this.timeout(240_000);
  let env: AdapterOnFake;
  const count = 250;

  before(async () => {
    env = await startAdapterOnFake({ timeoutMs: 120_000 });
    const { fake } = env;
    // One commit, 250 branches on it (one git process), 250 PRs.
    const sha = await fake.simulate.pushFiles('bulk-0', { 'bulk.md': 'bulk\n' }, 'Bulk change');
    const commands = Array.from({ length: count - 1 }, (_, i) => `create refs/heads/bulk-${i + 1} ${sha}\n`).join('');
    const child = run('git', ['--git-dir', fake.state.repo().gitDir, 'update-ref', '--stdin']);
    child.child.stdin?.end(commands);
    await child;
    for (let i = 0; i < count; i++) await fake.simulate.openPullRequest({ head: `bulk-${i}`, title: `Bulk ${i}` });
  });
  after(async () => {
    await env.stop();
  });

  it(`reads ${count} open PRs with exactly 3 GraphQL requests`, async () => {
    const { fake, port } = env;
    fake.resetRequests();
    const before = port.usage;
    const snapshot = await port.snapshot({ issueLabels: ['ato:task'] });
    assert.equal(snapshot.openPullRequests.length, count);
    assert.equal(new Set(snapshot.openPullRequests.map(pr => pr.number)).size, count);
    assert.deepEqual(fake.requests.map(r => [r.method, r.path, r.status]), [['POST', '/graphql', 200], ['POST', '/graphql', 200], ['POST', '/graphql', 200]]);
    // The points ATO counts are the points GitHub (the fake) charged.
    assert.equal(port.usage.points - before.points, fake.requests.reduce((sum, r) => sum + r.points, 0));
    assert.equal(port.usage.requests - before.requests, 3);
  });
});
