import assert from 'node:assert/strict';
import { GitHubError, isGitHubError, type GitHubErrorKind } from '../../../../../src/core/forges/github/githubError';
import { toGitHubError } from '../../../../../src/core/forges/github/githubErrorMapping';
import { restIssue } from './payloads';
import { createTestPort, repoPath } from './testPort';

/** Octokit's RequestError as the adapter sees it (read structurally). */
function requestError(status: number, headers: Record<string, string> = {}, data: unknown = { message: 'x' }): Error {
  return Object.assign(new Error(`HttpError ${status}`), { name: 'HttpError', status, response: { status, url: '', headers, data } });
}

const now = () => 1_800_000_000_000;

describe('toGitHubError (table)', () => {
  const table: readonly (readonly [string, unknown, GitHubErrorKind, number | undefined])[] = [
    ['401', requestError(401), 'auth', undefined],
    ['403 without a rate-limit sign', requestError(403, {}, { message: 'Resource not accessible by integration' }), 'auth', undefined],
    ['403 with remaining 0', requestError(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(1_800_000_030) }), 'rateLimited', 31_000],
    ['403 secondary limit with retry-after', requestError(403, { 'retry-after': '7' }, { message: 'You have exceeded a secondary rate limit.' }), 'rateLimited', 7_000],
    ['403 secondary limit without retry-after', requestError(403, {}, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes.' }), 'rateLimited', 60_000],
    ['429 with retry-after', requestError(429, { 'retry-after': '2' }), 'rateLimited', 2_000],
    ['429 without headers', requestError(429), 'rateLimited', 60_000],
    ['404', requestError(404), 'notFound', undefined],
    ['410 (deleted issue)', requestError(410), 'notFound', undefined],
    ['409', requestError(409), 'conflict', undefined],
    ['405', requestError(405), 'notAllowed', undefined],
    ['422', requestError(422), 'invalid', undefined],
    ['400', requestError(400), 'invalid', undefined],
    ['500', requestError(500), 'server', undefined],
    ['503', requestError(503), 'server', undefined],
    ['no response (refused)', Object.assign(new Error('connect ECONNREFUSED'), { status: 500 }), 'network', undefined],
    ['a timeout', Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }), 'network', undefined],
    ['GraphQL RATE_LIMITED rethrown by plugin-throttling', Object.assign(new Error('GraphQL Rate Limit Exceeded'), {
      response: { status: 200, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(1_800_000_010) }, data: { errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded' }] } },
    }), 'rateLimited', 11_000],
  ];
  for (const [what, error, kind, retryAfterMs] of table) {
    it(`${what} → ${kind}`, () => {
      const mapped = toGitHubError(error, 'GET /x', now);
      assert.equal(mapped.kind, kind);
      assert.equal(mapped.retryAfterMs, retryAfterMs);
      assert.match(mapped.message, /^GET \/x: /);
    });
  }

  it('keeps GitHub\'s structured 422 reasons', () => {
    const mapped = toGitHubError(requestError(422, {}, { message: 'Validation Failed', errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }] }), 'POST /labels');
    assert.deepEqual(mapped.codes, ['already_exists']);
  });

  it('a GitHubError passes through unchanged', () => {
    const original = new GitHubError('conflict', 'moved', 422);
    assert.equal(toGitHubError(original, 'x'), original);
  });
});

describe('errors and retries through the real Octokit stack', () => {
  const issuePath = `${repoPath}/issues/1`;

  async function failingWith(status: number, headers: Record<string, string> = {}, body: unknown = { message: 'x' }) {
    const test = await createTestPort({ retry: { serverRetries: 2, rateLimitRetries: 1, maxRateLimitWaitMs: 5_000 } });
    test.http.on('GET', issuePath, { status, headers, body });
    const error = await test.port.getIssue(1).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof GitHubError, `a GitHubError, not ${String(error)}`);
    return { error, requests: test.http.requests.length };
  }

  const table: readonly (readonly [number, GitHubErrorKind, number])[] = [
    [401, 'auth', 1], [403, 'auth', 1], [404, 'notFound', 1], [409, 'conflict', 1], [405, 'notAllowed', 1], [422, 'invalid', 1],
    [500, 'server', 3], [502, 'server', 3],
  ];
  for (const [status, kind, requests] of table) {
    it(`${status} → ${kind} after ${requests} request(s)${requests > 1 ? ' (retried)' : ' (never retried)'}`, async () => {
      const result = await failingWith(status);
      assert.equal(result.error.kind, kind);
      assert.equal(result.error.status, status);
      assert.equal(result.requests, requests);
    });
  }

  it('a 5xx then a success is retried and succeeds', async () => {
    const { port, http } = await createTestPort();
    http.on('GET', issuePath, { status: 502, body: { message: 'Bad Gateway' } }, { status: 200, body: restIssue(1) });
    http.on('GET', `${issuePath}/timeline`, { status: 200, body: [] });
    assert.equal((await port.getIssue(1)).number, 1);
    assert.equal(http.requests.filter(r => r.url.endsWith('/issues/1')).length, 2);
  });

  it('writes a retry could duplicate (new issue, comment, merge, ref, mutation) are not retried after a 5xx', async () => {
    const { port, http } = await createTestPort();
    const serverError = { status: 502, body: { message: 'Bad Gateway' } };
    http.on('POST', `${repoPath}/issues`, serverError);
    http.on('POST', `${repoPath}/issues/1/comments`, serverError);
    http.on('PUT', `${repoPath}/pulls/2/merge`, serverError);
    http.on('POST', `${repoPath}/git/refs`, serverError);
    http.on('POST', '/api/graphql', serverError);
    const isServer = (error: unknown): boolean => isGitHubError(error, 'server');
    await assert.rejects(port.createIssue({ title: 't', body: 'b', labels: [] }), isServer);
    await assert.rejects(port.createComment(1, 'c'), isServer);
    await assert.rejects(port.mergePullRequest(2, { sha: 'a'.repeat(40), method: 'squash' }), isServer);
    await assert.rejects(port.createRef('refs/ato/lease', 'a'.repeat(40)), isServer);
    await assert.rejects(port.markReadyForReview('PR_2'), isServer);
    assert.deepEqual(http.requests.map(r => r.method), ['POST', 'POST', 'PUT', 'POST', 'POST']);
    await assert.rejects(port.getPullRequest(2), isServer);
    assert.equal(http.requests.length, 5 + 4, 'a GraphQL query is retried (3 retries by default)');
  });

  it('a network failure is retried, then reported as network', async () => {
    const { port, http } = await createTestPort({ retry: { serverRetries: 1 } });
    http.on('GET', issuePath, new TypeError('fetch failed'));
    await assert.rejects(port.getIssue(1), (error: unknown) => isGitHubError(error, 'network') && error.status === undefined);
    assert.equal(http.requests.length, 2);
  });

  it('a secondary rate limit with retry-after is waited out, then succeeds', async () => {
    const { port, http, lines } = await createTestPort();
    http.on('GET', issuePath,
      { status: 403, headers: { 'retry-after': '3' }, body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' } },
      { status: 200, body: restIssue(1) });
    http.on('GET', `${issuePath}/timeline`, { status: 200, body: [] });
    assert.equal((await port.getIssue(1)).number, 1);
    assert.ok(lines.some(line => line.level === 'warn' && /Secondary rate limit .* wait 3 s; retry 1 of 2/.test(line.message)), JSON.stringify(lines));
  });

  it('a primary limit that resets too late is not waited for: rateLimited with retryAfterMs at once', async () => {
    const reset = Math.floor(Date.now() / 1000) + 3600;
    const result = await failingWith(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset), 'x-ratelimit-limit': '5000' }, { message: 'API rate limit exceeded' });
    assert.equal(result.error.kind, 'rateLimited');
    assert.equal(result.requests, 1);
    assert.ok(result.error.retryAfterMs !== undefined && result.error.retryAfterMs > 3_500_000 && result.error.retryAfterMs <= 3_602_000, String(result.error.retryAfterMs));
  });

  it('a secondary limit that keeps coming is retried a bounded number of times, then rateLimited', async () => {
    const result = await failingWith(403, { 'retry-after': '2' }, { message: 'You have exceeded a secondary rate limit' });
    assert.equal(result.error.kind, 'rateLimited');
    assert.equal(result.error.retryAfterMs, 2_000);
    assert.equal(result.requests, 2, 'one try and one retry (rateLimitRetries: 1)');
  });

  it('a body that is not what ATO reads is malformed, and so is truncated JSON', async () => {
    const { port, http } = await createTestPort();
    http.on('GET', issuePath, { status: 200, body: { ...restIssue(1), number: 'one' } });
    await assert.rejects(port.getIssue(1), (error: unknown) => isGitHubError(error, 'malformed') && error.message.includes('at number'));
    http.on('GET', issuePath, { status: 200, rawBody: '{"number": 1, "tit' });
    await assert.rejects(port.getIssue(1), (error: unknown) => isGitHubError(error, 'malformed'));
  });

  it('never puts the token in an error message', async () => {
    const result = await failingWith(401, {}, { message: 'Bad credentials' });
    assert.ok(!result.error.message.includes('ghp_'));
    assert.match(result.error.message, /401 Bad credentials/);
  });
});
