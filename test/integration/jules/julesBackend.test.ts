import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JulesApiError } from '../../../src/core/agents/jules/julesApiError';
import { sessionIdOf } from '../../../src/core/agents/jules/julesRunMarker';
import { startFakeJules, type FakeJules } from '../../fakes/jules/fakeJules';
import { startTestServer } from '../../support/httpServer';
import { useTempDir } from '../../support/tempDir';
import { julesBackend, julesRequest, julesTask, julesWorkspace } from './julesKit';

/** The Jules backend over real HTTP against the fake Jules, which plays the sessions step by step. */
describe('JulesBackend against the fake Jules', function () {
  this.timeout(30_000);
  const dir = useTempDir('ato-jules-');
  let fake: FakeJules;
  let root: string;

  beforeEach(async () => {
    fake = await startFakeJules({ sources: [{ owner: 'acme', repo: 'app', defaultBranch: 'trunk', branches: ['trunk', 'dev'] }] });
    root = julesWorkspace(dir());
  });

  afterEach(async () => {
    await fake.stop();
  });

  it('creates one AUTO_CREATE_PR session on the origin\'s source and ends with the pull request in the result', async () => {
    const backend = julesBackend(fake, root);
    const { request, outputs } = julesRequest();
    const handle = await backend.dispatch(request);
    const create = fake.requests.find(r => r.method === 'POST' && r.path === '/v1alpha/sessions');
    assert.deepEqual(create?.body, {
      prompt: '# Add login\n\nAdd a login page.\n\n<!-- ato:task=add-login -->\n',
      title: 'Add login',
      sourceContext: { source: 'sources/github/acme/app', githubRepoContext: { startingBranch: 'trunk' } },
      automationMode: 'AUTO_CREATE_PR',
      requirePlanApproval: false,
    });
    assert.equal(handle.ref, fake.state.listSessions()[0]?.name);
    fake.state.advance(sessionIdOf(handle.ref));
    const status = await backend.wait(handle);
    assert.ok(status.state === 'succeeded', `succeeded, not ${JSON.stringify(status)}`);
    assert.match(status.summary, /^Jules opened https:\/\/github\.com\/acme\/app\/pull\/1 \(Add login\)\. Session: https:\/\/jules\.google\.com\/session\/\d+$/);
    assert.deepEqual(outputs.map(output => output.text.replace(/\d{7}/g, 'N')), [
      'created Jules session https://jules.google.com/session/N on acme/app',
      'Jules plan: 1. Read the task: # Add login; 2. Make the change and run the tests; 3. Open a pull request',
      'plan approved (system)',
      'progress: Ran tests — 3 passed',
      'session completed',
    ]);
    const ledger = JSON.parse(await readFile(join(root, '.ato', 'jules-sessions.json'), 'utf8')) as { sessions: { session: string; taskId: string }[] };
    assert.deepEqual(ledger.sessions.map(entry => [entry.session, entry.taskId]), [[handle.ref, 'add-login']]);
    assert.equal(await backend.sessionsToday(), 1);
  });

  it('reads activities incrementally: after the first read, only those created after the newest one seen', async () => {
    const backend = julesBackend(fake, root);
    const handle = await backend.dispatch(julesRequest().request);
    const id = sessionIdOf(handle.ref);
    fake.state.step(id);
    fake.state.step(id);
    await backend.poll(handle);
    fake.state.advance(id);
    await backend.poll(handle);
    const reads = fake.requests.filter(r => r.path.endsWith('/activities')).map(r => new URL(`http://x/${r.query}`).searchParams.get('filter'));
    assert.equal(reads[0], null, 'the first read lists from the start');
    assert.match(reads[1] ?? '', /^create_time>"\d{4}-\d\d-\d\dT[\d:.]+Z"$/);
  });

  it('fails with the session\'s reason, and a session failed at the concurrency cap as a rate limit', async () => {
    const backend = julesBackend(fake, root);
    fake.scriptNext({ fail: 'Setup script failed' });
    const handle = await backend.dispatch(julesRequest().request);
    fake.state.advance(sessionIdOf(handle.ref));
    const status = await backend.wait(handle);
    assert.deepEqual(status.state === 'failed' ? [status.failure, status.message.replace(/\d{7}/, 'N')] : status, ['fatal', 'Jules session https://jules.google.com/session/N failed: Setup script failed']);

    await fake.stop();
    fake = await startFakeJules({ concurrentLimit: 0, overConcurrency: 'failSession' });
    const capped = await julesBackend(fake, root).dispatch(julesRequest(julesTask('other'), 'run-2').request);
    const cappedStatus = await julesBackend(fake, root).wait(capped);
    assert.equal(cappedStatus.state === 'failed' ? cappedStatus.failure : cappedStatus.state, 'rateLimit');
  });

  it('asks you to approve the plan (needs you, with its steps), then completes after approvePlan', async () => {
    const backend = julesBackend(fake, root, { requirePlanApproval: true });
    const handle = await backend.dispatch(julesRequest().request);
    assert.equal((fake.requests.find(r => r.method === 'POST')?.body as { requirePlanApproval: boolean }).requirePlanApproval, true);
    fake.state.advance(sessionIdOf(handle.ref));
    assert.deepEqual(await backend.poll(handle), {
      state: 'needsYou',
      reason: 'Jules plan awaiting approval: 1. Read the task: # Add login; 2. Make the change and run the tests; 3. Open a pull request',
      usage: { sessionId: handle.ref },
    });
    await backend.approvePlan(handle);
    assert.equal(fake.requests.at(-1)?.path, `/v1alpha/${handle.ref}:approvePlan`);
    fake.state.advance(sessionIdOf(handle.ref));
    assert.equal((await backend.wait(handle)).state, 'succeeded');
  });

  it('sends a follow-up with :sendMessage, which answers the question the session waits on', async () => {
    const backend = julesBackend(fake, root);
    fake.scriptNext({ ask: 'Which branch should I use?' });
    const handle = await backend.dispatch(julesRequest().request);
    fake.state.advance(sessionIdOf(handle.ref));
    const asking = await backend.poll(handle);
    assert.equal(asking.state === 'needsYou' ? asking.reason.replace(/\d{7}/, 'N') : asking.state, 'Jules asks: Which branch should I use? — answer with a follow-up, or at https://jules.google.com/session/N');
    await backend.followUp(handle, '  Use dev.  ');
    const sent = fake.requests.at(-1);
    assert.deepEqual([sent?.path, sent?.body], [`/v1alpha/${handle.ref}:sendMessage`, { prompt: 'Use dev.' }]);
    assert.equal(fake.state.session(handle.ref).state, 'IN_PROGRESS');
  });

  it('cancels: the wait ends as cancelled and the session is archived, once per call, idempotently', async () => {
    const backend = julesBackend(fake, root);
    const handle = await backend.dispatch(julesRequest().request);
    const waiting = backend.wait(handle);
    await backend.cancel(handle);
    await backend.cancel(handle);
    const status = await waiting;
    assert.equal(status.state === 'failed' ? status.failure : status.state, 'cancelled');
    assert.equal(fake.state.session(handle.ref).archived, true);
  });

  it('a refused key is an auth failure (400 API_KEY_INVALID, 401), in dispatch, in wait and in health', async () => {
    const wrong = julesBackend(fake, root, { apiKey: 'not-the-key' });
    await assert.rejects(wrong.dispatch(julesRequest().request), (error: unknown) => JulesApiError.is(error) && error.failure === 'auth' && /HTTP 400 INVALID_ARGUMENT: API key not valid.*Set Jules API Key/.test(error.message));
    const health = await wrong.health();
    assert.equal(health.ok, false);
    assert.match(health.detail, /API key not valid/);

    const handle = await julesBackend(fake, root).dispatch(julesRequest().request);
    await fake.stop();
    fake = await startFakeJules({ invalidKeyStatus: 401, apiKey: 'rotated' });
    const status = await julesBackend(fake, root, { apiKey: 'not-the-key' }).wait(handle);
    assert.deepEqual(status.state === 'failed' ? [status.failure, status.message.includes('HTTP 401 UNAUTHENTICATED')] : status, ['auth', true]);
  });

  it('a 429 is a rate limit with its Retry-After: on create it fails the dispatch, while following it waits that long', async () => {
    fake.faults.add({ method: 'POST', path: '/v1alpha/sessions', status: 429, retryAfterSeconds: 30 });
    const slept: number[] = [];
    const backend = julesBackend(fake, root, { sleep: ms => { slept.push(ms); return Promise.resolve(); } });
    await assert.rejects(backend.dispatch(julesRequest().request), (error: unknown) => JulesApiError.is(error) && error.failure === 'rateLimit' && error.retryAfterMs === 30_000);
    assert.equal(fake.state.listSessions().length, 0);

    const handle = await backend.dispatch(julesRequest().request);
    fake.faults.add({ method: 'GET', path: `/v1alpha/${handle.ref}`, status: 429, retryAfterSeconds: 7 });
    fake.state.advance(sessionIdOf(handle.ref));
    assert.equal((await backend.wait(handle)).state, 'succeeded');
    assert.ok(slept.includes(7000), `waited as asked: ${slept.join(', ')}`);
  });

  it('a 5xx or a malformed body while following is waited out; on create it is a transient failure with a clear message', async () => {
    const backend = julesBackend(fake, root);
    fake.faults.add({ method: 'POST', path: '/v1alpha/sessions', status: 503 });
    await assert.rejects(backend.dispatch(julesRequest().request), (error: unknown) => JulesApiError.is(error) && error.failure === 'network' && error.message.includes('HTTP 503 UNAVAILABLE'));
    fake.faults.add({ method: 'GET', path: '/v1alpha/sessions', malformed: true });
    await assert.rejects(backend.dispatch(julesRequest().request), (error: unknown) => JulesApiError.is(error) && error.failure === 'network' && error.message.includes('GET /v1alpha/sessions answered HTTP 200 with a body that is not JSON'));

    const handle = await backend.dispatch(julesRequest().request);
    fake.faults.add({ method: 'GET', path: `/v1alpha/${handle.ref}`, status: 500, times: 2 });
    fake.faults.add({ method: 'GET', path: `/v1alpha/${handle.ref}/activities`, malformed: true });
    fake.state.advance(sessionIdOf(handle.ref));
    assert.equal((await backend.wait(handle)).state, 'succeeded');
    assert.equal(fake.faults.active.length, 0, 'every fault was met');
  });

  it('an answer of the wrong shape is a clear, non-transient error', async () => {
    const handle = await julesBackend(fake, root).dispatch(julesRequest().request);
    await fake.stop();
    const odd = await startTestServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ name: 42 }));
    });
    try {
      const backend = julesBackend({ ...fake, apiUrl: `${odd.url}/v1alpha` }, root);
      await assert.rejects(backend.poll(handle), (error: unknown) => JulesApiError.is(error) && error.failure === 'fatal' && error.message.includes('unexpected shape: name: '));
    } finally {
      await odd.close();
    }
  });

  it('sends the key only to ato.jules.apiUrl: a redirect elsewhere is refused and the other server gets nothing', async () => {
    const elsewhere = await startTestServer((_request, response) => { response.writeHead(200).end('{}'); });
    const redirecting = await startTestServer((_request, response) => { response.writeHead(302, { location: `${elsewhere.url}/v1alpha/sessions` }).end(); });
    try {
      const backend = julesBackend({ ...fake, apiUrl: `${redirecting.url}/v1alpha` }, root);
      await assert.rejects(backend.poll({ runId: 'run-1', agentId: 'jules', ref: 'sessions/1' }), (error: unknown) => JulesApiError.is(error) && error.failure === 'network');
      assert.equal(redirecting.requests.length, 1);
      assert.equal(redirecting.requests[0]?.headers['x-goog-api-key'], fake.apiKey);
      assert.equal(elsewhere.requests.length, 0);
    } finally {
      await Promise.all([elsewhere.close(), redirecting.close()]);
    }
  });

  it('after a crash between create and record, a restarted backend follows the same session instead of creating a second', async () => {
    const first = julesBackend(fake, root);
    await first.dispatch(julesRequest(julesTask(), 'run-1').request);
    // The handle was never recorded: a new process dispatches the task again under a new run.
    const restarted = julesBackend(fake, root);
    const { request, outputs } = julesRequest(julesTask(), 'run-2');
    const handle = await restarted.dispatch(request);
    assert.equal(fake.state.listSessions().length, 1);
    assert.equal(handle.ref, fake.state.listSessions()[0]?.name);
    assert.match(outputs[0]?.text ?? '', /already works on this task \(QUEUED\): following it instead of creating a second one/);
    // A task whose earlier session has ended gets a new one.
    fake.state.advance(sessionIdOf(handle.ref));
    await restarted.dispatch(julesRequest(julesTask(), 'run-3').request);
    assert.equal(fake.state.listSessions().length, 2);
  });

  it('serialises creation: ten dispatches at once reach Jules one create at a time', async () => {
    await fake.stop();
    fake = await startFakeJules({ concurrentLimit: 10, dailySessions: 0 });
    let inFlight = 0;
    let most = 0;
    fake.faults.add({ method: 'POST', path: '/v1alpha/sessions', delayMs: 20, times: 10 });
    const counting = julesBackend(fake, root, {
      dailySessions: 0,
      fetch: async (url, init) => {
        const creating = init.method === 'POST' && url.endsWith('/sessions');
        if (creating) most = Math.max(most, ++inFlight);
        try {
          return await fetch(url, init);
        } finally {
          if (creating) inFlight--;
        }
      },
    });
    await Promise.all(Array.from({ length: 10 }, (_, n) => counting.dispatch(julesRequest(julesTask(`task-${n}`), `run-${n}`).request)));
    assert.equal(fake.state.listSessions().length, 10);
    assert.equal(most, 1);
  });

  it('stops at ato.agents.jules.dailySessions: health says so and a dispatch is a rate limit that creates nothing', async () => {
    const backend = julesBackend(fake, root, { dailySessions: 1 });
    assert.match((await backend.health()).detail, /^source sources\/github\/acme\/app; 0\/1 sessions in the last 24 h$/);
    await backend.dispatch(julesRequest().request);
    // Another backend (the CLI beside the extension) reads the same ledger.
    const other = julesBackend(fake, root, { dailySessions: 1 });
    assert.deepEqual(await other.health(), { ok: false, detail: 'daily cap reached: 1/1 sessions in the last 24 h (ato.agents.jules.dailySessions)' });
    await assert.rejects(other.dispatch(julesRequest(julesTask('second'), 'run-2').request), (error: unknown) => JulesApiError.is(error) && error.failure === 'rateLimit' && error.message.includes('daily cap reached'));
    assert.equal(fake.state.listSessions().length, 1);
    assert.equal(other.dailyCap, 1);
  });

  it('health: no key, an origin that is not on github.com, a repository without a Jules source', async () => {
    assert.match((await julesBackend(fake, root, { apiKey: '' }).health()).detail, /^no Jules API key/);
    const elsewhere = julesWorkspace(await mkdtemp(join(dir(), 'gitlab-')), 'https://gitlab.com/acme/app.git');
    assert.match((await julesBackend(fake, elsewhere).health()).detail, /not a github\.com repository/);
    const unknown = julesWorkspace(await mkdtemp(join(dir(), 'other-')), 'git@github.com:acme/other.git');
    assert.deepEqual(await julesBackend(fake, unknown).health(), { ok: false, detail: 'Jules has no source for acme/other: install the Jules GitHub app on it (jules.google.com)' });
    assert.equal(fake.requests.filter(r => r.method === 'POST').length, 0);
  });
});
