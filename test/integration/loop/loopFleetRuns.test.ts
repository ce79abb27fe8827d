import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import type { AgentBackend } from '../../../src/core/agents/agentBackend';
import { readCustomAgents } from '../../../src/core/agents/custom/customAgentSettings';
import { CustomCliBackend } from '../../../src/core/agents/custom/customCliBackend';
import { createDispatchRuntime, type DispatchRuntime } from '../../../src/core/dispatch/dispatchRuntime';
import { createLogger } from '../../../src/core/logging/logger';
import { Redactor } from '../../../src/core/logging/redactor';
import { QueueIndex } from '../../../src/core/queue/queueIndex';
import type { RunRecord } from '../../../src/core/runs/runRecord';
import { RunStore } from '../../../src/core/runs/runStore';
import { parseTaskFile } from '../../../src/core/tasks/parseTaskFile';
import type { AgentsReport } from '../../../src/shared/agentsReport';
import type { FakeGitHub } from '../../fakes/github/fakeGitHub';
import { captureOutput } from '../../support/captureOutput';
import { useTempDir } from '../../support/tempDir';
import { until } from '../agents/agentTestKit';
import { cloneApp, scenarioFile, startFakeGitHub } from './loopHarness';
import { openKitLoop, queueTask, taskIssueNumber, tickOk } from './loopKit';

const agentScript = join(__dirname, '..', '..', 'fixtures', 'agents', 'scripted-agent.mjs');
const versionGlobal = globalThis as { ATO_VERSION?: string };

/** The user's CLI agent `my-cli` (one run at a time), as configured: a real process. */
function agentConfig(mode: 'hang' | 'write'): { id: string; command: string; args: string[]; env: Record<string, string>; concurrent: number } {
  return { id: 'my-cli', command: process.execPath, args: [agentScript], env: { AGENT_MODE: mode, AGENT_FILE: 'src/out.md' }, concurrent: 1 };
}

function scriptedAgent(mode: 'hang' | 'write'): AgentBackend {
  const { agents, problems } = readCustomAgents([agentConfig(mode)]);
  assert.deepEqual(problems, []);
  const [agent] = agents;
  assert.ok(agent);
  return new CustomCliBackend(agent);
}

/**
 * Issue 10, "one fleet": a local agent serving the GitHub loop runs as a fleet run — it holds the agent's
 * concurrency slot against task-file dispatch in the same process, is recorded in `.ato/runs` (so the ledger
 * and `ato agents` count it), and the dispatcher's cancel stops it; the task's issue then says it was cancelled.
 */
describe('the loop\'s local runs are fleet runs (the fake GitHub, a real agent process, the real dispatcher)', function () {
  this.timeout(300_000);
  const tempDir = useTempDir('ato-loop-fleet-');
  let fake: FakeGitHub;
  let runtime: DispatchRuntime | undefined;
  let index: QueueIndex | undefined;

  before(() => { versionGlobal.ATO_VERSION ??= '0.0.0-test'; });
  beforeEach(async () => { fake = await startFakeGitHub({ scenario: scenarioFile }); });
  afterEach(async () => {
    await runtime?.dispatcher.dispose();
    index?.dispose();
    runtime = undefined;
    index = undefined;
    await fake.stop();
  });

  it('holds the agent\'s slot (a task-file dispatch waits), is recorded and counted by ato agents, and a cancel stops it and says so on the issue', async () => {
    const root = await cloneApp(fake, tempDir());
    // A task file of the local queue for the same agent, dispatched while the loop's run holds its only slot.
    writeFileSync(join(root, 'planning', 'issue_queue', 'pending', 'local-one.task.md'), '---\nid: local-one\ntype: feature\nagent: my-cli\n---\n# Local one\n\n**Prompt:**\nWrite it.\n');
    const redactor = new Redactor();
    const log = createLogger({ write: () => undefined }, redactor);
    index = new QueueIndex({ planningRoot: join(root, 'planning'), parse: parseTaskFile, workspaceRoot: root });
    await index.coldIndex();
    const events: unknown[] = [];
    runtime = createDispatchRuntime({ workspaceRoot: root, index, agents: [scriptedAgent('write')], maxConcurrentRuns: 4, defaultTimeoutMs: 60_000, redactor, events: { append: event => { events.push(event); return Promise.resolve(); } }, log });
    const shared = runtime.fleetRuns;

    await queueTask(fake, 'add-login');
    const loop = await openKitLoop(fake, root, { settings: { 'loop.agent': 'my-cli' }, localAgents: [scriptedAgent('hang')], fleetRuns: () => Promise.resolve(shared) });
    try {
      assert.deepEqual(await tickOk(loop), ['promoteTask:done']);
      const issueNumber = taskIssueNumber(fake, 'add-login');
      await until(() => shared.activeRuns().some(record => record.taskId === 'add-login' && record.state === 'running'), 60_000, 'the loop\'s run is running');
      const [running] = shared.activeRuns();
      assert.ok(running);

      // One slot for my-cli: the task file waits for it, and nothing moved.
      const busy = await runtime.dispatcher.dispatch('local-one');
      assert.equal(busy.status, 'busy');
      assert.equal(busy.reason, 'the task names my-cli: at its limit (1/1 running)');
      assert.deepEqual(index.byId('local-one').map(entry => entry.folder), ['pending']);

      // Recorded in .ato/runs, as a run of the loop's issue, with its log. The record in memory moves before
      // its file is written: wait for the file, the view another process has.
      const store = new RunStore({ workspaceRoot: root, redactor });
      await until(async () => { const read = await store.read(running.runId); return read.ok && read.record.state === 'running'; }, 30_000, 'the loop\'s run is recorded as running');
      const stored = await store.read(running.runId);
      assert.ok(stored.ok);
      assert.equal(stored.record.state, 'running');
      assert.equal(stored.record.agentId, 'my-cli');
      assert.equal(stored.record.branch, 'ato/add-login');
      assert.deepEqual(stored.record.loopLink, { issueNumber });
      // `ato agents --json` (another process's view: the records) counts it in flight.
      const env = { ATO_AGENTS_CUSTOM: JSON.stringify([agentConfig('hang')]), ATO_AGENTS_CLAUDE_CODE_EXECUTABLE: join(root, 'no-such-claude') };
      const agents = await captureOutput(() => main(['agents', '--json', '--workspace', root], env));
      assert.equal(agents.result, 0, agents.stderr);
      const report = JSON.parse(agents.stdout) as AgentsReport;
      assert.deepEqual(report.agents.find(agent => agent.id === 'my-cli')?.inFlight, { used: 1, cap: 1 });

      // The dispatcher's cancel (the panel's, the tree's) stops the loop's run.
      assert.equal(await runtime.dispatcher.cancel(running.runId), true);
      const ended: RunRecord | undefined = await shared.whenDone(running.runId);
      assert.equal(ended?.state, 'cancelled');
      await loop.result.localRuns.settled();
      const issue = fake.state.repo('octo', 'app').issue(issueNumber);
      assert.equal(issue?.state, 'closed');
      const comments = fake.state.repo('octo', 'app').comments(issueNumber).map(comment => comment.body);
      assert.equal(comments.length, 1);
      assert.match(comments[0] ?? '', /ATO's local run of this task was cancelled; requeue the task to run it again\./);

      // The slot is free again: the task file starts now.
      const started = await runtime.dispatcher.dispatch('local-one');
      assert.equal(started.status, 'started');
      await runtime.dispatcher.whenDone(started.runId);
    } finally {
      // A failed assertion leaves the hanging agent running: stop it before waiting for the loop's run.
      await runtime.dispatcher.dispose();
      await loop.result.localRuns.settled();
      await loop.close();
    }
  });
});
