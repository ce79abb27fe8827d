/**
 * Every GraphQL document the adapter sends. A unit test validates each against GitHub's public schema
 * (`@octokit/graphql-schema`); only the preview fields it allow-lists may be unknown there.
 */

/** Page sizes; the snapshot reads open PRs and labelled issues 100 at a time (GitHub's maximum). */
export const snapshotPageSize = 100;
export const closedIssuesRead = 50;
export const recentPullRequestsRead = 20;

const rateLimitFields = 'rateLimit { cost limit remaining resetAt }';

// `assignees` lists users only (the Copilot coding agent is a bot): bot assignees are replayed from the
// latest assignment events.
const issueFields = `
  id number title body url state stateReason createdAt updatedAt closedAt
  author { login }
  labels(first: 50) { nodes { name } }
  assignees(first: 20) { nodes { login } }
  assignmentEvents: timelineItems(itemTypes: [ASSIGNED_EVENT, UNASSIGNED_EVENT], last: 20) {
    nodes {
      __typename
      ... on AssignedEvent { assignee { __typename ... on Bot { login } } }
      ... on UnassignedEvent { assignee { __typename ... on Bot { login } } }
    }
  }
  timelineItems(itemTypes: [CROSS_REFERENCED_EVENT, CONNECTED_EVENT], last: 50) {
    nodes {
      __typename
      ... on CrossReferencedEvent { isCrossRepository source { __typename ... on PullRequest { number } } }
      ... on ConnectedEvent { isCrossRepository subject { __typename ... on PullRequest { number } } }
    }
  }`;

const reviewerFields = '__typename ... on User { login } ... on Bot { login } ... on Mannequin { login } ... on Team { slug }';

/**
 * Pull request fields. `isRequired` needs the PR's number as an argument, which a page of PRs cannot pass
 * per node: the snapshot derives "required" from the base branch's required contexts instead, and the
 * single-PR query asks GitHub (`isRequired(pullRequestNumber: $number)`).
 */
function pullRequestFields(isRequired: string): string {
  return `
  id number title body url state isDraft createdAt updatedAt mergedAt
  author { login __typename }
  authorAssociation isCrossRepository headRepository { nameWithOwner }
  headRefName headRefOid baseRefName
  mergeable mergeStateStatus viewerCanUpdateBranch reviewDecision
  reviewRequests(first: 20) { nodes { requestedReviewer { ${reviewerFields} } } }
  latestReviews(first: 50) { nodes { state authorCanPushToRepository author { login } } }
  timelineItems(itemTypes: [REVIEW_REQUESTED_EVENT, READY_FOR_REVIEW_EVENT], last: 50) {
    nodes {
      __typename
      ... on ReviewRequestedEvent { createdAt actor { login } requestedReviewer { ${reviewerFields} } }
      ... on ReadyForReviewEvent { createdAt actor { login } }
    }
  }
  labels(first: 50) { nodes { name } }
  files(first: 100) { totalCount nodes { path changeType } }
  closingIssuesReferences(first: 20) { nodes { number } }
  baseRef {
    branchProtectionRule { requiredStatusCheckContexts requiresApprovingReviews requiredApprovingReviewCount requiresCodeOwnerReviews }
    refUpdateRule { requiredStatusCheckContexts requiredApprovingReviewCount requiresCodeOwnerReviews }
  }
  commits(last: 1) {
    nodes {
      commit {
        oid
        statusCheckRollup {
          state
          contexts(first: 100) {
            totalCount
            pageInfo { hasNextPage }
            nodes {
              __typename
              ... on CheckRun { name status conclusion detailsUrl startedAt ${isRequired} }
              ... on StatusContext { context state targetUrl createdAt ${isRequired} }
            }
          }
        }
        checkSuites(first: 20) {
          nodes { status conclusion app { slug } workflowRun { databaseId event } }
        }
      }
    }
  }`;
}

/**
 * The batched read. Page 1 (`$first`) also carries the repository, the closed labelled issues and the
 * recently closed PRs; every page carries up to 100 open PRs and up to 100 open labelled issues, each
 * connection only while it has more (`$withPullRequests`, `$withIssues`).
 */
export const snapshotQuery = `
query AtoSnapshot($owner: String!, $name: String!, $first: Boolean!, $withPullRequests: Boolean!, $pullRequestsAfter: String, $withIssues: Boolean!, $issuesAfter: String, $labels: [String!]) {
  ${rateLimitFields}
  viewer @include(if: $first) { login }
  repository(owner: $owner, name: $name) {
    id
    nameWithOwner
    defaultBranchRef @include(if: $first) { name target { oid } }
    pullRequests(states: [OPEN], first: ${snapshotPageSize}, after: $pullRequestsAfter, orderBy: { field: CREATED_AT, direction: ASC }) @include(if: $withPullRequests) {
      pageInfo { hasNextPage endCursor }
      nodes { ...AtoPullRequest }
    }
    recentPullRequests: pullRequests(states: [CLOSED, MERGED], first: ${recentPullRequestsRead}, orderBy: { field: UPDATED_AT, direction: DESC }) @include(if: $first) {
      nodes { ...AtoPullRequest }
    }
    openIssues: issues(states: [OPEN], labels: $labels, first: ${snapshotPageSize}, after: $issuesAfter, orderBy: { field: CREATED_AT, direction: ASC }) @include(if: $withIssues) {
      pageInfo { hasNextPage endCursor }
      nodes { ...AtoIssue }
    }
    closedIssues: issues(states: [CLOSED], labels: $labels, first: ${closedIssuesRead}, orderBy: { field: UPDATED_AT, direction: DESC }) @include(if: $first) {
      nodes { ...AtoIssue }
    }
  }
}
fragment AtoPullRequest on PullRequest {${pullRequestFields('')}
}
fragment AtoIssue on Issue {${issueFields}
}`;

/** One pull request with everything the snapshot reads, and GitHub's own `isRequired` per context. */
export const pullRequestQuery = `
query AtoPullRequestByNumber($owner: String!, $name: String!, $number: Int!) {
  ${rateLimitFields}
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {${pullRequestFields('isRequired(pullRequestNumber: $number)')}
    }
  }
}`;

export const markReadyForReviewMutation = `
mutation AtoMarkReadyForReview($pullRequestId: ID!) {
  markPullRequestReadyForReview(input: { pullRequestId: $pullRequestId }) {
    pullRequest { id isDraft }
  }
}`;

/** Preview API: needs the `GraphQL-Features` header below; absent from the public schema. */
export const suggestedActorsQuery = `
query AtoSuggestedActors($owner: String!, $name: String!, $after: String) {
  ${rateLimitFields}
  repository(owner: $owner, name: $name) {
    suggestedActors(capabilities: [CAN_BE_ASSIGNED], first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { login __typename ... on Bot { id } ... on User { id } }
    }
  }
}`;

/** Header values the documents need. */
export const copilotGraphqlFeatures = 'issues_copilot_assignment_api_support,coding_agent_model_selection';
export const mergeInfoPreviewAccept = 'application/vnd.github.merge-info-preview+json';

/** Public-schema validation must report exactly these, and nothing else (preview fields). */
export const previewFieldErrors: readonly string[] = [
  'Cannot query field "suggestedActors" on type "Repository".',
];
