import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { captureOutput, type Captured } from '../../support/captureOutput';
import { startTestServer } from '../../support/httpServer';
import { useTempDir } from '../../support/tempDir';

// `ATO_VERSION` is defined by esbuild at build time; in-process tests provide the global themselves.
const versionGlobal = globalThis as { ATO_VERSION?: string };

describe('ato CLI (main)', () => {
  const tempDir = useTempDir();
  before(() => {
    versionGlobal.ATO_VERSION = '0.0.0-test';
  });
  after(() => {
    delete versionGlobal.ATO_VERSION;
  });

  /** Runs the CLI against the temp workspace with only the given environment (never the machine's). */
  function run(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Captured<number>> {
    return captureOutput(() => main([...args, '--workspace', tempDir()], env));
  }

  it('prints usage for help, -h and no command, exiting 0', async () => {
    for (const args of [['help'], ['--help'], ['-h'], []]) {
      const { result, stdout } = await captureOutput(() => main(args, {}));
      assert.equal(result, 0, args.join(' '));
      assert.match(stdout, /^ato — AI Task Orchestrator/);
      assert.match(stdout, /Usage: ato <command>/);
    }
  });

  it('prints the version', async () => {
    const { result, stdout } = await captureOutput(() => main(['--version'], {}));
    assert.equal(result, 0);
    assert.equal(stdout, '0.0.0-test\n');
  });

  it('exits 2 for an unknown command, naming it on stderr', async () => {
    const { result, stdout, stderr } = await run(['frobnicate']);
    assert.equal(result, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /unknown command "frobnicate"/);
    assert.match(stderr, /Usage:/);
  });

  it('knows every key in its environment from the start: stderr quoting one, even unread, is redacted', async () => {
    const key = 'jules-canary-key-2a9c5e71';
    const { result, stderr } = await run([`deploy-${key}`], { ATO_JULES_API_KEY: key, ANTHROPIC_API_KEY: 'anthropic-canary-4410' });
    assert.equal(result, 2);
    assert.match(stderr, /unknown command "deploy-‹redacted›"/);
    assert.ok(!stderr.includes(key));
    const option = await run(['status', '--anthropic-canary-4410']);
    assert.match(option.stderr, /anthropic-canary-4410/, 'without the key in the environment there is nothing to redact');
    const known = await run(['status', '--anthropic-canary-4410'], { ANTHROPIC_API_KEY: 'anthropic-canary-4410' });
    assert.ok(!known.stderr.includes('anthropic-canary-4410'), known.stderr);
  });

  it('exits 2 for an unknown option', async () => {
    const { result, stderr } = await run(['status', '--frobnicate']);
    assert.equal(result, 2);
    assert.match(stderr, /frobnicate/);
  });

  it('status: reports a missing planning folder and exits 0', async () => {
    const { result, stdout } = await run(['status']);
    assert.equal(result, 0);
    assert.match(stdout, new RegExp(`workspace: ${tempDir().replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}`));
    assert.match(stdout, /planning: missing/);
  });

  it('init: creates the planning folder, then status sees it ready; a second init creates nothing', async () => {
    const init = await run(['init']);
    assert.equal(init.result, 0);
    assert.match(init.stdout, /created in .*planning/);
    assert.match(init.stdout, /vision\/goal\.md/);
    assert.ok((await stat(join(tempDir(), 'planning', 'vision', 'goal.md'))).isFile());

    const status = await run(['status']);
    assert.match(status.stdout, /planning: ready \(0 pending, 0 dispatched, 0 complete\)/);

    const again = await run(['init']);
    assert.equal(again.result, 0);
    assert.match(again.stdout, /already complete/);
  });

  it('status without a loop counts valid tasks and invalid files apart, as the panel, tree and status bar do (issue 14)', async () => {
    await run(['init']);
    const pending = join(tempDir(), 'planning', 'issue_queue', 'pending');
    await writeFile(join(pending, 'add-login.task.md'), '---\nid: add-login\ntype: feature\npriority: medium\ncreated: 2026-11-21T10:00:00Z\n---\n# Add a login form\n\n**Prompt:**\nDo it.\n');
    await writeFile(join(pending, 'broken.task.md'), '---\nid: [not closed\n---\n');
    const status = await run(['status']);
    assert.match(status.stdout, /^planning: ready \(1 pending, 0 dispatched, 0 complete, 1 invalid\)$/m);
  });

  it('init: honours ATO_PLANNING_PATH, and refuses one that leaves the workspace', async () => {
    await run(['init'], { ATO_PLANNING_PATH: 'docs/plan' });
    assert.ok((await stat(join(tempDir(), 'docs', 'plan', 'vision', 'goal.md'))).isFile());

    await run(['init'], { ATO_PLANNING_PATH: '../escaped' });
    await assert.rejects(stat(join(tempDir(), '..', 'escaped')));
    assert.ok((await stat(join(tempDir(), 'planning'))).isDirectory(), 'the default was used');
  });

  it('status --json: machine-readable, with settings problems and exit 1 when a setting is invalid', async () => {
    const { result, stdout } = await run(['status', '--json'], { ATO_EVENT_LOG_MAX_FILES: 'lots', ATO_GITLAB_TOKEN: 'glpat-abcdefghijklmnopqrst' });
    assert.equal(result, 1);
    const parsed = JSON.parse(stdout) as { planning: { kind: string }; auth: { gitlab: boolean; github: { kind: string } }; settingsProblems: { setting: string }[] };
    assert.equal(parsed.planning.kind, 'missing');
    assert.equal(parsed.auth.gitlab, true);
    assert.equal(parsed.auth.github.kind, 'none');
    assert.deepEqual(parsed.settingsProblems.map(p => p.setting), ['ato.eventLog.maxFiles']);
    assert.ok(!stdout.includes('abcdefghijklmnopqrst'));
  });

  it('status: prints each settings problem', async () => {
    const { result, stdout } = await run(['status'], { ATO_NETWORK_TIMEOUT_SECONDS: '0' });
    assert.equal(result, 1);
    assert.match(stdout, /setting: Setting `ato\.network\.timeoutSeconds`/);
  });

  it('doctor: with no keys it checks nothing, reports local mode and exits 0', async () => {
    const { result, stdout } = await run(['doctor']);
    assert.equal(result, 0);
    assert.match(stdout, /# ATO Doctor/);
    assert.match(stdout, /ATO 0\.0\.0-test on ato CLI/);
    assert.match(stdout, /GitHub: not signed in \(local mode\)/);
    assert.match(stdout, /– GitHub \(https:\/\/api\.github\.com\/user\): no key set/);
  });

  it('doctor: a server that echoes the token fails the check, and the token is never printed', async () => {
    const token = 'cli-doctor-secret-token';
    const server = await startTestServer((request, response) => {
      response.writeHead(500).end(`oops, got ${String(request.headers.authorization)}; raw ${token}`);
    });
    try {
      const env = { ATO_GITHUB_TOKEN: `  ${token}  `, ATO_GITHUB_API_URL: server.url, ATO_NETWORK_TIMEOUT_SECONDS: '5' };
      const text = await run(['doctor'], env);
      const json = await run(['doctor', '--json'], env);
      assert.equal(server.requests.length, 2);
      assert.equal(server.requests[0]?.headers.authorization, `Bearer ${token}`);
      for (const { result, stdout, stderr } of [text, json]) {
        assert.equal(result, 1);
        assert.ok(!stdout.includes(token) && !stderr.includes(token), stdout);
        assert.match(stdout, /HTTP 500/);
      }
      const parsed = JSON.parse(json.stdout) as { keys: Record<string, boolean>; connections: { service: string; outcome: string }[] };
      assert.equal(parsed.keys['github.token'], true);
      assert.deepEqual(parsed.connections.find(c => c.service === 'GitHub')?.outcome, 'failed');
    } finally {
      await server.close();
    }
  });

  it('reads nothing from the process environment except what it is given', async () => {
    const { stdout } = await run(['status', '--json'], {});
    const parsed = JSON.parse(stdout) as { auth: Record<string, unknown> };
    assert.deepEqual(parsed.auth, { github: { kind: 'none' }, gitlab: false, jules: false, anthropic: false });
  });

  it('exits 1 and logs, without throwing, when a command fails', async () => {
    const blocker = join(tempDir(), 'planning');
    await writeFile(blocker, 'a file where the folder goes');
    const { result, stderr } = await run(['init']);
    assert.equal(result, 1);
    assert.match(stderr, /\[error\] init failed/);
    assert.equal(await readFile(blocker, 'utf8'), 'a file where the folder goes');
  });
});
