import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClaudeCodeBackend } from '../../../src/core/agents/claudeCode/claudeCodeBackend';
import { CustomCliBackend } from '../../../src/core/agents/custom/customCliBackend';
import { customAgentSettingsSchema } from '../../../src/core/agents/custom/customAgentSettings';
import type { FleetSettings } from '../../../src/core/agents/fleet/fleetSettings';
import { createDispatchRuntime } from '../../../src/core/dispatch/dispatchRuntime';
import { ensureAtoDirectory } from '../../../src/core/events/atoDirectory';
import { EventLog, readEvents } from '../../../src/core/events/eventLog';
import { createLogger } from '../../../src/core/logging/logger';
import { Redactor } from '../../../src/core/logging/redactor';
import { QueueIndex } from '../../../src/core/queue/queueIndex';
import type { RunRecord } from '../../../src/core/runs/runRecord';
import { parseTaskFile } from '../../../src/core/tasks/parseTaskFile';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/fakeAnthropicServer';
import { initRepo } from '../../support/gitRepo';
import { aRunRecord } from '../../support/runRecords';
import { useTempDir } from '../../support/tempDir';
import { useClaudeCli } from '../agents/claudeCli';

const countingAgent = join(__dirname, '../../fixtures/agents/countingAgent.mjs');
const fleet: FleetSettings = { limits: {}, budgets: {}, copilotPremiumRequestUsd: 0.04, startsPerMinute: 600 };

describe('a 429 with retry-after closes the anthropic window and auto work fails over (real Claude Code CLI, fake Messages API)', function () {
  this.timeout(120_000);
  const temp = useTempDir('ato-failover-');
  const claude = useClaudeCli();
  let fake: FakeAnthropic | undefined;

  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('claude-code hears the 429, the window closes for the retry-after, the task and the next one run on the custom agent; the event log says why', async () => {
    fake = await startFakeAnthropic({ scenario: { kind: 'status', status: 429, errorType: 'rate_limit_error', retryAfterSeconds: 30 } });
    const repo = join(temp(), 'repo');
    mkdirSync(repo);
    initRepo(repo, { 'README.md': '# r\n', 'planning/issue_queue/pending/.gitkeep': '', 'planning/issue_queue/processed/.gitkeep': '', 'planning/issue_queue/complete/.gitkeep': '' });
    const pending = join(repo, 'planning', 'issue_queue', 'pending');
    for (const id of ['first', 'second']) writeFileSync(join(pending, `${id}.task.md`), `---\nid: ${id}\ntype: feature\nagent: auto\n---\n# Task ${id}\n\nWrite result.txt.\n`);
    const home = join(temp(), 'home');
    mkdirSync(home);
    const redactor = new Redactor();
    const atoDirectory = await ensureAtoDirectory(repo);
    const events = new EventLog({ directory: atoDirectory, maxFileBytes: 1e7, maxFiles: 2, redactor });
    const index = new QueueIndex({ planningRoot: join(repo, 'planning'), parse: parseTaskFile, workspaceRoot: repo });
    await index.coldIndex();
    const claudeCode = new ClaudeCodeBackend({ executable: claude(), maxTurns: 3, killGraceMs: 1000, stopAfterRateLimitRetries: 1, env: { ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: 'sk-ant-test-dummy-key-0000000000', HOME: home } });
    const counter = new CustomCliBackend(customAgentSettingsSchema.parse({ id: 'counter', command: process.execPath, args: [countingAgent], concurrent: 2 }));
    const runtime = createDispatchRuntime({
      workspaceRoot: repo, index, agents: [claudeCode, counter], maxConcurrentRuns: 4, defaultTimeoutMs: 90_000, redactor, events,
      log: createLogger({ write: () => undefined }, redactor), fleet,
    });
    // The custom agent has a record of failing feature work, so auto work prefers claude-code while it has headroom.
    for (const runId of ['old-1', 'old-2', 'old-3']) await runtime.runs.write(aRunRecord({ runId, taskId: 'older', agentId: 'counter', state: 'failed', attempts: 1, failure: { class: 'fatal', message: 'broke the build' }, endedAt: '2026-11-21T10:05:00.000Z' }));

    const started = Date.now();
    const outcome = await runtime.dispatcher.dispatch('first');
    if (outcome.status !== 'started') assert.fail(JSON.stringify(outcome));
    assert.equal(outcome.agentId, 'claude-code', 'with headroom, claude-code is preferred');
    const failed = await runtime.dispatcher.whenDone(outcome.runId);
    assert.equal(failed?.state, 'failed');
    assert.equal(failed.failure?.class, 'rateLimit');
    assert.equal(failed.followUp?.kind, 'retry');
    assert.match(failed.followUp.reason, /claude-code has no headroom \(anthropic window closed until .* \(429 retry-after\)\), so it goes to the next eligible agent now/);
    assert.ok(fake.requests.some(request => request.status === 429), 'the fake answered 429');

    // The retry went at once to the custom agent, which finishes it.
    let records: readonly RunRecord[] = [];
    for (let i = 0; i < 200 && !records.some(r => r.taskId === 'first' && r.state === 'succeeded'); i++) {
      await new Promise(resolve => setTimeout(resolve, 50));
      records = (await runtime.runs.list()).records;
    }
    const retried = records.find(r => r.taskId === 'first' && r.state === 'succeeded');
    assert.equal(retried?.agentId, 'counter');
    assert.ok(Date.now() - started < 30_000, 'it did not wait for the window');

    // The next auto task goes to the custom agent too, while the window is closed.
    const next = await runtime.dispatcher.dispatch('second');
    if (next.status !== 'started') assert.fail(JSON.stringify(next));
    assert.equal(next.agentId, 'counter');
    assert.equal((await runtime.dispatcher.whenDone(next.runId))?.state, 'succeeded');
    assert.equal(runtime.fleet?.headroom('claude-code').open, false);
    await runtime.dispatcher.dispose();
    index.dispose();
    await events.flush();

    const logged = (await readEvents(atoDirectory, 2)).events;
    const closed = logged.filter(event => event.kind === 'fleet.windowClosed');
    assert.equal(closed.length, 1, 'closed once');
    const [closure] = closed;
    if (closure === undefined) assert.fail('no fleet.windowClosed event');
    assert.equal(closure['vendor'], 'anthropic');
    assert.equal(closure['source'], 'retryAfter');
    const until = Date.parse(String(closure['until']));
    // The CLI waits the server's retry-after (30 s, plus its jitter) before retrying: the window closes until then.
    assert.ok(until - started >= 30_000 && until - started < 45_000, `closed until ${String(closure['until'])}`);
    const failovers = logged.filter(event => event.kind === 'fleet.failover');
    assert.deepEqual(failovers.map(event => [event['taskId'], event['from'], event['to']]), [['first', 'claude-code', 'counter'], ['second', 'claude-code', 'counter']]);
    assert.match(String(failovers[0]?.['why']), /^claude-code: anthropic window closed until .* \(429 retry-after\)$/);

    // A restart reads the window file: anthropic stays closed.
    const index2 = new QueueIndex({ planningRoot: join(repo, 'planning'), parse: parseTaskFile, workspaceRoot: repo });
    await index2.coldIndex();
    const again = createDispatchRuntime({ workspaceRoot: repo, index: index2, agents: [claudeCode, counter], maxConcurrentRuns: 4, defaultTimeoutMs: 90_000, redactor, events, log: createLogger({ write: () => undefined }, redactor), fleet });
    const restarted = again.fleet;
    if (restarted === undefined) assert.fail('the runtime has a fleet');
    await restarted.ensureLoaded();
    assert.equal(restarted.headroom('claude-code').open, false);
    assert.equal(restarted.ledger.agentDay('counter', new Date()).runs, 2, 'and the ledger counts the two runs of today');
    await again.dispatcher.dispose();
    index2.dispose();
  });
});
