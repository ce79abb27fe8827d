/** Payload builders shaped like GitHub's answers (the fields the adapter reads, plus a few it ignores). */

export function restIssue(number: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 1000 + number,
    node_id: `I_${number}`,
    number,
    title: `Issue ${number}`,
    body: 'text',
    state: 'open',
    state_reason: null,
    labels: [{ id: 1, name: 'ato:task', color: 'ededed' }],
    assignees: [{ login: 'copilot-swe-agent[bot]', type: 'Bot' }],
    user: { login: 'alice', type: 'User' },
    created_at: '2026-11-01T10:00:00Z',
    updated_at: '2026-11-02T10:00:00Z',
    closed_at: null,
    html_url: `https://github.com/octo/app/issues/${number}`,
    comments: 0,
    ...overrides,
  };
}

export function graphqlPullRequest(number: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `PR_${number}`,
    number,
    title: `Change ${number}`,
    body: `Fixes #${number - 1}`,
    url: `https://github.com/octo/app/pull/${number}`,
    state: 'OPEN',
    isDraft: false,
    createdAt: '2026-11-01T10:00:00Z',
    updatedAt: '2026-11-02T10:00:00Z',
    mergedAt: null,
    author: { login: 'Copilot', __typename: 'Bot' },
    authorAssociation: 'NONE',
    isCrossRepository: false,
    headRepository: { nameWithOwner: 'octo/app' },
    headRefName: `copilot/change-${number}`,
    headRefOid: 'a'.repeat(40),
    baseRefName: 'main',
    mergeable: 'MERGEABLE',
    mergeStateStatus: 'CLEAN',
    reviewDecision: 'REVIEW_REQUIRED',
    reviewRequests: { nodes: [{ requestedReviewer: { __typename: 'User', login: 'alice' } }, { requestedReviewer: { __typename: 'Team', slug: 'core' } }] },
    latestReviews: { nodes: [{ state: 'APPROVED', authorCanPushToRepository: true, author: { login: 'bob' } }, { state: 'COMMENTED', authorCanPushToRepository: false, author: { login: 'carol' } }] },
    timelineItems: {
      nodes: [
        { __typename: 'ReadyForReviewEvent', createdAt: '2026-11-02T09:00:00Z', actor: { login: 'alice' } },
        { __typename: 'ReviewRequestedEvent', createdAt: '2026-11-02T09:30:00Z', actor: { login: 'Copilot' }, requestedReviewer: { __typename: 'User', login: 'alice' } },
      ],
    },
    labels: { nodes: [{ name: 'ato:task' }] },
    files: { totalCount: 2, nodes: [{ path: 'src/a.ts', changeType: 'MODIFIED' }, { path: 'docs/README.md', changeType: 'RENAMED' }] },
    closingIssuesReferences: { nodes: [{ number: number - 1 }] },
    baseRef: {
      branchProtectionRule: { requiredStatusCheckContexts: ['ci/build'], requiresApprovingReviews: true, requiredApprovingReviewCount: 1, requiresCodeOwnerReviews: false },
      refUpdateRule: { requiredStatusCheckContexts: ['ci/build', 'lint'], requiredApprovingReviewCount: 2, requiresCodeOwnerReviews: true },
    },
    commits: {
      nodes: [{
        commit: {
          oid: 'a'.repeat(40),
          statusCheckRollup: {
            state: 'PENDING',
            contexts: {
              totalCount: 2,
              pageInfo: { hasNextPage: false },
              nodes: [
                { __typename: 'CheckRun', name: 'ci/build', status: 'COMPLETED', conclusion: 'SUCCESS', detailsUrl: 'https://ci/1', startedAt: '2026-11-02T09:10:00Z' },
                { __typename: 'StatusContext', context: 'deploy', state: 'PENDING', targetUrl: null, createdAt: '2026-11-02T09:11:00Z' },
              ],
            },
          },
          checkSuites: {
            nodes: [
              { status: 'COMPLETED', conclusion: 'SUCCESS', app: { slug: 'github-actions' }, workflowRun: { databaseId: 1, event: 'pull_request' }, checkRuns: { totalCount: 1 } },
              { status: 'WAITING', conclusion: 'ACTION_REQUIRED', app: { slug: 'github-actions' }, workflowRun: { databaseId: 2, event: 'pull_request' }, checkRuns: { totalCount: 0 } },
              { status: 'QUEUED', conclusion: null, app: { slug: 'other-ci' }, workflowRun: null, checkRuns: { totalCount: 0 } },
            ],
          },
        },
      }],
    },
    ...overrides,
  };
}

export function graphqlIssue(number: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `I_${number}`,
    number,
    title: `Issue ${number}`,
    body: 'text',
    url: `https://github.com/octo/app/issues/${number}`,
    state: 'OPEN',
    stateReason: null,
    createdAt: '2026-11-01T10:00:00Z',
    updatedAt: '2026-11-02T10:00:00Z',
    closedAt: null,
    author: { login: 'alice' },
    labels: { nodes: [{ name: 'ato:task' }] },
    assignees: { nodes: [{ login: 'alice' }] },
    assignmentEvents: {
      nodes: [
        { __typename: 'AssignedEvent', assignee: { __typename: 'User', login: 'alice' } },
        { __typename: 'AssignedEvent', assignee: { __typename: 'Bot', login: 'copilot-swe-agent' } },
        { __typename: 'AssignedEvent', assignee: { __typename: 'Bot', login: 'other-bot' } },
        { __typename: 'UnassignedEvent', assignee: { __typename: 'Bot', login: 'other-bot' } },
      ],
    },
    timelineItems: {
      nodes: [
        { __typename: 'CrossReferencedEvent', isCrossRepository: false, source: { __typename: 'Issue' } },
        { __typename: 'CrossReferencedEvent', isCrossRepository: false, source: { __typename: 'PullRequest', number: number + 1 } },
        { __typename: 'CrossReferencedEvent', isCrossRepository: true, source: { __typename: 'PullRequest', number: number + 7 } },
        { __typename: 'ConnectedEvent', isCrossRepository: false, subject: { __typename: 'PullRequest', number: number + 1 } },
        { __typename: 'ConnectedEvent', isCrossRepository: false, subject: { __typename: 'PullRequest', number: number + 5 } },
      ],
    },
    ...overrides,
  };
}

export const rateLimit = { cost: 3, limit: 5000, remaining: 4990, resetAt: '2026-11-21T12:00:00Z' };

/** A snapshot page as the document asks for it; parts not included on later pages are left out. */
export function snapshotPage(options: {
  readonly pullRequests?: readonly Record<string, unknown>[];
  readonly hasNextPage?: boolean;
  readonly endCursor?: string | null;
  readonly first?: boolean;
  readonly openIssues?: readonly Record<string, unknown>[];
  readonly issuesHaveNextPage?: boolean;
  readonly closedIssues?: readonly Record<string, unknown>[];
  readonly recentPullRequests?: readonly Record<string, unknown>[];
}): Record<string, unknown> {
  const first = options.first ?? true;
  return {
    rateLimit,
    repository: {
      id: 'R_1',
      nameWithOwner: 'octo/app',
      ...(first ? { defaultBranchRef: { name: 'main', target: { oid: 'b'.repeat(40) } } } : {}),
      ...(options.pullRequests === undefined ? {} : {
        pullRequests: { pageInfo: { hasNextPage: options.hasNextPage ?? false, endCursor: options.endCursor ?? null }, nodes: options.pullRequests },
      }),
      ...(first ? { recentPullRequests: { nodes: options.recentPullRequests ?? [] } } : {}),
      ...(options.openIssues === undefined ? {} : {
        openIssues: { pageInfo: { hasNextPage: options.issuesHaveNextPage ?? false, endCursor: options.issuesHaveNextPage === true ? 'issues-cursor' : null }, nodes: options.openIssues },
      }),
      ...(first ? { closedIssues: { nodes: options.closedIssues ?? [] } } : {}),
    },
  };
}
