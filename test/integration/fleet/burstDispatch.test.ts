import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CustomCliBackend } from '../../../src/core/agents/custom/customCliBackend';
import { customAgentSettingsSchema } from '../../../src/core/agents/custom/customAgentSettings';
import { createDispatchRuntime } from '../../../src/core/dispatch/dispatchRuntime';
import { DispatchQueue } from '../../../src/core/dispatch/dispatchQueue';
import { createLogger } from '../../../src/core/logging/logger';
import { Redactor } from '../../../src/core/logging/redactor';
import { QueueIndex } from '../../../src/core/queue/queueIndex';
import type { RunRecord } from '../../../src/core/runs/runRecord';
import { parseTaskFile } from '../../../src/core/tasks/parseTaskFile';
import { initRepo } from '../../support/gitRepo';
import { useTempDir } from '../../support/tempDir';

const countingAgent = join(__dirname, '../../fixtures/agents/countingAgent.mjs');

describe('burst-safe starts: 10 dispatches at once against an agent that takes 3', function () {
  this.timeout(120_000);
  const temp = useTempDir('ato-burst-');

  it('ends with 3 running and 7 queued, none failed; the queued start as slots free, and all 10 finish', async () => {
    const repo = join(temp(), 'repo');
    mkdirSync(repo);
    const pending = join(repo, 'planning', 'issue_queue', 'pending');
    initRepo(repo, { 'README.md': '# r\n', 'planning/issue_queue/pending/.gitkeep': '', 'planning/issue_queue/processed/.gitkeep': '', 'planning/issue_queue/complete/.gitkeep': '' });
    const ids = Array.from({ length: 10 }, (_, i) => `burst-${String(i).padStart(2, '0')}`);
    for (const id of ids) writeFileSync(join(pending, `${id}.task.md`), `---\nid: ${id}\nagent: counter\n---\n# Task ${id}\n\nWrite result.txt.\n`);
    const counter = join(temp(), 'starts.txt');
    writeFileSync(counter, '');
    const index = new QueueIndex({ planningRoot: join(repo, 'planning'), parse: parseTaskFile, workspaceRoot: repo });
    await index.coldIndex();
    // A real CLI agent process per run, slow enough that the three slots stay taken while we look.
    const agent = new CustomCliBackend(customAgentSettingsSchema.parse({ id: 'counter', command: process.execPath, args: [countingAgent], concurrent: 3, env: { ATO_TEST_COUNTER: counter, ATO_TEST_AGENT_DELAY_MS: '2500' } }));
    const redactor = new Redactor();
    const events: { kind: string }[] = [];
    const runtime = createDispatchRuntime({
      workspaceRoot: repo, index, agents: [agent], maxConcurrentRuns: 10, defaultTimeoutMs: 60_000, redactor,
      events: { append: event => { events.push(event); return Promise.resolve(); } }, log: createLogger({ write: () => undefined }, redactor),
      // 120 starts a minute: gaps of 0.25–0.5 s between starts to the one vendor.
      fleet: { limits: {}, budgets: {}, copilotPremiumRequestUsd: 0.04, startsPerMinute: 120 },
    });
    const queue = new DispatchQueue(runtime.dispatcher, createLogger({ write: () => undefined }, redactor));
    const submitted = Date.now();
    const outcomes = await queue.submit(ids);
    const submitMs = Date.now() - submitted;
    assert.deepEqual(outcomes.filter(outcome => outcome.status !== 'started' && outcome.status !== 'queued'), [], 'every task started or is queued: none refused or failed');
    const started = outcomes.filter(outcome => outcome.status === 'started').length;
    assert.ok(started >= 1 && started <= 3, `${started} started at once: the stagger and the cap hold the rest`);
    assert.ok(submitMs < 5000, `all 10 were started or queued within ${submitMs} ms`);

    // The stagger lets two more start; then the agent's cap holds the other seven.
    let running: readonly RunRecord[] = [];
    // A run is in the dispatcher's active list a moment before the queue hears its start: wait for both.
    for (let i = 0; i < 100 && (running.length < 3 || queue.queued().length > 7); i++) {
      await new Promise(resolve => setTimeout(resolve, 50));
      running = runtime.dispatcher.activeRuns();
    }
    assert.equal(running.length, 3);
    assert.equal(queue.queued().length, 7, '7 queued');
    assert.ok(queue.queued().every(waiting => /counter: at its limit \(3\/3 running\)|counter is at its concurrency limit|starts are spaced out/.test(waiting.reason)), JSON.stringify(queue.queued()));
    assert.equal((await runtime.runs.list()).records.filter(record => record.state === 'failed').length, 0, 'no run failed');

    // As runs end, the queued ones take their slots, never more than 3 at once.
    let peak = 0;
    let records: readonly RunRecord[] = [];
    for (let i = 0; i < 600 && records.filter(record => record.state === 'succeeded').length < 10; i++) {
      peak = Math.max(peak, runtime.dispatcher.activeRuns().length);
      await new Promise(resolve => setTimeout(resolve, 50));
      records = (await runtime.runs.list()).records;
    }
    assert.equal(records.filter(record => record.state === 'succeeded').length, 10, 'all 10 finished');
    assert.equal(records.length, 10, 'one run each: nothing failed and retried');
    assert.ok(peak <= 3, `never more than 3 at once (peak ${peak})`);
    assert.equal(readFileSync(counter, 'utf8').trim().split('\n').length, 10, 'the agent process started 10 times');
    assert.deepEqual(queue.queued(), []);
    queue.dispose();
    await runtime.dispatcher.dispose();
    index.dispose();
  });
});
