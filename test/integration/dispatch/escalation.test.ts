import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CustomCliBackend } from '../../../src/core/agents/custom/customCliBackend';
import { customAgentSettingsSchema } from '../../../src/core/agents/custom/customAgentSettings';
import { createDispatchRuntime } from '../../../src/core/dispatch/dispatchRuntime';
import { escalateRun, escalationLabel } from '../../../src/core/dispatch/escalation';
import { recoverRuns } from '../../../src/core/dispatch/runRecovery';
import type { EventInput } from '../../../src/core/events/eventLog';
import { createLogger } from '../../../src/core/logging/logger';
import { Redactor } from '../../../src/core/logging/redactor';
import { readMarkers } from '../../../src/core/loop/texts/markers';
import { PlanningWriter } from '../../../src/core/planning/planningWriter';
import { QueueIndex } from '../../../src/core/queue/queueIndex';
import { parseTaskFile } from '../../../src/core/tasks/parseTaskFile';
import { startAdapterOnFake, type AdapterOnFake } from '../githubAdapter/fakeGitHubPort';
import { initRepo } from '../../support/gitRepo';
import { useTempDir } from '../../support/tempDir';

describe('escalation after the retries run out: priority up, needs you, one GitHub issue (the fake GitHub)', function () {
  this.timeout(60_000);
  const temp = useTempDir('ato-escalation-');
  let github: AdapterOnFake;

  beforeEach(async () => {
    github = await startAdapterOnFake();
  });
  afterEach(async () => {
    await github.stop();
  });

  it('raises the priority one step, opens one issue with the error context, and a second escalation of the run creates nothing', async () => {
    const repo = join(temp(), 'repo');
    mkdirSync(repo);
    const task = '---\nid: broken\npriority: low\nagent: failing\n---\n# Broken build\n\nFix the build.\n';
    initRepo(repo, { 'README.md': '# r\n', 'planning/issue_queue/pending/broken.task.md': task, 'planning/issue_queue/processed/.gitkeep': '', 'planning/issue_queue/complete/.gitkeep': '' });
    const index = new QueueIndex({ planningRoot: join(repo, 'planning'), parse: parseTaskFile, workspaceRoot: repo });
    await index.coldIndex();
    // A real process that fails the way no retry can help: the error names a token, which must not reach GitHub.
    const secret = 'ghp_escalationSecret0123456789abcdefABCD';
    const agent = new CustomCliBackend(customAgentSettingsSchema.parse({ id: 'failing', command: process.execPath, args: ['-e', `console.log('compiling…'); console.error('Error: build failed: missing module ./config (token ${secret})'); process.exit(1)`] }));
    const redactor = new Redactor();
    redactor.addSecret(secret);
    const events: EventInput[] = [];
    let portsAsked = 0;
    const { dispatcher, runs } = createDispatchRuntime({
      workspaceRoot: repo, index, agents: [agent], maxConcurrentRuns: 1, defaultTimeoutMs: 30_000, redactor,
      events: { append: event => { events.push(event); return Promise.resolve(); } }, log: createLogger({ write: () => undefined }, redactor),
      escalationIssues: () => { portsAsked++; return Promise.resolve(github.port); },
    });
    try {
      const outcome = await dispatcher.dispatch('broken');
      if (outcome.status !== 'started') assert.fail(JSON.stringify(outcome));
      const failed = await dispatcher.whenDone(outcome.runId);
      assert.equal(failed?.state, 'failed');
      assert.equal(failed.followUp?.kind, 'needsYou');
      assert.match(failed.followUp.reason, /no other agent can take the task; priority raised from low to medium$/);
      assert.equal(failed.escalation?.priorityFrom, 'low');
      assert.equal(failed.escalation.priorityTo, 'medium');
      const issueNumber = failed.escalation.issue?.number;
      assert.ok(issueNumber !== undefined, 'the record names the issue');
      const stored = await runs.read(outcome.runId);
      assert.deepEqual(stored.ok ? stored.record.escalation : undefined, failed.escalation, 'and so does the stored record');
      assert.ok(events.some(event => event.kind === 'run.escalated' && event['priorityTo'] === 'medium'));
      assert.ok(events.some(event => event.kind === 'escalation.issueOpened' && event['issue'] === issueNumber));

      const taskFile = join(repo, 'planning', 'issue_queue', 'processed', 'broken.task.md');
      assert.equal(readFileSync(taskFile, 'utf8'), task.replace('priority: low', 'priority: medium'), 'only the priority changed');

      const issues = github.fake.state.repo().issues.filter(issue => issue.labels.includes(escalationLabel.name));
      assert.equal(issues.length, 1);
      const [issue] = issues;
      if (issue === undefined) assert.fail('one issue');
      assert.equal(issue.number, issueNumber);
      const body = issue.body ?? '';
      assert.deepEqual(readMarkers(body), [{ kind: 'escalation', taskId: 'broken', runId: outcome.runId }]);
      assert.match(body, /Error:\n\n```text\ncompiling… \| Error: build failed: missing module \.\/config/);
      assert.match(body, /The end of the run.s log[^\n]*\n\n```text\n\[stdout\] compiling…\n\[stderr\] Error: build failed/);
      assert.match(body, /Priority: low → medium/);
      assert.ok(!body.includes(secret), 'the agent\'s error is redacted before it goes to GitHub');
      assert.deepEqual([...issue.labels].sort(), ['ato', 'ato:escalation']);

      // The same run escalated again (a second window, a retried step): nothing new anywhere.
      const options = { workspaceRoot: repo, runs, planningWriter: new PlanningWriter(redactor), events: { append: () => Promise.resolve() }, log: createLogger({ write: () => undefined }, redactor), issues: () => Promise.resolve(github.port) };
      const again = await escalateRun(failed, options);
      assert.deepEqual(again.escalation, failed.escalation);
      // Even when the record lost the issue (a crash between creating it and recording it): found by its marker.
      const withoutIssue = { priorityFrom: failed.escalation.priorityFrom, priorityTo: failed.escalation.priorityTo };
      await runs.write({ ...failed, escalation: withoutIssue });
      const recovered = await escalateRun({ ...failed, escalation: withoutIssue }, options);
      assert.equal(recovered.escalation?.issue?.number, issueNumber);
      assert.equal(github.fake.state.repo().issues.filter(i => i.labels.includes(escalationLabel.name)).length, 1, 'still one issue');
      assert.equal(readFileSync(taskFile, 'utf8'), task.replace('priority: low', 'priority: medium'), 'the priority was set again, not raised again');
      assert.equal(portsAsked, 1);
    } finally {
      await dispatcher.dispose();
      index.dispose();
    }
  });

  it('ATO stops between the failure and the escalation: the next start escalates the run, and a third start opens no second issue', async () => {
    const repo = join(temp(), 'repo');
    mkdirSync(repo);
    const task = '---\nid: broken\npriority: low\nagent: failing\n---\n# Broken build\n\nFix the build.\n';
    initRepo(repo, { 'README.md': '# r\n', 'planning/issue_queue/pending/broken.task.md': task, 'planning/issue_queue/processed/.gitkeep': '', 'planning/issue_queue/complete/.gitkeep': '' });
    const redactor = new Redactor();
    const log = createLogger({ write: () => undefined }, redactor);
    const agent = new CustomCliBackend(customAgentSettingsSchema.parse({ id: 'failing', command: process.execPath, args: ['-e', 'console.error("Error: build failed"); process.exit(1)'] }));
    const open = async (checkpoint?: (step: string) => Promise<void>): Promise<{ runtime: ReturnType<typeof createDispatchRuntime>; index: QueueIndex }> => {
      const index = new QueueIndex({ planningRoot: join(repo, 'planning'), parse: parseTaskFile, workspaceRoot: repo });
      await index.coldIndex();
      const runtime = createDispatchRuntime({
        workspaceRoot: repo, index, agents: [agent], maxConcurrentRuns: 1, defaultTimeoutMs: 30_000, redactor, events: { append: () => Promise.resolve() }, log,
        escalationIssues: () => Promise.resolve(github.port), ...(checkpoint === undefined ? {} : { checkpoint }),
      });
      return { runtime, index };
    };
    // The first ATO stops for good right after it recorded the failure: nothing after that step runs.
    let stopped: (runId: string) => void = () => undefined;
    const stoppedAt = new Promise<string>(resolve => { stopped = resolve; });
    const first = await open(async step => { if (step === 'failureRecorded') { stopped('failureRecorded'); await new Promise(() => undefined); } });
    const outcome = await first.runtime.dispatcher.dispatch('broken');
    if (outcome.status !== 'started') assert.fail(JSON.stringify(outcome));
    assert.equal(await stoppedAt, 'failureRecorded');
    first.index.dispose();
    const taskFile = join(repo, 'planning', 'issue_queue', 'processed', 'broken.task.md');
    assert.equal(readFileSync(taskFile, 'utf8'), task, 'not escalated yet');
    const escalationIssues = (): number => github.fake.state.repo().issues.filter(issue => issue.labels.includes(escalationLabel.name)).length;
    assert.equal(escalationIssues(), 0);

    for (const start of [1, 2]) {
      const next = await open();
      try {
        const report = await recoverRuns({ agent: agentId => next.runtime.registry.get(agentId), workspaceRoot: repo, planningRoot: next.index.planningRoot, runs: next.runtime.runs, events: { append: () => Promise.resolve() }, log, planningWriter: next.runtime.planningWriter, escalationIssues: () => Promise.resolve(github.port) });
        assert.deepEqual(report.escalated, start === 1 ? [outcome.runId] : [], `start ${String(start)}`);
        const stored = await next.runtime.runs.read(outcome.runId);
        assert.ok(stored.ok);
        assert.equal(stored.record.escalation?.priorityTo, 'medium');
        assert.ok(stored.record.escalation.issue !== undefined, 'the record names the issue');
        assert.equal(stored.record.escalationDue, undefined, 'escalation is done');
        assert.equal(readFileSync(taskFile, 'utf8'), task.replace('priority: low', 'priority: medium'));
        assert.equal(escalationIssues(), 1, 'one issue');
      } finally {
        await next.runtime.dispatcher.dispose();
        next.index.dispose();
      }
    }
  });

  it('without the GitHub port (ato.runs.escalationIssue off): priority up and needs you, no issue', async () => {
    const repo = join(temp(), 'repo');
    mkdirSync(repo);
    initRepo(repo, { 'README.md': '# r\n', 'planning/issue_queue/pending/plain.md': '# Plain task\n\nDo it.\n', 'planning/issue_queue/processed/.gitkeep': '', 'planning/issue_queue/complete/.gitkeep': '' });
    const index = new QueueIndex({ planningRoot: join(repo, 'planning'), parse: parseTaskFile, workspaceRoot: repo });
    await index.coldIndex();
    const agent = new CustomCliBackend(customAgentSettingsSchema.parse({ id: 'failing', command: process.execPath, args: ['-e', 'process.exit(3)'] }));
    const redactor = new Redactor();
    const { dispatcher } = createDispatchRuntime({ workspaceRoot: repo, index, agents: [agent], maxConcurrentRuns: 1, defaultTimeoutMs: 30_000, redactor, events: { append: () => Promise.resolve() }, log: createLogger({ write: () => undefined }, redactor) });
    try {
      const outcome = await dispatcher.dispatch('plain');
      if (outcome.status !== 'started') assert.fail(JSON.stringify(outcome));
      const failed = await dispatcher.whenDone(outcome.runId);
      assert.deepEqual(failed?.escalation, { priorityFrom: 'medium', priorityTo: 'high' });
      const text = readFileSync(join(repo, 'planning', 'issue_queue', 'processed', 'plain.md'), 'utf8');
      assert.equal(parseTaskFile(text, 'plain.md').task?.priority, 'high');
      assert.equal(github.fake.state.repo().issues.filter(issue => issue.labels.includes(escalationLabel.name)).length, 0);
    } finally {
      await dispatcher.dispose();
      index.dispose();
    }
  });
});
