import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CustomCliBackend } from '../../../src/core/agents/custom/customCliBackend';
import { customAgentSettingsSchema } from '../../../src/core/agents/custom/customAgentSettings';
import { createDispatchRuntime } from '../../../src/core/dispatch/dispatchRuntime';
import { createLogger } from '../../../src/core/logging/logger';
import { Redactor } from '../../../src/core/logging/redactor';
import { QueueIndex } from '../../../src/core/queue/queueIndex';
import type { RunRecord } from '../../../src/core/runs/runRecord';
import { needsYouCount } from '../../../src/core/views/statusBarModel';
import { parseTaskFile } from '../../../src/core/tasks/parseTaskFile';
import { initRepo } from '../../support/gitRepo';
import { anAtoState } from '../../support/stateBuilders';
import { useTempDir } from '../../support/tempDir';

describe('a transient failure: retried with backoff, then handed to a human', function () {
  this.timeout(60_000);
  const temp = useTempDir('ato-retry-');

  it('records the scheduled retry on the failed run, retries, and asks a human when tries run out', async () => {
    const repo = join(temp(), 'repo');
    mkdirSync(repo);
    initRepo(repo, { 'README.md': '# r\n', 'planning/issue_queue/pending/.gitkeep': '', 'planning/issue_queue/processed/.gitkeep': '', 'planning/issue_queue/complete/.gitkeep': '' });
    writeFileSync(join(repo, 'planning', 'issue_queue', 'pending', 'flaky.task.md'), '---\nagent: limited\n---\n# Always rate limited\n\nTry.\n');
    const index = new QueueIndex({ planningRoot: join(repo, 'planning'), parse: parseTaskFile, workspaceRoot: repo });
    await index.coldIndex();
    // A real process that fails the way a rate-limited agent does.
    const agent = new CustomCliBackend(customAgentSettingsSchema.parse({ id: 'limited', command: process.execPath, args: ['-e', "console.error('429: rate limit exceeded'); process.exit(1)"] }));
    const redactor = new Redactor();
    const { dispatcher, runs } = createDispatchRuntime({
      workspaceRoot: repo, index, agents: [agent], maxConcurrentRuns: 1, defaultTimeoutMs: 30_000, redactor,
      events: { append: () => Promise.resolve() }, log: createLogger({ write: () => undefined }, redactor),
      retry: { baseDelayMs: 50, maxDelayMs: 100, maxAttempts: 2 },
    });
    const outcome = await dispatcher.dispatch('flaky');
    if (outcome.status !== 'started') assert.fail(JSON.stringify(outcome));
    const first = await dispatcher.whenDone(outcome.runId);
    assert.equal(first?.state, 'failed');
    assert.equal(first.failure?.class, 'rateLimit');
    assert.equal(first.followUp?.kind, 'retry', 'the failed run says a retry is scheduled');
    assert.ok(first.followUp.at !== undefined && Date.parse(first.followUp.at) >= Date.parse(first.endedAt ?? ''));
    assert.equal(needsYouCount(anAtoState({ runs: [first] })), 0, 'a run with a retry scheduled needs nobody');

    let records: readonly RunRecord[] = [];
    for (let i = 0; i < 200 && records.filter(r => r.state === 'failed').length < 2; i++) {
      await new Promise(resolve => setTimeout(resolve, 50));
      records = (await runs.list()).records;
    }
    const [older, latest] = [...records].sort((a, b) => a.attempt - b.attempt);
    assert.equal(records.length, 2, 'one retry, then no more (maxAttempts 2)');
    if (older === undefined || latest === undefined) assert.fail('two runs');
    assert.equal(older.runId, first.runId);
    assert.equal(latest.attempt, 2);
    assert.equal(latest.followUp?.kind, 'needsYou', 'out of tries, with no other agent: a human decides');
    assert.equal(needsYouCount(anAtoState({ runs: [latest, first] })), 1);
    assert.ok(existsSync(join(repo, 'planning', 'issue_queue', 'processed', 'flaky.task.md')), 'the task waits in processed/');
    await dispatcher.dispose();
    index.dispose();
  });
});
