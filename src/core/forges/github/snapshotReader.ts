import type { Logger } from '../../logging/logger';
import type { GitHubClient, GraphqlResult } from './githubClient';
import { GitHubError } from './githubError';
import type { IssueSummary, PullRequestSummary, RateLimitBudget, RepoSnapshot } from './githubModel';
import { compactNodes, mapIssue, mapPullRequest } from './graphqlMapping';
import { mergeInfoPreviewAccept, snapshotQuery } from './graphqlDocuments';
import { snapshotPageSchema, type SnapshotPage } from './graphqlSchemas';

/** Stops a server that keeps answering "next page" from looping forever (100 pages = 10,000 open PRs). */
const maxPages = 100;

/**
 * The batched read: one GraphQL request per 100 open pull requests (and per 100 open labelled issues,
 * fetched in the same requests), the first also carrying the repository, the recently closed PRs and
 * the recently closed labelled issues. Sub-fields GitHub could not give (SAML, permissions) are left out
 * and reported in `warnings`.
 */
export async function readSnapshot(client: GitHubClient, issueLabels: readonly string[], log: Logger, now: () => number): Promise<RepoSnapshot> {
  const fetchedAt = new Date(now()).toISOString();
  const warnings: string[] = [];
  const warn = (text: string): void => {
    if (!warnings.includes(text)) warnings.push(text);
  };
  const openPullRequests = new Map<number, PullRequestSummary>();
  const issues = new Map<number, IssueSummary>();
  const withLabels = issueLabels.length > 0;
  let first: NonNullable<SnapshotPage['repository']> | undefined;
  let viewerLogin: string | undefined;
  let rateLimit: RateLimitBudget | undefined;
  let pullRequestsAfter: string | null = null;
  let issuesAfter: string | null = null;
  let morePullRequests = true;
  let moreIssues = withLabels;
  for (let page = 0; page === 0 || morePullRequests || moreIssues; page++) {
    if (page >= maxPages) throw new GitHubError('malformed', `snapshot: more than ${maxPages} pages of pull requests or issues`, undefined);
    const result: GraphqlResult<SnapshotPage> = await client.graphql(snapshotQuery, {
      owner: client.repo.owner,
      name: client.repo.name,
      first: page === 0,
      withPullRequests: morePullRequests,
      pullRequestsAfter,
      withIssues: moreIssues,
      issuesAfter,
      labels: withLabels ? issueLabels : null,
    }, snapshotPageSchema, { accept: mergeInfoPreviewAccept });
    for (const warning of result.warnings) warn(warning);
    const repository = result.data.repository;
    if (repository === null) {
      throw new GitHubError(result.errorKind ?? 'notFound', `snapshot: repository ${client.repo.owner}/${client.repo.name} not found: ${result.warnings.join('; ')}`, undefined);
    }
    const budget = result.data.rateLimit ?? null;
    if (budget !== null) {
      const { limit, remaining, resetAt } = budget;
      rateLimit = { resource: 'graphql', limit, remaining, resetAt };
    }
    first ??= repository;
    viewerLogin ??= result.data.viewer?.login;
    const pullRequestPage = repository.pullRequests;
    if (morePullRequests) {
      if (pullRequestPage === undefined) throw new GitHubError('malformed', 'snapshot: no pullRequests connection in the answer', undefined);
      for (const node of compactNodes(pullRequestPage.nodes, 'open pull requests', warn)) openPullRequests.set(node.number, mapPullRequest(node, warn));
      morePullRequests = nextPage(pullRequestPage.pageInfo, pullRequestsAfter);
      pullRequestsAfter = pullRequestPage.pageInfo.endCursor ?? null;
    }
    const issuePage = repository.openIssues;
    if (moreIssues) {
      if (issuePage === undefined) throw new GitHubError('malformed', 'snapshot: no openIssues connection in the answer', undefined);
      for (const node of compactNodes(issuePage.nodes, 'open issues', warn)) issues.set(node.number, mapIssue(node, warn));
      moreIssues = nextPage(issuePage.pageInfo, issuesAfter);
      issuesAfter = issuePage.pageInfo.endCursor ?? null;
    }
  }
  if (first === undefined) throw new GitHubError('malformed', 'snapshot: no page read', undefined);
  for (const node of compactNodes(first.closedIssues?.nodes, 'closed issues', warn)) {
    if (!issues.has(node.number)) issues.set(node.number, mapIssue(node, warn));
  }
  const recentlyClosedPullRequests = compactNodes(first.recentPullRequests?.nodes, 'recently closed pull requests', warn)
    .filter(node => !openPullRequests.has(node.number))
    .map(node => mapPullRequest(node, warn));
  const branch = first.defaultBranchRef;
  const target = branch?.target ?? null;
  if (branch === null || branch === undefined || target === null) throw new GitHubError('malformed', `snapshot: ${first.nameWithOwner} has no default branch`, undefined);
  if (warnings.length > 0) log.warn('snapshot of %s read with gaps: %s', first.nameWithOwner, warnings.join('; '));
  return {
    owner: client.repo.owner,
    name: client.repo.name,
    repositoryId: first.id,
    viewerLogin,
    defaultBranch: branch.name,
    defaultBranchSha: target.oid,
    fetchedAt,
    openPullRequests: [...openPullRequests.values()],
    recentlyClosedPullRequests,
    issues: [...issues.values()],
    rateLimit,
    warnings,
  };
}

/** A next page exists and its cursor moved (a server repeating a cursor must not loop forever). */
function nextPage(pageInfo: { readonly hasNextPage: boolean; readonly endCursor?: string | null | undefined }, previous: string | null): boolean {
  if (!pageInfo.hasNextPage) return false;
  if (pageInfo.endCursor === null || pageInfo.endCursor === undefined || pageInfo.endCursor === previous) {
    throw new GitHubError('malformed', 'snapshot: a next page without a new cursor', undefined);
  }
  return true;
}
