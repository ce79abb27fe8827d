import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CustomCliBackend } from '../../../src/core/agents/custom/customCliBackend';
import { customAgentSettingsSchema } from '../../../src/core/agents/custom/customAgentSettings';
import { createDispatchRuntime } from '../../../src/core/dispatch/dispatchRuntime';
import type { StallPolicy } from '../../../src/core/dispatch/stallWatch';
import type { EventInput } from '../../../src/core/events/eventLog';
import { createLogger } from '../../../src/core/logging/logger';
import { Redactor } from '../../../src/core/logging/redactor';
import { QueueIndex } from '../../../src/core/queue/queueIndex';
import type { RunRecord } from '../../../src/core/runs/runRecord';
import { parseTaskFile } from '../../../src/core/tasks/parseTaskFile';
import { initRepo } from '../../support/gitRepo';
import { useTempDir } from '../../support/tempDir';

const journalAgent = join(__dirname, '../../fixtures/agents/journalAgent.mjs');

describe('a stalled run: an agent that goes silent, with the real dispatcher', function () {
  this.timeout(60_000);
  const temp = useTempDir('ato-stalled-');

  async function setUp(mode: 'silent' | 'silent-once', policy: StallPolicy) {
    const repo = join(temp(), 'repo');
    mkdirSync(repo);
    initRepo(repo, { 'README.md': '# r\n', 'planning/issue_queue/pending/quiet.task.md': '---\nagent: journal\n---\n# quiet\n\nDo it.\n', 'planning/issue_queue/processed/.gitkeep': '', 'planning/issue_queue/complete/.gitkeep': '' });
    const journal = join(temp(), 'journal.txt');
    writeFileSync(journal, '');
    const index = new QueueIndex({ planningRoot: join(repo, 'planning'), parse: parseTaskFile, workspaceRoot: repo });
    await index.coldIndex();
    const agent = new CustomCliBackend(customAgentSettingsSchema.parse({ id: 'journal', command: process.execPath, args: [journalAgent, journal, mode, '100'] }));
    const redactor = new Redactor();
    const events: EventInput[] = [];
    const runtime = createDispatchRuntime({
      workspaceRoot: repo, index, agents: [agent], maxConcurrentRuns: 1, defaultTimeoutMs: 60_000, redactor,
      events: { append: event => { events.push(event); return Promise.resolve(); } }, log: createLogger({ write: () => undefined }, redactor),
      retry: { baseDelayMs: 50, maxDelayMs: 100, maxAttempts: 3 },
      stall: () => ({ stallMs: 1500, policy }),
    });
    return { repo, journal, index, events, ...runtime };
  }

  async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
    for (let i = 0; i < 400; i++) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    assert.fail(`timed out waiting for ${what}`);
  }

  it('needsYou policy: the run goes to needs-you with "no output for …" and keeps going; cancelling it ends it', async () => {
    const { dispatcher, runs, index, events } = await setUp('silent', 'needsYou');
    try {
      const outcome = await dispatcher.dispatch('quiet');
      if (outcome.status !== 'started') assert.fail(JSON.stringify(outcome));
      const stalled = await until('the run to need you', async () => {
        const read = await runs.read(outcome.runId);
        return read.ok && read.record.state === 'needsYou' ? read.record : undefined;
      });
      assert.equal(stalled.history.at(-1)?.reason, 'stalled: no output for 1 s');
      assert.ok(dispatcher.activeRuns().some(run => run.runId === outcome.runId), 'the agent was not stopped: it may only be slow');
      assert.ok(events.some(event => event.kind === 'run.stalled' && event['policy'] === 'needsYou'));
      assert.ok(events.some(event => event.kind === 'run.needsYou' && event['reason'] === 'no output for 1 s'));
      assert.equal(await dispatcher.cancel(outcome.runId), true);
      const ended = await dispatcher.whenDone(outcome.runId);
      assert.equal(ended?.state, 'cancelled');
    } finally {
      await dispatcher.dispose();
      index.dispose();
    }
  });

  it('retry policy: the silent run is cancelled and retried like a timeout; the retry finishes the task', async () => {
    const { dispatcher, runs, index, repo, journal } = await setUp('silent-once', 'retry');
    try {
      const outcome = await dispatcher.dispatch('quiet');
      if (outcome.status !== 'started') assert.fail(JSON.stringify(outcome));
      const first = await dispatcher.whenDone(outcome.runId);
      assert.equal(first?.state, 'failed');
      assert.deepEqual(first.failure, { class: 'timeout', message: 'stalled: no output for 1 s' });
      assert.equal(first.followUp?.kind, 'retry');
      const records = await until('the retry to succeed', async () => {
        const listed = (await runs.list()).records;
        return listed.some((record: RunRecord) => record.state === 'succeeded') ? listed : undefined;
      });
      assert.equal(records.length, 2);
      assert.ok(existsSync(join(repo, 'planning', 'issue_queue', 'complete', 'quiet.task.md')));
      assert.deepEqual(readFileSync(journal, 'utf8').trim().split('\n'), ['start quiet', 'start quiet', 'end quiet'], 'two starts: the silent one, then the retry');
    } finally {
      await dispatcher.dispose();
      index.dispose();
    }
  });
});
