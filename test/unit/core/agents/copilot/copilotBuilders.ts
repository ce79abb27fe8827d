import type { IssueSummary, PullRequestSummary, TimelineSignal } from '../../../../../src/core/forges/github/githubModel';

/** Typed builders for the Copilot backend's tests: a plain issue/PR, overridden where a row cares. */

export const assignedAt = '2026-11-21T10:00:00Z';

/** `minutes` after the assignment, as GitHub writes times. */
export function at(minutes: number): string {
  return new Date(Date.parse(assignedAt) + minutes * 60_000).toISOString().replace('.000Z', 'Z');
}

export function anIssue(overrides: Partial<IssueSummary> = {}): IssueSummary {
  return {
    number: 7,
    nodeId: 'I_7',
    title: 'Add login',
    body: 'Do it\n\n<!-- ato:task=add-login -->\n',
    state: 'open',
    stateReason: null,
    labels: ['ato', 'ato:task'],
    assignees: ['Copilot'],
    author: 'octocat',
    createdAt: assignedAt,
    updatedAt: assignedAt,
    closedAt: null,
    url: 'https://github.com/octo/app/issues/7',
    linkedPullRequests: [],
    ...overrides,
  };
}

export function aPullRequest(overrides: Partial<PullRequestSummary> = {}): PullRequestSummary {
  const number = overrides.number ?? 8;
  return {
    number,
    nodeId: `PR_${number}`,
    title: '[WIP] Add login',
    body: 'Fixes #7',
    url: `https://github.com/octo/app/pull/${number}`,
    state: 'open',
    isDraft: true,
    author: { login: 'Copilot', isBot: true },
    authorAssociation: 'NONE',
    isCrossRepository: false,
    headRepository: 'o/r',
    headRefName: 'copilot/add-login',
    headSha: 'a'.repeat(40),
    baseRefName: 'main',
    mergeable: 'mergeable',
    mergeStateStatus: null,
    reviewDecision: null,
    reviewRequests: [],
    reviews: [],
    reviewRules: { approvals: 0, codeOwners: false },
    timeline: [],
    labels: [],
    changedFiles: [],
    changedFilesTruncated: false,
    renames: [],
    closingIssues: [7],
    checks: { rollupState: null, contexts: [], requiredContexts: [], awaitingApproval: 0, truncated: false },
    createdAt: at(1),
    updatedAt: at(1),
    mergedAt: null,
    ...overrides,
  };
}

export function aSignal(kind: TimelineSignal['kind'], minutes: number, actor = 'Copilot', subject: string | null = null): TimelineSignal {
  return { kind, actor, subject, at: at(minutes) };
}
