import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkConnections, githubProbeTarget, type CheckConnectionsInput, type ConnectionResult, type ServiceName } from '../../../../src/core/doctor/connectionCheck';
import { headlessTokenLookup } from '../../../../src/core/forges/github/githubToken';
import { Redactor } from '../../../../src/core/logging/redactor';
import { redactingSecretSource, type SecretId, type SecretSource } from '../../../../src/core/secrets/secrets';
import { readSettings, type AtoSettings, type SettingKey } from '../../../../src/core/settings/settings';
import { git, initRepo } from '../../../support/gitRepo';
import { startTestServer, type TestServer } from '../../../support/httpServer';
import { useTempDir } from '../../../support/tempDir';

const keys: Readonly<Record<SecretId, string>> = {
  'github.token': 'gh-test-token-0001',
  'gitlab.token': 'gl-test-token-0002',
  'jules.apiKey': 'jules-test-key-0003',
  'anthropic.apiKey': 'anthropic-test-key-0004',
};

function secretSource(present: readonly SecretId[]): SecretSource {
  return { get: id => Promise.resolve(present.includes(id) ? keys[id] : undefined) };
}

/** Settings that send every service to `base` under its own path prefix (with a trailing slash, which must be trimmed). */
function settingsFor(base: string, timeoutSeconds = 5): AtoSettings {
  const raw: Partial<Record<SettingKey, unknown>> = {
    'github.apiUrl': `${base}/github/`,
    'gitlab.apiUrl': `${base}/gitlab`,
    'jules.apiUrl': `${base}/jules`,
    'anthropic.apiUrl': `${base}/anthropic`,
    'network.timeoutSeconds': timeoutSeconds,
  };
  const { settings, problems } = readSettings(key => raw[key]);
  assert.deepEqual(problems, []);
  return settings;
}

/** The check's input with GitHub at the configured API (no workspace remote), its token from `secrets`. */
function check(settings: AtoSettings, secrets: SecretSource): CheckConnectionsInput {
  return { settings, secrets, fetch, github: { kind: 'endpoint', apiUrl: settings['github.apiUrl'], token: () => secrets.get('github.token') } };
}

function byService(results: readonly ConnectionResult[], service: ServiceName): ConnectionResult {
  const result = results.find(r => r.service === service);
  assert.ok(result, `no result for ${service}`);
  return result;
}

describe('checkConnections (real HTTP on 127.0.0.1)', () => {
  let server: TestServer | undefined;
  let respond: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) => response.end();

  beforeEach(async () => {
    server = await startTestServer((request, response) => {
      respond(request, response);
    });
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const base = (): string => server?.url ?? '';
  const requests = (): TestServer['requests'] => server?.requests ?? [];

  it('reports ok for a 2xx answer, sending each service its own auth header', async () => {
    respond = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    };
    const results = await checkConnections(check(settingsFor(base()), secretSource(Object.keys(keys) as SecretId[])));
    for (const result of results) assert.deepEqual([result.service, result.outcome, result.detail], [result.service, 'ok', 'HTTP 200']);

    const received = new Map(requests().map(request => [request.url.split('/')[1], request]));
    assert.equal(requests().length, 4);
    const github = received.get('github');
    assert.equal(github?.url, '/github/user');
    assert.equal(github.method, 'GET');
    assert.equal(github.headers.authorization, `Bearer ${keys['github.token']}`);
    assert.equal(github.headers.accept, 'application/vnd.github+json');
    assert.equal(github.headers['user-agent'], 'ato-vscode');

    const gitlab = received.get('gitlab');
    assert.equal(gitlab?.url, '/gitlab/user');
    assert.equal(gitlab.headers['private-token'], keys['gitlab.token']);
    assert.equal(gitlab.headers.authorization, undefined);

    const jules = received.get('jules');
    assert.equal(jules?.url, '/jules/sources?pageSize=1');
    assert.equal(jules.headers['x-goog-api-key'], keys['jules.apiKey']);

    const anthropic = received.get('anthropic');
    assert.equal(anthropic?.url, '/anthropic/v1/models?limit=1');
    assert.equal(anthropic.headers['x-api-key'], keys['anthropic.apiKey']);
    assert.equal(anthropic.headers['anthropic-version'], '2023-06-01');

    assert.equal(byService(results, 'GitHub').url, `${base()}/github/user`);
  });

  it('reports notConfigured, and sends nothing, for a service without a key', async () => {
    respond = (_request, response) => response.writeHead(200).end();
    const results = await checkConnections(check(settingsFor(base()), secretSource(['gitlab.token'])));
    assert.deepEqual(results.map(r => [r.service, r.outcome]).sort(), [['Anthropic', 'notConfigured'], ['GitHub', 'notConfigured'], ['GitLab', 'ok'], ['Jules', 'notConfigured']]);
    assert.deepEqual(requests().map(r => r.url), ['/gitlab/user']);
    assert.equal(byService(results, 'GitHub').detail, 'no key set');
  });

  it('explains a 401', async () => {
    respond = (_request, response) => response.writeHead(401).end('{"message":"Bad credentials"}');
    const result = byService(await checkConnections(check(settingsFor(base()), secretSource(['github.token']))), 'GitHub');
    assert.equal(result.outcome, 'failed');
    assert.match(result.detail, /^HTTP 401: \{"message":"Bad credentials"\}/);
    assert.match(result.detail, /rejected; set it again/);
  });

  it('keeps a 500 body that echoes the key, and the redactor removes it', async () => {
    respond = (request, response) => {
      const key = request.headers['x-api-key'] ?? request.headers['private-token'] ?? '';
      // Echo the key bare (no header name next to it), so only the known-secret redaction can catch it.
      response.writeHead(500).end(`internal error; you sent ${String(key)} with ${JSON.stringify(request.headers)}`);
    };
    const redactor = new Redactor();
    const secrets = redactingSecretSource(secretSource(['anthropic.apiKey', 'gitlab.token']), redactor);
    const results = await checkConnections(check(settingsFor(base()), secrets));
    for (const service of ['Anthropic', 'GitLab'] as const) {
      const result = byService(results, service);
      const secret = keys[service === 'Anthropic' ? 'anthropic.apiKey' : 'gitlab.token'];
      assert.equal(result.outcome, 'failed');
      assert.ok(result.detail.includes(secret), 'the raw detail quotes the server (which is why it must be redacted)');
      const shown = redactor.redact(result.detail);
      assert.ok(!shown.includes(secret), shown);
      assert.match(shown, /^HTTP 500: internal error; you sent ‹redacted›/);
      assert.match(shown, /the service failed/);
    }
  });

  it('shortens a long error body', async () => {
    respond = (_request, response) => response.writeHead(403).end('x'.repeat(5000));
    const result = byService(await checkConnections(check(settingsFor(base()), secretSource(['jules.apiKey']))), 'Jules');
    assert.ok(result.detail.length < 400, `${result.detail.length} characters`);
    assert.match(result.detail, /lacks permission/);
  });

  it('fails within the timeout when the server never answers', async function () {
    this.timeout(5000);
    respond = () => {
      /* never answers */
    };
    const started = Date.now();
    const results = await checkConnections(check(settingsFor(base(), 1), secretSource(['github.token', 'anthropic.apiKey'])));
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 900 && elapsed < 3000, `took ${elapsed} ms`);
    for (const service of ['GitHub', 'Anthropic'] as const) {
      const result = byService(results, service);
      assert.equal(result.outcome, 'failed');
      assert.match(result.detail, /TimeoutError|timed out|aborted/i);
    }
  });

  describe('GitHub: the workspace\'s origin decides where the probe goes', () => {
    const tempDir = useTempDir('ato-doctor-');

    function repoWithOrigin(origin: string | undefined): string {
      const root = initRepo(tempDir());
      if (origin !== undefined) git(root, 'remote', 'add', 'origin', origin);
      return root;
    }

    it('an origin on a host the user did not configure: no request, the reason instead', async () => {
      respond = (_request, response) => response.writeHead(200).end('{}');
      const root = repoWithOrigin(`${base()}/octo/app.git`);
      const hosts = { apiUrl: 'https://api.github.com' };
      const github = await githubProbeTarget(root, hosts, headlessTokenLookup(hosts, () => Promise.resolve(keys['github.token'])));
      const results = await checkConnections({ settings: settingsFor(base()), secrets: secretSource(['github.token']), github, fetch });
      const result = byService(results, 'GitHub');
      assert.equal(result.outcome, 'refused');
      assert.match(result.detail, new RegExp(`origin\` remote is on ${new URL(base()).host.replace(/\./g, '\\.')}`));
      assert.deepEqual(requests(), [], 'nothing was sent');
    });

    it('an origin on the configured Enterprise: the probe goes to its API with its token', async () => {
      respond = (_request, response) => response.writeHead(200).end('{}');
      const root = repoWithOrigin(`${base()}/octo/app.git`);
      const hosts = { apiUrl: `${base()}/github` };
      const github = await githubProbeTarget(root, hosts, headlessTokenLookup(hosts, () => Promise.resolve(keys['github.token'])));
      const result = byService(await checkConnections({ settings: settingsFor(base()), secrets: secretSource([]), github, fetch }), 'GitHub');
      assert.deepEqual([result.outcome, result.url], ['ok', `${base()}/github/user`]);
      assert.equal(requests()[0]?.headers.authorization, `Bearer ${keys['github.token']}`);
    });

    it('no origin: the configured API', async () => {
      const hosts = { apiUrl: `${base()}/github` };
      const target = await githubProbeTarget(repoWithOrigin(undefined), hosts, () => Promise.resolve(undefined));
      assert.equal(target.kind === 'endpoint' ? target.apiUrl : target.reason, `${base()}/github`);
      const noWorkspace = await githubProbeTarget(undefined, { apiUrl: 'https://api.github.com' }, () => Promise.resolve(undefined));
      assert.equal(noWorkspace.kind === 'endpoint' ? noWorkspace.apiUrl : noWorkspace.reason, 'https://api.github.com');
    });
  });

  it('fails, with the reason, when nothing listens', async () => {
    const closed = base();
    await server?.close();
    server = undefined;
    const result = byService(await checkConnections(check(settingsFor(closed), secretSource(['gitlab.token']))), 'GitLab');
    assert.equal(result.outcome, 'failed');
    assert.match(result.detail, /ECONNREFUSED|fetch failed/);
  });
});
