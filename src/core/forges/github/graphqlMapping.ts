import type { CheckContext, GitHubActor, IssueSummary, PullRequestChecks, PullRequestSummary, TimelineSignal } from './githubModel';
import type { AssignmentEvent, IssueNode, PullRequestNode, PullRequestTimelineItem } from './graphqlSchemas';

/** Collects what could not be read (nodes GitHub nulled for a permission or SAML error). */
export type Warn = (text: string) => void;

/** Non-null nodes of a connection; a null entry is a node GitHub could not give us, which is worth a warning. */
export function compactNodes<T>(nodes: readonly (T | null)[] | null | undefined, what: string, warn: Warn): T[] {
  if (nodes === null || nodes === undefined) return [];
  const present = nodes.filter((node): node is T => node !== null);
  if (present.length < nodes.length) warn(`${nodes.length - present.length} ${what} could not be read`);
  return present;
}

const ghost = 'ghost';

export function mapPullRequest(node: PullRequestNode, warn: Warn): PullRequestSummary {
  const where = `pull request #${node.number}`;
  const files = node.files ?? null;
  const fileNodes = compactNodes(files?.nodes, `changed files of ${where}`, warn);
  const changedFiles = fileNodes.map(file => file.path);
  if (files === null) warn(`changed files of ${where} could not be read`);
  return {
    number: node.number,
    nodeId: node.id,
    title: node.title,
    body: node.body,
    url: node.url,
    state: node.state === 'OPEN' ? 'open' : node.state === 'MERGED' ? 'merged' : 'closed',
    isDraft: node.isDraft,
    author: actorOf(node.author),
    authorAssociation: node.authorAssociation,
    isCrossRepository: node.isCrossRepository,
    headRepository: node.headRepository?.nameWithOwner ?? null,
    headRefName: node.headRefName,
    headSha: node.headRefOid,
    baseRefName: node.baseRefName,
    mergeable: node.mergeable === 'MERGEABLE' ? 'mergeable' : node.mergeable === 'CONFLICTING' ? 'conflicting' : 'unknown',
    mergeStateStatus: node.mergeStateStatus ?? null,
    ...(typeof node.viewerCanUpdateBranch === 'boolean' ? { canUpdateBranch: node.viewerCanUpdateBranch } : {}),
    reviewDecision: reviewDecisionOf(node.reviewDecision),
    reviewRequests: compactNodes(node.reviewRequests?.nodes, `review requests of ${where}`, warn)
      .map(request => reviewerName(request.requestedReviewer))
      .filter((name): name is string => name !== null),
    reviews: compactNodes(node.latestReviews?.nodes, `reviews of ${where}`, warn)
      .map(review => ({ author: review.author?.login ?? ghost, state: review.state, authorCanPush: review.authorCanPushToRepository })),
    reviewRules: reviewRulesOf(node),
    timeline: compactNodes(node.timelineItems.nodes, `timeline events of ${where}`, warn).map(timelineSignalOf),
    labels: compactNodes(node.labels?.nodes, `labels of ${where}`, warn).map(label => label.name),
    changedFiles,
    renames: fileNodes.filter(file => file.changeType === 'RENAMED').map(file => ({ path: file.path, previousPath: null })),
    // A partial list must never let a protected-path check pass.
    changedFilesTruncated: files === null || files.totalCount > changedFiles.length,
    closingIssues: compactNodes(node.closingIssuesReferences?.nodes, `closing issues of ${where}`, warn).map(issue => issue.number),
    checks: checksOf(node, warn),
    createdAt: node.createdAt,
    updatedAt: node.updatedAt,
    mergedAt: node.mergedAt ?? null,
  };
}

function actorOf(author: { readonly login: string; readonly __typename: string } | null | undefined): GitHubActor {
  return author === null || author === undefined ? { login: ghost, isBot: false } : { login: author.login, isBot: author.__typename === 'Bot' };
}

function reviewDecisionOf(decision: string | null | undefined): PullRequestSummary['reviewDecision'] {
  switch (decision) {
    case 'APPROVED': return 'approved';
    case 'CHANGES_REQUESTED': return 'changesRequested';
    case 'REVIEW_REQUIRED': return 'reviewRequired';
    case null:
    case undefined:
    default: return null;
  }
}

/** The stricter of the classic protection rule and the rulesets for the base branch. */
function reviewRulesOf(node: PullRequestNode): PullRequestSummary['reviewRules'] {
  const rules = [node.baseRef?.branchProtectionRule, node.baseRef?.refUpdateRule].filter(rule => rule !== null && rule !== undefined);
  const approvals = Math.max(0, ...rules.filter(rule => rule.requiresApprovingReviews !== false).map(rule => rule.requiredApprovingReviewCount ?? 0));
  return { approvals, codeOwners: rules.some(rule => rule.requiresCodeOwnerReviews === true) };
}

function reviewerName(reviewer: { readonly login?: string | undefined; readonly slug?: string | undefined } | null | undefined): string | null {
  return reviewer?.login ?? reviewer?.slug ?? null;
}

function timelineSignalOf(item: PullRequestTimelineItem): TimelineSignal {
  if (item.__typename === 'ReviewRequestedEvent') {
    return { kind: 'reviewRequested', actor: item.actor?.login ?? ghost, subject: reviewerName(item.requestedReviewer), at: item.createdAt };
  }
  return { kind: 'readyForReview', actor: item.actor?.login ?? ghost, subject: null, at: item.createdAt };
}

function checksOf(node: PullRequestNode, warn: Warn): PullRequestChecks {
  const where = `pull request #${node.number}`;
  const base = node.baseRef;
  const requiredContexts = [...new Set([
    ...base?.branchProtectionRule?.requiredStatusCheckContexts ?? [],
    ...base?.refUpdateRule?.requiredStatusCheckContexts ?? [],
  ].filter((name): name is string => name !== null))];
  const commits = compactNodes(node.commits.nodes, `commits of ${where}`, warn);
  const commit = commits.at(-1)?.commit;
  const rollup = commit?.statusCheckRollup ?? null;
  const isRequired = (name: string, reported: boolean | undefined): boolean => reported ?? requiredContexts.includes(name);
  const contexts = compactNodes(rollup?.contexts.nodes, `checks of ${where}`, warn).map((context): CheckContext => {
    if (context.__typename === 'CheckRun') {
      return {
        kind: 'checkRun', name: context.name, status: context.status, conclusion: context.conclusion ?? null,
        required: isRequired(context.name, context.isRequired), url: context.detailsUrl ?? null, startedAt: context.startedAt ?? null,
      };
    }
    return {
      kind: 'status', name: context.context, status: context.state, conclusion: null,
      required: isRequired(context.context, context.isRequired), url: context.targetUrl ?? null, startedAt: context.createdAt,
    };
  });
  if (commit !== undefined && (commit.checkSuites ?? null) === null) warn(`check suites of ${where} could not be read`);
  // A workflow run waiting for a maintainer's approval has a suite (ACTION_REQUIRED, or WAITING) but no job
  // yet, so the rollup misses it. Its check runs are not read: a nested connection per suite would cost
  // 100 × suites requests per page in GitHub's rate-limit formula (about 50 points a page).
  const awaitingApproval = compactNodes(commit?.checkSuites?.nodes, `check suites of ${where}`, warn)
    .filter(suite => (suite.workflowRun ?? null) !== null && (suite.checkRuns?.totalCount ?? 0) === 0)
    .filter(suite => suite.conclusion === 'ACTION_REQUIRED' || suite.status === 'WAITING')
    .length;
  return {
    rollupState: rollup?.state ?? null,
    contexts,
    requiredContexts,
    awaitingApproval,
    truncated: rollup?.contexts.pageInfo.hasNextPage ?? false,
  };
}

export function mapIssue(node: IssueNode, warn: Warn): IssueSummary {
  const where = `issue #${node.number}`;
  const linked: number[] = [];
  for (const item of compactNodes(node.timelineItems.nodes, `timeline events of ${where}`, warn)) {
    const subject = item.__typename === 'CrossReferencedEvent' ? item.source : item.subject;
    // A number from another repository would name the wrong pull request here.
    if (item.isCrossRepository || subject.__typename !== 'PullRequest' || subject.number === undefined) continue;
    if (!linked.includes(subject.number)) linked.push(subject.number);
  }
  const assignees = compactNodes(node.assignees.nodes, `assignees of ${where}`, warn).map(user => user.login);
  for (const bot of botAssignees(compactNodes(node.assignmentEvents.nodes, `assignment events of ${where}`, warn))) {
    if (!assignees.includes(bot)) assignees.push(bot);
  }
  return {
    number: node.number,
    nodeId: node.id,
    title: node.title,
    body: node.body,
    state: node.state === 'OPEN' ? 'open' : 'closed',
    stateReason: stateReasonOf(node.stateReason),
    labels: compactNodes(node.labels?.nodes, `labels of ${where}`, warn).map(label => label.name),
    assignees,
    author: node.author?.login ?? ghost,
    createdAt: node.createdAt,
    updatedAt: node.updatedAt,
    closedAt: node.closedAt ?? null,
    url: node.url,
    linkedPullRequests: linked,
  };
}

/** Bots whose latest assignment event (oldest first) assigned them. */
function botAssignees(events: readonly AssignmentEvent[]): string[] {
  const assigned: string[] = [];
  for (const event of events) {
    const login = event.assignee?.__typename === 'Bot' ? event.assignee.login : undefined;
    if (login === undefined) continue;
    const at = assigned.indexOf(login);
    if (at >= 0) assigned.splice(at, 1);
    if (event.__typename === 'AssignedEvent') assigned.push(login);
  }
  return assigned;
}

/** GraphQL's upper-case reasons and REST's lower-case ones; anything newer reads as "no reason". */
export function stateReasonOf(reason: string | null | undefined): IssueSummary['stateReason'] {
  switch (reason?.toLowerCase()) {
    case 'completed': return 'completed';
    case 'not_planned': return 'not_planned';
    case 'reopened': return 'reopened';
    case 'duplicate': return 'duplicate';
    case undefined:
    default: return null;
  }
}
