import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { configuredAgents } from '../../../src/core/agents/fleet/configuredAgents';
import { approveTaskPlan } from '../../../src/core/dispatch/approvePlan';
import { createDispatchRuntime } from '../../../src/core/dispatch/dispatchRuntime';
import { Redactor } from '../../../src/core/logging/redactor';
import { QueueIndex } from '../../../src/core/queue/queueIndex';
import { readSettings, type AtoSettings, type SettingKey } from '../../../src/core/settings/settings';
import { parseTaskFile } from '../../../src/core/tasks/parseTaskFile';
import { startFakeJules, type FakeJules } from '../../fakes/jules/fakeJules';
import { git, initRepo } from '../../support/gitRepo';
import { startTestServer } from '../../support/httpServer';
import { useTempDir } from '../../support/tempDir';
import { until } from '../agents/agentTestKit';
import { julesBackend, silentLog } from './julesKit';

const queue = (root: string, folder: string, file = ''): string => join(root, 'planning', 'issue_queue', folder, file);

function settingsWith(values: Partial<Record<SettingKey, unknown>>): AtoSettings {
  return readSettings(key => values[key]).settings;
}

/** A task file with `agent: jules` through the real TaskDispatcher, queue and run records, against the fake Jules. */
describe('a task dispatched to jules through the TaskDispatcher', function () {
  this.timeout(60_000);
  const dir = useTempDir('ato-jules-dispatch-');
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

  it('is registered only when enabled and a key is set, with its settings', () => {
    const enabled = settingsWith({ 'agents.jules.enabled': true, 'jules.apiUrl': fake.apiUrl, 'agents.jules.concurrent': 2 });
    const inputs = { apiKey: fake.apiKey, workspaceRoot: root, log: silentLog };
    const jules = configuredAgents(enabled, undefined, { projectMcpServers: false }, inputs).agents.find(agent => agent.id === 'jules');
    assert.deepEqual([jules?.kind, jules?.needsWorktree, jules?.limits.concurrent], ['jules', false, 2]);
    assert.equal(configuredAgents(settingsWith({}), undefined, { projectMcpServers: false }, inputs).agents.some(agent => agent.id === 'jules'), false, 'off by default');
    assert.equal(configuredAgents(enabled, undefined, { projectMcpServers: false }, { ...inputs, apiKey: undefined }).agents.some(agent => agent.id === 'jules'), false, 'no key, no agent');
  });

  it('needs your approval of the plan, then completes with the pull request in the task\'s result', async () => {
    const index = new QueueIndex({ planningRoot: join(root, 'planning'), parse: parseTaskFile, workspaceRoot: root });
    await index.coldIndex();
    const redactor = new Redactor();
    const { dispatcher, runs, registry } = createDispatchRuntime({
      workspaceRoot: root, index, agents: [julesBackend(fake, root, { requirePlanApproval: true })], maxConcurrentRuns: 2, defaultTimeoutMs: 60_000, redactor,
      events: { append: () => Promise.resolve() }, log: silentLog,
    });
    try {
      const outcome = await dispatcher.dispatch('add-login');
      if (outcome.status !== 'started') assert.fail(JSON.stringify(outcome));
      assert.equal(outcome.agentId, 'jules');
      const session = fake.state.listSessions()[0];
      if (session === undefined) assert.fail('no session was created');
      const started = await runs.read(outcome.runId);
      assert.ok(started.ok);
      assert.deepEqual(started.record.handle, { runId: outcome.runId, agentId: 'jules', ref: session.name });
      assert.equal(started.record.branch, undefined, 'no worktree: Jules works on GitHub');

      fake.state.advance(session.id);
      assert.equal(session.state, 'AWAITING_PLAN_APPROVAL');
      await until(async () => (await readFile(runs.logFile(outcome.runId), 'utf8').catch(() => '')).includes('Jules plan: 1.'), 10_000, 'the plan in the run log');
      // The run record says it needs you, with the plan: what the panel's needs-you inbox shows.
      await until(async () => { const read = await runs.read(outcome.runId); return read.ok && read.record.state === 'needsYou'; }, 10_000, 'the run to need you');
      const waiting = await runs.read(outcome.runId);
      assert.equal(waiting.ok && waiting.record.history.at(-1)?.reason, 'Jules plan awaiting approval: 1. Read the task: # Add login; 2. Make the change and run the tests; 3. Open a pull request');
      assert.deepEqual(await approveTaskPlan('add-login', runs, agentId => registry.get(agentId)), { status: 'approved', runId: outcome.runId, agentId: 'jules', message: `Approved the plan of run ${outcome.runId} (jules) for task "add-login".` });
      assert.equal(session.state, 'IN_PROGRESS');
      fake.state.advance(session.id);

      const done = await dispatcher.whenDone(outcome.runId);
      assert.equal(done?.state, 'succeeded');
      // After the approval it may be seen running again, or already done (the fake is advanced at once).
      const after = done.history.map(entry => entry.state).slice(done.history.findIndex(entry => entry.state === 'needsYou'));
      assert.ok(['needsYou,running,succeeded', 'needsYou,succeeded'].includes(after.join(',')), after.join(','));
      assert.match(done.summary ?? '', /^Jules opened https:\/\/github\.com\/acme\/app\/pull\/1 \(Add login\)/);
      const result = readFileSync(queue(root, 'complete', 'add-login.task.md'), 'utf8');
      assert.match(result, /## Result[\s\S]*https:\/\/github\.com\/acme\/app\/pull\/1/);
      assert.match(result, /jules/);
      assert.deepEqual(await approveTaskPlan('add-login', runs, agentId => registry.get(agentId)), { status: 'noRun', message: 'Task "add-login" has no run in progress whose plan could be approved.' });
    } finally {
      await dispatcher.dispose();
      index.dispose();
    }
  });

  it('a 429 when creating the session fails the run as a rate limit, which is retried, not as fatal', async () => {
    fake.faults.add({ method: 'POST', path: '/v1alpha/sessions', status: 429, retryAfterSeconds: 1 });
    const index = new QueueIndex({ planningRoot: join(root, 'planning'), parse: parseTaskFile, workspaceRoot: root });
    await index.coldIndex();
    const redactor = new Redactor();
    const { dispatcher, runs } = createDispatchRuntime({
      workspaceRoot: root, index, agents: [julesBackend(fake, root)], maxConcurrentRuns: 2, defaultTimeoutMs: 60_000, redactor,
      events: { append: () => Promise.resolve() }, log: silentLog, retry: { baseDelayMs: 20, maxDelayMs: 40, maxAttempts: 2 },
    });
    try {
      const outcome = await dispatcher.dispatch('add-login');
      assert.equal(outcome.status, 'failed');
      const [failed] = (await runs.list()).records;
      assert.equal(failed?.failure?.class, 'rateLimit');
      assert.equal(failed.followUp?.kind, 'retry');
      await until(async () => (await runs.list()).records.some(record => record.state === 'running' || record.state === 'succeeded'), 10_000, 'the retry');
      assert.equal(fake.state.listSessions().length, 1, 'the retry created the session');
    } finally {
      await dispatcher.dispose();
      index.dispose();
    }
  });

  it('redacts the key from what ATO records when a server echoes it back', async () => {
    // A server that knows the source (health passes) and echoes the key when refusing a session.
    const echo = await startTestServer((request, response) => {
      if (request.method === 'GET') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(fake.state.sources[0]));
        return;
      }
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 400, message: `API key not valid: ${String(request.headers['x-goog-api-key'])}`, status: 'INVALID_ARGUMENT', details: [{ reason: 'API_KEY_INVALID' }] } }));
    });
    const index = new QueueIndex({ planningRoot: join(root, 'planning'), parse: parseTaskFile, workspaceRoot: root });
    await index.coldIndex();
    const redactor = new Redactor();
    const key = 'jules-key-0123456789';
    // As the CLI and the extension do for every key they read.
    redactor.addSecret(key);
    const { dispatcher, runs } = createDispatchRuntime({
      workspaceRoot: root, index, agents: [julesBackend({ ...fake, apiUrl: `${echo.url}/v1alpha` }, root, { apiKey: key })], maxConcurrentRuns: 2, defaultTimeoutMs: 60_000, redactor,
      events: { append: () => Promise.resolve() }, log: silentLog,
    });
    try {
      await dispatcher.dispatch('add-login');
      const [failed] = (await runs.list()).records;
      assert.equal(failed?.failure?.class, 'auth');
      assert.match(failed.failure.message, /API key not valid: ‹redacted›/);
      assert.equal(readFileSync(runs.recordFile(failed.runId), 'utf8').includes(key), false);
    } finally {
      await dispatcher.dispose();
      index.dispose();
      await echo.close();
    }
  });
});
