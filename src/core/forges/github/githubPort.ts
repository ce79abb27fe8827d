import type { GitHubMaintenance } from './githubMaintenance';
import type {
  AgentAssignment, FileChange, FileRename, GitCommitInfo, GitRefValue, IssueComment, IssueSummary, MergeMethod, MergeResult,
  NewIssue, PullRequestSummary, RateLimitBudget, RepoCoordinates, RepoSnapshot, TimelineSignal,
} from './githubModel';

/** Requests made and rate-limit points spent, for the panel and the benchmarks. */
export interface GitHubUsage {
  readonly requests: number;
  /** REST requests answered 304 (free of rate-limit points). */
  readonly notModified: number;
  /** Points: one per REST request that was not a 304, plus each GraphQL query's reported cost. */
  readonly points: number;
  readonly core: RateLimitBudget | undefined;
  readonly graphql: RateLimitBudget | undefined;
}

/** A pull request's number and page. */
export interface PullRequestRef {
  readonly number: number;
  readonly url: string;
}

export type RepoPermission = 'admin' | 'write' | 'read' | 'none';

/** An actor that may be assigned to issues in this repository (GraphQL `suggestedActors`). */
export interface AssignableActor {
  readonly login: string;
  readonly id: string;
  /** GraphQL `__typename`: Bot, User, Mannequin, ... */
  readonly type: string;
}

/**
 * Everything the loop asks of GitHub (PRODUCT §4, §5 `copilot`). The Octokit adapter implements it; tests of
 * the loop use it against the fake GitHub server over real HTTP. Every method throws `GitHubError` on
 * failure, never a raw Octokit error. Polled reads are conditional requests (ETag): a 304 costs no
 * rate-limit points.
 */
export interface GitHubPort {
  /** The maintenance track's reads and writes (Actions jobs and logs, deployments, update-branch, review comments); absent in ports that do not serve it. */
  readonly maintenance?: GitHubMaintenance;
  readonly repo: RepoCoordinates;

  /**
   * One conditional request that tells whether any issue or pull request changed since the last call
   * (the first call always reports a change). Costs no rate-limit points when nothing changed.
   */
  probeChanges(): Promise<boolean>;
  /** The batched read: one GraphQL query per 100 open pull requests, plus ATO's labelled issues. */
  snapshot(options: { readonly issueLabels: readonly string[] }): Promise<RepoSnapshot>;

  /**
   * Issues with this label (REST list, conditional, all pages); `state` all by default. Never the search API.
   * REST issues carry no links: `linkedPullRequests` is empty here and in the create/update/assign results;
   * `getIssue` and `snapshot` fill it.
   */
  listIssuesByLabel(label: string, state?: 'open' | 'closed' | 'all'): Promise<readonly IssueSummary[]>;
  /**
   * Every open issue, labelled or not (REST list, conditional, all pages; pull requests left out), oldest
   * first, with each author's association. For finding issues made by hand before creating one: never
   * read on every tick.
   */
  listOpenIssues(): Promise<readonly IssueSummary[]>;
  /** The issue (REST, conditional) and its timeline's cross-references from this repository's pull requests. */
  getIssue(issueNumber: number): Promise<IssueSummary>;
  createIssue(issue: NewIssue): Promise<IssueSummary>;
  updateIssue(issueNumber: number, change: { readonly title?: string; readonly body?: string; readonly state?: 'open' | 'closed'; readonly stateReason?: 'completed' | 'not_planned' }): Promise<IssueSummary>;
  addAssignees(issueNumber: number, assignees: readonly string[], agentAssignment?: AgentAssignment): Promise<IssueSummary>;
  listComments(issueNumber: number): Promise<readonly IssueComment[]>;
  createComment(issueNumber: number, body: string): Promise<IssueComment>;
  /** Adds labels to an issue (labels it has already stay; GitHub creates a label that does not exist). */
  addLabels(issueNumber: number, labels: readonly string[]): Promise<void>;
  /** Creates the label when missing; leaves an existing one as it is. */
  ensureLabel(name: string, color: string, description: string): Promise<void>;
  /** Review requests, ready-for-review and Copilot work events of an issue or PR (REST timeline, conditional). */
  listTimelineSignals(issueNumber: number): Promise<readonly TimelineSignal[]>;

  /** One GraphQL query (the snapshot's fields, with GitHub's own `isRequired` per check for this PR). */
  getPullRequest(pullNumber: number): Promise<PullRequestSummary>;
  /** Opens a pull request from `head` (a branch of this repository) into `base`. */
  openPullRequest(options: { readonly head: string; readonly base: string; readonly title: string; readonly body: string }): Promise<PullRequestRef>;
  /** Open pull requests whose head is this branch of this repository (REST list, conditional). */
  openPullRequestsFrom(head: string): Promise<readonly PullRequestRef[]>;
  /**
   * Where each renamed file of a PR came from (REST `pulls/{n}/files`, all pages, conditional), which GraphQL
   * does not say. GitHub lists at most 3,000 files: a rename past that is missing here.
   */
  renamedFiles(pullNumber: number): Promise<readonly FileRename[]>;
  markReadyForReview(pullRequestNodeId: string): Promise<void>;
  /** Merges only if the head is still `sha` (409 → `conflict`). */
  mergePullRequest(pullNumber: number, options: { readonly sha: string; readonly method: MergeMethod; readonly title?: string }): Promise<MergeResult>;

  /** Text of a file on a ref, or undefined when it does not exist. */
  getFileText(path: string, ref: string): Promise<string | undefined>;
  /**
   * One commit on `branch` with every change, made through the git data API (blobs, tree, commit) and a
   * fast-forward-only ref update from `expectedHeadSha`: if the branch moved, nothing is written and it
   * throws `conflict`.
   */
  commitFiles(branch: string, options: { readonly expectedHeadSha: string; readonly message: string; readonly changes: readonly FileChange[] }): Promise<string>;

  getRef(ref: string): Promise<GitRefValue | undefined>;
  getCommit(sha: string): Promise<GitCommitInfo>;
  /** A commit object (not on any branch) with the given tree and parents. */
  createCommit(options: { readonly message: string; readonly treeSha: string; readonly parents: readonly string[] }): Promise<string>;
  /** A tree holding one file, for commits that carry data (the lease). */
  createTree(files: readonly { readonly path: string; readonly content: string }[]): Promise<string>;
  /** Creates `ref` (fully qualified, `refs/...`); throws `conflict` if it exists. */
  createRef(ref: string, sha: string): Promise<void>;
  /** Moves `ref` to `sha` only as a fast-forward; throws `conflict` otherwise. This is ATO's compare-and-swap. */
  updateRefFastForward(ref: string, sha: string): Promise<void>;

  /**
   * A user's base role on this repository (REST `collaborators/{user}/permission`, conditional): `admin`
   * and `write` can push (maintain counts as write), `read` and `none` cannot; a user GitHub does not know is `none`.
   */
  permissionOf(login: string): Promise<RepoPermission>;

  /** GraphQL `suggestedActors(capabilities: [CAN_BE_ASSIGNED])`, all pages. */
  suggestedActors(): Promise<readonly AssignableActor[]>;

  readonly usage: GitHubUsage;
}
