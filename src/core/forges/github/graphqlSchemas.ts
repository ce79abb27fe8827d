/**
 * zod/mini schemas for the GraphQL answers to graphqlDocuments.ts: exactly the fields ATO reads, with
 * GitHub's nullability (a nullable connection is null when a sub-field failed, e.g. behind SAML).
 */
import * as z from 'zod/mini';
import '../../../shared/zod';

/** `{ nodes: [...] }` of a connection; null entries (a node that failed) are kept for the mapper to count. */
function nodesOf<T extends z.ZodMiniType>(node: T) {
  return z.object({ nodes: z.nullish(z.array(z.nullable(node))) });
}

const login = z.object({ login: z.string() });
const pageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.nullish(z.string()) });

const requestedReviewer = z.object({
  __typename: z.string(),
  login: z.optional(z.string()),
  slug: z.optional(z.string()),
});

const timelineItem = z.discriminatedUnion('__typename', [
  z.object({ __typename: z.literal('ReviewRequestedEvent'), createdAt: z.string(), actor: z.nullish(login), requestedReviewer: z.nullish(requestedReviewer) }),
  z.object({ __typename: z.literal('ReadyForReviewEvent'), createdAt: z.string(), actor: z.nullish(login) }),
]);

const checkContext = z.discriminatedUnion('__typename', [
  z.object({
    __typename: z.literal('CheckRun'),
    name: z.string(),
    status: z.string(),
    conclusion: z.nullish(z.string()),
    detailsUrl: z.nullish(z.string()),
    startedAt: z.nullish(z.string()),
    isRequired: z.optional(z.boolean()),
  }),
  z.object({
    __typename: z.literal('StatusContext'),
    context: z.string(),
    state: z.string(),
    targetUrl: z.nullish(z.string()),
    createdAt: z.string(),
    isRequired: z.optional(z.boolean()),
  }),
]);

const checkSuite = z.object({
  status: z.string(),
  conclusion: z.nullish(z.string()),
  workflowRun: z.nullish(z.object({ databaseId: z.nullish(z.number()) })),
  checkRuns: z.nullish(z.object({ totalCount: z.number() })),
});

const protectionRule = z.nullish(z.object({
  requiredStatusCheckContexts: z.nullish(z.array(z.nullable(z.string()))),
  requiresApprovingReviews: z.nullish(z.boolean()),
  requiredApprovingReviewCount: z.nullish(z.number()),
  requiresCodeOwnerReviews: z.nullish(z.boolean()),
}));

export const pullRequestNodeSchema = z.object({
  id: z.string(),
  number: z.number(),
  title: z.string(),
  body: z.string(),
  url: z.string(),
  state: z.enum(['OPEN', 'CLOSED', 'MERGED']),
  isDraft: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  mergedAt: z.nullish(z.string()),
  author: z.nullish(z.object({ login: z.string(), __typename: z.string() })),
  authorAssociation: z.string(),
  isCrossRepository: z.boolean(),
  headRepository: z.nullish(z.object({ nameWithOwner: z.string() })),
  headRefName: z.string(),
  headRefOid: z.string(),
  baseRefName: z.string(),
  mergeable: z.string(),
  mergeStateStatus: z.nullish(z.string()),
  viewerCanUpdateBranch: z.nullish(z.boolean()),
  reviewDecision: z.nullish(z.string()),
  reviewRequests: z.nullish(nodesOf(z.object({ requestedReviewer: z.nullish(requestedReviewer) }))),
  latestReviews: z.nullish(nodesOf(z.object({ state: z.string(), authorCanPushToRepository: z.boolean(), author: z.nullish(login) }))),
  timelineItems: nodesOf(timelineItem),
  labels: z.nullish(nodesOf(z.object({ name: z.string() }))),
  files: z.nullish(z.object({ totalCount: z.number(), nodes: z.nullish(z.array(z.nullable(z.object({ path: z.string(), changeType: z.string() })))) })),
  closingIssuesReferences: z.nullish(nodesOf(z.object({ number: z.number() }))),
  baseRef: z.nullish(z.object({ branchProtectionRule: protectionRule, refUpdateRule: protectionRule })),
  commits: nodesOf(z.object({
    commit: z.object({
      oid: z.string(),
      statusCheckRollup: z.nullish(z.object({
        state: z.string(),
        contexts: z.object({ totalCount: z.number(), pageInfo: z.object({ hasNextPage: z.boolean() }), nodes: z.nullish(z.array(z.nullable(checkContext))) }),
      })),
      checkSuites: z.nullish(nodesOf(checkSuite)),
    }),
  })),
});

const assignmentEvent = z.object({
  __typename: z.enum(['AssignedEvent', 'UnassignedEvent']),
  assignee: z.nullish(z.object({ __typename: z.string(), login: z.optional(z.string()) })),
});

/** An issue or a pull request; only pull requests carry `number` in the documents. */
const referencedSubject = z.object({ __typename: z.string(), number: z.optional(z.number()) });

export const issueNodeSchema = z.object({
  id: z.string(),
  number: z.number(),
  title: z.string(),
  body: z.string(),
  url: z.string(),
  state: z.enum(['OPEN', 'CLOSED']),
  stateReason: z.nullish(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.nullish(z.string()),
  author: z.nullish(login),
  labels: z.nullish(nodesOf(z.object({ name: z.string() }))),
  assignees: nodesOf(login),
  assignmentEvents: nodesOf(assignmentEvent),
  timelineItems: nodesOf(z.discriminatedUnion('__typename', [
    z.object({ __typename: z.literal('CrossReferencedEvent'), isCrossRepository: z.boolean(), source: referencedSubject }),
    z.object({ __typename: z.literal('ConnectedEvent'), isCrossRepository: z.boolean(), subject: referencedSubject }),
  ])),
});

const rateLimit = z.nullish(z.object({ cost: z.number(), limit: z.number(), remaining: z.number(), resetAt: z.string() }));

export const snapshotPageSchema = z.object({
  rateLimit,
  viewer: z.optional(login),
  repository: z.nullable(z.object({
    id: z.string(),
    nameWithOwner: z.string(),
    defaultBranchRef: z.nullish(z.object({ name: z.string(), target: z.nullish(z.object({ oid: z.string() })) })),
    pullRequests: z.optional(z.object({ pageInfo, nodes: z.nullish(z.array(z.nullable(pullRequestNodeSchema))) })),
    recentPullRequests: z.optional(nodesOf(pullRequestNodeSchema)),
    openIssues: z.optional(z.object({ pageInfo, nodes: z.nullish(z.array(z.nullable(issueNodeSchema))) })),
    closedIssues: z.optional(nodesOf(issueNodeSchema)),
  })),
});

export const pullRequestQuerySchema = z.object({
  rateLimit,
  repository: z.nullable(z.object({ pullRequest: z.nullable(pullRequestNodeSchema) })),
});

export const markReadySchema = z.object({
  markPullRequestReadyForReview: z.nullable(z.object({ pullRequest: z.nullish(z.object({ id: z.string(), isDraft: z.boolean() })) })),
});

export const suggestedActorsSchema = z.object({
  rateLimit,
  repository: z.nullable(z.object({
    suggestedActors: z.object({
      pageInfo,
      nodes: z.nullish(z.array(z.nullable(z.object({ login: z.string(), __typename: z.string(), id: z.optional(z.string()) })))),
    }),
  })),
});

export type PullRequestNode = z.infer<typeof pullRequestNodeSchema>;
export type IssueNode = z.infer<typeof issueNodeSchema>;
export type PullRequestTimelineItem = z.infer<typeof timelineItem>;
export type AssignmentEvent = z.infer<typeof assignmentEvent>;
export type SnapshotPage = z.infer<typeof snapshotPageSchema>;
