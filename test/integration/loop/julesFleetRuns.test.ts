import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { createDispatchRuntime, type DispatchRuntime } from '../../../src/core/dispatch/dispatchRuntime';
import { createLogger } from '../../../src/core/logging/logger';
import { Redactor } from '../../../src/core/logging/redactor';
import { QueueIndex } from '../../../src/core/queue/queueIndex';
import type { RunRecord } from '../../../src/core/runs/runRecord';
import { RunStore } from '../../../src/core/runs/runStore';
import { parseTaskFile } from '../../../src/core/tasks/parseTaskFile';
import type { AgentsReport } from '../../../src/shared/agentsReport';
import type { FakeGitHub } from '../../fakes/github/fakeGitHub';
import { startFakeJules, type FakeJules } from '../../fakes/jules/fakeJules';
import { captureOutput } from '../../support/captureOutput';
import { useTempDir } from '../../support/tempDir';
import { until } from '../agents/agentTestKit';
import { julesBackend } from '../jules/julesKit';
import { cloneApp, scenarioFile, startFakeGitHub } from './loopHarness';
import { openKitLoop, queueTask, taskIssueNumber, tickOk } from './loopKit';

const versionGlobal = globalThis as { ATO_VERSION?: string };

/**
 * Issue 10, "one fleet", for a remote agent: the loop's Jules session is a fleet run — it holds Jules'
 * concurrency slot against task-file dispatch in the same process, `ato agents` counts it, and the
 * dispatcher's cancel (the panel's, the tree's) archives the session and says so on the task's issue.
 */
describe('the loop\'s Jules runs are fleet runs (the fake GitHub, the fake Jules, the real dispatcher)', function () {
  this.timeout(300_000);
  const tempDir = useTempDir('ato-loop-jules-fleet-');
  let fake: FakeGitHub;
  let jules: FakeJules;
  let runtime: DispatchRuntime | undefined;
  let index: QueueIndex | undefined;

  before(() => { versionGlobal.ATO_VERSION ??= '0.0.0-test'; });
  beforeEach(async () => {
    fake = await startFakeGitHub({ scenario: scenarioFile });
    jules = await startFakeJules({ sources: [{ owner: 'octo', repo: 'app' }] });
  });
  afterEach(async () => {
    await runtime?.dispatcher.dispose();
    index?.dispose();
    runtime = undefined;
    index = undefined;
    await jules.stop();
    await fake.stop();
  });

  it('holds Jules\' only slot (a task file for jules is busy), is counted by ato agents, and a cancel archives the session and says so on the issue', async () => {
    const root = await cloneApp(fake, tempDir());
    writeFileSync(join(root, 'planning', 'issue_queue', 'pending', 'local-one.task.md'), '---\nid: local-one\ntype: feature\nagent: jules\n---\n# Local one\n\n**Prompt:**\nWrite it.\n');
    const redactor = new Redactor();
    const log = createLogger({ write: () => undefined }, redactor);
    // One Jules session at a time (ato.agents.jules.concurrent = 1), one backend for the window.
    const agent = julesBackend(jules, root, { githubApiUrl: fake.apiUrl, concurrent: 1, dailySessions: 0 });
    index = new QueueIndex({ planningRoot: join(root, 'planning'), parse: parseTaskFile, workspaceRoot: root });
    await index.coldIndex();
    runtime = createDispatchRuntime({ workspaceRoot: root, index, agents: [agent], maxConcurrentRuns: 4, defaultTimeoutMs: 60_000, redactor, events: { append: () => Promise.resolve() }, log });
    const shared = runtime.fleetRuns;

    await queueTask(fake, 'add-login');
    const loop = await openKitLoop(fake, root, { settings: { 'loop.agent': 'jules' }, localAgents: [agent], fleetRuns: () => Promise.resolve(shared) });
    try {
      assert.deepEqual(await tickOk(loop), ['promoteTask:done']);
      const issueNumber = taskIssueNumber(fake, 'add-login');
      await until(() => shared.activeRuns().some(record => record.taskId === 'add-login' && record.state === 'running'), 60_000, 'the loop\'s Jules run is running');
      const [running] = shared.activeRuns();
      assert.ok(running);
      assert.equal(jules.state.listSessions().length, 1);

      // One slot for jules: the task file is refused for now, and nothing moved.
      const busy = await runtime.dispatcher.dispatch('local-one');
      assert.equal(busy.status, 'busy');
      assert.equal(busy.reason, 'the task names jules: at its limit (1/1 running)');
      assert.deepEqual(index.byId('local-one').map(entry => entry.folder), ['pending']);
      assert.equal(jules.state.listSessions().length, 1, 'no second session');

      // Recorded in .ato/runs as the loop's issue's run, with its session.
      const store = new RunStore({ workspaceRoot: root, redactor });
      await until(async () => { const read = await store.read(running.runId); return read.ok && read.record.state === 'running'; }, 30_000, 'the run is recorded as running');
      const stored = await store.read(running.runId);
      assert.ok(stored.ok);
      assert.equal(stored.record.agentId, 'jules');
      assert.deepEqual(stored.record.loopLink, { issueNumber });
      assert.equal(stored.record.handle?.ref, jules.state.listSessions()[0]?.name);
      // `ato agents --json` (another process: the records) counts it in flight against the cap of 1.
      const env = { ATO_AGENTS_JULES_ENABLED: 'true', ATO_AGENTS_JULES_CONCURRENT: '1', ATO_JULES_API_URL: jules.apiUrl, ATO_JULES_API_KEY: jules.apiKey, ATO_AGENTS_CLAUDE_CODE_EXECUTABLE: join(root, 'no-such-claude') };
      const agents = await captureOutput(() => main(['agents', '--json', '--workspace', root], env));
      assert.equal(agents.result, 0, agents.stderr);
      const report = JSON.parse(agents.stdout) as AgentsReport;
      assert.deepEqual(report.agents.find(candidate => candidate.id === 'jules')?.inFlight, { used: 1, cap: 1 });

      // The dispatcher's cancel stops following the session and archives it; the record ends cancelled.
      assert.equal(await runtime.dispatcher.cancel(running.runId), true);
      const ended: RunRecord | undefined = await shared.whenDone(running.runId);
      assert.equal(ended?.state, 'cancelled');
      await loop.result.localRuns.settled();
      assert.equal(jules.state.listSessions()[0]?.archived, true, 'the session is archived');
      assert.equal(fake.state.repo('octo', 'app').issue(issueNumber)?.state, 'closed');
      const comments = fake.state.repo('octo', 'app').comments(issueNumber).map(comment => comment.body);
      assert.equal(comments.length, 1);
      assert.match(comments[0] ?? '', /The jules session of this task was cancelled; requeue the task to run it again\./);

      // The slot is free again: the task file starts its own session now.
      const started = await runtime.dispatcher.dispatch('local-one');
      assert.equal(started.status, 'started');
      await until(() => jules.state.listSessions().length === 2, 30_000, 'the task file\'s session');
      assert.equal(await runtime.dispatcher.cancel(started.runId), true);
      await runtime.dispatcher.whenDone(started.runId);
    } finally {
      await runtime.dispatcher.dispose();
      await loop.result.localRuns.settled();
      await loop.close();
    }
  });
});
