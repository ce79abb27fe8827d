import assert from 'node:assert/strict';
import { mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { ClaudeCodeBackend, type ClaudeCodeBackendOptions } from '../../../src/core/agents/claudeCode/claudeCodeBackend';
import { isTransient } from '../../../src/core/agents/failureClass';
import { liveGroupMembers } from '../../../src/core/agents/local/processGroup';
import { startFakeAnthropic, type FakeAnthropic, type FakeAnthropicScenario, type FakeUsage } from '../../fakes/fakeAnthropicServer';
import { git } from '../../support/gitRepo';
import { useTempDir } from '../../support/tempDir';
import { aTask, aWorkspace, commitWorktree, readText, requestKit, until } from './agentTestKit';
import { useClaudeCli } from './claudeCli';

const dummyKey = 'sk-ant-api03-dummyKeyForTheFakeServer000000';

/** The process group is gone: `kill(-pid, 0)` fails, or finds only zombies (PID 1 here does not reap orphans). */
async function assertGroupGone(pid: number): Promise<void> {
  let signalled = true;
  try {
    process.kill(-pid, 0);
  } catch (error) {
    signalled = false;
    assert.equal((error as NodeJS.ErrnoException).code, 'ESRCH');
  }
  if (signalled) assert.deepEqual(await liveGroupMembers(pid), [], 'only zombies are left in the group');
}

describe('ClaudeCodeBackend with the real Claude Code CLI and the fake Anthropic API', function () {
  this.timeout(120_000);
  const claudeBin = useClaudeCli();
  const tempDir = useTempDir('ato-claude-');
  let fake: FakeAnthropic | undefined;

  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  async function setUp(scenario: FakeAnthropicScenario, options: Partial<ClaudeCodeBackendOptions> = {}, usage?: FakeUsage): Promise<{ backend: ClaudeCodeBackend; server: FakeAnthropic; home: string }> {
    const server = await startFakeAnthropic({ scenario, ...(usage ? { usage } : {}) });
    fake = server;
    const home = join(tempDir(), 'home');
    mkdirSync(home);
    const backend = new ClaudeCodeBackend({
      executable: claudeBin(),
      maxTurns: 5,
      killGraceMs: 1000,
      ...options,
      env: { ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: dummyKey, HOME: home, ...options.env },
    });
    return { backend, server, home };
  }

  it('edits a file in the worktree; the change commits onto ato/<id>; status carries the cost, turns, tokens and session the CLI reported', async () => {
    const usage = { inputTokens: 1500, outputTokens: 250, cacheReadInputTokens: 100 };
    const { backend, server } = await setUp({ kind: 'editFile', path: 'src/feature.txt', content: 'feature done\n', finalText: 'Done: wrote src/feature.txt' }, {}, usage);
    const ws = aWorkspace(tempDir(), 't1');
    const kit = requestKit();
    const handle = await backend.dispatch(kit.request({ task: aTask('t1', 'feature', 'Write the feature file, please.'), workdir: ws.worktree, branch: ws.branch }));
    assert.match(handle.ref, /^\d+$/, 'the handle refers to the process');
    const status = await backend.wait(handle);

    assert.equal(status.state, 'succeeded', JSON.stringify(status));
    assert.equal(status.summary, 'Done: wrote src/feature.txt');
    assert.equal(status.exitCode, 0);
    assert.equal(await readText(join(ws.worktree, 'src', 'feature.txt')), 'feature done\n');
    assert.equal(commitWorktree(ws, 'ato: t1'), 'ato: t1');
    assert.equal(git(ws.repo, 'show', `${ws.branch}:src/feature.txt`), 'feature done');
    assert.ok(!git(ws.repo, 'ls-tree', '-r', '--name-only', 'main').split('\n').includes('src/feature.txt'), 'main is untouched');

    // What the CLI printed as its result, compared with what the backend reports.
    const resultLine = kit.outputs.filter(o => o.stream === 'stdout').map(o => JSON.parse(o.text) as Record<string, unknown>).find(line => line['type'] === 'result');
    assert.ok(resultLine, 'the raw result line was streamed to onOutput');
    const requests = server.messageRequests();
    assert.equal(requests.length, 2, 'one API call to write, one to answer');
    assert.equal(status.usage.turns, 2);
    assert.equal(resultLine['num_turns'], 2);
    assert.equal(typeof status.usage.costUsd, 'number');
    assert.ok((status.usage.costUsd ?? 0) > 0);
    assert.equal(status.usage.costUsd, resultLine['total_cost_usd']);
    assert.equal(status.usage.inputTokens, 2 * (usage.inputTokens + usage.cacheReadInputTokens));
    assert.equal(status.usage.outputTokens, 2 * usage.outputTokens);
    assert.match(status.usage.sessionId ?? '', /^[0-9a-f-]{36}$/);
    const [first] = requests;
    assert.ok(first);
    assert.equal(first.headers['x-claude-code-session-id'], status.usage.sessionId);

    // The CLI ran in the worktree, got the prompt from stdin, the key from its env, and offered Write.
    assert.equal(first.headers['x-api-key'], dummyKey);
    assert.ok(first.tools.includes('Write'));
    assert.match(JSON.stringify(first.body?.['messages']), /Write the feature file, please\./);
    assert.match(JSON.stringify(first.body), new RegExp(`Primary working directory: ${realpathSync(ws.worktree)}`));
    assert.ok(kit.outputs.some(o => o.stream === 'event' && o.text === `tool: Write(${join(realpathSync(ws.worktree), 'src', 'feature.txt')})`));
    assert.deepEqual(await backend.poll(handle), status, 'poll after the end gives the final status');
  });

  it('runs a read-only task type without the editing tools: nothing is written', async () => {
    const { backend, server } = await setUp({ kind: 'editFile', path: 'src/review.txt', content: 'should not exist\n', tool: 'Write' });
    const ws = aWorkspace(tempDir(), 'r1');
    const status = await backend.wait(await backend.dispatch(requestKit().request({ task: aTask('r1', 'code_review'), workdir: ws.worktree })));
    assert.equal(status.state, 'succeeded', JSON.stringify(status));
    assert.equal(await readText(join(ws.worktree, 'src', 'review.txt')), undefined);
    const offered = server.messageRequests()[0]?.tools ?? [];
    assert.ok(offered.includes('Read'));
    assert.ok(!offered.includes('Write') && !offered.includes('Edit'), offered.join(','));
    assert.equal(git(ws.worktree, 'status', '--porcelain'), '');
  });

  it('times out a run whose API never answers: failed/timeout, and the process group is gone', async () => {
    const { backend, server } = await setUp({ kind: 'hang' });
    const ws = aWorkspace(tempDir(), 'h1');
    const started = Date.now();
    const handle = await backend.dispatch(requestKit().request({ task: aTask('h1'), workdir: ws.worktree, timeoutMs: 4000 }));
    const status = await backend.wait(handle);
    const elapsed = Date.now() - started;
    assert.equal(status.state, 'failed');
    assert.equal(status.failure, 'timeout');
    assert.match(status.message, /no result after 4 s/);
    assert.ok(elapsed >= 4000 && elapsed < 12_000, `took ${elapsed} ms`);
    assert.ok(server.messageRequests().length >= 1, 'the CLI was waiting on the API');
    assert.match(status.usage.sessionId ?? '', /^[0-9a-f-]{36}$/, 'the session id from the init line');
    await assertGroupGone(Number(handle.ref));
  });

  it('cancels a run mid-way: failed/cancelled, the process group is gone, cancel is idempotent', async () => {
    const { backend, server } = await setUp({ kind: 'hang' });
    const ws = aWorkspace(tempDir(), 'c1');
    const handle = await backend.dispatch(requestKit().request({ task: aTask('c1'), workdir: ws.worktree }));
    await until(() => server.messageRequests().length > 0, 30_000, 'the CLI to call the API');
    const running = await backend.poll(handle);
    assert.equal(running.state, 'running');
    const pid = Number(handle.ref);
    assert.ok((await liveGroupMembers(pid)).includes(pid));
    const started = Date.now();
    await Promise.all([backend.cancel(handle), backend.cancel(handle)]);
    assert.ok(Date.now() - started < 5000);
    const status = await backend.poll(handle);
    assert.equal(status.state, 'failed');
    assert.equal(status.failure, 'cancelled');
    await assertGroupGone(pid);
    await backend.cancel(handle);
    assert.deepEqual(await backend.wait(handle), status);
  });

  it('stops at max turns: failed/maxTurns with the turns the CLI counted', async () => {
    const { backend, server } = await setUp({ kind: 'loop' }, { maxTurns: 2 });
    const ws = aWorkspace(tempDir(), 'm1');
    const status = await backend.wait(await backend.dispatch(requestKit().request({ task: aTask('m1'), workdir: ws.worktree })));
    assert.equal(status.state, 'failed');
    assert.equal(status.failure, 'maxTurns');
    assert.match(status.message, /Reached maximum number of turns \(2\)/);
    assert.equal(status.exitCode, 1);
    assert.equal(server.messageRequests().length, 2);
    assert.equal(status.usage.turns, 3, 'Claude Code 2.1.330 counts the turn it refused as the third');
    assert.ok((status.usage.costUsd ?? 0) > 0);
  });

  it('fails fast as auth on a 401, instead of waiting minutes for the CLI\'s retries', async () => {
    const { backend, server } = await setUp({ kind: 'status', status: 401, errorType: 'authentication_error', message: 'invalid x-api-key' });
    const ws = aWorkspace(tempDir(), 'a1');
    const started = Date.now();
    const handle = await backend.dispatch(requestKit().request({ task: aTask('a1'), workdir: ws.worktree }));
    const status = await backend.wait(handle);
    const elapsed = Date.now() - started;
    assert.equal(status.state, 'failed');
    assert.equal(status.failure, 'auth');
    assert.match(status.message, /401/);
    assert.ok(elapsed < 15_000, `took ${elapsed} ms`);
    assert.ok(server.messageRequests().length <= 2, `${server.messageRequests().length} requests`);
    assert.ok(!isTransient(status.failure));
    await assertGroupGone(Number(handle.ref));
  });

  it('reports a 529 overload as transient (network, no vendor window) once the CLI gives up, as the claude backend does', async () => {
    const { backend, server } = await setUp({ kind: 'status', status: 529, errorType: 'overloaded_error', retryAfterSeconds: 1 });
    const ws = aWorkspace(tempDir(), 'o1');
    const status = await backend.wait(await backend.dispatch(requestKit().request({ task: aTask('o1'), workdir: ws.worktree })));
    assert.ok(status.state === 'failed');
    assert.equal(status.failure, 'network');
    assert.ok(isTransient(status.failure));
    assert.equal(status.vendorWindow, undefined, 'an overloaded service is not this key\'s rate limit');
    assert.match(status.message, /529/);
    assert.equal(server.messageRequests().length, 3, 'Claude Code 2.1.330 tries a 529 three times');
  });

  it('stops a 429 after the configured retries, as rateLimit', async () => {
    const { backend, server } = await setUp({ kind: 'status', status: 429, errorType: 'rate_limit_error', retryAfterSeconds: 1 }, { stopAfterRateLimitRetries: 2 });
    const ws = aWorkspace(tempDir(), 'l1');
    const started = Date.now();
    const status = await backend.wait(await backend.dispatch(requestKit().request({ task: aTask('l1'), workdir: ws.worktree })));
    assert.equal(status.state, 'failed');
    assert.equal(status.failure, 'rateLimit');
    assert.match(status.message, /stopped after 2 retries/);
    assert.ok(Date.now() - started < 20_000);
    assert.equal(server.messageRequests().length, 2, 'stopped when the CLI announced its second retry');
  });

  it('refuses a dispatch beyond its concurrency limit', async () => {
    const { backend, server } = await setUp({ kind: 'hang' }, { concurrent: 1 });
    const ws = aWorkspace(tempDir(), 'k1');
    const kit = requestKit();
    const first = await backend.dispatch(kit.request({ task: aTask('k1'), workdir: ws.worktree }));
    await assert.rejects(backend.dispatch(kit.request({ task: aTask('k2'), workdir: ws.worktree })), /limit \(1\)/);
    await assert.rejects(backend.dispatch(kit.request({ task: aTask('k1'), workdir: ws.worktree })), /already running/);
    await until(() => server.messageRequests().length > 0, 30_000, 'the CLI to call the API');
    await backend.cancel(first);
  });

  it('reports its health: version, and whether a key is configured', async () => {
    const { backend } = await setUp({ kind: 'text' });
    assert.deepEqual(await backend.health(), { ok: true, detail: 'claude 2.1.330, API key configured' });
    const home = join(tempDir(), 'empty-home');
    mkdirSync(home);
    const keyless = new ClaudeCodeBackend({ executable: claudeBin(), env: { HOME: home } });
    assert.deepEqual(await keyless.health(), { ok: false, detail: 'claude 2.1.330, no API key configured: set the Anthropic API key or run `claude /login`' });
    const missing = new ClaudeCodeBackend({ executable: join(tempDir(), 'no-claude-here') });
    const health = await missing.health();
    assert.equal(health.ok, false);
    assert.match(health.detail, /could not be started \(spawn .*ENOENT\)/);
  });
});
