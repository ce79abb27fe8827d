import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClaudeCodeBackend } from '../../../src/core/agents/claudeCode/claudeCodeBackend';
import { createDispatchRuntime } from '../../../src/core/dispatch/dispatchRuntime';
import { EventLog, readEvents } from '../../../src/core/events/eventLog';
import { ensureAtoDirectory } from '../../../src/core/events/atoDirectory';
import { createLogger } from '../../../src/core/logging/logger';
import { Redactor } from '../../../src/core/logging/redactor';
import { QueueIndex } from '../../../src/core/queue/queueIndex';
import { parseTaskFile } from '../../../src/core/tasks/parseTaskFile';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/fakeAnthropicServer';
import { git, initRepo } from '../../support/gitRepo';
import { useTempDir } from '../../support/tempDir';
import { useClaudeCli } from '../agents/claudeCli';

const taskText = `---
id: add-feature
type: feature
priority: high
agent: claude-code
---
# Add the feature file

**Target Files:**
- src/feature.txt

**Prompt:**
Write src/feature.txt with the words "feature done".
`;

describe('a task file run to the end by the real Claude Code CLI (against the fake Messages API)', function () {
  this.timeout(120_000);
  const temp = useTempDir('ato-claude-dispatch-');
  const claude = useClaudeCli();
  let fake: FakeAnthropic | undefined;

  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('edits the file on ato/<id>, records the cost and turns the CLI reported, and moves the task to complete/', async () => {
    const usage = { inputTokens: 2000, outputTokens: 300 };
    fake = await startFakeAnthropic({ scenario: { kind: 'editFile', path: 'src/feature.txt', content: 'feature done\n', finalText: 'Done: wrote src/feature.txt' }, usage });
    const repo = join(temp(), 'repo');
    mkdirSync(repo);
    initRepo(repo, { 'README.md': '# demo\n', 'src/.gitkeep': '', 'planning/issue_queue/pending/.gitkeep': '', 'planning/issue_queue/processed/.gitkeep': '', 'planning/issue_queue/complete/.gitkeep': '' });
    writeFileSync(join(repo, 'planning', 'issue_queue', 'pending', 'add-feature.task.md'), taskText);
    const home = join(temp(), 'home');
    mkdirSync(home);

    const redactor = new Redactor();
    const events = new EventLog({ directory: await ensureAtoDirectory(repo), maxFileBytes: 1e7, maxFiles: 2, redactor });
    const index = new QueueIndex({ planningRoot: join(repo, 'planning'), parse: parseTaskFile, workspaceRoot: repo });
    await index.coldIndex();
    const agent = new ClaudeCodeBackend({ executable: claude(), maxTurns: 5, killGraceMs: 1000, env: { ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: 'sk-ant-test-dummy-key-0000000000', HOME: home } });
    const { dispatcher, runs } = createDispatchRuntime({ workspaceRoot: repo, index, agents: [agent], maxConcurrentRuns: 2, defaultTimeoutMs: 90_000, redactor, events, log: createLogger({ write: () => undefined }, redactor) });

    const outcome = await dispatcher.dispatch('add-feature');
    if (outcome.status !== 'started') assert.fail(`not started: ${JSON.stringify(outcome)}`);
    const record = await dispatcher.whenDone(outcome.runId);
    await dispatcher.dispose();
    index.dispose();
    await events.flush();

    assert.equal(record?.state, 'succeeded', JSON.stringify(record));
    // The figures the CLI printed in its result line (it computes the cost from the fake's token counts).
    const log = readFileSync(runs.logFile(outcome.runId), 'utf8');
    const resultLine = log.split('\n').filter(line => line.startsWith('[stdout] ')).map(line => JSON.parse(line.slice(9)) as Record<string, unknown>).find(line => line['type'] === 'result');
    assert.ok(resultLine, 'the run log holds the CLI\'s result line');
    // The log's header (how the CLI was started) and footer (how the run ended, what it cost).
    assert.match(log, /^agent: {5}claude-code\ncommand: {3}\S*claude\S* .*--output-format stream-json/m);
    assert.match(log, /^branch: {4}ato\/add-feature$/m);
    assert.match(log, new RegExp(`ended: succeeded\\nexit code: 0\\nduration: {2}\\d+ s\\ncost: {6}\\$${(record.usage.costUsd ?? 0).toFixed(4).replace('.', '\\.')}\\n`));
    assert.equal(record.usage.turns, resultLine['num_turns']);
    assert.equal(record.usage.turns, 2);
    assert.equal(record.usage.costUsd, resultLine['total_cost_usd']);
    assert.ok((record.usage.costUsd ?? 0) > 0);
    assert.equal(record.usage.sessionId, resultLine['session_id']);
    assert.equal(record.summary, 'Done: wrote src/feature.txt');
    assert.deepEqual(record.filesChanged, ['src/feature.txt']);
    assert.equal(record.branch, 'ato/add-feature');

    // The edit is committed on the task's branch, not on main; the worktree is gone.
    assert.equal(git(repo, 'show', 'ato/add-feature:src/feature.txt'), 'feature done');
    assert.ok(!existsSync(join(repo, 'src', 'feature.txt')), 'the user\'s working tree is untouched');
    assert.equal(git(repo, 'worktree', 'list').split('\n').length, 1);

    // The task file is in complete/ with its result; the run record on disk says the same.
    assert.ok(!existsSync(join(repo, 'planning', 'issue_queue', 'pending', 'add-feature.task.md')));
    const completed = readFileSync(join(repo, 'planning', 'issue_queue', 'complete', 'add-feature.task.md'), 'utf8');
    assert.match(completed, /<!-- ato:result run=/);
    assert.match(completed, /ato\/add-feature/);
    assert.match(completed, /Done: wrote src\/feature\.txt/);
    const stored = await runs.read(outcome.runId);
    assert.ok(stored.ok, JSON.stringify(stored));
    assert.deepEqual(stored.record.usage, record.usage);
    const kinds = (await readEvents(join(repo, '.ato'), 2)).events.map(event => `${event.kind}${typeof event['to'] === 'string' ? `:${event['to']}` : ''}`);
    for (const expected of ['run.transition:preparing', 'queue.moved:processed', 'run.transition:running', 'queue.moved:complete', 'run.transition:succeeded']) assert.ok(kinds.includes(expected), `${expected} in ${kinds.join(', ')}`);
    assert.ok(!JSON.stringify(await readEvents(join(repo, '.ato'), 2)).includes('sk-ant-test-dummy-key'), 'the key is in no event');
  });
});
