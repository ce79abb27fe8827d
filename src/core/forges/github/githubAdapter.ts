import * as z from 'zod/mini';
import '../../../shared/zod';
import type { Logger } from '../../logging/logger';
import type { Redactor } from '../../logging/redactor';
import { EtagCache, type EtagCacheOptions } from './etagCache';
import { GitHubClient, type GraphqlResult } from './githubClient';
import { GitHubError, isGitHubError } from './githubError';
import { createGitHubMaintenance, type GitHubMaintenance } from './githubMaintenance';
import type {
  AgentAssignment, FileChange, FileRename, GitCommitInfo, GitRefValue, IssueComment, IssueSummary, MergeMethod, MergeResult,
  NewIssue, PullRequestSummary, RepoCoordinates, RepoSnapshot, TimelineSignal,
} from './githubModel';
import type { AssignableActor, GitHubPort, GitHubUsage, PullRequestRef, RepoPermission } from './githubPort';
import { createGitHubFetch, type FetchFunction } from './githubTransport';
import { GitData } from './gitData';
import { compactNodes, mapPullRequest } from './graphqlMapping';
import { copilotGraphqlFeatures, markReadyForReviewMutation, mergeInfoPreviewAccept, pullRequestQuery, suggestedActorsQuery } from './graphqlDocuments';
import { markReadySchema, pullRequestQuerySchema, suggestedActorsSchema } from './graphqlSchemas';
import { createOctokit, type GitHubRetryOptions, type OctokitRequester } from './octokitFactory';
import { graphqlUrlFor } from './remoteUrl';
import { linkedPullRequestsOf, mapRestComment, mapRestIssue, timelineSignalsOf } from './restMapping';
import { restCommentSchema, restContentSchema, restDiffEntrySchema, restIssueSchema, restLabelSchema, restMergeSchema, restPermissionSchema, restPullSchema } from './restSchemas';
import { readSnapshot } from './snapshotReader';
import { UsageMeter } from './usageMeter';

export interface GitHubPortOptions {
  readonly repo: RepoCoordinates;
  readonly token: string;
  /** Per HTTP request (`ato.network.timeoutSeconds` × 1000). */
  readonly timeoutMs: number;
  readonly log: Logger;
  /** Every request body passes it (see GitHubClient): what ATO writes to GitHub never carries a secret. */
  readonly redactor: Redactor;
  /** e.g. `ato/0.1.0`; GitHub asks every client to name itself. */
  readonly userAgent: string;
  readonly retry?: GitHubRetryOptions;
  /** The ETag cache's bounds. */
  readonly cache?: EtagCacheOptions;
  /** Clock (ms since the epoch) for `fetchedAt` and rate-limit waits; default `Date.now`. */
  readonly now?: () => number;
  /** The fetch under Octokit; default the global one. */
  readonly fetch?: FetchFunction;
}

/**
 * The GitHub port over Octokit (loaded on its first request). Every method throws `GitHubError`;
 * every GET is conditional (keep one port per repository: the ETag cache lives in it); answers are
 * validated before ATO reads them. Reads and idempotent writes are retried after a 5xx or a network
 * failure; writes that a retry could duplicate or misreport (create issue, comment, merge, create ref,
 * GraphQL mutations) are not: the caller re-reads GitHub and decides.
 */
export function createGitHubPort(options: GitHubPortOptions): Promise<GitHubPort> {
  const log = options.log.scoped('github');
  const now = options.now ?? Date.now;
  const meter = new UsageMeter();
  const graphqlUrl = graphqlUrlFor(options.repo.apiUrl);
  const fetch = createGitHubFetch({ timeoutMs: options.timeoutMs, cache: new EtagCache(options.cache), meter, graphqlUrl, log, ...(options.fetch ? { fetch: options.fetch } : {}) });
  // Octokit (its vendor file, and Node's fetch under it) loads with the first request, not here: a caller
  // that starts other work first (the loop's `git fetch`) overlaps the two (issue 14, `ato status`).
  let loaded: Promise<OctokitRequester> | undefined;
  const octokit: OctokitRequester = {
    request: async (route, parameters) => {
      loaded ??= createOctokit({
        apiUrl: options.repo.apiUrl.replace(/\/+$/, ''),
        token: options.token,
        userAgent: options.userAgent,
        fetch,
        log,
        retry: options.retry ?? {},
        id: `ato:${options.repo.apiUrl}/${options.repo.owner}/${options.repo.name}`,
      });
      return (await loaded).request(route, parameters);
    },
  };
  return Promise.resolve(new GitHubAdapter(new GitHubClient(options.repo, octokit, meter, graphqlUrl, now, options.redactor), log, now));
}

const anyList = z.array(z.unknown());
const rawContentSchema = z.union([z.string(), z.instanceof(ArrayBuffer)]);

class GitHubAdapter implements GitHubPort {
  private readonly git: GitData;
  readonly maintenance: GitHubMaintenance;

  constructor(private readonly client: GitHubClient, private readonly log: Logger, private readonly now: () => number) {
    this.git = new GitData(client);
    this.maintenance = createGitHubMaintenance(client);
  }

  get repo(): RepoCoordinates {
    return this.client.repo;
  }

  get usage(): GitHubUsage {
    return this.client.usage;
  }

  async probeChanges(): Promise<boolean> {
    const result = await this.client.rest({
      method: 'GET',
      path: this.client.repoPath('issues'),
      query: { state: 'all', sort: 'updated', direction: 'desc', per_page: 1 },
    }, anyList);
    return !result.notModified;
  }

  snapshot(options: { readonly issueLabels: readonly string[] }): Promise<RepoSnapshot> {
    return readSnapshot(this.client, options.issueLabels, this.log, this.now);
  }

  async listIssuesByLabel(label: string, state: 'open' | 'closed' | 'all' = 'all'): Promise<readonly IssueSummary[]> {
    const { items } = await this.client.restPages({
      method: 'GET',
      path: this.client.repoPath('issues'),
      query: { labels: label, state, sort: 'created', direction: 'asc' },
    }, restIssueSchema);
    return items.filter(issue => issue.pull_request === undefined).map(issue => mapRestIssue(issue));
  }

  async listOpenIssues(): Promise<readonly IssueSummary[]> {
    const { items } = await this.client.restPages({
      method: 'GET',
      path: this.client.repoPath('issues'),
      query: { state: 'open', sort: 'created', direction: 'asc' },
    }, restIssueSchema);
    return items.filter(issue => issue.pull_request === undefined).map(issue => mapRestIssue(issue));
  }

  async getIssue(issueNumber: number): Promise<IssueSummary> {
    const { data } = await this.client.rest({ method: 'GET', path: this.client.repoPath('issues', issueNumber) }, restIssueSchema);
    const timeline = await this.client.restPages({ method: 'GET', path: this.client.repoPath('issues', issueNumber, 'timeline') }, z.unknown());
    return mapRestIssue(data, linkedPullRequestsOf(timeline.items, `${this.repo.owner}/${this.repo.name}`));
  }

  async createIssue(issue: NewIssue): Promise<IssueSummary> {
    const { data } = await this.client.rest({
      method: 'POST',
      path: this.client.repoPath('issues'),
      retryOnFailure: false,
      body: {
        title: issue.title,
        body: issue.body,
        labels: issue.labels,
        ...(issue.assignees === undefined ? {} : { assignees: issue.assignees }),
        ...(issue.agentAssignment === undefined ? {} : { agent_assignment: issue.agentAssignment }),
      },
    }, restIssueSchema);
    return mapRestIssue(data);
  }

  async updateIssue(issueNumber: number, change: { readonly title?: string; readonly body?: string; readonly state?: 'open' | 'closed'; readonly stateReason?: 'completed' | 'not_planned' }): Promise<IssueSummary> {
    const body = {
      ...(change.title === undefined ? {} : { title: change.title }),
      ...(change.body === undefined ? {} : { body: change.body }),
      ...(change.state === undefined ? {} : { state: change.state }),
      ...(change.stateReason === undefined ? {} : { state_reason: change.stateReason }),
    };
    const { data } = await this.client.rest({ method: 'PATCH', path: this.client.repoPath('issues', issueNumber), body }, restIssueSchema);
    return mapRestIssue(data);
  }

  async addAssignees(issueNumber: number, assignees: readonly string[], agentAssignment?: AgentAssignment): Promise<IssueSummary> {
    const { data } = await this.client.rest({
      method: 'POST',
      path: this.client.repoPath('issues', issueNumber, 'assignees'),
      body: { assignees, ...(agentAssignment === undefined ? {} : { agent_assignment: agentAssignment }) },
    }, restIssueSchema);
    return mapRestIssue(data);
  }

  async listComments(issueNumber: number): Promise<readonly IssueComment[]> {
    const { items } = await this.client.restPages({ method: 'GET', path: this.client.repoPath('issues', issueNumber, 'comments') }, restCommentSchema);
    return items.map(mapRestComment);
  }

  async createComment(issueNumber: number, body: string): Promise<IssueComment> {
    const { data } = await this.client.rest({ method: 'POST', path: this.client.repoPath('issues', issueNumber, 'comments'), body: { body }, retryOnFailure: false }, restCommentSchema);
    return mapRestComment(data);
  }

  async addLabels(issueNumber: number, labels: readonly string[]): Promise<void> {
    await this.client.rest({ method: 'POST', path: this.client.repoPath('issues', issueNumber, 'labels'), body: { labels } }, z.array(restLabelSchema));
  }

  async ensureLabel(name: string, color: string, description: string): Promise<void> {
    try {
      await this.client.rest({ method: 'GET', path: this.client.repoPath('labels', name) }, restLabelSchema);
      return;
    } catch (error) {
      if (!isGitHubError(error, 'notFound')) throw error;
    }
    try {
      await this.client.rest({
        method: 'POST',
        path: this.client.repoPath('labels'),
        body: { name, color: color.replace(/^#/, ''), description },
      }, restLabelSchema);
    } catch (error) {
      // Created meanwhile by someone else: what we wanted.
      if (isGitHubError(error, 'invalid') && error.codes.includes('already_exists')) return;
      throw error;
    }
  }

  async listTimelineSignals(issueNumber: number): Promise<readonly TimelineSignal[]> {
    const { items } = await this.client.restPages({ method: 'GET', path: this.client.repoPath('issues', issueNumber, 'timeline') }, z.unknown());
    const { signals, malformed } = timelineSignalsOf(items);
    if (malformed > 0) {
      throw new GitHubError('malformed', `GET timeline of #${issueNumber}: ${malformed} review-request, ready-for-review or Copilot event(s) without their fields`, 200);
    }
    return signals;
  }

  async getPullRequest(pullNumber: number): Promise<PullRequestSummary> {
    const result = await this.client.graphql(pullRequestQuery, { owner: this.repo.owner, name: this.repo.name, number: pullNumber },
      pullRequestQuerySchema, { accept: mergeInfoPreviewAccept });
    const node = result.data.repository?.pullRequest ?? null;
    if (node === null) {
      throw new GitHubError(result.errorKind ?? 'notFound', `pull request #${pullNumber} not found${result.warnings.length > 0 ? `: ${result.warnings.join('; ')}` : ''}`, undefined);
    }
    const warnings: string[] = [...result.warnings];
    const summary = mapPullRequest(node, text => warnings.push(text));
    if (warnings.length > 0) this.log.warn('pull request #%d read with gaps: %s', pullNumber, warnings.join('; '));
    return summary;
  }

  async openPullRequest(options: { readonly head: string; readonly base: string; readonly title: string; readonly body: string }): Promise<PullRequestRef> {
    const { data } = await this.client.rest({ method: 'POST', path: this.client.repoPath('pulls'), retryOnFailure: false, body: { head: options.head, base: options.base, title: options.title, body: options.body } }, restPullSchema);
    return { number: data.number, url: data.html_url };
  }

  async openPullRequestsFrom(head: string): Promise<readonly PullRequestRef[]> {
    const { data } = await this.client.rest({ method: 'GET', path: this.client.repoPath('pulls'), query: { state: 'open', head: `${this.client.repo.owner}:${head}`, per_page: 100 } }, z.array(restPullSchema));
    return data.filter(pull => pull.head.ref === head).map(pull => ({ number: pull.number, url: pull.html_url }));
  }

  async renamedFiles(pullNumber: number): Promise<readonly FileRename[]> {
    const { items } = await this.client.restPages({ method: 'GET', path: this.client.repoPath('pulls', pullNumber, 'files') }, restDiffEntrySchema);
    return items.filter(file => file.status === 'renamed').map(file => ({ path: file.filename, previousPath: file.previous_filename ?? null }));
  }

  async markReadyForReview(pullRequestNodeId: string): Promise<void> {
    const result = await this.client.graphql(markReadyForReviewMutation, { pullRequestId: pullRequestNodeId }, markReadySchema);
    if (result.data.markPullRequestReadyForReview === null) {
      throw new GitHubError(result.errorKind ?? 'invalid', `markPullRequestReadyForReview: ${result.warnings.join('; ')}`, undefined);
    }
  }

  async mergePullRequest(pullNumber: number, options: { readonly sha: string; readonly method: MergeMethod; readonly title?: string }): Promise<MergeResult> {
    const { data } = await this.client.rest({
      method: 'PUT',
      path: this.client.repoPath('pulls', pullNumber, 'merge'),
      retryOnFailure: false,
      body: { sha: options.sha, merge_method: options.method, ...(options.title === undefined ? {} : { commit_title: options.title }) },
    }, restMergeSchema);
    return { merged: data.merged, sha: data.sha ?? null, message: data.message };
  }

  async getFileText(path: string, ref: string): Promise<string | undefined> {
    const request = { method: 'GET', path: this.client.repoPath('contents', path), query: { ref } } as const;
    let content: z.infer<typeof restContentSchema>;
    try {
      content = (await this.client.rest(request, restContentSchema)).data;
    } catch (error) {
      if (isGitHubError(error, 'notFound')) return undefined;
      throw error;
    }
    if (Array.isArray(content) || content.type !== 'file') {
      throw new GitHubError('invalid', `${path} at ${ref} is not a file`, 200);
    }
    if (content.encoding === 'base64' && content.content !== undefined) return Buffer.from(content.content, 'base64').toString('utf8');
    // Files over 1 MB come without content (`encoding: none`): ask for the raw bytes.
    const raw = await this.client.rest({ ...request, headers: { accept: 'application/vnd.github.raw+json' } }, rawContentSchema);
    return typeof raw.data === 'string' ? raw.data : Buffer.from(raw.data).toString('utf8');
  }

  commitFiles(branch: string, options: { readonly expectedHeadSha: string; readonly message: string; readonly changes: readonly FileChange[] }): Promise<string> {
    return this.git.commitFiles(branch, options);
  }

  getRef(ref: string): Promise<GitRefValue | undefined> {
    return this.git.getRef(ref);
  }

  getCommit(sha: string): Promise<GitCommitInfo> {
    return this.git.getCommit(sha);
  }

  createCommit(options: { readonly message: string; readonly treeSha: string; readonly parents: readonly string[] }): Promise<string> {
    return this.git.createCommit(options);
  }

  createTree(files: readonly { readonly path: string; readonly content: string }[]): Promise<string> {
    return this.git.createTree(files);
  }

  createRef(ref: string, sha: string): Promise<void> {
    return this.git.createRef(ref, sha);
  }

  updateRefFastForward(ref: string, sha: string): Promise<void> {
    return this.git.updateRefFastForward(ref, sha);
  }

  async permissionOf(login: string): Promise<RepoPermission> {
    try {
      const { data } = await this.client.rest({ method: 'GET', path: this.client.repoPath('collaborators', login, 'permission') }, restPermissionSchema);
      return data.permission === 'admin' || data.permission === 'write' || data.permission === 'read' ? data.permission : 'none';
    } catch (error) {
      if (isGitHubError(error, 'notFound')) return 'none';
      throw error;
    }
  }

  async suggestedActors(): Promise<readonly AssignableActor[]> {
    const actors: AssignableActor[] = [];
    let after: string | null = null;
    for (let page = 0; page < 50; page++) {
      const result: GraphqlResult<z.infer<typeof suggestedActorsSchema>> = await this.client.graphql(suggestedActorsQuery, { owner: this.repo.owner, name: this.repo.name, after },
        suggestedActorsSchema, { 'graphql-features': copilotGraphqlFeatures });
      const repository = result.data.repository;
      if (repository === null) throw new GitHubError(result.errorKind ?? 'notFound', `suggestedActors: ${result.warnings.join('; ')}`, undefined);
      const connection = repository.suggestedActors;
      for (const node of compactNodes(connection.nodes, 'suggested actors', text => { this.log.warn('%s', text); })) {
        if (node.id !== undefined) actors.push({ login: node.login, id: node.id, type: node.__typename });
      }
      if (!connection.pageInfo.hasNextPage || connection.pageInfo.endCursor === null || connection.pageInfo.endCursor === undefined || connection.pageInfo.endCursor === after) return actors;
      after = connection.pageInfo.endCursor;
    }
    throw new GitHubError('malformed', 'suggestedActors: more than 50 pages', undefined);
  }
}
