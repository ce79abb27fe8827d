import { initialLoopState, type Focus, type FollowedPullRequest, type LoopCounts, type LoopNeedsYou, type LoopState, type PlannedAction, type RedPullRequest, type TickPlan, type TickReport } from '../../src/core/loop/engine/loopModel';

/** Markup that must show as text wherever GitHub text is rendered, and never run. */
export const evilText = '<img src=x onerror="window.__pwned=1">';

export const repoUrl = 'https://github.com/octo/repo';

export const mergeAction: Extract<PlannedAction, { kind: 'mergePullRequest' }> = {
  kind: 'mergePullRequest', reason: 'checks green, review requested', pullNumber: 12, headSha: 'abcdef1234567890', markReady: false, closeIssues: [3], stage: '2c',
};
export const dispatchAction: PlannedAction = { kind: 'dispatchIssue', reason: 'issue #7 has no run', issueNumber: 7 };

/** Task add-login's PR #12 (its issue is #3), ready to merge. */
export const taskFocus: Focus = {
  kind: 'task',
  title: 'Add a login form',
  taskId: 'add-login',
  issue: { number: 3, title: 'Add a login form', url: `${repoUrl}/issues/3` },
  pullRequest: { number: 12, title: '[WIP] Add a login form', url: `${repoUrl}/pull/12` },
};

export function aPlan(overrides: Partial<TickPlan> = {}): TickPlan {
  return {
    at: '2026-11-21T10:00:00.000Z',
    stage: { stage: '2c', reason: 'PR #12 is ready', focus: taskFocus, action: mergeAction, needsYou: [] },
    tracks: [
      { track: 'runs', action: undefined, reason: 'no run is active' },
      { track: 'planning', action: mergeAction, reason: 'PR #12 is ready' },
    ],
    ...overrides,
  };
}

export function aReport(overrides: Partial<TickReport> = {}): TickReport {
  return {
    plan: aPlan(),
    outcomes: [{ track: 'planning', action: mergeAction, result: 'done', message: 'merged at abcdef1' }],
    requests: 4,
    points: 1,
    ...overrides,
  };
}

export function aRedPullRequest(number: number, overrides: Partial<RedPullRequest> = {}): RedPullRequest {
  return {
    number,
    title: `Fix the build ${number}`,
    url: `${repoUrl}/pull/${number}`,
    isDraft: false,
    failingChecks: [{ name: 'test (ubuntu)', url: `${repoUrl}/actions/runs/${number}01` }, { name: 'lint', url: null }],
    fixAttempts: 1,
    ...overrides,
  };
}

/** An open PR the loop follows: task add-login's, CI pending, two rules unmet. */
export function aFollowedPullRequest(number: number, overrides: Partial<FollowedPullRequest> = {}): FollowedPullRequest {
  return {
    number,
    title: `Add a login form ${String(number)}`,
    url: `${repoUrl}/pull/${String(number)}`,
    author: 'Copilot',
    isDraft: false,
    headSha: 'abcdef1234567890',
    work: { kind: 'task', taskId: 'add-login', issueNumber: 3 },
    ci: 'pending',
    failingChecks: [],
    pendingChecks: ['ci/build'],
    verdict: {
      ready: false,
      rules: [
        { rule: 'open', ok: true, detail: 'open' },
        { rule: 'reviewSignal', ok: false, detail: 'no review requested and no approval' },
        { rule: 'checksGreen', ok: false, detail: 'checks pending: ci/build' },
      ],
    },
    ...overrides,
  };
}

export const someCounts: LoopCounts = { pending: 3, processed: 1, complete: 2, invalid: 1, unpromoted: 2, openAtoIssues: 2, openPullRequests: 5, followedPullRequests: 1, localDrafts: 0 };

export const readyToMerge: LoopNeedsYou = { kind: 'readyToMerge', title: 'PR #12 is ready to merge', detail: 'auto-merge is off', url: `${repoUrl}/pull/12`, pullNumber: 12, action: 'merge' };
export const awaitingApproval: LoopNeedsYou = { kind: 'workflowsAwaitingApproval', title: 'PR #14: 2 workflow runs await approval', detail: 'Copilot PRs need a maintainer to approve their workflows', url: `${repoUrl}/pull/14`, pullNumber: 14, action: 'open' };
export const closedOutside: LoopNeedsYou = { kind: 'issueClosedOutsideLoop', title: 'Issue #9 was closed by hand', detail: 'its task stays in processed/', url: `${repoUrl}/issues/9`, issueNumber: 9, taskId: 'add-login', action: 'open' };
/** A failed run of a task the loop offers to requeue (GitHub mode). */
export const requeueOffered: LoopNeedsYou = {
  kind: 'runFailed', title: 'The run of task add-login failed', detail: 'PR #12 was closed without being merged. Requeue it to run it again.', url: `${repoUrl}/pull/12`, pullNumber: 12, issueNumber: 9, taskId: 'add-login', action: 'requeue',
  requeue: { kind: 'requeueTask', reason: 'Task add-login: its run failed.', taskId: 'add-login', path: 'planning/issue_queue/processed/add-login.task.md', closeIssues: [9] },
};
export const invalidRemoteTask: LoopNeedsYou = { kind: 'invalidTask', title: 'Invalid task file bad.task.md', detail: 'fix it on the default branch', taskId: 'bad' };

/** A GitHub-mode loop at stage 2c, paused, with a plan, a report, a budget, red PRs and needs-you items. */
export function aLoopState(overrides: Partial<LoopState> = {}): LoopState {
  return {
    ...initialLoopState,
    mode: 'github',
    running: false,
    stage: aPlan().stage,
    lastTickAt: '2026-11-21T10:00:00.000Z',
    nextTickAt: '2026-11-21T10:05:00.000Z',
    plan: aPlan(),
    lastReport: aReport(),
    rateLimit: {
      core: { resource: 'core', limit: 5000, remaining: 4321, resetAt: '2026-11-21T11:00:00.000Z' },
      graphql: { resource: 'graphql', limit: 5000, remaining: 120, resetAt: '2026-11-21T10:30:00.000Z' },
    },
    redPullRequests: [aRedPullRequest(21), aRedPullRequest(22, { isDraft: true, fixAttempts: 3, failingChecks: [{ name: 'build', url: `${repoUrl}/actions/runs/2201` }] })],
    needsYou: [readyToMerge, awaitingApproval, closedOutside, invalidRemoteTask],
    followedPullRequests: [aFollowedPullRequest(12)],
    counts: someCounts,
    lease: { holder: 'alice@laptop', mine: true, expiresAt: '2026-11-21T10:10:00.000Z' },
    ...overrides,
  };
}

/** `count` red PRs and `count` ready-to-merge items. */
export function aBusyLoopState(count: number): LoopState {
  const redPullRequests: RedPullRequest[] = [];
  const needsYou: LoopNeedsYou[] = [];
  for (let number = 1; number <= count; number++) {
    redPullRequests.push(aRedPullRequest(number));
    needsYou.push({ ...readyToMerge, title: `PR #${number} is ready`, url: `${repoUrl}/pull/${number}`, pullNumber: number });
  }
  return aLoopState({ redPullRequests, needsYou });
}
