import assert from 'node:assert/strict';
import type * as JulesSdkModule from '@google/jules-sdk';
import { startFakeJules, type FakeJules } from '../../fakes/jules/fakeJules';
import { useTempDir } from '../../support/tempDir';

type JulesSdk = typeof JulesSdkModule;

/**
 * The vendor's own client, `@google/jules-sdk` 0.2.0, drives the fake: if the fake's shapes drift from
 * what Jules serves (as the SDK reads it), these fail. The SDK is ESM-only, hence `await import`.
 */
describe('fake Jules driven by @google/jules-sdk', function () {
  let sdk: JulesSdk;
  let fake: FakeJules;
  const home = useTempDir('jules-sdk-home-');
  let savedHome: string | undefined;

  before(async () => {
    sdk = await import('@google/jules-sdk');
  });

  beforeEach(async () => {
    savedHome = process.env['JULES_HOME'];
    // The SDK caches sessions on disk: keep it out of the checkout and the user's home.
    process.env['JULES_HOME'] = home();
    fake = await startFakeJules({ sources: [{ owner: 'acme', repo: 'app', branches: ['main', 'dev'] }] });
  });

  afterEach(async () => {
    await fake.stop();
    if (savedHome === undefined) delete process.env['JULES_HOME'];
    else process.env['JULES_HOME'] = savedHome;
  });

  function client(apiKey = fake.apiKey): ReturnType<JulesSdk['connect']> {
    return sdk.connect({ apiKey, baseUrl: fake.apiUrl, config: { pollingIntervalMs: 20, rateLimitRetry: { maxRetryTimeMs: 0 } } });
  }

  it('creates a session, streams its activities, approves the plan and reads the pull request from result()', async () => {
    const jules = client();
    const session = await jules.session({ prompt: 'add hello', source: { github: 'acme/app', baseBranch: 'main' }, autoPr: true });
    const created = fake.requests.find(request => request.method === 'POST' && request.path === '/v1alpha/sessions');
    assert.deepEqual(created?.body, {
      prompt: 'add hello',
      sourceContext: { source: 'sources/github/acme/app', githubRepoContext: { startingBranch: 'main' } },
      automationMode: 'AUTO_CREATE_PR',
      requirePlanApproval: true,
    });
    fake.state.advance(session.id);
    assert.equal(fake.state.session(session.id).state, 'AWAITING_PLAN_APPROVAL');
    await session.approve();
    fake.state.advance(session.id);

    const kinds: string[] = [];
    for await (const activity of session.stream()) {
      kinds.push(activity.type);
      if (activity.type === 'sessionCompleted') break;
    }
    assert.deepEqual(kinds, ['planGenerated', 'planApproved', 'progressUpdated', 'sessionCompleted']);

    const outcome = await session.result();
    assert.equal(outcome.state, 'completed');
    assert.equal(outcome.pullRequest?.url, 'https://github.com/acme/app/pull/1');
    const info = await session.info();
    assert.equal(info.state, 'completed');
  });

  it('reads activities in pages, and only the newer ones after the create_time filter the SDK syncs with', async () => {
    const jules = client();
    const session = await jules.session({ prompt: 'add hello', source: { github: 'acme/app', baseBranch: 'main' }, requireApproval: false });
    fake.state.step(session.id);
    fake.state.step(session.id);
    assert.equal(await session.activities.hydrate(), 2);
    fake.state.advance(session.id);
    assert.equal(await session.activities.hydrate(), 2, 'the second sync gets only the two activities after the newest cached one');
    const sync = fake.requests.filter(request => request.path.endsWith('/activities')).at(-1);
    assert.match(decodeURIComponent(sync?.query ?? ''), /filter=create_time>"[^"]+"/);

    const first = await session.activities.list({ pageSize: 2 });
    assert.deepEqual(first.activities.map(activity => activity.type), ['planGenerated', 'planApproved']);
    assert.ok(first.nextPageToken, 'a first page of 2 out of 4 has a next page');
    const rest = await session.activities.list({ pageSize: 2, pageToken: first.nextPageToken });
    assert.deepEqual(rest.activities.map(activity => activity.type), ['progressUpdated', 'sessionCompleted']);
    assert.equal(rest.nextPageToken, undefined);
    assert.ok(fake.requests.every(request => request.authorized), 'every call carried the key');
  });

  it('finds a source by its github name and sends follow-ups the fake records', async () => {
    const jules = client();
    const source = await jules.sources.get({ github: 'acme/app' });
    assert.equal(source?.name, 'sources/github/acme/app');
    assert.equal(fake.requests.at(-1)?.path, '/v1alpha/sources/github/acme/app');
    fake.scriptNext({ ask: 'Which branch?' });
    const session = await jules.session({ prompt: 'add hello', source: { github: 'acme/app', baseBranch: 'dev' }, requireApproval: false });
    fake.state.advance(session.id);
    assert.equal(fake.state.session(session.id).state, 'AWAITING_USER_FEEDBACK');
    await session.send('Use dev.');
    assert.equal(fake.state.session(session.id).state, 'IN_PROGRESS');
    assert.deepEqual(fake.requests.at(-1)?.body, { prompt: 'Use dev.' });
  });

  it('ends result() with the SDK failure for a failed session', async () => {
    const jules = client();
    fake.scriptNext({ fail: 'Setup script failed' });
    const run = await jules.run({ prompt: 'add hello', source: { github: 'acme/app', baseBranch: 'main' } });
    fake.state.advance(run.id);
    await assert.rejects(run.result(), (error: Error) => /fail/i.test(`${error.name} ${error.message}`));
  });

  it('answers a wrong key and quota errors as the SDK expects (auth error, rate-limit error)', async () => {
    await assert.rejects(client('wrong').session({ prompt: 'x', source: { github: 'acme/app', baseBranch: 'main' } }), (error: Error) => /API key not valid|400/.test(error.message));
    fake.faults.add({ method: 'POST', path: '/v1alpha/sessions', status: 429, retryAfterSeconds: 7 });
    await assert.rejects(client().session({ prompt: 'x', source: { github: 'acme/app', baseBranch: 'main' } }), (error: Error) => error.name === 'JulesRateLimitError');
  });
});
