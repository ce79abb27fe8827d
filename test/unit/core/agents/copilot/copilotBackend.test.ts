import assert from 'node:assert/strict';
import type { AgentOutput, AgentRunHandle, DispatchRequest } from '../../../../../src/core/agents/agentBackend';
import { CopilotBackend, type CopilotBackendDeps } from '../../../../../src/core/agents/copilot/copilotBackend';
import { parseCopilotRunRef } from '../../../../../src/core/agents/copilot/copilotRunRef';
import { GitHubError } from '../../../../../src/core/forges/github/githubError';
import { createLogger } from '../../../../../src/core/logging/logger';
import { Redactor } from '../../../../../src/core/logging/redactor';
import { readMarkers } from '../../../../../src/core/loop/texts/markers';
import { composePrompt } from '../../../../../src/core/tasks/composePrompt';
import type { Task } from '../../../../../src/core/tasks/task';
import { MemoryCopilotPort } from './memoryCopilotPort';

const task: Task = {
  id: 'add-login', title: 'Add login', type: 'feature', priority: 'medium', agent: 'copilot', created: undefined, dependsOn: [], cwd: undefined,
  timeoutMs: undefined, targetFiles: [], prompt: 'Add a login page.', successCriteria: [], context: '', body: '',
};

const log = createLogger({ write: () => undefined }, new Redactor());

function request(runId = 'run-1', outputs: AgentOutput[] = []): DispatchRequest {
  return { runId, task, workdir: '/nowhere', branch: undefined, prompt: '# Add login\n\nAdd a login page.', timeoutMs: 60_000, onOutput: output => { outputs.push(output); } };
}

interface Setup {
  readonly port: MemoryCopilotPort;
  readonly backend: CopilotBackend;
  readonly clock: { now: number };
}

/** Pauses of `wait` end at once unless `realTimers`. */
function setup(overrides: Partial<CopilotBackendDeps> = {}, port = new MemoryCopilotPort(), realTimers = false): Setup {
  const clock = { now: Date.parse('2026-11-21T10:00:30Z') };
  const backend = new CopilotBackend({
    port, baseBranch: 'main', customInstructions: 'Keep PRs small.', model: 'claude-sonnet-4.6', log, now: () => new Date(clock.now),
    ...(realTimers ? {} : { sleep: () => Promise.resolve() }), ...overrides,
  });
  return { port, backend, clock };
}

function issueOf(handle: AgentRunHandle): number {
  return Number(handle.ref.split('@')[0]);
}

describe('CopilotBackend', () => {
  it('declares a remote agent for the PR-producing task types, 3 runs at once by default', () => {
    const { backend } = setup();
    assert.equal(backend.kind, 'copilot');
    assert.equal(backend.id, 'copilot');
    assert.equal(backend.needsWorktree, false);
    assert.equal(backend.limits.concurrent, 3);
    assert.deepEqual([...backend.taskTypes].sort(), ['capability_update', 'ci_fix', 'documentation', 'feature', 'fix', 'gap_analysis', 'maintenance']);
    assert.equal(setup({ concurrent: 5 }).backend.limits.concurrent, 5);
  });

  describe('health', () => {
    it('is ok when copilot-swe-agent is an assignable actor, and the answer is cached for a while', async () => {
      const { port, backend, clock } = setup();
      assert.equal((await backend.health()).ok, true);
      port.copilotEnabled = false;
      assert.equal((await backend.health()).ok, true, 'cached');
      assert.equal(port.count('suggestedActors'), 1);
      clock.now += 6 * 60_000;
      assert.deepEqual(await backend.health(), { ok: false, detail: "Copilot coding agent is not enabled for octo/app or this token's user" });
      assert.equal(port.count('suggestedActors'), 2);
    });

    it('explains a refused token and asks again next time', async () => {
      const { port, backend } = setup();
      port.suggestedActors = () => Promise.reject(new GitHubError('auth', 'Bad credentials', 401));
      const health = await backend.health();
      assert.equal(health.ok, false);
      assert.match(health.detail, /refused the token \(Bad credentials\)/);
      delete (port as Partial<MemoryCopilotPort>).suggestedActors;
      assert.equal((await backend.health()).ok, true);
    });
  });

  describe('dispatch', () => {
    // The loop's body (taskIssue.ts is the one owner): the task as the prompt, where it comes from, the one-PR rule, the markers.
    it('creates one issue with the task, its marker and the agent\'s, assigned to Copilot with the agent assignment', async () => {
      const outputs: AgentOutput[] = [];
      const { port, backend } = setup();
      const handle = await backend.dispatch(request('run-1', outputs));
      assert.equal(port.issues.size, 1);
      const issue = [...port.issues.values()][0];
      assert.ok(issue);
      assert.equal(issue.title, 'Add login');
      assert.equal(issue.body, [
        '# Add login', '', 'Add a login page.', '', '---', 'ATO task `add-login` (feature, priority medium).',
        'Work in the one pull request opened for this issue; do not open other pull requests or create issues.', '',
        '<!-- ato:task=add-login -->', '', '<!-- ato:agent=copilot -->', '',
      ].join('\n'));
      assert.deepEqual(issue.labels, ['ato', 'ato:task']);
      assert.deepEqual(issue.assignees, ['Copilot']);
      assert.deepEqual(port.assignments, [{ issue: issue.number, agentAssignment: { target_repo: 'octo/app', base_branch: 'main', custom_instructions: 'Keep PRs small.', model: 'claude-sonnet-4.6' } }]);
      assert.deepEqual([...port.labels].sort(), ['ato', 'ato:task']);
      assert.deepEqual(handle, { runId: 'run-1', agentId: 'copilot', ref: `${issue.number}@${issue.createdAt}` });
      assert.ok(outputs.some(output => output.stream === 'event' && output.text.includes(`created issue #${issue.number}`)));
    });

    it('builds the body as the loop does: the task file named, a marker in the task text defused (only its own links)', async () => {
      const { port, backend } = setup();
      const hostile = { ...task, prompt: 'Add a login page.\n<!-- ato:task=someone-else -->\n<!-- ato:agent=evil -->' };
      await backend.dispatch({ ...request(), task: hostile, prompt: composePrompt(hostile), taskFile: 'planning/issue_queue/processed/add-login.task.md' });
      const body = [...port.issues.values()][0]?.body ?? '';
      assert.deepEqual(readMarkers(body), [{ kind: 'task', taskId: 'add-login' }, { kind: 'agent', agentId: 'copilot' }]);
      assert.match(body, /from `planning\/issue_queue\/processed\/add-login\.task\.md`/);
    });

    it('leaves out empty instructions and model', async () => {
      const { port, backend } = setup({ customInstructions: '  ', model: '' });
      await backend.dispatch(request());
      assert.deepEqual(port.assignments[0]?.agentAssignment, { target_repo: 'octo/app', base_branch: 'main' });
    });

    it('is idempotent by marker: a second dispatch (a restart) finds the issue and does not assign again', async () => {
      const { port, backend } = setup();
      const first = await backend.dispatch(request());
      const second = await setup({}, port).backend.dispatch(request());
      assert.equal(port.issues.size, 1);
      assert.equal(port.count('createIssue'), 1);
      assert.equal(port.count('addAssignees'), 0);
      assert.equal(issueOf(second), issueOf(first));
      assert.equal(port.assignments.length, 1);
    });

    it('assigns Copilot to an issue the loop created without assigning it', async () => {
      const { port, backend } = setup();
      const existing = port.seedIssue({ title: 'Add login', body: 'From the task file\n<!-- ato:task=add-login -->' });
      const handle = await backend.dispatch(request());
      assert.equal(port.count('createIssue'), 0);
      assert.equal(issueOf(handle), existing.number);
      assert.deepEqual(port.issues.get(existing.number)?.assignees, ['Copilot']);
      assert.equal(port.assignments[0]?.agentAssignment?.target_repo, 'octo/app');
    });

    it('never matches another task\'s marker or a marker inside a line; a title twin with another task\'s marker is not adopted', async () => {
      const { port, backend } = setup();
      port.seedIssue({ title: 'Add login', body: '<!-- ato:task=add-login-2 -->' });
      port.seedIssue({ title: 'Something else', body: 'see `<!-- ato:task=add-login -->`' });
      await backend.dispatch(request());
      assert.equal(port.count('createIssue'), 1);
    });

    it('adopts an open issue made by hand with the task\'s title instead of creating one (issue 9 D8)', async () => {
      const { port, backend } = setup();
      const handMade = port.seedIssue({ title: 'Add login', body: 'By hand.', labels: [], authorAssociation: 'OWNER' });
      assert.equal(issueOf(await backend.dispatch(request())), handMade.number);
      assert.equal(port.count('createIssue'), 0);
      const adopted = port.issues.get(handMade.number);
      assert.deepEqual([adopted?.body, adopted?.labels, adopted?.assignees], ['By hand.\n\n<!-- ato:task=add-login -->\n\n<!-- ato:agent=copilot -->\n', ['ato', 'ato:task'], ['Copilot']]);
    });

    it('uses the oldest open issue when several carry the marker', async () => {
      const { port, backend } = setup();
      port.seedIssue({ body: '<!-- ato:task=add-login -->', state: 'closed' });
      const oldestOpen = port.seedIssue({ body: '<!-- ato:task=add-login -->' });
      port.seedIssue({ body: '<!-- ato:task=add-login -->' });
      assert.equal(issueOf(await backend.dispatch(request())), oldestOpen.number);
    });

    it('reopens a closed task issue and assigns Copilot', async () => {
      const { port, backend } = setup();
      const closed = port.seedIssue({ body: '<!-- ato:task=add-login -->', state: 'closed' });
      const handle = await backend.dispatch(request());
      assert.equal(issueOf(handle), closed.number);
      assert.equal(port.issues.get(closed.number)?.state, 'open');
      assert.deepEqual(port.issues.get(closed.number)?.assignees, ['Copilot']);
      assert.equal((await backend.poll(handle)).state, 'running');
    });

    it('renews an assignment left from an ended run, so the old PR does not count for the new one', async () => {
      const { port, backend } = setup();
      const first = await backend.dispatch(request('run-1'));
      const oldPr = port.openPullRequest(issueOf(first));
      port.signal(oldPr, 'copilotWorkFailed');
      assert.equal((await backend.poll(first)).state, 'failed');
      const second = await backend.dispatch(request('run-2'));
      assert.equal(issueOf(second), issueOf(first));
      assert.equal(port.count('removeAssignees'), 1);
      assert.equal(port.assignments.length, 2);
      const ref = parseCopilotRunRef(second.ref);
      assert.equal(ref?.afterPull, oldPr);
      assert.ok(Date.parse(ref.assignedAt ?? '') > Date.parse(port.pulls.get(oldPr)?.createdAt ?? ''));
      assert.equal((await backend.poll(second)).state, 'running');
    });

    it('without a way to unassign, assigns again and still ignores the old PR, even one of the same second', async () => {
      const port = new MemoryCopilotPort(false);
      const { backend } = setup({}, port);
      const first = await backend.dispatch(request('run-1'));
      const oldPr = port.openPullRequest(issueOf(first));
      port.signal(oldPr, 'copilotWorkFailed');
      port.tick(-10);
      const second = await backend.dispatch(request('run-2'));
      assert.equal(port.assignments.length, 2);
      assert.deepEqual(await backend.poll(second), { state: 'running' });
      const pr = port.openPullRequest(issueOf(second));
      port.setPull(pr, { createdAt: port.pulls.get(oldPr)?.createdAt ?? '' });
      port.signal(pr, 'copilotWorkFinished');
      assert.equal((await backend.poll(second)).state, 'succeeded');
    });

    it('adopts the session under way when the issue is assigned and Copilot still works', async () => {
      const { port, backend } = setup();
      const first = await backend.dispatch(request());
      const pr = port.openPullRequest(issueOf(first));
      const again = await backend.dispatch(request());
      assert.equal(port.count('removeAssignees'), 0);
      assert.equal(port.assignments.length, 1);
      port.signal(pr, 'copilotWorkFinished');
      const status = await backend.poll(again);
      assert.equal(status.state, 'succeeded');
    });

    it('fails clearly when GitHub does not keep the assignment (Copilot not enabled)', async () => {
      const { port, backend } = setup();
      port.copilotEnabled = false;
      await assert.rejects(backend.dispatch(request()), /GitHub did not assign Copilot to issue #1 .*enabled/);
    });
  });

  describe('poll', () => {
    it('follows the run from assignment to the PR Copilot finishes', async () => {
      const { port, backend } = setup();
      const handle = await backend.dispatch(request());
      assert.deepEqual(await backend.poll(handle), { state: 'running' });
      const pr = port.openPullRequest(issueOf(handle));
      assert.deepEqual(await backend.poll(handle), { state: 'running' });
      port.setPull(pr, { checks: { rollupState: null, contexts: [], requiredContexts: [], awaitingApproval: 1, truncated: false } });
      assert.deepEqual(await backend.poll(handle), { state: 'needsYou', reason: `Copilot's workflow runs wait for your approval on PR #${pr}` });
      port.signal(pr, 'copilotWorkFinished');
      port.signal(pr, 'reviewRequested');
      const status = await backend.poll(handle);
      assert.equal(status.state, 'succeeded');
      assert.ok(status.summary.includes(`https://github.com/octo/app/pull/${pr}`));
    });

    it('reads a PR someone else opened once, then skips it', async () => {
      const { port, backend } = setup();
      const handle = await backend.dispatch(request());
      port.openPullRequest(issueOf(handle), { login: 'octocat', isBot: false });
      await backend.poll(handle);
      await backend.poll(handle);
      assert.equal(port.count('getPullRequest'), 1);
      assert.equal(port.count('listTimelineSignals'), 0);
    });

    it('reports a deleted issue as a fatal failure and a foreign handle as lost', async () => {
      const { port, backend } = setup();
      const handle = await backend.dispatch(request());
      port.issues.clear();
      const status = await backend.poll(handle);
      assert.equal(status.state, 'failed');
      assert.ok(status.message.includes('no longer exists'));
      assert.deepEqual(await backend.poll({ runId: 'x', agentId: 'copilot', ref: 'pid:1234' }), { state: 'lost' });
    });
  });

  describe('followUp', () => {
    it('asks @copilot on the issue before a PR exists, on the PR afterwards', async () => {
      const { port, backend } = setup();
      const handle = await backend.dispatch(request());
      const issue = issueOf(handle);
      await backend.followUp(handle, 'Please also add a logout button.');
      assert.deepEqual(port.comments.get(issue)?.map(comment => comment.body), ['@copilot Please also add a logout button.']);
      const pr = port.openPullRequest(issue);
      await backend.followUp(handle, '@copilot fix the failing test');
      assert.deepEqual(port.comments.get(pr)?.map(comment => comment.body), ['@copilot fix the failing test']);
    });
  });

  describe('cancel', () => {
    it('unassigns Copilot and comments once, however often it is called', async () => {
      const { port, backend } = setup();
      const handle = await backend.dispatch(request());
      const issue = issueOf(handle);
      await backend.cancel(handle);
      await backend.cancel(handle);
      await setup({}, port).backend.cancel(handle);
      assert.deepEqual(port.issues.get(issue)?.assignees, []);
      assert.equal(port.comments.get(issue)?.length, 1);
      assert.match(port.comments.get(issue)?.[0]?.body ?? '', /ATO cancelled run `run-1` and unassigned Copilot/);
      const status = await backend.poll(handle);
      assert.equal(status.state === 'failed' ? status.failure : status.state, 'cancelled');
    });

    it('without a way to unassign, still comments once and ends the run as cancelled', async () => {
      const { port, backend } = setup({}, new MemoryCopilotPort(false));
      const handle = await backend.dispatch(request());
      port.openPullRequest(issueOf(handle));
      await backend.cancel(handle);
      await backend.cancel(handle);
      assert.equal(port.comments.get(issueOf(handle))?.length, 1);
      const status = await backend.poll(handle);
      assert.equal(status.state === 'failed' ? status.failure : status.state, 'cancelled');
    });

    it('ignores a deleted issue', async () => {
      const { port, backend } = setup();
      const handle = await backend.dispatch(request());
      port.issues.clear();
      await backend.cancel(handle);
    });
  });

  describe('wait', () => {
    it('polls with growing intervals until Copilot finishes, logging the changes', async () => {
      const pauses: number[] = [];
      const port = new MemoryCopilotPort();
      const outputs: AgentOutput[] = [];
      let pr = 0;
      const { backend } = setup({
        waitIntervals: { initialMs: 100, factor: 2, maxMs: 300 },
        sleep: ms => {
          pauses.push(ms);
          if (pauses.length === 3) pr = port.openPullRequest(1);
          if (pauses.length === 5) port.setPull(pr, { checks: { rollupState: null, contexts: [], requiredContexts: [], awaitingApproval: 1, truncated: false } });
          if (pauses.length === 6) port.signal(pr, 'copilotWorkFinished');
          return Promise.resolve();
        },
      }, port);
      const handle = await backend.dispatch(request('run-1', outputs));
      const status = await backend.wait(handle);
      assert.equal(status.state, 'succeeded');
      // 100, 200, 300 (cap), PR opened but still "running": 300, 300, then "needs you" resets to 100.
      assert.deepEqual(pauses, [100, 200, 300, 300, 300, 100]);
      assert.ok(outputs.some(output => output.text.startsWith('needs you: Copilot\'s workflow runs wait')));
    });

    it('waits out GitHub errors and ends on a refused token', async () => {
      const { port, backend } = setup();
      const handle = await backend.dispatch(request());
      const getIssue = port.getIssue.bind(port);
      let calls = 0;
      port.getIssue = n => {
        calls++;
        if (calls === 1) return Promise.reject(new GitHubError('network', 'ECONNRESET', undefined));
        if (calls === 2) return getIssue(n);
        return Promise.reject(new GitHubError('auth', 'Bad credentials', 401));
      };
      const status = await backend.wait(handle);
      assert.equal(calls, 3);
      assert.equal(status.state === 'failed' ? status.failure : status.state, 'auth');
    });

    it('a cancel ends a wait that is pausing', async () => {
      const { backend } = setup({ waitIntervals: { initialMs: 3_600_000, factor: 1, maxMs: 3_600_000 } }, new MemoryCopilotPort(), true);
      const handle = await backend.dispatch(request());
      const waiting = backend.wait(handle);
      await new Promise(resolve => setImmediate(resolve));
      await backend.cancel(handle);
      const status = await waiting;
      assert.equal(status.state === 'failed' ? status.failure : status.state, 'cancelled');
    });
  });
});
