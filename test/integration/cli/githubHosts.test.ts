import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { git, initRepo } from '../../support/gitRepo';
import { startTlsTestServer, type TlsTestServer } from '../../support/httpServer';
import { useTempDir } from '../../support/tempDir';

const repoRoot = join(__dirname, '..', '..', '..');
const cli = join(repoRoot, 'dist', 'cli.js');
const canary = 'ghp_canaryTokenForTheHostTest0000000001';

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The newest modification time under a folder. */
async function newest(folder: string): Promise<number> {
  let latest = 0;
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

/**
 * PRODUCT §4 "A token goes only to the host it was issued for", through the real `ato` binary
 * (`node dist/cli.js`, built by `node esbuild.mjs`): a workspace whose `origin` names an HTTPS server that
 * records every connection. The CLI is told to accept that server's certificate, as it would accept a real
 * attacker's, so a token sent there would really arrive.
 */
describe('ato CLI: the GitHub token goes only to the GitHub the user configured', function () {
  this.timeout(60_000);
  const tempDir = useTempDir('ato-cli-hosts-');
  let server: TlsTestServer;
  let workspace: string;

  before(async function () {
    const built = (() => { try { return statSync(cli).mtimeMs; } catch { return 0; } })();
    assert.ok(built >= await newest(join(repoRoot, 'src')), 'dist/cli.js is missing or older than src/: run `node esbuild.mjs` first');
  });

  beforeEach(async () => {
    server = await startTlsTestServer(tempDir(), (_request, response) => {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
    });
    workspace = join(tempDir(), 'app');
    await mkdir(workspace);
    initRepo(workspace);
    git(workspace, 'remote', 'add', 'origin', `${server.url}/octo/app.git`);
    // As a clone leaves it: the loop reads the default branch here and asks the remote nothing.
    git(workspace, 'symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
    await runCli(['init'], {});
  });
  afterEach(async () => {
    await server.close();
  });

  function runCli(args: readonly string[], env: Readonly<Record<string, string>>): Promise<CliRun> {
    return new Promise(resolve => {
      execFile(process.execPath, [cli, ...args, '--workspace', workspace], {
        env: {
          PATH: process.env['PATH'] ?? '', HOME: tempDir(), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0',
          NODE_TLS_REJECT_UNAUTHORIZED: '0', NODE_NO_WARNINGS: '1', ATO_GITHUB_TOKEN: canary, ...env,
        },
        timeout: 45_000,
      }, (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
      });
    });
  }

  it('an origin on a host nobody configured: status, status --json, tick and doctor send nothing there, and say why', async () => {
    const host = new URL(server.url).host;
    const status = await runCli(['status'], {});
    const json = await runCli(['status', '--json'], {});
    const tick = await runCli(['tick'], {});
    const doctor = await runCli(['doctor'], {});
    const seen = server.requests.map(r => `${r.method} ${r.url}${String(r.headers.authorization).includes(canary) ? ' with the token' : ''}`);
    assert.equal(server.connections(), 0, `the server saw ${String(server.connections())} connection(s): ${seen.join('; ')}`);

    assert.match(status.stdout, new RegExp(`^loop: local, not running — The \`origin\` remote is on ${host.replace(/\./g, '\\.')}, which is neither github\\.com nor a GitHub Enterprise you configured`, 'm'), status.stdout + status.stderr);
    assert.match(status.stdout, /ATO_GITHUB_API_URL/);
    const parsed = JSON.parse(json.stdout) as { loop: { mode: string; reason: string } };
    assert.equal(parsed.loop.mode, 'local');
    assert.match(parsed.loop.reason, new RegExp(`remote is on ${host.replace(/\./g, '\\.')}`));
    assert.equal(tick.code, 2, 'no loop here');
    assert.match(tick.stderr, /neither github\.com nor a GitHub Enterprise you configured/);
    assert.match(doctor.stdout, /! GitHub: no request — The `origin` remote is on /, doctor.stdout);
    for (const run of [status, json, tick, doctor]) assert.ok(!`${run.stdout}${run.stderr}`.includes(canary), 'the token is never printed');
  });

  it('with ATO_GITHUB_API_URL naming that server, the requests go there, with the token', async () => {
    await runCli(['status'], { ATO_GITHUB_API_URL: server.url });
    assert.ok(server.requests.length > 0, 'the configured GitHub was asked');
    for (const request of server.requests) {
      assert.match(request.url, /^\/(repos\/octo\/app\b|graphql$)/, request.url);
      assert.match(String(request.headers.authorization), new RegExp(`^(token|Bearer) ${canary}$`, 'i'));
    }
  });

  it('an Enterprise configured for another host does not make this one trusted', async () => {
    await runCli(['status'], { ATO_GITHUB_API_URL: 'https://ghe.corp.example/api/v3' });
    assert.equal(server.connections(), 0);
  });
});
