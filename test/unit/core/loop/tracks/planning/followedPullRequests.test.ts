import assert from 'node:assert/strict';
import { ciState } from '../../../../../../src/core/loop/policy/ciState';
import { followedPullRequests } from '../../../../../../src/core/loop/tracks/planning/followedPullRequests';
import { loopCounts } from '../../../../../../src/core/loop/engine/loopCounts';
import { defaultMergePolicy } from '../../../../../../src/core/loop/engine/loopModel';
import { mergeVerdict } from '../../../../../../src/core/loop/policy/mergePolicy';
import { linkObservation, pullRequestCheck } from '../../../../../../src/core/loop/tracks/planning/stageClassifier';
import { aCheckRun, aMergedPullRequest, anIssue, aPullRequest, aQueueEntry, aSnapshot, aTaskEntry, aTrust, someChecks } from '../../../../../support/githubBuilders';
import { capabilityIssue, gapIssue, taskIssue } from '../../../../../support/planningIssues';

const now = new Date('2026-11-21T12:00:00Z');
const red = someChecks([aCheckRun('test', { conclusion: 'FAILURE', url: 'https://ci.example/test/1' }), aCheckRun('lint')]);
const pending = someChecks([aCheckRun('ci/build', { status: 'IN_PROGRESS', conclusion: null })]);

describe('followedPullRequests', () => {
  const gapPr = aPullRequest({ number: 2, closingIssues: [1], checks: pending, title: '[WIP] Gap analysis' });
  const taskPr = aPullRequest({ number: 7, closingIssues: [5] });
  const capabilityPr = aPullRequest({ number: 41, closingIssues: [40], checks: red });
  const branchPr = aPullRequest({ number: 8, headRefName: 'ato/b', checks: someChecks([]) });
  const stranger = aPullRequest({ number: 9, title: 'Bump a dependency', checks: red });
  const earlierRun = aPullRequest({ number: 3, closingIssues: [5], createdAt: '2026-11-20T00:00:00Z' });
  const merged = aMergedPullRequest({ number: 12, closingIssues: [30] });
  const snapshot = aSnapshot({
    issues: [gapIssue(), taskIssue('a', { number: 5, createdAt: '2026-11-21T09:00:00Z' }), taskIssue('b', { number: 6 }), taskIssue('t', { number: 30, state: 'closed', closedAt: '2026-11-21T11:00:00Z' }), capabilityIssue(12, { number: 40 })],
    openPullRequests: [stranger, capabilityPr, taskPr, gapPr, branchPr, earlierRun],
    recentlyClosedPullRequests: [merged],
  });
  const queue = [aTaskEntry('processed', { id: 'a' }), aTaskEntry('processed', { id: 'b' }), aTaskEntry('complete', { id: 't' })];
  const observation = { snapshot, queue, policy: defaultMergePolicy, now, trust: aTrust() };

  it('lists every open PR of the gap analysis, a task or a capability update — not only red ones — by number', () => {
    const followed = followedPullRequests(linkObservation(observation), pullRequestCheck(observation));
    assert.deepEqual(followed.map(pr => [pr.number, pr.work, pr.ci]), [
      [2, { kind: 'gapAnalysis', issueNumber: 1 }, 'pending'],
      [7, { kind: 'task', taskId: 'a', issueNumber: 5 }, 'green'],
      [8, { kind: 'task', taskId: 'b', issueNumber: 6 }, 'noCi'],
      [41, { kind: 'capabilityUpdate', sourcePullRequest: 12, issueNumber: 40 }, 'red'],
    ]);
    assert.deepEqual(followed.map(pr => pr.verdict.ready), followed.map(pr => pr.verdict.rules.every(rule => rule.ok)));
    assert.ok(followed.some(pr => pr.verdict.ready) && followed.some(pr => !pr.verdict.ready), 'green and red alike');
  });

  it('leaves out PRs of no ATO work, closed or merged PRs, and a PR older than its work\'s issue (an earlier run)', () => {
    const numbers = followedPullRequests(linkObservation(observation), pullRequestCheck(observation)).map(pr => pr.number);
    for (const left of [stranger.number, earlierRun.number, merged.number]) assert.ok(!numbers.includes(left), String(left));
  });

  it('carries the CI state with failing and pending checks, and the merge verdict with every rule and its reason', () => {
    const followed = followedPullRequests(linkObservation(observation), pullRequestCheck(observation));
    const capability = followed.find(pr => pr.number === 41);
    assert.ok(capability);
    assert.deepEqual(capability.failingChecks, [{ name: 'test', url: 'https://ci.example/test/1' }]);
    assert.deepEqual(followed.find(pr => pr.number === 2)?.pendingChecks, ['ci/build']);
    // Whatever rules the policy has: the verdict is mergeVerdict's, rule by rule.
    assert.deepEqual(capability.verdict, mergeVerdict(capabilityPr, defaultMergePolicy, ciState(capabilityPr.checks)));
    assert.ok(capability.verdict.rules.length >= 7);
    assert.deepEqual([capability.author, capability.headSha, capability.url], [capabilityPr.author.login, capabilityPr.headSha, capabilityPr.url]);
  });
});

describe('loopCounts', () => {
  it('counts the planning branch\'s queue and GitHub: pending, processed, complete, invalid, unpromoted, open ATO issues and PRs, followed, drafts', () => {
    const queue = [
      aTaskEntry('pending', { id: 'new' }),
      aTaskEntry('pending', { id: 'cut-short' }),
      aQueueEntry('pending', '---\nid: [\n---\n', 'broken.task.md'),
      aTaskEntry('processed', { id: 'a' }),
      aTaskEntry('complete', { id: 't' }),
    ];
    const snapshot = aSnapshot({
      issues: [taskIssue('cut-short', { number: 4 }), taskIssue('a', { number: 5 }), taskIssue('t', { number: 30, state: 'closed' })],
      openPullRequests: [aPullRequest({ number: 7, closingIssues: [5] }), aPullRequest({ number: 9 }), aPullRequest({ number: 10 })],
    });
    const links = linkObservation({ snapshot, queue, policy: defaultMergePolicy, now, trust: aTrust() });
    assert.deepEqual(loopCounts({ snapshot, queue, links, followedPullRequests: 1, localDrafts: 2 }), {
      // Valid tasks per folder; the broken file is counted apart (issue 14: one count everywhere).
      pending: 2, processed: 1, complete: 1, invalid: 1,
      // "new" only: "cut-short" already has an open issue, and the broken file is no task.
      unpromoted: 1,
      openAtoIssues: 2, openPullRequests: 3, followedPullRequests: 1, localDrafts: 2,
    });
    assert.equal(loopCounts({ snapshot: aSnapshot({ issues: [anIssue({ state: 'closed' })] }), queue: [], links, followedPullRequests: 0, localDrafts: 0 }).openAtoIssues, 0);
  });
});
