import assert from 'node:assert/strict';
import { issueWorkBranch, issueWorkItem, issueWorkKey, issueWorkOf, issueWorkOfBranch, issueWorkTask, isAtoWorkPullRequest, taskWorkItem } from '../../../../../../src/core/loop/tracks/planning/loopWorkItem';
import { formatMarker, readMarkers } from '../../../../../../src/core/loop/texts/markers';
import { bodyWithLoopLinks } from '../../../../../../src/core/loop/tracks/planning/reportedPullRequest';

describe('the loop\'s work items (tasks, the gap analysis, capability updates)', () => {
  const gap = issueWorkItem({ work: { kind: 'gapAnalysis', issueNumber: 5 }, issueTitle: 'ATO gap analysis', template: '## Gap analysis\n\nRead the goal.\n', planningPath: 'planning' });
  const capability = issueWorkItem({ work: { kind: 'capabilityUpdate', issueNumber: 9, sourcePr: 4 }, issueTitle: 'Update the capabilities after PR #4', template: '## Update\n', planningPath: 'plans' });

  it('names the run and the branch by kind and issue, and reads them back only in ATO\'s exact shape', () => {
    assert.equal(issueWorkKey({ kind: 'gapAnalysis', issueNumber: 5 }), 'gap-5');
    assert.equal(issueWorkBranch({ kind: 'capabilityUpdate', issueNumber: 9 }), 'ato-work/capability-9');
    assert.deepEqual(issueWorkOfBranch('ato-work/gap-5'), { kind: 'gapAnalysis', issueNumber: 5 });
    for (const other of ['ato/gap-5', 'ato-work/gap-05', 'ato-work/gap-5/x', 'ato-work/review-5', 'x/ato-work/gap-5']) assert.equal(issueWorkOfBranch(other), undefined, other);
    assert.deepEqual(issueWorkOf({ number: 9, body: `x\n\n${formatMarker({ kind: 'capabilityUpdate', sourcePr: 4 })}\n` }), { kind: 'capabilityUpdate', issueNumber: 9, sourcePr: 4 });
    assert.equal(issueWorkOf({ number: 3, body: `${formatMarker({ kind: 'task', taskId: 't' })}\n` }), undefined);
    assert.equal(issueWorkTask({ kind: 'gapAnalysis', issueNumber: 5 }, 'Gap').type, 'gap_analysis');
    assert.equal(issueWorkTask({ kind: 'capabilityUpdate', issueNumber: 9, sourcePr: 4 }, 'Cap').type, 'capability_update');
  });

  it('the PR: Closes #<issue>, the agent\'s words fenced, the work\'s marker last; the prompt frames ATO\'s own text', () => {
    const text = gap.pullRequestText('my-cli', 'Done.\n<!-- ato:kind=gap-analysis -->\nCloses #1');
    assert.equal(text.title, 'ATO gap analysis');
    assert.match(text.body, /^Closes #5\n/);
    assert.deepEqual(readMarkers(text.body), [{ kind: 'gapAnalysis' }], 'the agent\'s text carries no marker');
    assert.ok(isAtoWorkPullRequest({ headRefName: 'ato-work/gap-5', body: text.body }));
    assert.ok(!isAtoWorkPullRequest({ headRefName: 'ato-work/capability-5', body: text.body }));
    assert.deepEqual(readMarkers(capability.pullRequestText('my-cli', '').body), [{ kind: 'capabilityUpdate', sourcePr: 4 }]);
    assert.match(gap.prompt ?? '', /^You work in a fresh git worktree[^\n]*Change only new task files in planning\/issue_queue\/pending\/[^\n]*\n\n## Gap analysis\n\nRead the goal\.\n$/);
    assert.equal(taskWorkItem({ id: 't', title: 'T' }, 3, 'planning').prompt, undefined, 'a task keeps its composed prompt');
  });

  it('what the agent may change: the gap analysis only new task files in pending/, a capability update only the capabilities document', () => {
    const allowsGap = gap.allows ?? (() => true);
    assert.ok(allowsGap('planning/issue_queue/pending/add-search.task.md', 'A'));
    assert.ok(!allowsGap('planning/issue_queue/pending/queued.task.md', 'M'), 'a queued task is never edited');
    assert.ok(!allowsGap('planning/issue_queue/pending/queued.task.md', 'D'), 'nor removed');
    for (const path of ['planning/issue_queue/pending/sub/x.task.md', 'planning/issue_queue/processed/x.task.md', 'planning/issue_queue/pending/notes.md', 'src/x.ts', 'planning/state/system_capabilities.md']) assert.ok(!allowsGap(path, 'A'), path);
    const allowsCapability = capability.allows ?? (() => true);
    assert.ok(allowsCapability('plans/state/system_capabilities.md', 'M'));
    assert.ok(allowsCapability('plans/state/system_capabilities.md', 'A'));
    assert.ok(!allowsCapability('plans/state/system_capabilities.md', 'D'));
    assert.ok(!allowsCapability('planning/state/system_capabilities.md', 'M'));
    assert.equal(taskWorkItem({ id: 't', title: 'T' }, 3, 'planning').allows, undefined, 'a task may change any path');
  });

  it('a remote agent\'s PR for the issue work gets Closes and the work\'s marker appended once', () => {
    const marker = { kind: 'capabilityUpdate', sourcePr: 4 } as const;
    const body = bodyWithLoopLinks('Made by Jules.', 9, 'capability-9', marker);
    assert.ok(body !== undefined);
    assert.match(body, /^Made by Jules\.\n\nCloses #9\n\n<!-- ato:kind=capability-update source-pr=4 -->\n$/);
    assert.equal(bodyWithLoopLinks(body, 9, 'capability-9', marker), undefined);
    assert.deepEqual(readMarkers(bodyWithLoopLinks('x', 7, 'add-login') ?? ''), [{ kind: 'task', taskId: 'add-login' }], 'a task\'s as before');
  });
});
