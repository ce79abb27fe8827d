/**
 * What ATO reads from GitHub, in ATO's own shape. The GitHub adapter maps REST and GraphQL payloads into
 * these types (validating the fields it relies on); everything above the adapter (classifier, merge policy,
 * loop, views) sees only these, so it can be tested with plain objects.
 */

/** owner/name of a repository and the API it lives behind (github.com or an Enterprise server). */
export interface RepoCoordinates {
  readonly owner: string;
  readonly name: string;
  /** REST base URL without a trailing slash, e.g. `https://api.github.com` or `https://ghe.example/api/v3`. */
  readonly apiUrl: string;
}

export interface GitHubActor {
  /** As GitHub spells it; bots may appear as `copilot-swe-agent`, `copilot-swe-agent[bot]` or `Copilot`. */
  readonly login: string;
  readonly isBot: boolean;
}

export interface IssueSummary {
  readonly number: number;
  /** GraphQL node id. */
  readonly nodeId: string;
  readonly title: string;
  readonly body: string;
  readonly state: 'open' | 'closed';
  readonly stateReason: 'completed' | 'not_planned' | 'reopened' | 'duplicate' | null;
  readonly labels: readonly string[];
  readonly assignees: readonly string[];
  readonly author: string;
  /**
   * The author's relation to the repository as GitHub tells it (`OWNER`, `MEMBER`, `COLLABORATOR`,
   * `CONTRIBUTOR`, `NONE`…). Only REST answers carry it; absent means unknown.
   */
  readonly authorAssociation?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly closedAt: string | null;
  readonly url: string;
  /** Pull requests that reference this issue (timeline cross-references, connected events), oldest first. */
  readonly linkedPullRequests: readonly number[];
}

/**
 * One CI signal on a commit: a check run (GitHub Actions or another app) or a commit status. Values are
 * GitHub's GraphQL enums, upper case, as received.
 */
export interface CheckContext {
  readonly kind: 'checkRun' | 'status';
  /** Check run name or status context. */
  readonly name: string;
  /**
   * Check run: QUEUED | IN_PROGRESS | COMPLETED | WAITING | PENDING | REQUESTED.
   * Status: its state, EXPECTED | ERROR | FAILURE | PENDING | SUCCESS.
   */
  readonly status: string;
  /** Check run conclusion once completed (SUCCESS, FAILURE, TIMED_OUT, STARTUP_FAILURE, CANCELLED, ...); null otherwise and for statuses. */
  readonly conclusion: string | null;
  /** Required by branch protection for this pull request. */
  readonly required: boolean;
  readonly url: string | null;
  /** When the run started or the status was created: re-runs of one name count once, the latest wins. */
  readonly startedAt: string | null;
}

export interface PullRequestChecks {
  /** GraphQL `statusCheckRollup.state`; null means no check and no status at all ("no CI"). */
  readonly rollupState: string | null;
  readonly contexts: readonly CheckContext[];
  /** Contexts branch protection requires on the base branch (some may not have reported yet). */
  readonly requiredContexts: readonly string[];
  /** Workflow runs created for the head commit that wait for a maintainer's approval (no jobs yet). */
  readonly awaitingApproval: number;
  /** More contexts than one page: the list is incomplete. */
  readonly truncated: boolean;
}

export interface TimelineSignal {
  readonly kind: 'reviewRequested' | 'readyForReview' | 'copilotWorkStarted' | 'copilotWorkFinished' | 'copilotWorkFailed';
  readonly actor: string;
  /** Who was asked, for review requests. */
  readonly subject: string | null;
  readonly at: string;
}

export interface PullRequestReview {
  readonly author: string;
  /** APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED or PENDING, as GitHub sends it. */
  readonly state: string;
  /** GitHub's `authorCanPushToRepository`: only these reviews count, for GitHub and for ATO. */
  readonly authorCanPush: boolean;
}

export interface ReviewRules {
  /** Approving reviews from people with write access a merge needs (0: none required). */
  readonly approvals: number;
  /** Files with code owners need an owner's approval. */
  readonly codeOwners: boolean;
}

/** A renamed file of a pull request: a rename out of a protected folder changes that folder. */
export interface FileRename {
  readonly path: string;
  /** Where it was; null while unknown. */
  readonly previousPath: string | null;
}

export interface PullRequestSummary {
  readonly number: number;
  readonly nodeId: string;
  readonly title: string;
  readonly body: string;
  readonly url: string;
  readonly state: 'open' | 'closed' | 'merged';
  readonly isDraft: boolean;
  readonly author: GitHubActor;
  /** GitHub's `authorAssociation` of the author with this repository: OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, NONE, … */
  readonly authorAssociation: string;
  /** Opened from another repository (a fork). */
  readonly isCrossRepository: boolean;
  /** `owner/name` of the repository the head branch lives in; null when it was deleted. */
  readonly headRepository: string | null;
  readonly headRefName: string;
  readonly headSha: string;
  readonly baseRefName: string;
  readonly mergeable: 'mergeable' | 'conflicting' | 'unknown';
  /** GraphQL `mergeStateStatus` (DIRTY, CLEAN, BLOCKED, BEHIND, UNSTABLE, HAS_HOOKS, DRAFT, UNKNOWN) when known. */
  readonly mergeStateStatus: string | null;
  /**
   * GraphQL `viewerCanUpdateBranch`: the head does not contain its base's latest commit and the token's user
   * may update it ("Update branch"). GitHub reports BEHIND only when protection requires up-to-date branches;
   * this says "behind" without it. Absent when not read.
   */
  readonly canUpdateBranch?: boolean;
  readonly reviewDecision: 'approved' | 'changesRequested' | 'reviewRequired' | null;
  /** Pending review requests: user logins or team slugs. */
  readonly reviewRequests: readonly string[];
  /** Each reviewer's latest review (GitHub's `latestReviews`), with whether they have write access. */
  readonly reviews: readonly PullRequestReview[];
  /** What branch protection (and rulesets) on the base ask of reviews before a merge. */
  readonly reviewRules: ReviewRules;
  /** Review requests, ready-for-review and Copilot work events from the timeline, oldest first. */
  readonly timeline: readonly TimelineSignal[];
  readonly labels: readonly string[];
  readonly changedFiles: readonly string[];
  /** More changed files than one page: protected-path checks must not pass on a partial list. */
  readonly changedFilesTruncated: boolean;
  /**
   * Files GitHub reports as RENAMED (their path in `changedFiles` is the new one). GraphQL does not say where
   * they came from: `previousPath` is null until read from REST (`pulls/{n}/files`), see `FileRename`.
   */
  readonly renames: readonly FileRename[];
  /** Issues this PR closes when merged (closing keywords, linked in the sidebar). */
  readonly closingIssues: readonly number[];
  readonly checks: PullRequestChecks;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly mergedAt: string | null;
}

export interface RateLimitBudget {
  readonly resource: 'core' | 'graphql';
  readonly limit: number;
  readonly remaining: number;
  readonly resetAt: string;
}

/** Everything one tick needs from GitHub, read with one batched GraphQL query per 100 open PRs. */
export interface RepoSnapshot {
  readonly owner: string;
  readonly name: string;
  readonly repositoryId: string;
  /** The login of the token's user (`viewer`): the author of PRs opened by ATO's local agents. */
  readonly viewerLogin: string | undefined;
  readonly defaultBranch: string;
  /** Head of the default branch when the snapshot was read. */
  readonly defaultBranchSha: string;
  readonly fetchedAt: string;
  readonly openPullRequests: readonly PullRequestSummary[];
  /** The most recently updated closed or merged PRs (merges the loop must follow up). */
  readonly recentlyClosedPullRequests: readonly PullRequestSummary[];
  /** Open issues carrying an ATO label, and recently closed ones. */
  readonly issues: readonly IssueSummary[];
  readonly rateLimit: RateLimitBudget | undefined;
  /**
   * What could not be read (GraphQL errors next to partial data: a SAML-protected or forbidden sub-field);
   * those parts are missing from the lists above. Absent or empty when everything was read.
   */
  readonly warnings?: readonly string[];
}

export interface IssueComment {
  readonly id: number;
  readonly body: string;
  readonly author: string;
  readonly createdAt: string;
  readonly url: string;
}

/** Copilot's optional assignment settings (REST names). */
export interface AgentAssignment {
  readonly target_repo?: string;
  readonly base_branch?: string;
  readonly custom_instructions?: string;
  readonly custom_agent?: string;
  readonly model?: string;
}

export interface NewIssue {
  readonly title: string;
  readonly body: string;
  readonly labels: readonly string[];
  readonly assignees?: readonly string[];
  readonly agentAssignment?: AgentAssignment;
}

/** A file change inside one commit: `content: null` deletes the path. */
export interface FileChange {
  readonly path: string;
  readonly content: string | null;
}

export type MergeMethod = 'merge' | 'squash' | 'rebase';

export interface MergeResult {
  readonly merged: boolean;
  readonly sha: string | null;
  readonly message: string;
}

/** What a git ref points at. */
export interface GitRefValue {
  readonly ref: string;
  readonly sha: string;
}

export interface GitCommitInfo {
  readonly sha: string;
  readonly message: string;
  readonly treeSha: string;
  readonly parents: readonly string[];
}
