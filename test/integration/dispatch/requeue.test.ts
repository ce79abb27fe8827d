import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CustomCliBackend } from '../../../src/core/agents/custom/customCliBackend';
import { customAgentSettingsSchema } from '../../../src/core/agents/custom/customAgentSettings';
import { createDispatchRuntime, type DispatchRuntime } from '../../../src/core/dispatch/dispatchRuntime';
import type { RequeueOutcome } from '../../../src/core/dispatch/requeueTask';
import { createLogger } from '../../../src/core/logging/logger';
import { Redactor } from '../../../src/core/logging/redactor';
import { QueueIndex } from '../../../src/core/queue/queueIndex';
import type { RunRecord } from '../../../src/core/runs/runRecord';
import { parseTaskFile } from '../../../src/core/tasks/parseTaskFile';
import { needsYouCount } from '../../../src/core/views/statusBarModel';
import { runBuiltCli } from '../../support/builtCli';
import { git, initRepo } from '../../support/gitRepo';
import { anAtoState } from '../../support/stateBuilders';
import { useTempDir } from '../../support/tempDir';

const agentScript = join(__dirname, '../../fixtures/agents/failThenSucceed.mjs');
const task = '---\nid: flaky\nagent: second-try\n---\n# Write the result file\n\n**Prompt:**\nWrite result.txt.\n';

/** Requeue with a real agent process that fails its first run and succeeds after, in a real git repository. */
const reasonOf = (outcome: RequeueOutcome): string => ('reason' in outcome ? outcome.reason : '');

describe('requeue: a failed task back to pending/, then a run that succeeds', function () {
  this.timeout(120_000);
  const temp = useTempDir('ato-requeue-');
  let opened: { runtime: DispatchRuntime; index: QueueIndex } | undefined;
  afterEach(async () => {
    await opened?.runtime.dispatcher.dispose();
    opened?.index.dispose();
    opened = undefined;
  });

  const pending = (root: string): string => join(root, 'planning/issue_queue/pending/flaky.task.md');
  const processed = (root: string): string => join(root, 'planning/issue_queue/processed/flaky.task.md');
  const complete = (root: string): string => join(root, 'planning/issue_queue/complete/flaky.task.md');

  function repository(): string {
    const root = join(temp(), 'repo');
    mkdirSync(root);
    initRepo(root, { 'README.md': '# r\n', ...Object.fromEntries(['pending', 'processed', 'complete'].map(folder => [`planning/issue_queue/${folder}/.gitkeep`, ''])) });
    writeFileSync(pending(root), task);
    return root;
  }

  function agentArgs(failure: 'fatal' | 'rate-limit', delayMs: number): string[] {
    return [agentScript, join(temp(), 'agent-marker'), failure, String(delayMs)];
  }

  async function open(root: string, args: string[], retryDelayMs = 50, concurrent = 1): Promise<DispatchRuntime> {
    const index = new QueueIndex({ planningRoot: join(root, 'planning'), parse: parseTaskFile, workspaceRoot: root });
    await index.coldIndex();
    const redactor = new Redactor();
    const agent = new CustomCliBackend(customAgentSettingsSchema.parse({ id: 'second-try', command: process.execPath, args, concurrent }));
    const runtime = createDispatchRuntime({
      workspaceRoot: root, index, agents: [agent], maxConcurrentRuns: 2, defaultTimeoutMs: 30_000, redactor,
      events: { append: () => Promise.resolve() }, log: createLogger({ write: () => undefined }, redactor),
      retry: { baseDelayMs: retryDelayMs, maxDelayMs: retryDelayMs, maxAttempts: 3 },
      // The retry's jitter in its upper half: the delay is at least half of retryDelayMs (still random run ids).
      random: () => 0.5 + Math.random() / 2,
    });
    opened = { runtime, index };
    return runtime;
  }

  async function runToEnd(runtime: DispatchRuntime, options?: Parameters<DispatchRuntime['dispatcher']['dispatch']>[1]): Promise<RunRecord> {
    const outcome = await runtime.dispatcher.dispatch('flaky', options);
    if (outcome.status !== 'started') assert.fail(JSON.stringify(outcome));
    const record = await runtime.dispatcher.whenDone(outcome.runId);
    if (record === undefined) assert.fail('the run is known');
    return record;
  }

  it('fails, waits for you in processed/; requeued it is back in pending/ and runs again to complete/', async () => {
    const root = repository();
    const runtime = await open(root, agentArgs('fatal', 0));
    const failed = await runToEnd(runtime);
    assert.equal(failed.state, 'failed');
    assert.equal(failed.followUp?.kind, 'needsYou');
    assert.ok(existsSync(processed(root)), 'the failed task waits in processed/');
    assert.equal(needsYouCount(anAtoState({ runs: [failed] })), 1);

    const outcome = await runtime.dispatcher.requeue('flaky');
    assert.equal(outcome.status, 'requeued', JSON.stringify(outcome));
    assert.ok(existsSync(pending(root)) && !existsSync(processed(root)), 'back in pending/, and only there');
    const marked = await runtime.runs.read(failed.runId);
    assert.ok(marked.ok);
    assert.deepEqual(marked.record.history, failed.history, 'the failed run keeps its history');
    assert.equal(marked.record.followUp?.kind, 'requeued');
    assert.equal(needsYouCount(anAtoState({ runs: [marked.record] })), 0, 'a requeued task asks for nobody');

    const second = await runToEnd(runtime);
    assert.equal(second.state, 'succeeded', JSON.stringify(second.failure));
    assert.equal(second.attempt, 2, 'the second run of the task');
    assert.ok(existsSync(complete(root)), 'the task is complete');
    assert.match(readFileSync(complete(root), 'utf8'), /## Result/);
    assert.match(git(root, 'show', 'ato/flaky:result.txt'), /^done: /);
    assert.deepEqual((await runtime.runs.list()).records.map(record => [record.runId, record.state]), [[failed.runId, 'failed'], [second.runId, 'succeeded']]);
  });

  it('a requeue while a run is in progress is refused, and the task stays where it is', async () => {
    const root = repository();
    writeFileSync(join(temp(), 'agent-marker'), 'the first run already failed\n');
    const runtime = await open(root, agentArgs('fatal', 3000));
    const outcome = await runtime.dispatcher.dispatch('flaky');
    if (outcome.status !== 'started') assert.fail(JSON.stringify(outcome));
    const refused = await runtime.dispatcher.requeue('flaky');
    assert.equal(refused.status, 'active');
    assert.match(reasonOf(refused), /still (preparing|running): cancel it first/);
    assert.ok(existsSync(processed(root)));
    assert.equal((await runtime.dispatcher.whenDone(outcome.runId))?.state, 'succeeded');
  });

  it('a retry scheduled before the requeue never starts a second run once the task is dispatched again', async () => {
    const root = repository();
    // The first run is rate-limited: a retry is scheduled 2–4 s later. The agent could take two runs at once.
    const runtime = await open(root, agentArgs('rate-limit', 6000), 4000, 2);
    const failed = await runToEnd(runtime);
    assert.equal(failed.followUp?.kind, 'retry');
    const requeued = await runtime.dispatcher.requeue('flaky');
    assert.equal(requeued.status, 'requeued', JSON.stringify(requeued));
    const again = await runtime.dispatcher.dispatch('flaky');
    if (again.status !== 'started') assert.fail(JSON.stringify(again));
    await new Promise(resolve => setTimeout(resolve, 4500)); // past the retry's time, while the new run works
    assert.deepEqual((await runtime.runs.list()).records.map(record => record.runId), [failed.runId, again.runId], 'no third run');
    assert.equal((await runtime.dispatcher.whenDone(again.runId))?.state, 'succeeded');
  });

  it('ato requeue (the built CLI): refuses without a task or for an unknown one; requeues, idempotently; ato dispatch then runs it', async () => {
    const root = repository();
    const env = { ATO_AGENTS_CUSTOM: JSON.stringify([{ id: 'second-try', command: process.execPath, args: agentArgs('fatal', 0) }]) };
    const failed = await runBuiltCli(['dispatch', 'flaky', '--workspace', root], env);
    assert.equal(failed.code, 1, failed.stderr);
    assert.ok(existsSync(processed(root)));

    assert.equal((await runBuiltCli(['requeue', '--workspace', root], env)).code, 2);
    const unknown = await runBuiltCli(['requeue', 'nope', '--workspace', root], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /ato requeue: No task "nope" in the queue\./);

    const requeued = await runBuiltCli(['requeue', 'flaky', '--workspace', root], env);
    assert.equal(requeued.code, 0, requeued.stderr);
    assert.equal(requeued.stdout, 'requeued flaky: planning/issue_queue/pending/flaky.task.md (`ato dispatch flaky` runs it again)\n');
    const again = await runBuiltCli(['requeue', 'flaky', '--workspace', root], env);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /^flaky is already in pending\//);
    const events = readFileSync(join(root, '.ato', 'events.ndjson'), 'utf8');
    assert.match(events, /"kind":"queue\.moved","taskId":"flaky","from":"processed","to":"pending","reason":"requeued"/);
    assert.equal(events.match(/"kind":"task\.requeued"/g)?.length, 1, 'recorded once');

    const ran = await runBuiltCli(['dispatch', 'flaky', '--workspace', root], env);
    assert.equal(ran.code, 0, ran.stderr);
    assert.ok(existsSync(complete(root)));
    const help = await runBuiltCli(['help']);
    assert.match(help.stdout, /requeue <id> +put a failed, cancelled or interrupted task back in pending\//);
  });
});
