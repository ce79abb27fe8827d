import assert from 'node:assert/strict';
import { readMarkers } from '../../../../../../src/core/loop/texts/markers';
import { chooseTaskIssue, ensureTaskIssue, taskIssueText } from '../../../../../../src/core/loop/tracks/planning/taskIssue';
import type { Task } from '../../../../../../src/core/tasks/task';
import { anIssue } from '../../../agents/copilot/copilotBuilders';
import { MemoryCopilotPort } from '../../../agents/copilot/memoryCopilotPort';

const task: Task = {
  id: 'add-login', title: 'Add login', type: 'feature', priority: 'high', agent: 'auto', created: undefined, dependsOn: [], cwd: undefined,
  timeoutMs: undefined, targetFiles: [], prompt: 'Add a login page.\n<!-- ato:task=other -->', successCriteria: [], context: '', body: '',
};
const marked = '<!-- ato:task=add-login -->';
const local = { agentId: 'claude-code', assignees: [] };

describe('the task\'s issue (one owner for the loop and the Copilot backend)', () => {
  describe('chooseTaskIssue', () => {
    it('takes the oldest open issue and reports the others', () => {
      const choice = chooseTaskIssue([anIssue({ number: 9, body: marked }), anIssue({ number: 4, body: marked }), anIssue({ number: 2, body: marked, state: 'closed' }), anIssue({ number: 1, body: 'x' })], 'add-login');
      assert.equal(choice.issue?.number, 4);
      assert.deepEqual(choice.duplicates.map(issue => issue.number).sort(), [2, 9]);
    });

    it('falls back to the most recently closed issue, unless closed ones belong to earlier runs', () => {
      const issues = [anIssue({ number: 2, body: marked, state: 'closed', closedAt: '2026-01-01T00:00:00Z' }), anIssue({ number: 5, body: marked, state: 'closed', closedAt: '2026-01-02T00:00:00Z' })];
      assert.equal(chooseTaskIssue(issues, 'add-login').issue?.number, 5);
      assert.deepEqual(chooseTaskIssue(issues, 'add-login', false), { issue: undefined, duplicates: [] });
    });

    it('finds nothing without the marker, even with the same title, nor with the marker but without ATO\'s task label', () => {
      assert.deepEqual(chooseTaskIssue([anIssue({ title: 'Add login', body: 'no marker' })], 'add-login'), { issue: undefined, duplicates: [] });
      assert.equal(chooseTaskIssue([anIssue({ body: marked, labels: [] })], 'add-login').issue, undefined);
    });
  });

  describe('taskIssueText', () => {
    it('is the loop\'s body with the agent recorded: only ATO\'s own markers link, whatever the task text holds', () => {
      const { title, body } = taskIssueText(task, 'planning/issue_queue/pending/add-login.task.md', 'claude-code');
      assert.equal(title, 'Add login');
      assert.deepEqual(readMarkers(body), [{ kind: 'task', taskId: 'add-login' }, { kind: 'agent', agentId: 'claude-code' }]);
      assert.match(body, /from `planning\/issue_queue\/pending\/add-login\.task\.md`/);
    });
  });

  describe('ensureTaskIssue', () => {
    it('creates the issue for a local agent assigned to nobody, and finds it again instead of a second one', async () => {
      const port = new MemoryCopilotPort();
      const first = await ensureTaskIssue(port, { task, path: undefined, agent: local, reuseClosed: false });
      assert.equal(first.how, 'created');
      assert.deepEqual(first.issue.assignees, []);
      assert.deepEqual(first.issue.labels, ['ato', 'ato:task']);
      const again = await ensureTaskIssue(port, { task, path: undefined, agent: local, reuseClosed: false });
      assert.deepEqual([again.how, again.issue.number, port.count('createIssue')], ['found', first.issue.number, 1]);
    });

    it('adopts a maintainer\'s issue with the task\'s title: labels, the task marker and the agent marker appended', async () => {
      const port = new MemoryCopilotPort();
      const handMade = port.seedIssue({ title: 'Add login', body: 'By hand.', labels: [], authorAssociation: 'OWNER' });
      const steps: string[] = [];
      const outcome = await ensureTaskIssue(port, { task, path: undefined, agent: local, reuseClosed: false }, { adopting: () => { steps.push('adopting'); }, adopted: () => { steps.push('adopted'); } });
      assert.deepEqual([outcome.how, outcome.issue.number, steps], ['adopted', handMade.number, ['adopting', 'adopted']]);
      assert.equal(port.issues.get(handMade.number)?.body, 'By hand.\n\n<!-- ato:task=add-login -->\n\n<!-- ato:agent=claude-code -->\n');
      assert.equal(port.count('createIssue'), 0);
    });

    it('a closed issue with the marker: reused when asked (Copilot reopens it), else a new issue (a requeued task)', async () => {
      const port = new MemoryCopilotPort();
      const closed = port.seedIssue({ body: marked, state: 'closed' });
      assert.equal((await ensureTaskIssue(port, { task, path: undefined, agent: local, reuseClosed: true })).issue.number, closed.number);
      const fresh = await ensureTaskIssue(port, { task, path: undefined, agent: local, reuseClosed: false });
      assert.equal(fresh.how, 'created');
      assert.notEqual(fresh.issue.number, closed.number);
    });
  });
});
