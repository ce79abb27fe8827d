import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { configuredAgents } from '../../../src/core/agents/fleet/configuredAgents';
import { createDispatchRuntime, type DispatchRuntime } from '../../../src/core/dispatch/dispatchRuntime';
import type { DispatchStep, FailureStep } from '../../../src/core/dispatch/dispatchSteps';
import { recoverRuns } from '../../../src/core/dispatch/runRecovery';
import { ensureAtoDirectory } from '../../../src/core/events/atoDirectory';
import { EventLog, readEvents } from '../../../src/core/events/eventLog';
import { createLogger } from '../../../src/core/logging/logger';
import { Redactor } from '../../../src/core/logging/redactor';
import { QueueIndex } from '../../../src/core/queue/queueIndex';
import { readSettings, type SettingKey } from '../../../src/core/settings/settings';
import { parseTaskFile } from '../../../src/core/tasks/parseTaskFile';
import { startFakeAnthropic, type FakeAnthropic, type FakeAnthropicScenario } from '../../fakes/fakeAnthropicServer';
import { captureOutput } from '../../support/captureOutput';
import { initRepo } from '../../support/gitRepo';
import { useTempDir } from '../../support/tempDir';
import { until } from '../agents/agentTestKit';

const key = 'sk-ant-api03-dispatch-canary-0123456789abcdef';

function taskText(type: string, id = 'review-app'): string {
  return `---
id: ${id}
type: ${type}
agent: claude
---
# Review the app's error handling

**Target Files:**
- src/app.ts

**Prompt:**
Review src/app.ts: which errors are swallowed?
`;
}

const answer = '# Error handling\n\nTwo awaits in `main` have no catch, so a failed fetch ends the process.\n\n## Details\n\n1. Line 2: `await go()`.\n';

describe('a read-only task run by the claude agent (the real SDK against the fake Messages API) through the real dispatcher', function () {
  this.timeout(60_000);
  const temp = useTempDir('ato-claude-api-dispatch-');
  let fake: FakeAnthropic | undefined;
  let runtime: DispatchRuntime | undefined;
  let index: QueueIndex | undefined;
  let events: EventLog | undefined;
  let repos = 0;

  before(() => { (globalThis as { ATO_VERSION?: string }).ATO_VERSION ??= '0.0.0-test'; });

  afterEach(async () => {
    await runtime?.dispatcher.dispose();
    index?.dispose();
    await events?.flush();
    await fake?.close();
    fake = undefined;
    runtime = undefined;
    index = undefined;
  });

  /** A workspace with one pending task, and the dispatcher wired as the extension and the CLI wire it. */
  async function setUp(scenario: FakeAnthropicScenario, type = 'review', settingsOverrides: Partial<Record<SettingKey, unknown>> = {}, checkpoint?: (step: DispatchStep | FailureStep) => Promise<void> | undefined): Promise<{ repo: string; runtime: DispatchRuntime; fake: FakeAnthropic; redactor: Redactor }> {
    fake = await startFakeAnthropic({ scenario, apiKey: key, usage: { inputTokens: 1200, outputTokens: 300 } });
    const repo = join(temp(), `repo-${String(++repos)}`);
    mkdirSync(repo);
    initRepo(repo, { 'src/app.ts': 'export async function main() {\n  await go();\n}\n', 'planning/issue_queue/pending/.gitkeep': '', 'planning/issue_queue/processed/.gitkeep': '', 'planning/issue_queue/complete/.gitkeep': '' });
    writeFileSync(join(repo, 'planning', 'issue_queue', 'pending', 'review-app.task.md'), taskText(type));
    const redactor = new Redactor();
    redactor.addSecret(key);
    events = new EventLog({ directory: await ensureAtoDirectory(repo), maxFileBytes: 1e7, maxFiles: 2, redactor });
    index = new QueueIndex({ planningRoot: join(repo, 'planning'), parse: parseTaskFile, workspaceRoot: repo });
    await index.coldIndex();
    const raw: Partial<Record<SettingKey, unknown>> = { 'anthropic.apiUrl': fake.url, 'agents.claudeCode.executable': join(repo, 'no-such-claude'), ...settingsOverrides };
    const { settings, problems } = readSettings(setting => raw[setting]);
    assert.deepEqual(problems, []);
    const agents = configuredAgents(settings, key, { projectMcpServers: false }).agents;
    runtime = createDispatchRuntime({ workspaceRoot: repo, index, agents, maxConcurrentRuns: 4, defaultTimeoutMs: 30_000, redactor, events, log: createLogger({ write: () => undefined }, redactor), random: () => 0.5, ...(checkpoint === undefined ? {} : { checkpoint }) });
    return { repo, runtime, fake, redactor };
  }

  it('writes the report beside the task in complete/, summarises it in ## Result with a link, and records tokens and cost', async () => {
    const { repo, runtime } = await setUp({ kind: 'text', text: answer });
    const outcome = await runtime.dispatcher.dispatch('review-app');
    if (outcome.status !== 'started') assert.fail(`not started: ${JSON.stringify(outcome)}`);
    assert.equal(outcome.agentId, 'claude');
    const record = await runtime.dispatcher.whenDone(outcome.runId);
    assert.equal(record?.state, 'succeeded', JSON.stringify(record));

    const complete = join(repo, 'planning', 'issue_queue', 'complete');
    assert.deepEqual(readdirSync(complete).sort(), ['.gitkeep', 'review-app.report.md', 'review-app.task.md']);
    const report = readFileSync(join(complete, 'review-app.report.md'), 'utf8');
    assert.match(report, /^# Report: Review the app's error handling\n/);
    assert.match(report, /- \*\*Model:\*\* claude-sonnet-5-5\n- \*\*Tokens:\*\* 1200 in, 300 out\n- \*\*Cost:\*\* \$0\.0054 \(list price of claude-sonnet-5-5 as of 2026-12-07\)/);
    assert.ok(report.endsWith(`${answer.trim()}\n`), 'the answer as the model wrote it');

    const task = readFileSync(join(complete, 'review-app.task.md'), 'utf8');
    const result = task.slice(task.indexOf('## Result'));
    assert.match(result, /^## Result\n\nError handling: Two awaits in `main` have no catch, so a failed fetch ends the process\.\n\n- \*\*Outcome:\*\* succeeded\n- \*\*Report:\*\* \[review-app\.report\.md\]\(review-app\.report\.md\)\n- \*\*Agent:\*\* claude\n- \*\*Cost:\*\* \$0\.0054\n- \*\*Turns:\*\* 1\n/);

    // No worktree, no branch: the agent never touched the repository.
    assert.equal(record.branch, undefined);
    assert.deepEqual(record.filesChanged, []);
    assert.equal(record.report, 'planning/issue_queue/complete/review-app.report.md');
    assert.deepEqual(record.usage, { model: 'claude-sonnet-5-5', turns: 1, inputTokens: 1200, outputTokens: 300, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: (1200 * 2 + 300 * 10) / 1e6, costNote: 'list price of claude-sonnet-5-5 as of 2026-12-07' });
    const stored = await runtime.runs.read(outcome.runId);
    assert.ok(stored.ok);
    assert.deepEqual(stored.record, record);
    // The index sees one task, not the report.
    assert.deepEqual(index?.byId('review-app').map(entry => entry.relativePath), ['issue_queue/complete/review-app.task.md']);

    // The model got the target file; the key went only to the fake, and is nowhere ATO wrote.
    const sent = JSON.stringify(fake?.messageRequests()[0]?.body);
    assert.match(sent, /await go\(\);/);
    const log = readFileSync(runtime.runs.logFile(outcome.runId), 'utf8');
    assert.match(log, /\[event\] the model started answering/);
    assert.match(log, /\[stdout\] Two awaits in `main` have no catch/);
    await events?.flush();
    const written = [report, task, log, JSON.stringify(stored.record), JSON.stringify(await readEvents(join(repo, '.ato'), 2))].join('\n');
    assert.ok(!written.includes(key));
  });

  it('stopped right after the report and the summary were recorded: a restart finishes the task with its ## Result linking the report', async () => {
    let stopped = false;
    // The dispatcher stops there for good, as if ATO were killed: nothing after this step runs.
    const { repo, runtime: first, redactor } = await setUp({ kind: 'text', text: answer }, 'review', {}, step => (step === 'changesCommitted' ? new Promise<void>(() => { stopped = true; }) : undefined));
    const outcome = await first.dispatcher.dispatch('review-app');
    if (outcome.status !== 'started') assert.fail(JSON.stringify(outcome));
    await until(() => stopped, 20_000, 'the dispatch to reach changesCommitted');
    const processed = join(repo, 'planning', 'issue_queue', 'processed', 'review-app.task.md');
    assert.ok(existsSync(processed), 'the task is still in processed/');
    assert.ok(existsSync(join(repo, 'planning', 'issue_queue', 'complete', 'review-app.report.md')), 'the report is already where the task will be');

    const recovery = await recoverRuns({ workspaceRoot: repo, planningRoot: join(repo, 'planning'), runs: first.runs, events: { append: () => Promise.resolve() }, log: createLogger({ write: () => undefined }, redactor), planningWriter: first.planningWriter });
    assert.deepEqual(recovery.completed, [outcome.runId]);
    assert.deepEqual(recovery.redispatch, []);
    const task = readFileSync(join(repo, 'planning', 'issue_queue', 'complete', 'review-app.task.md'), 'utf8');
    assert.match(task, /## Result\n\nError handling: Two awaits in `main` have no catch, so a failed fetch ends the process\.\n\n- \*\*Outcome:\*\* succeeded\n- \*\*Report:\*\* \[review-app\.report\.md\]\(review-app\.report\.md\)\n/);
    assert.ok(!existsSync(processed));
    assert.equal(fake?.messageRequests().length, 1, 'the model was asked once');
  });

  it('a code-changing task type naming claude is refused by selection, and stays in pending/', async () => {
    const { repo, runtime, fake: server } = await setUp({ kind: 'text', text: answer }, 'feature');
    const outcome = await runtime.dispatcher.dispatch('review-app');
    assert.deepEqual(outcome, { status: 'noAgent', reason: 'claude does not take feature tasks' });
    assert.ok(existsSync(join(repo, 'planning', 'issue_queue', 'pending', 'review-app.task.md')));
    assert.equal(server.requests.length, 0);
  });

  it('with ato.agents.claude.enabled off there is no claude agent', async () => {
    const { runtime } = await setUp({ kind: 'text', text: answer }, 'review', { 'agents.claude.enabled': false });
    const outcome = await runtime.dispatcher.dispatch('review-app');
    if (outcome.status !== 'noAgent') assert.fail(JSON.stringify(outcome));
    assert.match(outcome.reason, /names agent "claude", which is not configured/);
  });

  it('429 with retry-after: a rate-limit failure whose retry is scheduled no sooner than the API asked', async () => {
    const { repo, runtime, fake: server } = await setUp({ kind: 'status', status: 429, errorType: 'rate_limit_error', retryAfterSeconds: 90 });
    const outcome = await runtime.dispatcher.dispatch('review-app');
    if (outcome.status !== 'started') assert.fail(JSON.stringify(outcome));
    const record = await runtime.dispatcher.whenDone(outcome.runId);
    assert.equal(record?.state, 'failed');
    assert.equal(record.failure?.class, 'rateLimit');
    assert.equal(record.followUp?.kind, 'retry');
    // The jitter alone (random 0.5 × 10 s) would retry in 5 s; the API said 90.
    assert.equal(Date.parse(record.followUp.at ?? '') - Date.parse(record.endedAt ?? ''), 90_000);
    assert.equal(server.messageRequests().length, 1);
    await events?.flush();
    const failed = (await readEvents(join(repo, '.ato'), 2)).events.find(event => event.kind === 'run.failed');
    assert.equal(failed?.['retryAfterMs'], 90_000);
  });

  it('500 and a malformed answer: failed with the reason, and nothing written beside the task', async () => {
    for (const scenario of [{ kind: 'status', status: 500, errorType: 'api_error' }, { kind: 'malformed' }] as const) {
      const { repo, runtime } = await setUp(scenario);
      const outcome = await runtime.dispatcher.dispatch('review-app');
      if (outcome.status !== 'started') assert.fail(JSON.stringify(outcome));
      const record = await runtime.dispatcher.whenDone(outcome.runId);
      assert.equal(record?.state, 'failed');
      assert.equal(record.failure?.class, scenario.kind === 'status' ? 'network' : 'fatal');
      assert.match(record.failure.message, scenario.kind === 'status' ? /HTTP 500 api_error/ : /could not be read/);
      assert.equal(record.report, undefined);
      assert.deepEqual(readdirSync(join(repo, 'planning', 'issue_queue', 'complete')), ['.gitkeep']);
      await runtime.dispatcher.dispose();
      await fake?.close();
      fake = undefined;
    }
  });

  it('Cancel mid-request ends the run as cancelled, with no retry', async () => {
    const { runtime, fake: server } = await setUp({ kind: 'text', text: answer, hangAfterStart: true });
    const outcome = await runtime.dispatcher.dispatch('review-app');
    if (outcome.status !== 'started') assert.fail(JSON.stringify(outcome));
    const logFile = runtime.runs.logFile(outcome.runId);
    await until(() => existsSync(logFile) && readFileSync(logFile, 'utf8').includes('the model started answering'), 10_000, 'the answer to start');
    assert.equal(await runtime.dispatcher.cancel(outcome.runId), true);
    const record = await runtime.dispatcher.whenDone(outcome.runId);
    assert.equal(record?.state, 'cancelled');
    assert.equal(record.followUp?.kind, 'none');
    assert.match(readFileSync(logFile, 'utf8'), new RegExp(`ATO run ${outcome.runId} ended: cancelled by user\\nexit code: \\(none\\)\\nduration: `), 'the log ends saying the user cancelled it');
    assert.equal(server.messageRequests().length, 1);
  });

  it('budget_usd reached while the answer streams: stopped as budget, needs you; ato resume --budget raises it and the task runs to its report', async () => {
    // 1,200 input tokens at the model's price are past a $0.001 cap as soon as message_start reports them.
    const { repo, runtime, fake: server } = await setUp({ kind: 'text', text: answer, hangAfterStart: true });
    const taskFile = join(repo, 'planning', 'issue_queue', 'pending', 'review-app.task.md');
    writeFileSync(taskFile, taskText('review').replace('agent: claude\n', 'agent: claude\nbudget_usd: 0.001\n'));
    await index?.applyChange({ kind: 'add', file: taskFile });
    const outcome = await runtime.dispatcher.dispatch('review-app');
    if (outcome.status !== 'started') assert.fail(JSON.stringify(outcome));
    const stopped = await runtime.dispatcher.whenDone(outcome.runId);
    assert.equal(stopped?.state, 'failed', JSON.stringify(stopped));
    assert.equal(stopped.failure?.class, 'budget');
    assert.match(stopped.failure.message, /^budget reached: \$0\.\d{4} spent of the task's \$0\.001 budget \(budget_usd\), so ATO stopped claude$/);
    assert.deepEqual(stopped.followUp, { kind: 'needsYou', reason: 'budget reached: raise the budget and resume (ato resume <id> --budget <usd>)' });
    assert.equal(stopped.usage.inputTokens, 1200, 'what it had spent is recorded');
    assert.ok((stopped.usage.costUsd ?? 0) > 0.001);
    assert.equal(server.messageRequests().length, 1);
    await runtime.dispatcher.dispose();

    server.scenario = { kind: 'text', text: answer };
    const env = { ATO_ANTHROPIC_API_URL: server.url, ATO_ANTHROPIC_API_KEY: key, ATO_AGENTS_CLAUDE_CODE_EXECUTABLE: join(repo, 'no-such-claude'), PATH: process.env['PATH'] ?? '' };
    const resumed = await captureOutput(() => main(['resume', 'review-app', '--budget', '5', '--workspace', repo], env));
    assert.equal(resumed.result, 0, resumed.stderr + resumed.stdout);
    const done = readFileSync(join(repo, 'planning', 'issue_queue', 'complete', 'review-app.task.md'), 'utf8');
    assert.match(done, /budget_usd: 5\n/);
    assert.match(done, /## Result/);
    assert.equal(server.messageRequests().length, 2);
  });
});
