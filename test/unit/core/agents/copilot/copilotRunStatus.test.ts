import assert from 'node:assert/strict';
import type { IssueSummary, PullRequestSummary, TimelineSignal } from '../../../../../src/core/forges/github/githubModel';
import { deriveCopilotRunStatus, pickCopilotPullRequest, type CopilotObservation } from '../../../../../src/core/agents/copilot/copilotRunStatus';
import type { AgentRunStatus } from '../../../../../src/core/agents/agentBackend';
import { aPullRequest, aSignal, anIssue, assignedAt, at } from './copilotBuilders';

interface Row {
  readonly name: string;
  readonly issue?: Partial<IssueSummary>;
  readonly pulls?: readonly PullRequestSummary[];
  /** REST timeline signals of PR #8. */
  readonly signals?: readonly TimelineSignal[];
  readonly minutesLater?: number;
  readonly cancelled?: boolean;
  readonly afterPull?: number;
  readonly expect: AgentRunStatus['state'];
  /** Failure class, for failed rows. */
  readonly failure?: string;
  /** Words the reason, summary or message must contain. */
  readonly says?: string;
  /** The PR the run is tracked on. */
  readonly pr?: number;
}

const linked = { linkedPullRequests: [8] };
const copilotPr = aPullRequest();
const running = [copilotPr];

const table: readonly Row[] = [
  // No PR yet
  { name: 'just assigned, no PR', expect: 'running' },
  { name: 'no PR at exactly the start timeout', minutesLater: 15, expect: 'running' },
  { name: 'no PR after the start timeout', minutesLater: 16, expect: 'needsYou', says: 'Copilot did not start' },
  { name: 'issue closed without a PR', issue: { state: 'closed', stateReason: 'completed' }, expect: 'failed', failure: 'fatal', says: 'issue closed outside the loop' },
  { name: 'issue closed without a PR, after the start timeout', issue: { state: 'closed' }, minutesLater: 60, expect: 'failed', failure: 'fatal', says: 'closed outside the loop' },
  { name: 'Copilot unassigned before it opened a PR', issue: { assignees: ['octocat'] }, expect: 'failed', failure: 'cancelled', says: 'no longer assigned' },
  { name: 'assignee spelled copilot-swe-agent[bot]', issue: { assignees: ['copilot-swe-agent[bot]'] }, expect: 'running' },
  { name: 'assignee spelled copilot-swe-agent', issue: { assignees: ['octocat', 'copilot-swe-agent'] }, expect: 'running' },
  { name: 'cancelled by ATO before a PR', cancelled: true, expect: 'failed', failure: 'cancelled', says: 'cancelled' },
  // PRs that are not this run's
  { name: 'a PR by a human mentioning the issue is ignored', issue: linked, pulls: [aPullRequest({ author: { login: 'octocat', isBot: false } })], signals: [aSignal('copilotWorkFinished', 2)], expect: 'running' },
  { name: 'a user named Copilot is not the bot', issue: linked, pulls: [aPullRequest({ author: { login: 'Copilot', isBot: false } })], signals: [aSignal('copilotWorkFinished', 2)], expect: 'running' },
  { name: 'another bot is not Copilot', issue: linked, pulls: [aPullRequest({ author: { login: 'dependabot[bot]', isBot: true } })], signals: [aSignal('copilotWorkFinished', 2)], expect: 'running' },
  { name: 'an old Copilot PR from before the assignment is ignored', issue: linked, pulls: [aPullRequest({ createdAt: at(-30), state: 'closed' })], signals: [aSignal('copilotWorkFailed', -20)], expect: 'running' },
  { name: 'an old Copilot PR is ignored also after the start timeout', issue: linked, pulls: [aPullRequest({ createdAt: at(-30) })], minutesLater: 20, expect: 'needsYou', says: 'did not start' },
  { name: 'a Copilot PR neither cross-referenced nor closing the issue is ignored', pulls: [aPullRequest({ closingIssues: [99] })], signals: [aSignal('copilotWorkFinished', 2)], expect: 'running' },
  { name: 'a Copilot PR of an earlier run in the same second is ignored by number', issue: linked, pulls: [aPullRequest({ createdAt: assignedAt, state: 'closed' })], signals: [aSignal('copilotWorkFailed', 0)], afterPull: 8, expect: 'running' },
  { name: 'a Copilot PR numbered above the earlier run\'s counts', issue: { linkedPullRequests: [8, 9] }, pulls: [aPullRequest({ number: 9, createdAt: assignedAt })], afterPull: 8, expect: 'running', pr: 9 },
  // Copilot's PR
  { name: 'PR linked by closing reference only', pulls: running, signals: [aSignal('copilotWorkStarted', 1)], expect: 'running', pr: 8 },
  { name: 'PR cross-referenced only', issue: linked, pulls: [aPullRequest({ closingIssues: [] })], expect: 'running', pr: 8 },
  { name: 'PR author login copilot-swe-agent', issue: linked, pulls: [aPullRequest({ author: { login: 'copilot-swe-agent', isBot: true } })], signals: [aSignal('copilotWorkFinished', 5)], expect: 'succeeded', pr: 8 },
  { name: 'PR open, no signal yet', issue: linked, pulls: running, expect: 'running', pr: 8 },
  { name: 'PR open after the start timeout is still running', issue: linked, pulls: running, minutesLater: 90, expect: 'running', pr: 8 },
  { name: 'work started', issue: linked, pulls: running, signals: [aSignal('copilotWorkStarted', 1)], expect: 'running' },
  { name: 'work finished', issue: linked, pulls: running, signals: [aSignal('copilotWorkStarted', 1), aSignal('copilotWorkFinished', 9)], expect: 'succeeded', says: 'https://github.com/octo/app/pull/8' },
  { name: 'review requested by Copilot', issue: linked, pulls: running, signals: [aSignal('copilotWorkStarted', 1), aSignal('reviewRequested', 9, 'Copilot', 'octocat')], expect: 'succeeded', says: 'PR #8' },
  { name: 'review requested by copilot-swe-agent[bot]', issue: linked, pulls: running, signals: [aSignal('reviewRequested', 9, 'copilot-swe-agent[bot]', 'octocat')], expect: 'succeeded' },
  { name: 'review requested by a human is not a finish', issue: linked, pulls: running, signals: [aSignal('copilotWorkStarted', 1), aSignal('reviewRequested', 9, 'octocat', 'hubot')], expect: 'running' },
  { name: 'ready for review by a human is not a finish', issue: linked, pulls: running, signals: [aSignal('copilotWorkStarted', 1), aSignal('readyForReview', 9, 'octocat')], expect: 'running' },
  { name: 'work failed', issue: linked, pulls: running, signals: [aSignal('copilotWorkStarted', 1), aSignal('copilotWorkFailed', 9)], expect: 'failed', failure: 'fatal', says: 'failed on PR #8' },
  // Ordering: the latest session signal wins
  { name: 'finished, then a follow-up session started', issue: linked, pulls: running, signals: [aSignal('copilotWorkFinished', 5), aSignal('reviewRequested', 5), aSignal('copilotWorkStarted', 8)], expect: 'running' },
  { name: 'failed, then a follow-up session finished', issue: linked, pulls: running, signals: [aSignal('copilotWorkStarted', 1), aSignal('copilotWorkFailed', 4), aSignal('copilotWorkStarted', 6), aSignal('copilotWorkFinished', 9)], expect: 'succeeded' },
  { name: 'finished, then a follow-up session failed', issue: linked, pulls: running, signals: [aSignal('copilotWorkFinished', 4), aSignal('copilotWorkStarted', 6), aSignal('copilotWorkFailed', 9)], expect: 'failed', failure: 'fatal' },
  { name: 'signals given out of order are ordered by time', issue: linked, pulls: running, signals: [aSignal('copilotWorkFinished', 9), aSignal('copilotWorkStarted', 1)], expect: 'succeeded' },
  { name: 'started at the same second as finished: listed order decides', issue: linked, pulls: running, signals: [aSignal('copilotWorkStarted', 3), aSignal('copilotWorkFinished', 3)], expect: 'succeeded' },
  { name: 'finish only in the PR\'s own timeline', issue: linked, pulls: [aPullRequest({ timeline: [aSignal('reviewRequested', 9, 'Copilot', 'octocat')] })], expect: 'succeeded' },
  { name: 'PR timeline says finished, REST timeline a later start', issue: linked, pulls: [aPullRequest({ timeline: [aSignal('copilotWorkFinished', 4)] })], signals: [aSignal('copilotWorkFinished', 4), aSignal('copilotWorkStarted', 7)], expect: 'running' },
  // The PR's fate
  { name: 'merged without a finish signal', issue: linked, pulls: [aPullRequest({ state: 'merged', mergedAt: at(20) })], expect: 'succeeded', says: 'merged' },
  { name: 'merged after a failure signal', issue: linked, pulls: [aPullRequest({ state: 'merged', mergedAt: at(20) })], signals: [aSignal('copilotWorkFailed', 9)], expect: 'succeeded', says: 'merged' },
  { name: 'closed unmerged while working', issue: linked, pulls: [aPullRequest({ state: 'closed' })], signals: [aSignal('copilotWorkStarted', 1)], expect: 'failed', failure: 'fatal', says: 'closed without being merged' },
  { name: 'closed after Copilot finished', issue: linked, pulls: [aPullRequest({ state: 'closed' })], signals: [aSignal('copilotWorkFinished', 9)], expect: 'succeeded' },
  { name: 'issue closed while the PR is open: the PR decides', issue: { ...linked, state: 'closed' }, pulls: running, signals: [aSignal('copilotWorkStarted', 1)], expect: 'running' },
  // Workflow approval
  { name: 'workflow runs await approval while Copilot works', issue: linked, pulls: [aPullRequest({ checks: { rollupState: null, contexts: [], requiredContexts: [], awaitingApproval: 2, truncated: false } })], signals: [aSignal('copilotWorkStarted', 1)], expect: 'needsYou', says: "Copilot's workflow runs wait for your approval on PR #8" },
  { name: 'workflow runs await approval after the finish', issue: linked, pulls: [aPullRequest({ checks: { rollupState: null, contexts: [], requiredContexts: [], awaitingApproval: 1, truncated: false } })], signals: [aSignal('copilotWorkFinished', 9)], expect: 'succeeded' },
  // Cancelled by ATO
  { name: 'cancelled while Copilot works on its PR', issue: linked, pulls: running, signals: [aSignal('copilotWorkStarted', 1)], cancelled: true, expect: 'failed', failure: 'cancelled' },
  { name: 'cancelled after Copilot finished', issue: linked, pulls: running, signals: [aSignal('copilotWorkFinished', 9)], cancelled: true, expect: 'succeeded' },
  // Several PRs
  { name: 'the newest of two Copilot PRs counts', issue: { linkedPullRequests: [8, 9] }, pulls: [aPullRequest({ state: 'closed' }), aPullRequest({ number: 9, createdAt: at(30) })], expect: 'running', pr: 9 },
  { name: 'a human PR next to Copilot\'s', issue: { linkedPullRequests: [8, 9] }, pulls: [copilotPr, aPullRequest({ number: 9, createdAt: at(30), author: { login: 'octocat', isBot: false }, state: 'merged' })], signals: [aSignal('copilotWorkStarted', 1)], expect: 'running', pr: 8 },
];

describe('deriveCopilotRunStatus', () => {
  for (const row of table) {
    it(row.name, () => {
      const observation: CopilotObservation = {
        issue: anIssue(row.issue),
        pullRequests: row.pulls ?? [],
        signals: new Map([[8, row.signals ?? []]]),
        assignedAt,
        now: new Date(Date.parse(assignedAt) + (row.minutesLater ?? 2) * 60_000),
        startTimeoutMs: 15 * 60_000,
        cancelled: row.cancelled ?? false,
        ...(row.afterPull === undefined ? {} : { afterPull: row.afterPull }),
      };
      const { status, pullRequest } = deriveCopilotRunStatus(observation);
      assert.equal(status.state, row.expect, JSON.stringify(status));
      if (row.failure !== undefined) assert.equal(status.state === 'failed' ? status.failure : undefined, row.failure);
      if (row.says !== undefined) {
        const text = status.state === 'needsYou' ? status.reason : status.state === 'succeeded' ? status.summary : status.state === 'failed' ? status.message : '';
        assert.ok(text.includes(row.says), `"${text}" should say "${row.says}"`);
      }
      if (row.pr !== undefined) assert.equal(pullRequest?.number, row.pr);
    });
  }

  it('a succeeded run names the PR by number, title and URL', () => {
    const { status } = deriveCopilotRunStatus({
      issue: anIssue(linked), pullRequests: [aPullRequest({ title: 'Add login' })], signals: new Map([[8, [aSignal('copilotWorkFinished', 9)]]]),
      assignedAt, now: new Date(at(10)), startTimeoutMs: 1, cancelled: false,
    });
    assert.deepEqual(status, { state: 'succeeded', summary: 'Copilot finished PR #8 "Add login": https://github.com/octo/app/pull/8', usage: {} });
  });

  it('the start timeout is configurable', () => {
    const observe = (startTimeoutMs: number): string => deriveCopilotRunStatus({
      issue: anIssue(), pullRequests: [], signals: new Map(), assignedAt, now: new Date(at(3)), startTimeoutMs, cancelled: false,
    }).status.state;
    assert.equal(observe(2 * 60_000), 'needsYou');
    assert.equal(observe(5 * 60_000), 'running');
  });
});

describe('pickCopilotPullRequest', () => {
  it('takes a PR created in the same second as the assignment', () => {
    assert.equal(pickCopilotPullRequest(anIssue(linked), [aPullRequest({ createdAt: assignedAt })], assignedAt)?.number, 8);
  });

  it('prefers the higher number when two PRs share a creation time', () => {
    const pulls = [aPullRequest({ number: 9 }), aPullRequest({ number: 8 })];
    assert.equal(pickCopilotPullRequest(anIssue({ linkedPullRequests: [8, 9] }), pulls, assignedAt)?.number, 9);
  });

  it('finds nothing among no candidates', () => {
    assert.equal(pickCopilotPullRequest(anIssue(linked), [], assignedAt), undefined);
  });
});
