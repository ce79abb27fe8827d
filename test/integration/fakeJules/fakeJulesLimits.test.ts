import assert from 'node:assert/strict';
import { startFakeJules, type FakeJules } from '../../fakes/jules/fakeJules';

/** The fake's own switches, over HTTP with plain fetch: the quota and concurrency answers ATO must survive. */
describe('fake Jules limits and errors', function () {
  let fake: FakeJules | undefined;

  afterEach(async () => {
    await fake?.stop();
    fake = undefined;
  });

  async function call(jules: FakeJules, method: string, path: string, body?: unknown, key: string | null = jules.apiKey): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
    const response = await fetch(`${jules.apiUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(key === null ? {} : { 'x-goog-api-key': key }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: await response.json() as Record<string, unknown>, headers: response.headers };
  }

  const session = { prompt: 'add hello', sourceContext: { source: 'sources/github/acme/app' } };

  it('answers 429 RESOURCE_EXHAUSTED beyond the concurrency cap, counting every non-terminal session', async () => {
    fake = await startFakeJules({ concurrentLimit: 2 });
    const a = await call(fake, 'POST', '/sessions', { ...session, requirePlanApproval: true });
    await call(fake, 'POST', '/sessions', session);
    fake.state.advance(String(a.json['id']));
    assert.equal(fake.state.session(String(a.json['id'])).state, 'AWAITING_PLAN_APPROVAL');
    const third = await call(fake, 'POST', '/sessions', session);
    assert.equal(third.status, 429);
    assert.deepEqual(third.json['error'], { code: 429, message: 'You are currently at your concurrent task limit.', status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'RATE_LIMIT_EXCEEDED', domain: 'googleapis.com', metadata: { service: 'jules.googleapis.com' } }] });
  });

  it('fails the session at once instead when overConcurrency is failSession', async () => {
    fake = await startFakeJules({ concurrentLimit: 1, overConcurrency: 'failSession' });
    await call(fake, 'POST', '/sessions', session);
    const second = await call(fake, 'POST', '/sessions', session);
    assert.equal(second.status, 200);
    assert.equal(second.json['state'], 'FAILED');
    const activities = await call(fake, 'GET', `/sessions/${String(second.json['id'])}/activities`);
    assert.deepEqual((activities.json['activities'] as Record<string, unknown>[]).map(activity => activity['sessionFailed']), [{ reason: 'You are currently at your concurrent task limit.' }]);
  });

  it('caps sessions per day, and answers a missing key 401 and a wrong one 400 API_KEY_INVALID', async () => {
    fake = await startFakeJules({ dailySessions: 1, overConcurrency: 'allow' });
    assert.equal((await call(fake, 'POST', '/sessions', session)).status, 200);
    const over = await call(fake, 'POST', '/sessions', session);
    assert.equal(over.status, 429);
    assert.match(String((over.json['error'] as Record<string, unknown>)['message']), /1 sessions per day/);
    assert.equal((await call(fake, 'GET', '/sessions', undefined, null)).status, 401);
    const wrong = await call(fake, 'GET', '/sessions', undefined, 'nope');
    assert.equal(wrong.status, 400);
    assert.equal((wrong.json['error'] as Record<string, unknown>)['status'], 'INVALID_ARGUMENT');
  });

  it('injects faults per route with Retry-After, and a 404 right after create when asked', async () => {
    fake = await startFakeJules({ notFoundAfterCreate: true });
    fake.faults.add({ method: 'GET', path: '/v1alpha/sessions', status: 429, retryAfterSeconds: 12 });
    const limited = await call(fake, 'GET', '/sessions');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '12');
    assert.equal((await call(fake, 'GET', '/sessions')).status, 200, 'a fault affects one request by default');
    const created = await call(fake, 'POST', '/sessions', session);
    const path = `/sessions/${String(created.json['id'])}/activities`;
    assert.equal((await call(fake, 'GET', path)).status, 404);
    assert.equal((await call(fake, 'GET', path)).status, 200);
    assert.deepEqual((await call(fake, 'POST', `/sessions/${String(created.json['id'])}:approvePlan`, {})).json['error'], { code: 400, message: 'Session is in state QUEUED, not AWAITING_PLAN_APPROVAL.', status: 'FAILED_PRECONDITION' });
  });
});
