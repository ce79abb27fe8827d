import assert from 'node:assert/strict';
import { isGitHubError } from '../../../src/core/forges/github/githubError';
import { startAdapterOnFake, type AdapterOnFake } from './fakeGitHubPort';

describe('GitHub adapter: conditional requests and faults against the fake GitHub', function () {
  this.timeout(60_000);
  let env: AdapterOnFake;
  const issuesPath = '/repos/octo/app/issues';

  beforeEach(async () => {
    env = await startAdapterOnFake({ retry: { serverRetries: 2, rateLimitRetries: 2, maxRateLimitWaitMs: 30_000 } });
  });
  afterEach(async () => {
    await env.stop();
  });

  it('a repeated probe is a 304 that costs no point; a change makes it report again', async () => {
    const { fake, port } = env;
    assert.equal(await port.probeChanges(), true);
    fake.resetRequests();
    const before = port.usage;
    assert.equal(await port.probeChanges(), false);
    assert.deepEqual(fake.requests.map(r => [r.path, r.status, r.points]), [[issuesPath, 304, 0]]);
    assert.equal(port.usage.notModified - before.notModified, 1);
    assert.equal(port.usage.points, before.points);
    await port.createIssue({ title: 'New', body: 'b', labels: [] });
    assert.equal(await port.probeChanges(), true);
    assert.equal(await port.probeChanges(), false);
  });

  it('a 500 then success is retried and succeeds', async () => {
    const { fake, port } = env;
    fake.faults.add({ method: 'GET', path: issuesPath, status: 500 });
    assert.equal(await port.probeChanges(), true);
    assert.deepEqual(fake.requests.map(r => r.status), [500, 200]);
  });

  it('5xx every time: bounded retries, then server', async () => {
    const { fake, port } = env;
    fake.faults.add({ method: 'GET', path: issuesPath, status: 503, times: 10 });
    await assert.rejects(port.probeChanges(), (error: unknown) => isGitHubError(error, 'server') && error.status === 503);
    assert.equal(fake.requests.length, 3, 'one try and two retries');
  });

  it('a secondary rate limit (403) with retry-after is waited out, then succeeds', async () => {
    const { fake, port, lines } = env;
    fake.faults.add({ method: 'GET', path: issuesPath, secondaryRateLimit: true, retryAfterSeconds: 5 });
    assert.equal(await port.probeChanges(), true);
    assert.deepEqual(fake.requests.map(r => r.status), [403, 200]);
    assert.ok(lines.some(line => line.level === 'warn' && line.message.includes('wait 5 s')));
  });

  it('a 429 with retry-after is waited out, then succeeds', async () => {
    const { fake, port } = env;
    fake.faults.add({ method: 'POST', path: '/graphql', status: 429, retryAfterSeconds: 2 });
    const snapshot = await port.snapshot({ issueLabels: [] });
    assert.equal(snapshot.defaultBranch, 'main');
    assert.deepEqual(fake.requests.map(r => r.status), [429, 200]);
  });

  it('a rate limit that outlasts the retries gives up: rateLimited with retryAfterMs', async () => {
    const { fake, port } = env;
    fake.faults.add({ method: 'GET', path: issuesPath, secondaryRateLimit: true, retryAfterSeconds: 7, times: 5 });
    await assert.rejects(port.probeChanges(), (error: unknown) => isGitHubError(error, 'rateLimited') && error.retryAfterMs === 7_000);
    assert.equal(fake.requests.length, 3);
  });

  it('a wait longer than the adapter sits out is not waited for', async () => {
    const { fake, port } = env;
    fake.faults.add({ method: 'GET', path: issuesPath, status: 429, retryAfterSeconds: 3600 });
    await assert.rejects(port.probeChanges(), (error: unknown) => isGitHubError(error, 'rateLimited') && error.retryAfterMs === 3_600_000);
    assert.equal(fake.requests.length, 1);
  });

  it('a malformed body (truncated JSON) is malformed, REST and GraphQL', async () => {
    const { fake, port } = env;
    fake.faults.add({ method: 'GET', path: '/repos/octo/app/issues/1', malformed: true });
    await port.createIssue({ title: 'One', body: 'b', labels: [] });
    await assert.rejects(port.getIssue(1), (error: unknown) => isGitHubError(error, 'malformed'));
    fake.faults.add({ method: 'POST', path: '/graphql', malformed: true });
    await assert.rejects(port.snapshot({ issueLabels: [] }), (error: unknown) => isGitHubError(error, 'malformed'));
  });

  it('a wrong token is auth, never retried, REST and GraphQL', async () => {
    const { fake } = env;
    const port = await env.connect({ token: 'wrong-token' });
    fake.resetRequests();
    await assert.rejects(port.probeChanges(), (error: unknown) => isGitHubError(error, 'auth') && error.status === 401);
    await assert.rejects(port.snapshot({ issueLabels: [] }), (error: unknown) => isGitHubError(error, 'auth') && error.status === 401);
    assert.deepEqual(fake.requests.map(r => r.status), [401, 401]);
  });

  it('an answer slower than the timeout is a network error after the retries', async () => {
    const { fake } = env;
    const port = await env.connect({ timeoutMs: 50, retry: { serverRetries: 1 } });
    fake.faults.add({ method: 'GET', path: issuesPath, delayMs: 400, times: 2 });
    await assert.rejects(port.probeChanges(), (error: unknown) => isGitHubError(error, 'network'));
  });
});
