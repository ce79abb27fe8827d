import assert from 'node:assert/strict';
import { describeAction } from '../../../../../../src/core/loop/engine/describeAction';
import { defaultMergePolicy, type QueueReviewTaskAction } from '../../../../../../src/core/loop/engine/loopModel';
import { taskResultText } from '../../../../../../src/core/loop/github/taskResultText';
import { dueReviewTask, hasReviewTask, latestReviewRange, mergedTaskPullRequests } from '../../../../../../src/core/loop/tracks/planning/reviewTasks';
import { classifyPlanning } from '../../../../../../src/core/loop/tracks/planning/stageClassifier';
import { parseTaskFile } from '../../../../../../src/core/tasks/parseTaskFile';
import type { QueueEntry } from '../../../../../../src/core/queue/queueEntry';
import { aQueueEntry, aSnapshot, aTaskEntry, aTrust, taskText } from '../../../../../support/githubBuilders';
import { gapIssue } from '../../../../../support/planningIssues';

/** A task in complete/ whose result section records PR `pr` merged at minute `minute` (as completeTask writes it). */
function merged(n: number, options: { readonly type?: string; readonly title?: string } = {}): QueueEntry {
  const id = `task-${String(n)}`;
  const result = taskResultText({ taskId: id, pullRequest: { number: 100 + n, title: options.title ?? `Add feature ${String(n)}`, url: `https://github.com/o/r/pull/${String(100 + n)}` }, issueNumber: 10 + n, agentId: 'copilot', completedAt: `2026-11-21T10:${String(n).padStart(2, '0')}:00Z` });
  return aQueueEntry('complete', `${taskText({ id, type: options.type ?? 'feature' })}\n${result}`, `${id}.task.md`);
}

const mergesUpTo = (count: number): QueueEntry[] => Array.from({ length: count }, (_, index) => merged(index + 1));

/** The review task as the loop committed it, read back into a queue folder. */
function queued(action: QueueReviewTaskAction, folder: 'pending' | 'processed' | 'complete' = 'pending'): QueueEntry {
  return aQueueEntry(folder, action.text, `${action.taskId}.task.md`);
}

describe('review tasks every N merges', () => {
  it('range arithmetic, N=3: merges 1–3 → 1–3; 4–5 → still 1–3; 6 → 4–6; off when N is 0', () => {
    assert.equal(latestReviewRange(2, 3), undefined);
    assert.deepEqual(latestReviewRange(3, 3), { first: 1, last: 3 });
    assert.deepEqual(latestReviewRange(4, 3), { first: 1, last: 3 });
    assert.deepEqual(latestReviewRange(5, 3), { first: 1, last: 3 });
    assert.deepEqual(latestReviewRange(6, 3), { first: 4, last: 6 });
    assert.deepEqual(latestReviewRange(7, 1), { first: 7, last: 7 });
    assert.equal(latestReviewRange(9, 0), undefined);
  });

  it('N=3: one review after the third merge, none for the 4th and 5th, the second after the 6th; idempotent', () => {
    assert.equal(dueReviewTask(mergesUpTo(2), 3), undefined);
    const first = dueReviewTask(mergesUpTo(3), 3);
    assert.ok(first);
    assert.deepEqual(first.range, { first: 1, last: 3 });
    assert.equal(first.path, '/work/repo/planning/issue_queue/pending/review-merges-1-3.task.md');
    // Once it is queued (or promoted, or done), the same range is never due again.
    for (const folder of ['pending', 'processed', 'complete'] as const) assert.equal(dueReviewTask([...mergesUpTo(3), queued(first, folder)], 3), undefined, folder);
    assert.equal(dueReviewTask([...mergesUpTo(4), queued(first)], 3), undefined);
    assert.equal(dueReviewTask([...mergesUpTo(5), queued(first)], 3), undefined);
    const second = dueReviewTask([...mergesUpTo(6), queued(first)], 3);
    assert.deepEqual(second?.range, { first: 4, last: 6 });
    assert.equal(second.taskId, 'review-merges-4-6');
    assert.equal(dueReviewTask([...mergesUpTo(6), queued(first), queued(second)], 3), undefined);
  });

  it('a review found by its marker alone (a renamed file) counts as queued', () => {
    const first = dueReviewTask(mergesUpTo(3), 3);
    assert.ok(first);
    assert.equal(hasReviewTask([aQueueEntry('processed', first.text, 'renamed.task.md')], 1, 3), true);
    assert.equal(hasReviewTask([aQueueEntry('processed', first.text, 'renamed.task.md')], 4, 6), false);
  });

  it('turned on late: only the latest full range is due, not one per range missed', () => {
    assert.deepEqual(dueReviewTask(mergesUpTo(11), 3)?.range, { first: 7, last: 9 });
  });

  it('counts only complete/ tasks that record a merged PR, review tasks excepted, in completion order', () => {
    const queue = [merged(3), merged(1), aTaskEntry('complete', { id: 'by-hand' }), aTaskEntry('pending', { id: 'later' }), merged(2, { type: 'review' })];
    assert.deepEqual(mergedTaskPullRequests(queue).map(merge => merge.pullNumber), [101, 103]);
    assert.equal(dueReviewTask(queue, 3), undefined);
  });

  it('the task file: a valid review task (medium), the range marker, the merged PRs, the report under planning/reviews/', () => {
    const action = dueReviewTask([...mergesUpTo(2), merged(3, { title: 'Sneaky <!-- ato:review-range=9-9 --> title' })], 3);
    assert.ok(action);
    const task = parseTaskFile(action.text, `${action.taskId}.task.md`).task;
    assert.ok(task, 'the review task parses');
    assert.equal(task.type, 'review');
    assert.equal(task.priority, 'medium');
    assert.equal(task.id, 'review-merges-1-3');
    assert.ok(action.text.includes('<!-- ato:review-range=1-3 -->'));
    for (const pr of [101, 102, 103]) assert.ok(action.text.includes(`[PR #${String(pr)}](https://github.com/o/r/pull/${String(pr)})`), `lists PR #${String(pr)}`);
    assert.ok(action.text.includes('/work/repo/planning/reviews/review-merges-1-3.md'));
    // A PR title cannot plant a second range marker.
    assert.equal([...action.text.matchAll(/<!-- ato:review-range=/g)].length, 1);
    assert.equal(describeAction(action), 'Queue review task review-merges-1-3 (merges 1–3) in pending/');
  });

  it('the planning track proposes it as side work while the main tracks wait, only with reviewEvery set', () => {
    // The gap analysis is under way (Copilot works on it): the loop waits, side work goes meanwhile.
    const observation = { snapshot: aSnapshot({ issues: [gapIssue()] }), queue: mergesUpTo(2), policy: defaultMergePolicy, now: new Date('2026-11-21T12:00:00Z'), trust: aTrust() };
    assert.notEqual(classifyPlanning({ ...observation }).action?.kind, 'queueReviewTask');
    assert.notEqual(classifyPlanning({ ...observation, reviewEvery: 0 }).action?.kind, 'queueReviewTask');
    const decision = classifyPlanning({ ...observation, reviewEvery: 2 });
    assert.equal(decision.action?.kind, 'queueReviewTask', decision.reason);
    assert.match(decision.reason, /Meanwhile: Queue review task review-merges-1-2: .*review merges 1–2 \(#101, #102\)/);
    // Nothing waiting and no gap issue: opening the gap analysis goes first, the review the tick after.
    assert.equal(classifyPlanning({ ...observation, snapshot: aSnapshot(), reviewEvery: 2 }).action?.kind, 'ensureGapIssue');
  });
});
