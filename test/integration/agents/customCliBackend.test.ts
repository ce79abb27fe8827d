import assert from 'node:assert/strict';
import { join } from 'node:path';
import { customAgentSettingsSchema, type CustomAgentSettings } from '../../../src/core/agents/custom/customAgentSettings';
import { CustomCliBackend } from '../../../src/core/agents/custom/customCliBackend';
import { liveGroupMembers } from '../../../src/core/agents/local/processGroup';
import { git } from '../../support/gitRepo';
import { useTempDir } from '../../support/tempDir';
import { aTask, aWorkspace, commitWorktree, readText, requestKit, until } from './agentTestKit';

const agentScript = join(__dirname, '..', '..', 'fixtures', 'agents', 'scripted-agent.mjs');

/** A settings entry as a user would write it, validated by the real schema. */
function entry(fields: Partial<CustomAgentSettings> = {}): CustomAgentSettings {
  return customAgentSettingsSchema.parse({ id: 'scripted', command: process.execPath, args: [agentScript], ...fields });
}

describe('CustomCliBackend with a real CLI agent process', function () {
  this.timeout(60_000);
  const tempDir = useTempDir('ato-custom-');
  const canaries = { GITHUB_TOKEN: 'ghp_canaryGitHubToken0000000000000000', ATO_ANTHROPIC_API_KEY: 'sk-ant-canary-0000000000000000', JULES_API_KEY: 'canary-jules-key-000' };
  const saved: Record<string, string | undefined> = {};

  beforeEach(() => {
    for (const [name, value] of Object.entries(canaries)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
  });
  afterEach(() => {
    for (const name of Object.keys(canaries)) {
      const value = saved[name];
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    }
  });

  it('runs in the worktree with the prompt on stdin; the file commits onto ato/<id>; the summary is the last 40 lines', async () => {
    const backend = new CustomCliBackend(entry({ env: { AGENT_FILE: 'docs/result.md', AGENT_SETTING: 'from-settings' } }));
    const ws = aWorkspace(tempDir(), 'x1');
    const kit = requestKit();
    const handle = await backend.dispatch(kit.request({ task: aTask('x1', 'documentation', 'Document the login form.'), workdir: ws.worktree, branch: ws.branch }));
    const status = await backend.wait(handle);

    assert.equal(status.state, 'succeeded', JSON.stringify(status));
    assert.equal(status.exitCode, 0);
    const summary = status.summary.split('\n');
    assert.equal(summary.length, 39, 'the last 40 lines, the blank last one trimmed');
    assert.equal(summary[0], 'progress 23');
    assert.equal(summary.at(-1), 'Summary: wrote docs/result.md (24 characters of prompt)');
    assert.equal(await readText(join(ws.worktree, 'docs', 'result.md')), 'Document the login form.\n\n(done by scripted-agent)\n');
    assert.equal(kit.outputs.filter(o => o.stream === 'stdout').length, 62, 'every line reached onOutput');

    const env = JSON.parse(await readText(join(ws.worktree, 'env.json')) ?? '{}') as Record<string, string>;
    for (const [name, value] of Object.entries(canaries)) {
      assert.equal(env[name], undefined, `${name} must not reach the agent`);
      assert.ok(!JSON.stringify(env).includes(value));
    }
    assert.equal(env['AGENT_SETTING'], 'from-settings');
    assert.equal(env['CI'], 'true');
    assert.equal(env['ATO_RUN_ID'], 'run-x1', 'the run id marks the process group, for stopping it after a restart');
    assert.equal(env['TERM'], 'dumb');

    assert.equal(commitWorktree(ws, 'ato: x1'), 'ato: x1');
    assert.equal(git(ws.repo, 'show', `${ws.branch}:docs/result.md`), 'Document the login form.\n\n(done by scripted-agent)');
  });

  it('passes a parent variable only when the entry asks for it by name', async () => {
    const backend = new CustomCliBackend(entry({ inheritEnv: ['JULES_API_KEY'] }));
    const ws = aWorkspace(tempDir(), 'x2');
    await backend.wait(await backend.dispatch(requestKit().request({ task: aTask('x2'), workdir: ws.worktree })));
    const env = JSON.parse(await readText(join(ws.worktree, 'env.json')) ?? '{}') as Record<string, string>;
    assert.equal(env['JULES_API_KEY'], canaries.JULES_API_KEY);
    assert.equal(env['GITHUB_TOKEN'], undefined);
  });

  it('classifies exit 1 with "rate limit" on stderr as rateLimit', async () => {
    const backend = new CustomCliBackend(entry({ env: { AGENT_MODE: 'rate-limit' } }));
    const ws = aWorkspace(tempDir(), 'x3');
    const kit = requestKit();
    const status = await backend.wait(await backend.dispatch(kit.request({ task: aTask('x3'), workdir: ws.worktree })));
    assert.equal(status.state, 'failed');
    assert.equal(status.failure, 'rateLimit');
    assert.equal(status.exitCode, 1);
    assert.equal(status.message, 'calling the model… | Error: rate limit exceeded (HTTP 429), retry later: exit code 1');
    assert.deepEqual(kit.outputs.filter(o => o.stream === 'stderr').map(o => o.text), ['Error: rate limit exceeded (HTTP 429), retry later']);
  });

  it('fails fast as interactivePrompt when the agent wants to ask a human', async () => {
    const backend = new CustomCliBackend(entry({ env: { AGENT_MODE: 'prompt' } }));
    const ws = aWorkspace(tempDir(), 'x4');
    const status = await backend.wait(await backend.dispatch(requestKit().request({ task: aTask('x4'), workdir: ws.worktree, timeoutMs: 20_000 })));
    assert.equal(status.state, 'failed');
    assert.equal(status.failure, 'interactivePrompt', status.message);
    assert.equal(status.exitCode, 2);
  });

  it('times out a hanging agent and kills its process group, even when it ignores SIGTERM', async () => {
    const backend = new CustomCliBackend(entry({ env: { AGENT_MODE: 'hang', AGENT_STUBBORN: '1' } }), { killGraceMs: 500 });
    const ws = aWorkspace(tempDir(), 'x5');
    const handle = await backend.dispatch(requestKit().request({ task: aTask('x5'), workdir: ws.worktree, timeoutMs: 1500 }));
    const status = await backend.wait(handle);
    assert.equal(status.state, 'failed');
    assert.equal(status.failure, 'timeout');
    assert.match(status.message, /no result after 1\.5 s/);
    assert.deepEqual(await liveGroupMembers(Number(handle.ref)), []);
  });

  it('uses the entry\'s timeout when it is shorter than the task\'s', async () => {
    const backend = new CustomCliBackend(entry({ env: { AGENT_MODE: 'hang' }, timeoutMinutes: 0.02 }));
    const ws = aWorkspace(tempDir(), 'x6');
    const started = Date.now();
    const status = await backend.wait(await backend.dispatch(requestKit().request({ task: aTask('x6'), workdir: ws.worktree, timeoutMs: 60_000 })));
    assert.equal(status.state === 'failed' ? status.failure : status.state, 'timeout');
    assert.ok(Date.now() - started < 10_000);
  });

  it('cancels a running agent', async () => {
    const backend = new CustomCliBackend(entry({ env: { AGENT_MODE: 'hang' } }));
    const ws = aWorkspace(tempDir(), 'x7');
    const kit = requestKit();
    const handle = await backend.dispatch(kit.request({ task: aTask('x7'), workdir: ws.worktree }));
    await until(() => kit.outputs.some(o => o.text === 'started'), 10_000, 'the agent to start');
    assert.equal((await backend.poll(handle)).state, 'running');
    await backend.cancel(handle);
    const status = await backend.poll(handle);
    assert.equal(status.state === 'failed' ? status.failure : status.state, 'cancelled');
    assert.deepEqual(await liveGroupMembers(Number(handle.ref)), []);
    assert.deepEqual(await backend.poll({ runId: 'unknown', agentId: 'scripted', ref: '1' }), { state: 'lost' });
  });

  it('stops a run left over from an earlier ATO process through its handle, and never an unrelated process', async () => {
    const earlier = new CustomCliBackend(entry({ env: { AGENT_MODE: 'hang', AGENT_STUBBORN: '1' } }));
    const ws = aWorkspace(tempDir(), 'x9');
    const kit = requestKit();
    const handle = await earlier.dispatch(kit.request({ task: aTask('x9'), workdir: ws.worktree }));
    await until(() => kit.outputs.some(o => o.text === 'started'), 10_000, 'the agent to start');
    const pid = Number(handle.ref);

    // "After a restart": a new backend that never saw the run.
    const later = new CustomCliBackend(entry(), { killGraceMs: 300 });
    assert.deepEqual(await later.poll(handle), { state: 'lost' });
    await later.cancel({ ...handle, runId: 'some-other-run' });
    assert.deepEqual(await liveGroupMembers(pid), [pid], 'a handle whose run id does not match is left alone');
    await later.cancel(handle);
    assert.deepEqual(await liveGroupMembers(pid), [], 'the orphaned group was stopped (SIGKILL after the grace period)');
    const status = await earlier.wait(handle);
    assert.equal(status.state === 'failed' ? status.failure : status.state, 'fatal', 'the earlier backend saw its process killed by a signal it did not send');
  });

  it('fails a command that does not exist, and says so in its health', async () => {
    const backend = new CustomCliBackend(entry({ command: 'ato-no-such-agent', args: [] }));
    const ws = aWorkspace(tempDir(), 'x8');
    const status = await backend.wait(await backend.dispatch(requestKit().request({ task: aTask('x8'), workdir: ws.worktree })));
    assert.equal(status.state, 'failed');
    assert.equal(status.failure, 'fatal');
    assert.match(status.message, /could not start: spawn ato-no-such-agent ENOENT/);
    assert.deepEqual(await backend.health(), { ok: false, detail: '`ato-no-such-agent` not found on PATH' });
    assert.deepEqual(await new CustomCliBackend(entry()).health(), { ok: true, detail: `\`${process.execPath}\` found at ${process.execPath}` });
  });
});
