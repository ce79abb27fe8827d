import assert from 'node:assert/strict';
import type { PullRequestSummary, RepoSnapshot } from '../../../../../../src/core/forges/github/githubModel';
import { describeAction } from '../../../../../../src/core/loop/engine/describeAction';
import { gapAnalysisIssueTitle } from '../../../../../../src/core/loop/texts/gapAnalysisTemplate';
import { defaultMergePolicy, type MergePolicy, type PlannedAction, type StageDecision, type StageId } from '../../../../../../src/core/loop/engine/loopModel';
import { formatMarker } from '../../../../../../src/core/loop/texts/markers';
import type { TrustFacts } from '../../../../../../src/core/loop/policy/pullRequestTrust';
import { classifyPlanning, type PlanningObservation } from '../../../../../../src/core/loop/tracks/planning/stageClassifier';
import type { QueueEntry } from '../../../../../../src/core/queue/queueEntry';
import {
  aCheckRun, aMergedPullRequest, aPullRequest, aQueueEntry, aSignal, aSnapshot, aTaskEntry, someChecks, taskText,
} from '../../../../../support/githubBuilders';
import { capabilityIssue, copilot, gapIssue, taskIssue } from '../../../../../support/planningIssues';

const now = new Date('2026-11-21T12:00:00Z');

/** ATO's agents (Copilot, the token's user octocat) and alice, whom GitHub confirmed to have write access. */
const trust: TrustFacts = { agentAccounts: [], allowForks: false, viewerLogin: 'octocat', writeAccess: new Map([['alice', true], ['mallory', false]]) };

function observe(parts: { snapshot?: Partial<RepoSnapshot>; queue?: QueueEntry[]; policy?: Partial<MergePolicy>; extra?: Partial<PlanningObservation> }): PlanningObservation {
  return { snapshot: aSnapshot(parts.snapshot), queue: parts.queue ?? [], policy: { ...defaultMergePolicy, ...parts.policy }, now, trust, ...parts.extra };
}

const notReady: Partial<PullRequestSummary> = { title: '[WIP] Working on it' };
const pendingChecks: Partial<PullRequestSummary> = { checks: someChecks([aCheckRun('ci/build', { status: 'IN_PROGRESS', conclusion: null })]) };

function action<K extends PlannedAction['kind']>(decision: StageDecision, kind: K): Extract<PlannedAction, { kind: K }> {
  assert.equal(decision.action?.kind, kind, `expected ${kind}, got ${String(decision.action?.kind)}: ${decision.reason}`);
  return decision.action as Extract<PlannedAction, { kind: K }>;
}

function expectStage(decision: StageDecision, stage: StageId, actionKind: PlannedAction['kind'] | undefined): void {
  assert.equal(decision.stage, stage, decision.reason);
  assert.equal(decision.action?.kind, actionKind, decision.reason);
}

const needsKinds = (decision: StageDecision): string[] => decision.needsYou.map(item => item.kind);

describe('classifyPlanning', () => {
  describe('1x gap analysis', () => {
    it('1a: opens the gap analysis when nothing is open, pending or in flight', () => {
      const decision = classifyPlanning(observe({}));
      expectStage(decision, '1a', 'ensureGapIssue');
      assert.equal(action(decision, 'ensureGapIssue').repairIssue, undefined);
      assert.deepEqual(decision.needsYou, []);
    });

    it('1a: assigns an open gap issue that has no agent', () => {
      const decision = classifyPlanning(observe({ snapshot: { issues: [gapIssue({ assignees: [] })] } }));
      expectStage(decision, '1a', 'dispatchIssue');
      assert.equal(action(decision, 'dispatchIssue').issueNumber, 1);
    });

    it('1a: counts only the gap agent as an assignee when one is named (any spelling of its login)', () => {
      const humanOnly = classifyPlanning(observe({ snapshot: { issues: [gapIssue({ assignees: ['alice'] })] }, extra: { gapAnalysisAgentLogin: copilot } }));
      expectStage(humanOnly, '1a', 'dispatchIssue');
      const alias = classifyPlanning(observe({ snapshot: { issues: [gapIssue({ assignees: ['Copilot'] })] }, extra: { gapAnalysisAgentLogin: copilot } }));
      expectStage(alias, '1a', undefined);
    });

    it('1a: repairs a gap issue whose body asks the agent to open PRs or create issues', () => {
      const unsafe = gapIssue({ body: `Compare the goal with the capabilities.\nThen open a PR and create issues for each gap.\n${formatMarker({ kind: 'gapAnalysis' })}` });
      const decision = classifyPlanning(observe({ snapshot: { issues: [unsafe] } }));
      expectStage(decision, '1a', 'ensureGapIssue');
      assert.equal(action(decision, 'ensureGapIssue').repairIssue, 1);
      assert.match(decision.reason, /open a PR/);
    });

    it('1a: repairs a legacy gap issue without ATO\'s marker before assigning it', () => {
      const legacy = gapIssue({ body: 'Please look at the goal.', assignees: [] });
      expectStage(classifyPlanning(observe({ snapshot: { issues: [legacy] } })), '1a', 'ensureGapIssue');
    });

    it('1a: waits for the agent to open its PR, naming the issue', () => {
      const decision = classifyPlanning(observe({ snapshot: { issues: [gapIssue({ createdAt: '2026-11-21T10:00:00Z' })] } }));
      expectStage(decision, '1a', undefined);
      assert.equal(decision.reason, `Waiting for ${copilot} to open a PR for gap-analysis issue #1, opened 2 h ago.`);
      assert.deepEqual(decision.focus, { kind: 'gapAnalysis', title: gapAnalysisIssueTitle, issue: { number: 1, title: gapAnalysisIssueTitle, url: 'https://github.com/o/r/issues/1' } });
    });

    it('1b: waits for a gap PR that is not ready, saying what it waits for', () => {
      const pr = aPullRequest({ number: 2, closingIssues: [1], ...pendingChecks });
      const decision = classifyPlanning(observe({ snapshot: { issues: [gapIssue()], openPullRequests: [pr] } }));
      expectStage(decision, '1b', undefined);
      assert.equal(decision.reason, 'Waiting for PR #2 (the gap analysis): checks pending: ci/build.');
      assert.deepEqual([decision.focus?.kind, decision.focus?.issue?.number, decision.focus?.pullRequest?.number], ['gapAnalysis', 1, 2]);
    });

    it('1c: merges a ready gap PR and closes the gap issue', () => {
      const pr = aPullRequest({ number: 2, closingIssues: [1], isDraft: true });
      const decision = classifyPlanning(observe({ snapshot: { issues: [gapIssue()], openPullRequests: [pr] }, policy: { autoMerge: true } }));
      expectStage(decision, '1c', 'mergePullRequest');
      const merge = action(decision, 'mergePullRequest');
      assert.deepEqual([merge.pullNumber, merge.headSha, merge.markReady, merge.closeIssues, merge.stage], [2, pr.headSha, true, [1], '1c']);
      assert.deepEqual(decision.needsYou, []);
    });

    it('1c with auto-merge off: the merge is still the action, and a one-click needs-you item carries it', () => {
      const pr = aPullRequest({ number: 2, closingIssues: [1] });
      const decision = classifyPlanning(observe({ snapshot: { issues: [gapIssue()], openPullRequests: [pr] } }));
      action(decision, 'mergePullRequest');
      assert.deepEqual(decision.needsYou.map(item => [item.kind, item.action, item.pullNumber]), [['readyToMerge', 'merge', 2]]);
    });

    it('every merge prompt names the PR\'s author', () => {
      const pr = aPullRequest({ number: 2, closingIssues: [1], author: { login: 'alice', isBot: false }, authorAssociation: 'COLLABORATOR' });
      const decision = classifyPlanning(observe({ snapshot: { issues: [gapIssue()], openPullRequests: [pr] } }));
      assert.deepEqual(decision.needsYou.map(item => [item.title, item.author]), [['PR #2 by alice (the gap analysis) is ready to merge', 'alice']]);
      assert.match(decision.reason, /^PR #2 by alice \(the gap analysis\) is ready to merge/);
    });

    it('1c: closes the gap issue GitHub left open after its PR merged', () => {
      const pr = aMergedPullRequest({ number: 2, closingIssues: [1], changedFiles: [] });
      const decision = classifyPlanning(observe({ snapshot: { issues: [gapIssue()], recentlyClosedPullRequests: [pr] } }));
      expectStage(decision, '1c', 'closeIssue');
      assert.equal(action(decision, 'closeIssue').issueNumber, 1);
    });

    it('1c: after a gap merge, waits for its task file to reach the queue instead of opening a new gap analysis', () => {
      const merged = aMergedPullRequest({ number: 2, closingIssues: [1], mergedAt: '2026-11-21T11:55:00Z', changedFiles: ['planning/issue_queue/pending/add-login.task.md'] });
      const closed = gapIssue({ state: 'closed', closedAt: '2026-11-21T11:55:00Z' });
      const early = classifyPlanning(observe({ snapshot: { issues: [closed], recentlyClosedPullRequests: [merged] } }));
      expectStage(early, '1c', undefined);
      assert.match(early.reason, /add-login\.task\.md/);
      const arrived = classifyPlanning(observe({ snapshot: { issues: [closed], recentlyClosedPullRequests: [merged] }, queue: [aTaskEntry('pending', { id: 'add-login' })] }));
      expectStage(arrived, '2a', 'promoteTask');
      const late = classifyPlanning(observe({ snapshot: { issues: [closed], recentlyClosedPullRequests: [{ ...merged, mergedAt: '2026-11-21T10:00:00Z' }] } }));
      expectStage(late, '1a', 'ensureGapIssue');
    });

    it('1c: waits the same for a task file the gap PR added in a sub-folder of pending/', () => {
      const merged = aMergedPullRequest({ number: 2, closingIssues: [1], mergedAt: '2026-11-21T11:55:00Z', changedFiles: ['planning/issue_queue/pending/web/add-login.task.md'] });
      const closed = gapIssue({ state: 'closed', closedAt: '2026-11-21T11:55:00Z' });
      const early = classifyPlanning(observe({ snapshot: { issues: [closed], recentlyClosedPullRequests: [merged] } }));
      expectStage(early, '1c', undefined);
      assert.match(early.reason, /web\/add-login\.task\.md/);
      const arrived = classifyPlanning(observe({ snapshot: { issues: [closed], recentlyClosedPullRequests: [merged] }, queue: [aQueueEntry('pending', taskText({ id: 'add-login' }), 'web/add-login.task.md')] }));
      expectStage(arrived, '2a', 'promoteTask');
    });

    it('1b: a gap run that failed needs you, and no second gap issue is opened while it is open', () => {
      const pr = aPullRequest({ number: 2, closingIssues: [1], ...notReady, timeline: [aSignal('copilotWorkStarted', '2026-11-21T10:00:00Z'), aSignal('copilotWorkFailed', '2026-11-21T10:30:00Z')] });
      const decision = classifyPlanning(observe({ snapshot: { issues: [gapIssue()], openPullRequests: [pr] } }));
      expectStage(decision, '1b', undefined);
      assert.deepEqual(needsKinds(decision), ['runFailed']);
    });
  });

  describe('2x development', () => {
    it('2a: promotes the next pending development task by priority, then age', () => {
      const queue = [
        aTaskEntry('pending', { id: 'old-medium', created: '2026-11-01T00:00:00Z' }),
        aTaskEntry('pending', { id: 'new-high', priority: 'high', created: '2026-11-20T00:00:00Z' }),
        aTaskEntry('pending', { id: 'older-medium', created: '2026-10-01T00:00:00Z' }),
      ];
      const decision = classifyPlanning(observe({ queue }));
      expectStage(decision, '2a', 'promoteTask');
      assert.deepEqual(action(decision, 'promoteTask'), { kind: 'promoteTask', reason: action(decision, 'promoteTask').reason, taskId: 'new-high', path: '/work/repo/planning/issue_queue/pending/new-high.task.md' });
      assert.deepEqual(decision.focus, { kind: 'task', title: 'Task new-high', taskId: 'new-high' });
    });

    it('2a: skips tasks waiting for dependencies, with the reason', () => {
      const queue = [aTaskEntry('pending', { id: 'second', priority: 'high', dependsOn: ['first'] }), aTaskEntry('pending', { id: 'first' })];
      const decision = classifyPlanning(observe({ queue }));
      assert.equal(action(decision, 'promoteTask').taskId, 'first');
      assert.match(decision.reason, /Skipped: second waits for first to complete/);
      assert.deepEqual(decision.needsYou, []);
    });

    it('2a: an invalid task file needs you and never blocks the loop', () => {
      const queue = [aQueueEntry('pending', '---\ntype: [unclosed\n---\n', 'broken.task.md'), aTaskEntry('pending', { id: 'good' })];
      const decision = classifyPlanning(observe({ queue }));
      assert.equal(action(decision, 'promoteTask').taskId, 'good');
      assert.deepEqual(decision.needsYou.map(item => [item.kind, item.taskId]), [['invalidTask', 'broken']]);
      expectStage(classifyPlanning(observe({ queue: [queue[0]!] })), '1a', 'ensureGapIssue');
    });

    it('2a: a task that depends on an unknown task needs you, and the loop goes on', () => {
      const decision = classifyPlanning(observe({ queue: [aTaskEntry('pending', { id: 'orphan', dependsOn: ['nowhere'] })] }));
      expectStage(decision, '1a', 'ensureGapIssue');
      assert.deepEqual(needsKinds(decision), ['invalidTask']);
    });

    it('2a: a dependency cycle needs you once, at the task it is described at, not once per task in it', () => {
      const queue = ['a', 'b', 'c'].map((id, index, ids) => aTaskEntry('pending', { id, dependsOn: [ids[(index + 1) % ids.length] ?? id] }));
      const decision = classifyPlanning(observe({ queue: [...queue, aTaskEntry('pending', { id: 'free' })] }));
      assert.equal(action(decision, 'promoteTask').taskId, 'free');
      assert.deepEqual(decision.needsYou.map(item => [item.kind, item.taskId, item.detail]), [['invalidTask', 'a', 'Dependency cycle: a → b → c → a.']]);
    });

    it('2a: finishes a promotion cut short (task still pending, its issue already open)', () => {
      const decision = classifyPlanning(observe({ queue: [aTaskEntry('pending', { id: 'half' })], snapshot: { issues: [taskIssue('half', { number: 30 })] } }));
      expectStage(decision, '2a', 'promoteTask');
      assert.match(decision.reason, /issue #30 is already open/);
    });

    it('2a: assigns a dispatched task whose issue has no agent', () => {
      const decision = classifyPlanning(observe({ queue: [aTaskEntry('processed', { id: 't' })], snapshot: { issues: [taskIssue('t', { number: 30, assignees: [] })] } }));
      expectStage(decision, '2a', 'dispatchIssue');
    });

    describe('a task a local agent serves (its issue assigned to nobody, the agent in its marker)', () => {
      const localIssue = taskIssue('t', { number: 30, assignees: [], body: `Do t.\n\n${formatMarker({ kind: 'task', taskId: 't' })}\n\n${formatMarker({ kind: 'agent', agentId: 'my-cli' })}\n` });
      const queue = [aTaskEntry('processed', { id: 't' }), aTaskEntry('pending', { id: 'next' })];

      it('2b while its run is in flight here: waits for the agent and ATO\'s PR, and promotes nothing else', () => {
        const decision = classifyPlanning(observe({ queue, snapshot: { issues: [localIssue] }, extra: { localRuns: new Set(['t']) } }));
        expectStage(decision, '2b', undefined);
        assert.match(decision.reason, /^Waiting for the local agent my-cli to finish issue #30 \(task t\), opened 2 h ago; ATO then pushes its branch and opens the PR\.$/);
      });

      it('2a with no run in flight and no PR (a restart): starts the run again, never assigns Copilot', () => {
        const decision = classifyPlanning(observe({ queue, snapshot: { issues: [localIssue] }, extra: { localRuns: new Set() } }));
        expectStage(decision, '2a', 'dispatchIssue');
        assert.match(decision.reason, /is for the local agent my-cli, with no run in flight and no PR: start its run/);
      });

      it('2b once ATO\'s PR is open, whether a run is in flight or not', () => {
        const pr = aPullRequest({ number: 31, headRefName: 'ato/t', author: { login: 'octocat', isBot: false }, body: `Closes #30\n\n${formatMarker({ kind: 'task', taskId: 't' })}\n`, closingIssues: [30], ...pendingChecks });
        const decision = classifyPlanning(observe({ queue, snapshot: { issues: [localIssue], openPullRequests: [pr] } }));
        expectStage(decision, '2b', undefined);
        assert.match(decision.reason, /PR #31/);
      });
    });

    it('2b: waits for the agent, and does not promote the next task meanwhile (one at a time)', () => {
      const queue = [aTaskEntry('processed', { id: 'busy' }), aTaskEntry('pending', { id: 'next' })];
      const decision = classifyPlanning(observe({ queue, snapshot: { issues: [taskIssue('busy', { number: 30 })] } }));
      expectStage(decision, '2b', undefined);
      assert.match(decision.reason, /issue #30 \(task busy\)/);
      const two = classifyPlanning(observe({ queue, snapshot: { issues: [taskIssue('busy', { number: 30 })] }, extra: { maxDevelopmentInFlight: 2 } }));
      assert.equal(action(two, 'promoteTask').taskId, 'next');
    });

    it('2b: names the PR, the task and what the PR waits for', () => {
      const pr = aPullRequest({ number: 12, closingIssues: [30], ...pendingChecks });
      const decision = classifyPlanning(observe({ queue: [aTaskEntry('processed', { id: 'add-login' })], snapshot: { issues: [taskIssue('add-login', { number: 30 })], openPullRequests: [pr] } }));
      expectStage(decision, '2b', undefined);
      assert.equal(decision.reason, 'Waiting for PR #12 (task add-login): checks pending: ci/build.');
      // The focus names the work's kind, its task, and its issue and PR with their titles.
      assert.deepEqual(decision.focus, {
        kind: 'task', title: 'Task add-login', taskId: 'add-login',
        issue: { number: 30, title: 'Task add-login', url: 'https://github.com/o/r/issues/30' },
        pullRequest: { number: 12, title: pr.title, url: pr.url },
      });
    });

    it('2b: an issue closed by hand needs you and the loop moves on (never frozen in 2b)', () => {
      const closed = taskIssue('gone', { number: 30, state: 'closed', stateReason: 'not_planned', closedAt: '2026-11-21T11:00:00Z' });
      const alone = classifyPlanning(observe({ queue: [aTaskEntry('processed', { id: 'gone' })], snapshot: { issues: [closed] } }));
      expectStage(alone, '1a', 'ensureGapIssue');
      assert.deepEqual(alone.needsYou.map(item => [item.kind, item.issueNumber, item.taskId]), [['issueClosedOutsideLoop', 30, 'gone']]);
      const withNext = classifyPlanning(observe({ queue: [aTaskEntry('processed', { id: 'gone' }), aTaskEntry('pending', { id: 'next' })], snapshot: { issues: [closed] } }));
      assert.equal(action(withNext, 'promoteTask').taskId, 'next');
    });

    it('2b: an issue closed by hand while its PR is open needs you too', () => {
      const closed = taskIssue('t', { number: 30, state: 'closed', closedAt: '2026-11-21T11:00:00Z' });
      const decision = classifyPlanning(observe({ queue: [aTaskEntry('processed', { id: 't' })], snapshot: { issues: [closed], openPullRequests: [aPullRequest({ number: 12, closingIssues: [30] })] } }));
      assert.deepEqual(needsKinds(decision), ['issueClosedOutsideLoop']);
      expectStage(decision, '1a', 'ensureGapIssue');
    });

    const failures: { name: string; pr: PullRequestSummary; open: boolean }[] = [
      { name: 'Copilot reported failure', pr: aPullRequest({ number: 12, closingIssues: [30], ...notReady, timeline: [aSignal('copilotWorkStarted', '2026-11-21T10:00:00Z'), aSignal('copilotWorkFailed', '2026-11-21T10:10:00Z')] }), open: true },
      { name: 'its PR was closed unmerged', pr: aPullRequest({ number: 12, closingIssues: [30], state: 'closed' }), open: false },
    ];
    for (const failure of failures) {
      it(`2b: a failed run (${failure.name}) needs you and the loop moves on`, () => {
        const snapshot = { issues: [taskIssue('t', { number: 30 })], ...(failure.open ? { openPullRequests: [failure.pr] } : { recentlyClosedPullRequests: [failure.pr] }) };
        const decision = classifyPlanning(observe({ queue: [aTaskEntry('processed', { id: 't' }), aTaskEntry('pending', { id: 'next' })], snapshot }));
        assert.deepEqual(decision.needsYou.map(item => [item.kind, item.pullNumber, item.taskId]), [['runFailed', 12, 't']]);
        assert.equal(action(decision, 'promoteTask').taskId, 'next');
      });
    }

    it('2b: workflow runs awaiting approval need you', () => {
      const pr = aPullRequest({ number: 12, closingIssues: [30], checks: someChecks([], { rollupState: null, awaitingApproval: 2 }) });
      const decision = classifyPlanning(observe({ queue: [aTaskEntry('processed', { id: 't' })], snapshot: { issues: [taskIssue('t', { number: 30 })], openPullRequests: [pr] } }));
      expectStage(decision, '2b', undefined);
      assert.deepEqual(decision.needsYou.map(item => [item.kind, item.pullNumber, item.url]), [['workflowsAwaitingApproval', 12, pr.url]]);
    });

    it('2b: a PR touching a protected path waits, and needs you (ATO may not merge it)', () => {
      const pr = aPullRequest({ number: 12, closingIssues: [30], changedFiles: ['.github/workflows/ci.yml'] });
      const decision = classifyPlanning(observe({ queue: [aTaskEntry('processed', { id: 't' })], snapshot: { issues: [taskIssue('t', { number: 30 })], openPullRequests: [pr] } }));
      expectStage(decision, '2b', undefined);
      assert.deepEqual(needsKinds(decision), ['mergeBlocked']);
    });

    it('a stranger\'s PR on the task\'s branch, approved by another stranger, is never linked, counted or merged; the reason says why', () => {
      const strangers = aPullRequest({
        number: 7, closingIssues: [30], headRefName: 'ato/t', author: { login: 'mallory', isBot: false }, authorAssociation: 'NONE',
        reviews: [{ author: 'eve', state: 'APPROVED', authorCanPush: false }], timeline: [], reviewRequests: [],
      });
      const decision = classifyPlanning(observe({ queue: [aTaskEntry('processed', { id: 't' })], snapshot: { issues: [taskIssue('t', { number: 30, linkedPullRequests: [7] })], openPullRequests: [strangers] }, policy: { autoMerge: true } }));
      expectStage(decision, '2b', undefined);
      assert.match(decision.reason, /^Waiting for copilot-swe-agent\[bot\] to open a PR for issue #30 \(task t\)/);
      assert.match(decision.reason, /Ignored, not trusted: PR #7 \(ato\/t\), opened by mallory, who is not one of ATO's agents and has no write access\./);
      assert.deepEqual(decision.needsYou, []);
    });

    it('the same PR by someone with write access is linked; a writer\'s approval is its review signal', () => {
      const pr = aPullRequest({ number: 7, closingIssues: [30], headRefName: 'ato/t', author: { login: 'alice', isBot: false }, authorAssociation: 'COLLABORATOR', timeline: [], reviewRequests: [] });
      const observation = (reviewer: string, canPush: boolean) => observe({ queue: [aTaskEntry('processed', { id: 't' })], snapshot: { issues: [taskIssue('t', { number: 30 })], openPullRequests: [{ ...pr, reviews: [{ author: reviewer, state: 'APPROVED', authorCanPush: canPush }] }] }, policy: { autoMerge: true } });
      const strangerApproved = classifyPlanning(observation('eve', false));
      expectStage(strangerApproved, '2b', undefined);
      assert.match(strangerApproved.reason, /no review request or approval yet/);
      expectStage(classifyPlanning(observation('bob', true)), '2c', 'mergePullRequest');
    });

    it('2b: a PR with no CI at all waits, and needs you: "no CI"', () => {
      const pr = aPullRequest({ number: 12, closingIssues: [30], checks: someChecks([], { rollupState: null }) });
      const decision = classifyPlanning(observe({ queue: [aTaskEntry('processed', { id: 't' })], snapshot: { issues: [taskIssue('t', { number: 30 })], openPullRequests: [pr] } }));
      expectStage(decision, '2b', undefined);
      assert.deepEqual(decision.needsYou.map(item => [item.kind, item.title, item.pullNumber]), [['mergeBlocked', 'PR #12 has no CI (task t)', 12]]);
      assert.match(decision.needsYou[0]?.detail ?? '', /^No CI: no check or status reported on .*ato\.merge\.allowNoChecks/);
      assert.match(decision.reason, /no CI/);
      const allowed = classifyPlanning(observe({ queue: [aTaskEntry('processed', { id: 't' })], snapshot: { issues: [taskIssue('t', { number: 30 })], openPullRequests: [pr] }, policy: { allowNoChecks: true } }));
      expectStage(allowed, '2c', 'mergePullRequest');
    });

    it('2c: merges a ready task PR (a draft with a review request is marked ready first) and closes its issue', () => {
      const pr = aPullRequest({ number: 12, isDraft: true, reviewRequests: [], timeline: [aSignal('reviewRequested', '2026-11-21T11:00:00Z')] });
      const issue = taskIssue('t', { number: 30, linkedPullRequests: [12] });
      const decision = classifyPlanning(observe({ queue: [aTaskEntry('processed', { id: 't' })], snapshot: { issues: [issue], openPullRequests: [pr] } }));
      expectStage(decision, '2c', 'mergePullRequest');
      const merge = action(decision, 'mergePullRequest');
      assert.deepEqual([merge.pullNumber, merge.markReady, merge.closeIssues, merge.stage], [12, true, [30], '2c']);
      assert.equal(decision.reason, 'PR #12 by Copilot (task t) is ready to merge (a draft: marked ready first).');
    });

    it('2c: after the merge, moves the task to complete/ before anything else', () => {
      const pr = aMergedPullRequest({ number: 12, closingIssues: [30] });
      const decision = classifyPlanning(observe({ queue: [aTaskEntry('processed', { id: 't' })], snapshot: { issues: [taskIssue('t', { number: 30, state: 'closed', closedAt: '2026-11-21T11:00:00Z' })], recentlyClosedPullRequests: [pr] } }));
      expectStage(decision, '2c', 'completeTask');
      assert.deepEqual(action(decision, 'completeTask'), { kind: 'completeTask', reason: 'Its pull request is merged.', taskId: 't', path: '/work/repo/planning/issue_queue/processed/t.task.md', pullNumber: 12, issueNumber: 30 });
    });
  });

  describe('requeue offered on a task whose work failed (GitHub mode, issue 9 A4)', () => {
    const processed = aTaskEntry('processed', { id: 't' });
    const requeueOf = (decision: StageDecision, taskId = 't') => decision.needsYou.find(item => item.taskId === taskId && item.action === 'requeue');

    it('a PR closed unmerged: runFailed offers the requeue, which closes the open issue and moves the file back', () => {
      const decision = classifyPlanning(observe({ queue: [processed], snapshot: { issues: [taskIssue('t', { number: 30 })], recentlyClosedPullRequests: [aPullRequest({ number: 12, closingIssues: [30], state: 'closed' })] } }));
      const item = requeueOf(decision);
      assert.ok(item, JSON.stringify(decision.needsYou));
      assert.equal(item.kind, 'runFailed');
      assert.match(item.detail, /^PR #12 was closed without being merged\. Requeue it to run it again \(back to pending\/, its old issue closed/);
      assert.deepEqual(item.requeue, { kind: 'requeueTask', reason: 'Task t: its run failed (PR #12 was closed without being merged); run it again.', taskId: 't', path: processed.file, closeIssues: [30] });
      // Offered, never taken by a tick on its own.
      assert.notEqual(decision.action?.kind, 'requeueTask');
      assert.equal(describeAction(item.requeue), 'Requeue task t (back to pending/, closing #30)');
    });

    it('Copilot reported failure on its open PR: offered too', () => {
      const pr = aPullRequest({ number: 12, closingIssues: [30], ...notReady, timeline: [aSignal('copilotWorkStarted', '2026-11-21T10:00:00Z'), aSignal('copilotWorkFailed', '2026-11-21T10:10:00Z')] });
      const decision = classifyPlanning(observe({ queue: [processed], snapshot: { issues: [taskIssue('t', { number: 30 })], openPullRequests: [pr] } }));
      assert.deepEqual(requeueOf(decision)?.requeue?.closeIssues, [30]);
    });

    it('every open issue of the task is closed by it (duplicates too)', () => {
      const decision = classifyPlanning(observe({ queue: [processed], snapshot: { issues: [taskIssue('t', { number: 30 }), taskIssue('t', { number: 31 })], recentlyClosedPullRequests: [aPullRequest({ number: 12, closingIssues: [30], state: 'closed' })] } }));
      assert.deepEqual(requeueOf(decision)?.requeue?.closeIssues, [30, 31]);
    });

    it('an issue closed outside the loop with no PR: offered, with nothing left to close', () => {
      const closed = taskIssue('t', { number: 30, state: 'closed', stateReason: 'not_planned', closedAt: '2026-11-21T11:00:00Z' });
      const item = requeueOf(classifyPlanning(observe({ queue: [processed], snapshot: { issues: [closed] } })));
      assert.equal(item?.kind, 'issueClosedOutsideLoop');
      assert.deepEqual(item.requeue?.closeIssues, []);
      assert.match(item.detail, /Requeue it to run it again/);
    });

    it('a task in processed/ with no issue or PR: offered', () => {
      const item = requeueOf(classifyPlanning(observe({ queue: [processed] })));
      assert.equal(item?.kind, 'runFailed');
      assert.deepEqual(item.requeue, { kind: 'requeueTask', reason: 'Task t is in processed/ with no issue or pull request on GitHub.', taskId: 't', path: processed.file, closeIssues: [] });
    });

    it('never while a run is in progress, on a merged run, or for the gap analysis', () => {
      const closedWithOpenPr = classifyPlanning(observe({ queue: [processed], snapshot: { issues: [taskIssue('t', { number: 30, state: 'closed', closedAt: '2026-11-21T11:00:00Z' })], openPullRequests: [aPullRequest({ number: 12, closingIssues: [30] })] } }));
      assert.deepEqual(closedWithOpenPr.needsYou.map(item => [item.kind, item.action]), [['issueClosedOutsideLoop', 'open']], 'its PR is still open: merge or close it first');
      const waiting = classifyPlanning(observe({ queue: [processed], snapshot: { issues: [taskIssue('t', { number: 30 })], openPullRequests: [aPullRequest({ number: 12, closingIssues: [30], ...pendingChecks })] } }));
      assert.equal(requeueOf(waiting), undefined);
      const merged = classifyPlanning(observe({ queue: [processed], snapshot: { issues: [taskIssue('t', { number: 30 })], recentlyClosedPullRequests: [aMergedPullRequest({ number: 12, closingIssues: [30] })] } }));
      assert.equal(action(merged, 'completeTask').taskId, 't');
      assert.equal(requeueOf(merged), undefined);
      const gapFailed = aPullRequest({ number: 2, closingIssues: [1], ...notReady, timeline: [aSignal('copilotWorkStarted', '2026-11-21T10:00:00Z'), aSignal('copilotWorkFailed', '2026-11-21T10:30:00Z')] });
      assert.deepEqual(classifyPlanning(observe({ snapshot: { issues: [gapIssue()], openPullRequests: [gapFailed] } })).needsYou.map(item => item.action), ['open']);
    });

    it('after the requeue (task in pending/, old issue closed), the task is promoted again with a new issue', () => {
      const closed = taskIssue('t', { number: 30, state: 'closed', stateReason: 'not_planned', closedAt: '2026-11-21T11:00:00Z' });
      const decision = classifyPlanning(observe({ queue: [aTaskEntry('pending', { id: 't' })], snapshot: { issues: [closed], recentlyClosedPullRequests: [aPullRequest({ number: 12, closingIssues: [30], state: 'closed' })] } }));
      expectStage(decision, '2a', 'promoteTask');
      assert.deepEqual(decision.needsYou, []);
    });
  });

  describe('3x capability update', () => {
    const merged = aMergedPullRequest({ number: 12, closingIssues: [30] });
    const doneIssue = taskIssue('t', { number: 30, state: 'closed', closedAt: '2026-11-21T11:00:00Z' });

    it('3a: opens a capability issue for a merged development PR that has none', () => {
      const decision = classifyPlanning(observe({ queue: [aTaskEntry('complete', { id: 't' })], snapshot: { issues: [doneIssue], recentlyClosedPullRequests: [merged] } }));
      expectStage(decision, '3a', 'openCapabilityIssue');
      assert.equal(action(decision, 'openCapabilityIssue').pullNumber, 12);
    });

    it('3a: opens capability updates oldest merge first, and never for a merge older than one already followed', () => {
      const older = aMergedPullRequest({ number: 11, closingIssues: [29], mergedAt: '2026-11-21T10:00:00Z' });
      const newer = aMergedPullRequest({ number: 12, closingIssues: [30], mergedAt: '2026-11-21T11:00:00Z' });
      const issues = [taskIssue('a', { number: 29, state: 'closed' }), { ...doneIssue }];
      const queue = [aTaskEntry('complete', { id: 'a' }), aTaskEntry('complete', { id: 't' })];
      const first = classifyPlanning(observe({ queue, snapshot: { issues, recentlyClosedPullRequests: [newer, older] } }));
      assert.equal(action(first, 'openCapabilityIssue').pullNumber, 11);
      // The newer merge's capability issue exists (the older one's fell out of the snapshot): nothing to open.
      const later = classifyPlanning(observe({ queue, snapshot: { issues: [...issues, capabilityIssue(12, { number: 40, state: 'closed', closedAt: '2026-11-21T11:50:00Z' })], recentlyClosedPullRequests: [newer, older] } }));
      expectStage(later, '1a', 'ensureGapIssue');
    });

    it('3a: leaves merges older than the follow-up window alone', () => {
      const old = aMergedPullRequest({ number: 12, closingIssues: [30], mergedAt: '2026-11-01T10:00:00Z' });
      expectStage(classifyPlanning(observe({ queue: [aTaskEntry('complete', { id: 't' })], snapshot: { issues: [doneIssue], recentlyClosedPullRequests: [old] } })), '1a', 'ensureGapIssue');
    });

    it('3a: review and maintenance work gets no capability update', () => {
      for (const type of ['review', 'maintenance']) {
        const decision = classifyPlanning(observe({ queue: [aTaskEntry('complete', { id: 't', type })], snapshot: { issues: [doneIssue], recentlyClosedPullRequests: [merged] } }));
        expectStage(decision, '1a', 'ensureGapIssue');
      }
    });

    it('3a: assigns an open capability issue without an agent', () => {
      const decision = classifyPlanning(observe({ queue: [aTaskEntry('complete', { id: 't' })], snapshot: { issues: [doneIssue, capabilityIssue(12, { number: 40, assignees: [] })], recentlyClosedPullRequests: [merged] } }));
      expectStage(decision, '3a', 'dispatchIssue');
      assert.equal(action(decision, 'dispatchIssue').issueNumber, 40);
    });

    it('3b: waits for a capability PR that is not ready', () => {
      const pr = aPullRequest({ number: 41, closingIssues: [40], ...notReady });
      const decision = classifyPlanning(observe({ snapshot: { issues: [capabilityIssue(12, { number: 40 })], openPullRequests: [pr] } }));
      expectStage(decision, '3b', undefined);
      assert.equal(decision.reason, 'Waiting for PR #41 (the capability update for PR #12): the title marks it work in progress.');
    });

    it('3c: merges a ready capability PR and closes the capability issue', () => {
      const decision = classifyPlanning(observe({ snapshot: { issues: [capabilityIssue(12, { number: 40 })], openPullRequests: [aPullRequest({ number: 41, closingIssues: [40] })] } }));
      expectStage(decision, '3c', 'mergePullRequest');
      assert.deepEqual(action(decision, 'mergePullRequest').closeIssues, [40]);
    });

    it('3c: closes a capability issue left open after its PR merged, then the loop returns to 1a', () => {
      const decision = classifyPlanning(observe({ snapshot: { issues: [capabilityIssue(12, { number: 40 })], recentlyClosedPullRequests: [aMergedPullRequest({ number: 41, closingIssues: [40] })] } }));
      expectStage(decision, '3c', 'closeIssue');
      const after = classifyPlanning(observe({ snapshot: { issues: [capabilityIssue(12, { number: 40, state: 'closed', closedAt: '2026-11-21T11:30:00Z' })], recentlyClosedPullRequests: [aMergedPullRequest({ number: 41, closingIssues: [40] })] } }));
      expectStage(after, '1a', 'ensureGapIssue');
    });

    it('holds the next gap analysis while a capability update is under way', () => {
      expectStage(classifyPlanning(observe({ snapshot: { issues: [capabilityIssue(12, { number: 40 })] } })), '3a', undefined);
    });
  });

  describe('precedence', () => {
    const gap = gapIssue();
    const gapPr = aPullRequest({ number: 2, closingIssues: [1] });
    const capIssue = capabilityIssue(9, { number: 40 });
    const capPr = aPullRequest({ number: 41, closingIssues: [40] });
    const devIssue = taskIssue('t', { number: 30 });
    const devPr = aPullRequest({ number: 12, closingIssues: [30] });
    const devQueue = [aTaskEntry('processed', { id: 't' })];

    it('gap before capability before development when all three are ready', () => {
      const all = classifyPlanning(observe({ queue: devQueue, snapshot: { issues: [gap, capIssue, devIssue], openPullRequests: [devPr, capPr, gapPr] } }));
      assert.deepEqual([all.stage, action(all, 'mergePullRequest').pullNumber], ['1c', 2]);
      const noGap = classifyPlanning(observe({ queue: devQueue, snapshot: { issues: [capIssue, devIssue], openPullRequests: [devPr, capPr] } }));
      assert.deepEqual([noGap.stage, action(noGap, 'mergePullRequest').pullNumber], ['3c', 41]);
    });

    it('a waiting track never holds back another track\'s action', () => {
      const decision = classifyPlanning(observe({ queue: [aTaskEntry('pending', { id: 'next' })], snapshot: { issues: [capIssue], openPullRequests: [{ ...capPr, ...notReady }] } }));
      expectStage(decision, '2a', 'promoteTask');
    });

    it('when everything waits, the stage is the first waiting track by precedence', () => {
      const decision = classifyPlanning(observe({ queue: devQueue, snapshot: { issues: [gap, capIssue, devIssue], openPullRequests: [{ ...devPr, ...notReady }, { ...capPr, ...notReady }, { ...gapPr, ...notReady }] } }));
      expectStage(decision, '1b', undefined);
    });

    it('records a merge (complete the task) before opening its capability update', () => {
      const merged = aMergedPullRequest({ number: 12, closingIssues: [30] });
      const decision = classifyPlanning(observe({ queue: devQueue, snapshot: { issues: [{ ...devIssue, state: 'closed', closedAt: '2026-11-21T11:00:00Z' }], recentlyClosedPullRequests: [merged] } }));
      expectStage(decision, '2c', 'completeTask');
    });

    it('review and maintenance files are not development work: they do not hold back the gap analysis', () => {
      const queue = [aTaskEntry('pending', { id: 'review-arch', type: 'review' }), aTaskEntry('pending', { id: 'maintenance-deps', type: 'maintenance' })];
      expectStage(classifyPlanning(observe({ queue })), '1a', 'ensureGapIssue');
    });

    it('review and maintenance files are promoted while the main loop waits, one at a time', () => {
      const queue = [aTaskEntry('pending', { id: 'review-arch', type: 'review' })];
      const decision = classifyPlanning(observe({ queue, snapshot: { issues: [gap] } }));
      expectStage(decision, '1a', 'promoteTask');
      assert.equal(action(decision, 'promoteTask').taskId, 'review-arch');
      assert.match(decision.reason, /^Waiting for .* Meanwhile: Promote review task review-arch/);
      const busy = classifyPlanning(observe({ queue: [...queue, aTaskEntry('processed', { id: 'maintenance-x', type: 'maintenance' })], snapshot: { issues: [gap, taskIssue('maintenance-x', { number: 50 })] } }));
      expectStage(busy, '1a', undefined);
    });

    it('a development task comes before review work', () => {
      const queue = [aTaskEntry('pending', { id: 'review-arch', type: 'review', priority: 'emergency' }), aTaskEntry('pending', { id: 'feature-x', priority: 'low' })];
      assert.equal(action(classifyPlanning(observe({ queue })), 'promoteTask').taskId, 'feature-x');
    });
  });

  describe('duplicates', () => {
    it('follows the oldest open issue with a marker, still sees the PR on a duplicate, and names the duplicates', () => {
      const older = taskIssue('t', { number: 30, createdAt: '2026-11-21T09:00:00Z' });
      const newer = taskIssue('t', { number: 31, createdAt: '2026-11-21T09:05:00Z', linkedPullRequests: [12] });
      const pr = aPullRequest({ number: 12 });
      const decision = classifyPlanning(observe({ queue: [aTaskEntry('processed', { id: 't' })], snapshot: { issues: [newer, older], openPullRequests: [pr] } }));
      const merge = action(decision, 'mergePullRequest');
      assert.equal(merge.pullNumber, 12);
      assert.deepEqual(merge.closeIssues, [30]);
      assert.match(decision.reason, /Duplicate issues ignored, close them: #31 \(another issue of task t\)/);
    });

    it('never opens a second gap issue while one is open, even a duplicate pair', () => {
      const a = gapIssue({ number: 1, createdAt: '2026-11-21T09:00:00Z' });
      const b = gapIssue({ number: 2, createdAt: '2026-11-21T09:30:00Z' });
      const decision = classifyPlanning(observe({ snapshot: { issues: [b, a] } }));
      expectStage(decision, '1a', undefined);
      assert.match(decision.reason, /issue #1/);
      assert.match(decision.reason, /#2 \(another issue of the gap analysis\)/);
    });
  });

  it('is pure: the same observation gives the same decision', () => {
    const obs = observe({ queue: [aTaskEntry('pending', { id: 'a' }), aTaskEntry('processed', { id: 'b' })], snapshot: { issues: [gapIssue(), taskIssue('b', { number: 30 })], openPullRequests: [aPullRequest({ number: 12, closingIssues: [30], ...pendingChecks })] } });
    assert.deepEqual(classifyPlanning(obs), classifyPlanning(obs));
  });

  describe('what needs you shows in the stage reason, whatever the stage', () => {
    const closedUnmerged: Partial<PullRequestSummary> = { state: 'closed', updatedAt: '2026-11-21T11:00:00Z' };

    it('a failed run: the loop opens the gap analysis, and its reason names the failure', () => {
      const decision = classifyPlanning(observe({
        queue: [aTaskEntry('processed', { id: 'a' })],
        snapshot: { issues: [taskIssue('a', { number: 5 })], recentlyClosedPullRequests: [aPullRequest({ number: 7, closingIssues: [5], ...closedUnmerged })] },
      }));
      expectStage(decision, '1a', 'ensureGapIssue');
      assert.equal(decision.reason, 'No gap-analysis issue is open and no development work is pending or in flight: open the gap analysis. Also needs you: the run of task a failed (PR #7 was closed without being merged).');
      assert.deepEqual(needsKinds(decision), ['runFailed']);
    });

    it('a task whose issue was closed by hand: named while another task\'s PR is waited for', () => {
      const decision = classifyPlanning(observe({
        queue: [aTaskEntry('processed', { id: 'a' }), aTaskEntry('processed', { id: 'b' })],
        snapshot: { issues: [taskIssue('a', { number: 5 }), taskIssue('b', { number: 6, state: 'closed', closedAt: '2026-11-21T11:00:00Z' })], openPullRequests: [aPullRequest({ number: 7, closingIssues: [5], ...pendingChecks })] },
      }));
      expectStage(decision, '2b', undefined);
      assert.equal(decision.reason, 'Waiting for PR #7 (task a): checks pending: ci/build. Also needs you: issue #6 (task b) was closed without a merged PR.');
      assert.deepEqual(needsKinds(decision), ['issueClosedOutsideLoop']);
    });

    it('a task in processed/ with no issue, and every other thing that needs you, each once', () => {
      const decision = classifyPlanning(observe({
        queue: [aTaskEntry('processed', { id: 'a' }), aTaskEntry('processed', { id: 'b' }), aTaskEntry('processed', { id: 'c' })],
        snapshot: { issues: [taskIssue('a', { number: 5 }), taskIssue('b', { number: 6, state: 'closed', closedAt: '2026-11-21T11:00:00Z' })], recentlyClosedPullRequests: [aPullRequest({ number: 7, closingIssues: [5], ...closedUnmerged })] },
      }));
      expectStage(decision, '1a', 'ensureGapIssue');
      assert.match(decision.reason, /Also needs you: the run of task a failed \(PR #7 was closed without being merged\); issue #6 \(task b\) was closed without a merged PR; task c is in processed\/ with no issue or PR on GitHub\.$/);
    });

    it('when the stage itself is the failure, its reason says it once and names the others', () => {
      const decision = classifyPlanning(observe({
        snapshot: { issues: [gapIssue(), taskIssue('b', { number: 6, state: 'closed', closedAt: '2026-11-21T11:00:00Z' })], recentlyClosedPullRequests: [aPullRequest({ number: 2, closingIssues: [1], ...closedUnmerged })] },
        queue: [aTaskEntry('processed', { id: 'b' })],
      }));
      expectStage(decision, '1b', undefined);
      assert.equal(decision.reason, 'The run of the gap analysis failed (PR #2 was closed without being merged): needs you. Also needs you: issue #6 (task b) was closed without a merged PR.');
    });
  });

  describe('the focus names its kind of work, with its issue and PR', () => {
    it('the gap analysis, a pending task, a capability update to open and one under way', () => {
      assert.deepEqual(classifyPlanning(observe({})).focus, { kind: 'gapAnalysis', title: gapAnalysisIssueTitle });
      assert.deepEqual(classifyPlanning(observe({ queue: [aTaskEntry('pending', { id: 'a', title: 'Add a' })] })).focus, { kind: 'task', title: 'Add a', taskId: 'a' });
      const merged = aMergedPullRequest({ number: 12, title: 'Add login', closingIssues: [30] });
      const done = { queue: [aTaskEntry('complete', { id: 't' })], issues: [taskIssue('t', { number: 30, state: 'closed' as const, closedAt: '2026-11-21T11:00:00Z' })] };
      const toOpen = classifyPlanning(observe({ queue: done.queue, snapshot: { issues: done.issues, recentlyClosedPullRequests: [merged] } }));
      assert.deepEqual(toOpen.focus, { kind: 'capabilityUpdate', title: 'Add login', taskId: 't', sourcePullRequest: 12 });
      const capability = capabilityIssue(12, { number: 40, title: 'Capabilities after PR #12' });
      const pr = aPullRequest({ number: 41, title: 'Update capabilities', closingIssues: [40], ...pendingChecks });
      const underWay = classifyPlanning(observe({ queue: done.queue, snapshot: { issues: [...done.issues, capability], openPullRequests: [pr], recentlyClosedPullRequests: [merged] } }));
      assert.deepEqual(underWay.focus, {
        kind: 'capabilityUpdate', title: 'Capabilities after PR #12', sourcePullRequest: 12,
        issue: { number: 40, title: 'Capabilities after PR #12', url: capability.url },
        pullRequest: { number: 41, title: 'Update capabilities', url: pr.url },
      });
    });
  });
});
