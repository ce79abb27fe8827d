import assert from 'node:assert/strict';
import { EtagCache } from '../../../../../src/core/forges/github/etagCache';
import { createGitHubFetch, notModifiedHeader } from '../../../../../src/core/forges/github/githubTransport';
import { UsageMeter } from '../../../../../src/core/forges/github/usageMeter';
import { createLogger } from '../../../../../src/core/logging/logger';
import { Redactor } from '../../../../../src/core/logging/redactor';
import { ScriptedFetch } from './scriptedFetch';

const entry = (body: string, etag = '"e"') => ({ etag, body, headers: {} });

describe('EtagCache', () => {
  it('keeps at most maxEntries, dropping the least recently used', () => {
    const cache = new EtagCache({ maxEntries: 2 });
    cache.set('a', entry('A'));
    cache.set('b', entry('B'));
    assert.equal(cache.get('a')?.body, 'A'); // a is now the most recent
    cache.set('c', entry('C'));
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.get('a')?.body, 'A');
    assert.equal(cache.get('c')?.body, 'C');
    assert.equal(cache.size, 2);
  });

  it('keeps total size under maxBytes and refuses an entry bigger than maxEntryBytes', () => {
    const cache = new EtagCache({ maxEntries: 100, maxBytes: 30, maxEntryBytes: 20 });
    cache.set('a', entry('x'.repeat(10), '"1"'));
    cache.set('b', entry('y'.repeat(10), '"2"'));
    assert.equal(cache.size, 2);
    cache.set('c', entry('z'.repeat(10), '"3"'));
    assert.equal(cache.get('a'), undefined, 'the oldest went to make room');
    assert.ok(cache.totalBytes <= 30);
    cache.set('huge', entry('h'.repeat(25)));
    assert.equal(cache.get('huge'), undefined);
  });

  it('replacing an entry keeps the byte count exact', () => {
    const cache = new EtagCache();
    cache.set('a', entry('x'.repeat(100)));
    cache.set('a', entry('x'.repeat(10)));
    assert.equal(cache.totalBytes, 10 + '"e"'.length);
    cache.delete('a');
    assert.equal(cache.totalBytes, 0);
  });
});

describe('createGitHubFetch (conditional requests and metering)', () => {
  const log = createLogger({ write: () => undefined }, new Redactor());
  const graphqlUrl = 'https://api.github.com/graphql';

  function setup(maxEntries = 10) {
    const http = new ScriptedFetch();
    const meter = new UsageMeter();
    const fetch = createGitHubFetch({ timeoutMs: 1000, cache: new EtagCache({ maxEntries }), meter, graphqlUrl, log, fetch: http.fetch });
    return { http, meter, fetch };
  }

  const budgetHeaders = { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': '1800000000', 'x-ratelimit-resource': 'core' };

  it('sends If-None-Match with the cached ETag and answers a 304 with the cached body, for free', async () => {
    const { http, meter, fetch } = setup();
    http.on('GET', '/repos/o/r/issues',
      { status: 200, body: [{ number: 1 }], headers: { etag: '"v1"', link: '<https://api.github.com/next>; rel="next"', ...budgetHeaders } },
      { status: 304, headers: { etag: '"v1"', ...budgetHeaders, 'x-ratelimit-remaining': '4999' } });
    const first = await fetch('https://api.github.com/repos/o/r/issues?state=all');
    assert.deepEqual(await first.json(), [{ number: 1 }]);
    assert.equal(first.headers.get(notModifiedHeader), null);
    const second = await fetch('https://api.github.com/repos/o/r/issues?state=all');
    assert.equal(second.status, 200);
    assert.equal(second.headers.get(notModifiedHeader), '1');
    assert.equal(second.headers.get('link'), '<https://api.github.com/next>; rel="next"', 'pagination survives a 304');
    assert.deepEqual(await second.json(), [{ number: 1 }]);
    assert.equal(http.requests[0]!.headers['if-none-match'], undefined);
    assert.equal(http.requests[1]!.headers['if-none-match'], '"v1"');
    const usage = meter.snapshot();
    assert.equal(usage.requests, 2);
    assert.equal(usage.notModified, 1);
    assert.equal(usage.points, 1);
    assert.deepEqual(usage.core, { resource: 'core', limit: 5000, remaining: 4999, resetAt: new Date(1_800_000_000_000).toISOString() });
  });

  it('keys the cache by URL and accept header; POSTs are never conditional', async () => {
    const { http, fetch } = setup();
    http.on('GET', '/a', { status: 200, body: { a: 1 }, headers: { etag: '"a"' } });
    http.on('POST', '/a', { status: 201, body: {}, headers: { etag: '"p"' } });
    await fetch('https://api.github.com/a');
    await fetch('https://api.github.com/a', { headers: { accept: 'application/vnd.github.raw+json' } });
    await fetch('https://api.github.com/a?page=2');
    await fetch('https://api.github.com/a', { method: 'POST', body: '{}' });
    await fetch('https://api.github.com/a', { method: 'POST', body: '{}' });
    assert.deepEqual(http.requests.map(r => r.headers['if-none-match']), [undefined, undefined, undefined, undefined, undefined]);
    await fetch('https://api.github.com/a');
    assert.equal(http.requests.at(-1)!.headers['if-none-match'], '"a"');
  });

  it('an evicted entry makes the next request unconditional again', async () => {
    const { http, fetch } = setup(1);
    http.on('GET', '/a', { status: 200, body: {}, headers: { etag: '"a"' } });
    http.on('GET', '/b', { status: 200, body: {}, headers: { etag: '"b"' } });
    await fetch('https://api.github.com/a');
    await fetch('https://api.github.com/b');
    await fetch('https://api.github.com/a');
    assert.equal(http.requests[2]!.headers['if-none-match'], undefined);
  });

  it('GraphQL requests cost no REST point here (their cost is read from the answer) and feed the graphql budget', async () => {
    const { http, meter, fetch } = setup();
    http.on('POST', '/graphql', { status: 200, body: { data: {} }, headers: { ...budgetHeaders, 'x-ratelimit-resource': 'graphql' } });
    await fetch(graphqlUrl, { method: 'POST', body: '{}' });
    assert.equal(meter.snapshot().points, 0);
    assert.equal(meter.snapshot().graphql?.resource, 'graphql');
    assert.equal(meter.snapshot().core, undefined);
  });

  it('a request that takes longer than the timeout is aborted', async () => {
    const meter = new UsageMeter();
    const never = (_input: string | URL | Request, init?: RequestInit) => new Promise<Response>((_resolve, reject) => {
      init?.signal?.addEventListener('abort', () => { reject(init.signal?.reason as Error); });
    });
    const fetch = createGitHubFetch({ timeoutMs: 20, cache: new EtagCache(), meter, graphqlUrl, log, fetch: never });
    await assert.rejects(fetch('https://api.github.com/slow'), (error: unknown) => error instanceof Error && error.name === 'TimeoutError');
    assert.equal(meter.snapshot().requests, 1);
  });
});
