import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentBackend } from '../../../src/core/agents/agentBackend';
import { createDispatchRuntime } from '../../../src/core/dispatch/dispatchRuntime';
import { recoverRuns } from '../../../src/core/dispatch/runRecovery';
import { Redactor } from '../../../src/core/logging/redactor';
import { QueueIndex } from '../../../src/core/queue/queueIndex';
import { parseTaskFile } from '../../../src/core/tasks/parseTaskFile';
import { startFakeJules, type FakeJules } from '../../fakes/jules/fakeJules';
import { git, initRepo } from '../../support/gitRepo';
import { useTempDir } from '../../support/tempDir';
import { julesBackend, silentLog } from './julesKit';

const queue = (root: string, folder: string, file = ''): string => join(root, 'planning', 'issue_queue', folder, file);

/**
 * ATO stops (a crash, a closed window) while Jules works on a task: the session goes on at Google, so the
 * next start follows it again instead of stopping it, and records its end.
 */
describe('a jules run survives a restart of ATO (the fake Jules, the real dispatcher and files)', function () {
  this.timeout(60_000);
  const dir = useTempDir('ato-jules-recovery-');
  let fake: FakeJules;
  let root: string;

  beforeEach(async () => {
    fake = await startFakeJules({ sources: [{ owner: 'acme', repo: 'app' }] });
    root = dir();
    initRepo(root, { 'README.md': '# app\n', 'planning/issue_queue/pending/.gitkeep': '', 'planning/issue_queue/processed/.gitkeep': '', 'planning/issue_queue/complete/.gitkeep': '' });
    git(root, 'remote', 'add', 'origin', 'git@github.com:acme/app.git');
    writeFileSync(queue(root, 'pending', 'add-login.task.md'), '---\nagent: jules\ntype: feature\n---\n# Add login\n\nAdd a login page.\n');
  });

  afterEach(async () => {
    await fake.stop();
  });

  async function openRuntime(agent: AgentBackend): Promise<{ runtime: ReturnType<typeof createDispatchRuntime>; index: QueueIndex }> {
    const index = new QueueIndex({ planningRoot: join(root, 'planning'), parse: parseTaskFile, workspaceRoot: root });
    await index.coldIndex();
    const runtime = createDispatchRuntime({ workspaceRoot: root, index, agents: [agent], maxConcurrentRuns: 2, defaultTimeoutMs: 60_000, redactor: new Redactor(), events: { append: () => Promise.resolve() }, log: silentLog });
    return { runtime, index };
  }

  it('the next start follows the session again: not stopped, not run twice, and its pull request lands in the task\'s result', async () => {
    // The first ATO starts the session, then dies while it waits on it (its wait never returns; nothing is disposed).
    const real = julesBackend(fake, root);
    const dying: AgentBackend = {
      id: real.id, kind: real.kind, taskTypes: real.taskTypes, limits: real.limits, needsWorktree: real.needsWorktree, remoteRuns: true,
      health: () => real.health(), dispatch: request => real.dispatch(request), poll: handle => real.poll(handle), cancel: handle => real.cancel(handle),
      wait: () => new Promise(() => undefined),
    };
    const first = await openRuntime(dying);
    const outcome = await first.runtime.dispatcher.dispatch('add-login');
    if (outcome.status !== 'started') assert.fail(JSON.stringify(outcome));
    first.index.dispose();
    const [session] = fake.state.listSessions();
    if (session === undefined) assert.fail('no session was created');

    const second = await openRuntime(julesBackend(fake, root));
    try {
      const report = await recoverRuns({ agent: agentId => second.runtime.registry.get(agentId), workspaceRoot: root, planningRoot: second.index.planningRoot, runs: second.runtime.runs, events: { append: () => Promise.resolve() }, log: silentLog, planningWriter: second.runtime.planningWriter });
      assert.deepEqual(report.interrupted, [], 'the remote run was not cut off');
      assert.deepEqual(report.redispatch, []);
      assert.deepEqual(report.reattach.map(record => record.runId), [outcome.runId]);
      assert.equal(session.archived ?? false, false, 'the session was not stopped');
      const still = await second.runtime.runs.read(outcome.runId);
      assert.equal(still.ok && still.record.state, 'running', 'its record stays in progress');

      assert.equal(second.runtime.dispatcher.reattach(report.reattach[0]!), true);
      assert.equal(second.runtime.dispatcher.reattach(report.reattach[0]!), false, 'followed once');
      fake.state.advance(session.id);
      const done = await second.runtime.dispatcher.whenDone(outcome.runId);
      assert.equal(done?.state, 'succeeded', JSON.stringify(done));
      assert.match(done.summary ?? '', /^Jules opened https:\/\/github\.com\/acme\/app\/pull\/1/);
      assert.equal(fake.state.listSessions().length, 1, 'one session: the task was not run again');
      assert.match(readFileSync(queue(root, 'complete', 'add-login.task.md'), 'utf8'), /## Result[\s\S]*https:\/\/github\.com\/acme\/app\/pull\/1/);
      assert.ok(!existsSync(queue(root, 'processed', 'add-login.task.md')));
    } finally {
      await second.runtime.dispatcher.dispose();
      second.index.dispose();
    }
  });

  it('closing ATO leaves a jules run going (its record in progress), and the next start follows it', async () => {
    const first = await openRuntime(julesBackend(fake, root));
    const outcome = await first.runtime.dispatcher.dispatch('add-login');
    if (outcome.status !== 'started') assert.fail(JSON.stringify(outcome));
    await first.runtime.dispatcher.dispose();
    first.index.dispose();
    const [session] = fake.state.listSessions();
    if (session === undefined) assert.fail('no session was created');
    assert.equal(session.archived ?? false, false, 'closing ATO did not stop the session');
    const left = await first.runtime.runs.read(outcome.runId);
    assert.equal(left.ok && left.record.state, 'running');

    const second = await openRuntime(julesBackend(fake, root));
    try {
      const report = await recoverRuns({ agent: agentId => second.runtime.registry.get(agentId), workspaceRoot: root, planningRoot: second.index.planningRoot, runs: second.runtime.runs, events: { append: () => Promise.resolve() }, log: silentLog, planningWriter: second.runtime.planningWriter });
      for (const record of report.reattach) second.runtime.dispatcher.reattach(record);
      fake.state.advance(session.id);
      const done = await second.runtime.dispatcher.whenDone(outcome.runId);
      assert.equal(done?.state, 'succeeded', JSON.stringify(done));
    } finally {
      await second.runtime.dispatcher.dispose();
      second.index.dispose();
    }
  });
});
