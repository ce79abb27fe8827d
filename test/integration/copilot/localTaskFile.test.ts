import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { workspaceCopilotBackend } from '../../../src/core/agents/copilot/workspaceCopilot';
import { createDispatchRuntime } from '../../../src/core/dispatch/dispatchRuntime';
import { headlessTokenLookup } from '../../../src/core/forges/github/githubToken';
import { createLogger } from '../../../src/core/logging/logger';
import { Redactor } from '../../../src/core/logging/redactor';
import { readMarkers } from '../../../src/core/loop/texts/markers';
import { QueueIndex } from '../../../src/core/queue/queueIndex';
import { readSettings } from '../../../src/core/settings/settings';
import { parseTaskFile } from '../../../src/core/tasks/parseTaskFile';
import type { FakeGitHub } from '../../fakes/github/fakeGitHub';
import { useTempDir } from '../../support/tempDir';
import { cloneApp, scenarioFile, startFakeGitHub } from '../loop/loopHarness';
import { fastRetry } from '../loop/loopKit';

/**
 * Local mode, a task file with `agent: copilot` (issue 10): the dispatcher hands it to the Copilot coding
 * agent on the workspace's GitHub origin. The issue is the loop's (one owner: taskIssue.ts) assigned to
 * Copilot; the run follows it to Copilot's PR and ends when Copilot finishes; the task reaches complete/.
 */
describe('copilot serves a local task file (the fake GitHub)', function () {
  this.timeout(120_000);
  const tempDir = useTempDir('ato-copilot-local-');
  let fake: FakeGitHub;

  beforeEach(async () => { fake = await startFakeGitHub({ scenario: scenarioFile }); });
  afterEach(async () => { await fake.stop(); });

  async function runtimeFor(root: string, token: string | undefined) {
    const { settings } = readSettings(key => (key === 'github.apiUrl' ? fake.apiUrl : undefined));
    const redactor = new Redactor();
    const log = createLogger({ write: () => undefined }, redactor);
    const copilot = workspaceCopilotBackend({
      workspaceRoot: root, settings, token: headlessTokenLookup({ apiUrl: fake.apiUrl }, () => Promise.resolve(token)), log, redactor, userAgent: 'ato-test',
      retry: fastRetry, waitIntervals: { initialMs: 50, factor: 1, maxMs: 50 },
    });
    const index = new QueueIndex({ planningRoot: join(root, 'planning'), parse: parseTaskFile, workspaceRoot: root });
    await writeFile(join(root, 'planning/issue_queue/pending/add-login.task.md'), '---\nid: add-login\ntype: feature\nagent: copilot\n---\n# Add login\n\n**Prompt:**\nAdd a login form.\n');
    await index.coldIndex();
    const runtime = createDispatchRuntime({ workspaceRoot: root, index, agents: [copilot], maxConcurrentRuns: 1, defaultTimeoutMs: 60_000, redactor, events: { append: () => Promise.resolve() }, log });
    return { runtime, index };
  }

  it('opens the issue assigned to Copilot, follows its PR, and completes the task when Copilot finishes', async () => {
    const root = await cloneApp(fake, tempDir());
    const { runtime, index } = await runtimeFor(root, fake.token);
    try {
      const outcome = await runtime.dispatcher.dispatch('add-login');
      if (outcome.status !== 'started') assert.fail(JSON.stringify(outcome));
      assert.equal(outcome.agentId, 'copilot');
      const issues = fake.state.repo('octo', 'app').issues;
      assert.equal(issues.length, 1);
      const [issue] = issues;
      assert.ok(issue);
      assert.deepEqual(issue.assignees, ['Copilot']);
      assert.deepEqual(readMarkers(issue.body ?? ''), [{ kind: 'task', taskId: 'add-login' }, { kind: 'agent', agentId: 'copilot' }]);
      assert.match(issue.body ?? '', /from `planning\/issue_queue\/processed\/add-login\.task\.md`/);

      const pr = await fake.simulate.copilotOpensPullRequest(issue.number, { files: { 'src/login.ts': 'export const login = true;\n' } });
      await fake.simulate.copilotFinishes(pr);
      const record = await runtime.dispatcher.whenDone(outcome.runId);
      assert.equal(record?.state, 'succeeded', JSON.stringify(record));
      assert.deepEqual(index.byId('add-login').map(entry => entry.folder), ['complete']);
    } finally {
      await runtime.dispatcher.dispose();
      index.dispose();
    }
  });

  it('without a GitHub token, copilot is not healthy and the task stays in pending/ with the reason', async () => {
    const root = await cloneApp(fake, tempDir());
    const { runtime, index } = await runtimeFor(root, undefined);
    try {
      const outcome = await runtime.dispatcher.dispatch('add-login');
      assert.notEqual(outcome.status, 'started');
      assert.match('reason' in outcome ? outcome.reason : '', /no GitHub token/);
      assert.deepEqual(index.byId('add-login').map(entry => entry.folder), ['pending']);
      assert.equal(fake.state.repo('octo', 'app').issues.length, 0);
    } finally {
      await runtime.dispatcher.dispose();
      index.dispose();
    }
  });
});
