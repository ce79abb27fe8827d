import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { ClaudeCodeBackend } from '../../../src/core/agents/claudeCode/claudeCodeBackend';
import { createDispatchRuntime } from '../../../src/core/dispatch/dispatchRuntime';
import { ensureAtoDirectory } from '../../../src/core/events/atoDirectory';
import { EventLog, readEvents } from '../../../src/core/events/eventLog';
import { createLogger } from '../../../src/core/logging/logger';
import { Redactor } from '../../../src/core/logging/redactor';
import { QueueIndex } from '../../../src/core/queue/queueIndex';
import { parseTaskFile } from '../../../src/core/tasks/parseTaskFile';
import { needsYouCount } from '../../../src/core/views/statusBarModel';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/fakeAnthropicServer';
import { captureOutput } from '../../support/captureOutput';
import { initRepo } from '../../support/gitRepo';
import { anAtoState } from '../../support/stateBuilders';
import { useTempDir } from '../../support/tempDir';
import { useClaudeCli } from '../agents/claudeCli';

const versionGlobal = globalThis as { ATO_VERSION?: string };

describe('budget_usd reached: needs-you, then raise the budget and resume (real Claude Code CLI, fake Messages API)', function () {
  this.timeout(120_000);
  const temp = useTempDir('ato-budget-');
  const claude = useClaudeCli();
  let fake: FakeAnthropic | undefined;

  before(function () {
    versionGlobal.ATO_VERSION ??= '0.0.0-test';
  });

  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('a run past its budget_usd stops as budget and waits for you; ato resume <id> --budget writes the new cap and the task runs to the end', async () => {
    // Turns of about $0.4 each at the model's price: past a $0.01 budget after the first.
    fake = await startFakeAnthropic({ scenario: { kind: 'editFile', path: 'src/feature.txt', content: 'feature done\n', finalText: 'Done' }, usage: { inputTokens: 20_000, outputTokens: 1000 } });
    const repo = join(temp(), 'repo');
    mkdirSync(repo);
    initRepo(repo, { 'README.md': '# r\n', 'src/.gitkeep': '', 'planning/issue_queue/pending/.gitkeep': '', 'planning/issue_queue/processed/.gitkeep': '', 'planning/issue_queue/complete/.gitkeep': '' });
    const taskFile = join(repo, 'planning', 'issue_queue', 'pending', 'pricey.task.md');
    writeFileSync(taskFile, '---\nid: pricey\nagent: claude-code\nbudget_usd: 0.01\n---\n# Pricey\n\nWrite src/feature.txt with "feature done".\n');
    const home = join(temp(), 'home');
    mkdirSync(home);
    const redactor = new Redactor();
    const atoDirectory = await ensureAtoDirectory(repo);
    const events = new EventLog({ directory: atoDirectory, maxFileBytes: 1e7, maxFiles: 2, redactor });
    const index = new QueueIndex({ planningRoot: join(repo, 'planning'), parse: parseTaskFile, workspaceRoot: repo });
    await index.coldIndex();
    const agent = new ClaudeCodeBackend({ executable: claude(), maxTurns: 5, killGraceMs: 1000, env: { ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: 'sk-ant-test-dummy-key-0000000000', HOME: home } });
    const runtime = createDispatchRuntime({ workspaceRoot: repo, index, agents: [agent], maxConcurrentRuns: 2, defaultTimeoutMs: 90_000, redactor, events, log: createLogger({ write: () => undefined }, redactor) });
    const outcome = await runtime.dispatcher.dispatch('pricey');
    if (outcome.status !== 'started') assert.fail(JSON.stringify(outcome));
    const stopped = await runtime.dispatcher.whenDone(outcome.runId);
    await runtime.dispatcher.dispose();
    index.dispose();
    await events.flush();
    assert.equal(stopped?.state, 'failed', JSON.stringify(stopped));
    assert.equal(stopped.failure?.class, 'budget');
    assert.deepEqual(stopped.followUp, { kind: 'needsYou', reason: 'budget reached: raise the budget and resume (ato resume <id> --budget <usd>)' });
    assert.equal(needsYouCount(anAtoState({ runs: [stopped] })), 1, 'it needs you');
    const log = readFileSync(runtime.runs.logFile(outcome.runId), 'utf8');
    assert.ok(log.includes('error_max_budget_usd'), 'the CLI stopped at --max-budget-usd 0.01');
    assert.ok((await readEvents(atoDirectory, 2)).events.some(event => event.kind === 'run.needsYou' && event['taskId'] === 'pricey'));

    const env = {
      ATO_AGENTS_CLAUDE_CODE_EXECUTABLE: claude(), ATO_ANTHROPIC_API_URL: fake.url, ATO_ANTHROPIC_API_KEY: 'sk-ant-test-dummy-key-0000000000', HOME: home, PATH: process.env['PATH'] ?? '',
    };
    const refused = await captureOutput(() => main(['resume', 'pricey', '--budget', 'lots', '--workspace', repo], env));
    assert.equal(refused.result, 2, 'a budget that is not a number is a usage error');
    const resumed = await captureOutput(() => main(['resume', 'pricey', '--budget', '5', '--workspace', repo], env));
    assert.equal(resumed.result, 0, resumed.stderr + resumed.stdout);
    const done = join(repo, 'planning', 'issue_queue', 'complete', 'pricey.task.md');
    const text = readFileSync(done, 'utf8');
    assert.match(text, /^---\nid: pricey\nagent: claude-code\nbudget_usd: 5\n---\n# Pricey\n/, 'the new budget replaced the old one in place');
    assert.match(text, /## Result/);
  });
});
