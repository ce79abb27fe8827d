import assert from 'node:assert/strict';
import { join } from 'node:path';
import { isGroupAlive } from '../../../src/core/agents/local/processGroup';
import { Redactor } from '../../../src/core/logging/redactor';
import type { RunRecord } from '../../../src/core/runs/runRecord';
import { RunStore } from '../../../src/core/runs/runStore';
import { startFakeJules, type FakeJules } from '../../fakes/jules/fakeJules';
import { runBuiltCli } from '../../support/builtCli';
import { git, initRepo } from '../../support/gitRepo';
import { aRunRecord } from '../../support/runRecords';
import { useTempDir } from '../../support/tempDir';
import { until } from '../agents/agentTestKit';
import { startAto } from './atoProcess';

const agentScript = join(__dirname, '..', '..', 'fixtures', 'agents', 'scripted-agent.mjs');

/** A repository with the planning folder and one pending task for `agent`. */
function workspace(root: string, agent: string): string {
  return initRepo(root, {
    'README.md': '# app\n',
    'planning/issue_queue/pending/slow-one.task.md': `---\nid: slow-one\ntype: feature\nagent: ${agent}\n---\n# Slow one\n\n**Prompt:**\nTake your time.\n`,
    'planning/issue_queue/processed/.gitkeep': '',
    'planning/issue_queue/complete/.gitkeep': '',
  });
}

async function runningRecord(root: string): Promise<RunRecord> {
  const runs = new RunStore({ workspaceRoot: root, redactor: new Redactor() });
  let found: RunRecord | undefined;
  await until(async () => {
    found = (await runs.list()).records.find(record => record.state === 'running' && record.handle !== undefined);
    return found !== undefined;
  }, 60_000, 'the run to be recorded as running with its handle');
  assert.ok(found);
  return found;
}

async function stored(root: string, runId: string): Promise<RunRecord> {
  const read = await new RunStore({ workspaceRoot: root, redactor: new Redactor() }).read(runId);
  assert.ok(read.ok, `run ${runId} is recorded`);
  return read.record;
}

/**
 * `ato cancel <run-id>` on the built CLI, against a run another process owns (`ato dispatch`): the record
 * ends cancelled (not failed, so nothing retries it), the agent is stopped — a local agent's process group
 * killed, a Jules session archived — idempotently, with clear errors for unknown and finished runs.
 */
describe('ato cancel <run-id> on the built CLI', function () {
  this.timeout(180_000);
  const temp = useTempDir('ato-cancel-cli-');

  it('cancels a local run another process owns: its process group is killed, the record ends cancelled, the owner stops without a retry; again is a no-op', async () => {
    const root = workspace(temp(), 'my-cli');
    const env = {
      ATO_AGENTS_CUSTOM: JSON.stringify([{ id: 'my-cli', command: process.execPath, args: [agentScript], env: { AGENT_MODE: 'hang' } }]),
      ATO_AGENTS_CLAUDE_CODE_EXECUTABLE: join(root, 'no-such-claude'),
    };
    const owner = startAto(['dispatch', 'slow-one', '--workspace', root], env);
    try {
      const running = await runningRecord(root);
      const pgid = Number(running.handle?.ref);
      assert.ok(await isGroupAlive(pgid), 'the agent runs');

      const cancel = await runBuiltCli(['cancel', running.runId, '--json', '--workspace', root], env);
      assert.equal(cancel.code, 0, cancel.stderr);
      const outcome = JSON.parse(cancel.stdout) as { status: string; runId: string; taskId: string; agentId: string; message: string };
      assert.deepEqual({ ...outcome, message: '' }, { status: 'cancelled', runId: running.runId, taskId: 'slow-one', agentId: 'my-cli', message: '' });
      assert.match(outcome.message, /my-cli process stopped/);
      assert.equal(await isGroupAlive(pgid), false, 'the process group is gone');

      const ended = await owner.exited;
      assert.notEqual(ended.code, 0, 'the dispatch did not succeed');
      const record = await stored(root, running.runId);
      assert.equal(record.state, 'cancelled');
      assert.equal(record.failure?.class, 'cancelled');
      assert.notEqual(record.followUp?.kind, 'retry', 'a cancelled run is not retried');

      const again = await runBuiltCli(['cancel', running.runId, '--workspace', root], env);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /was already cancelled/);
    } finally {
      owner.child.kill('SIGKILL');
    }
  });

  it('cancels a Jules run another process follows: the session is archived, the owner stops following it and records the cancel', async () => {
    const fake: FakeJules = await startFakeJules({ sources: [{ owner: 'acme', repo: 'app' }] });
    const root = workspace(temp(), 'jules');
    git(root, 'remote', 'add', 'origin', 'https://github.com/acme/app.git');
    const env = { ATO_AGENTS_JULES_ENABLED: 'true', ATO_JULES_API_URL: fake.apiUrl, ATO_JULES_API_KEY: fake.apiKey, ATO_AGENTS_CLAUDE_CODE_EXECUTABLE: join(root, 'no-such-claude') };
    const owner = startAto(['dispatch', 'slow-one', '--workspace', root], env);
    try {
      const running = await runningRecord(root);
      const cancel = await runBuiltCli(['cancel', running.runId, '--workspace', root], env);
      assert.equal(cancel.code, 0, cancel.stderr);
      assert.match(cancel.stdout, /^Cancelled run \S+ \(task slow-one\): its jules session \(sessions\/\S+\) stopped\.\n$/);
      assert.equal(fake.state.listSessions()[0]?.archived, true, 'the session is archived');

      const ended = await owner.exited;
      assert.notEqual(ended.code, 0);
      const record = await stored(root, running.runId);
      assert.equal(record.state, 'cancelled');
      assert.equal(record.failure?.class, 'cancelled');
      assert.equal(fake.state.listSessions().length, 1, 'no second session');
    } finally {
      owner.child.kill('SIGKILL');
      await fake.stop();
    }
  });

  it('an unknown run, a malformed id and a finished run are clear errors (exit 1); no run id is a usage error (exit 2)', async () => {
    const root = workspace(temp(), 'my-cli');
    await new RunStore({ workspaceRoot: root, redactor: new Redactor() }).write(aRunRecord({ runId: 'done-run', agentId: 'my-cli', attempts: 1, state: 'succeeded', endedAt: new Date().toISOString() }));
    const unknown = await runBuiltCli(['cancel', 'no-such-run', '--workspace', root]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^ato cancel: no run no-such-run in /);
    const malformed = await runBuiltCli(['cancel', '../etc', '--json', '--workspace', root]);
    assert.equal(malformed.code, 1);
    assert.equal((JSON.parse(malformed.stdout) as { status: string }).status, 'unknown');
    const finished = await runBuiltCli(['cancel', 'done-run', '--workspace', root]);
    assert.equal(finished.code, 1);
    assert.match(finished.stderr, /run done-run \(my-cli, task \S+\) already ended \(succeeded\): nothing to cancel/);
    assert.equal((await stored(root, 'done-run')).state, 'succeeded', 'nothing changed');
    const usage = await runBuiltCli(['cancel', '--workspace', root]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /ato cancel: which run\?/);
  });
});
