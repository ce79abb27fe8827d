/**
 * The fake GitHub's state: plain records the REST and GraphQL layers render. Logins are the REST spelling
 * (`Copilot` for the coding agent); git data (refs, commits, files) lives in the bare repositories.
 */

export type UserType = 'User' | 'Bot' | 'Organization';

export interface FakeUser {
  /** As REST spells it (`Copilot` for the coding agent). */
  readonly login: string;
  /** As GraphQL spells it (`copilot-swe-agent` for the coding agent). */
  readonly graphqlLogin: string;
  readonly id: number;
  readonly nodeId: string;
  readonly type: UserType;
  readonly name: string | null;
  readonly email: string | null;
  readonly createdAt: string;
}

export interface FakeLabel {
  readonly id: number;
  readonly nodeId: string;
  readonly name: string;
  color: string;
  description: string | null;
  readonly isDefault: boolean;
}

export type IssueStateReason = 'completed' | 'not_planned' | 'reopened' | 'duplicate';

export interface FakePullData {
  /** Head branch name (without `refs/heads/`). */
  readonly headRef: string;
  /**
   * Owner of the fork the head branch lives in (a cross-repository pull request); undefined when it is a
   * branch of this repository. A fork's commits are kept in this repository under `refs/forks/<owner>/<branch>`
   * (GitHub's fork network shares objects), so merging and diffs work as for any pull request.
   */
  readonly headOwner: string | undefined;
  /** Head commit; follows the branch while the pull request is open. */
  headSha: string;
  baseRef: string;
  draft: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  /** Set by `simulate.setMergeable`; otherwise computed with `git merge-tree`. */
  mergeableOverride: 'MERGEABLE' | 'CONFLICTING' | 'UNKNOWN' | undefined;
  requestedReviewers: string[];
  requestedTeams: string[];
  /** Issues linked by hand (the sidebar's "Development"), besides closing keywords. */
  linkedIssues: number[];
  /** Copilot's session state, for PRs it opened. */
  copilot: 'working' | 'finished' | 'failed' | undefined;
}

/** An issue or, with `pull` set, a pull request: both share one number sequence per repository. */
export interface FakeIssue {
  readonly number: number;
  readonly id: number;
  readonly nodeId: string;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  stateReason: IssueStateReason | null;
  readonly author: string;
  labels: string[];
  assignees: string[];
  readonly createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedBy: string | null;
  locked: boolean;
  /** The Copilot `agent_assignment` object of the last assignment that carried one. */
  agentAssignment: Readonly<Record<string, unknown>> | undefined;
  readonly pull: FakePullData | undefined;
}

export type FakePull = FakeIssue & { readonly pull: FakePullData };

export interface FakeComment {
  readonly id: number;
  /** Creation order across events, comments and reviews (timestamps have whole seconds). */
  readonly seq: number;
  readonly nodeId: string;
  readonly issueNumber: number;
  body: string;
  readonly author: string;
  readonly createdAt: string;
  updatedAt: string;
}

/** One issue or pull request event, as the REST timeline and the GraphQL `timelineItems` show it. */
export interface FakeEvent {
  readonly id: number;
  readonly seq: number;
  readonly nodeId: string;
  readonly issueNumber: number;
  /** REST event name: `labeled`, `closed`, `cross-referenced`, `copilot_work_started`, ... */
  readonly event: string;
  readonly actor: string;
  readonly createdAt: string;
  readonly label?: { readonly name: string; readonly color: string };
  readonly assignee?: string;
  readonly assigner?: string;
  readonly requestedReviewer?: string;
  readonly requestedTeam?: string;
  readonly reviewRequester?: string;
  /** `cross-referenced`: the issue or PR whose text mentions this one; `connected`: the other side. */
  readonly sourceNumber?: number;
  readonly willCloseTarget?: boolean;
  readonly commitId?: string;
  readonly stateReason?: IssueStateReason | null;
  readonly rename?: { readonly from: string; readonly to: string };
  /** `closed` by a merged pull request. */
  readonly closerPullNumber?: number;
  /** Slug of the GitHub App that acted (`copilot-swe-agent` for Copilot's work events). */
  readonly viaApp?: string;
}

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';

export interface FakeReview {
  readonly id: number;
  readonly seq: number;
  readonly nodeId: string;
  readonly pullNumber: number;
  readonly author: string;
  readonly state: ReviewState;
  readonly body: string;
  readonly commitId: string;
  readonly submittedAt: string;
}

export type CheckStatus = 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
export type CheckConclusion = 'action_required' | 'cancelled' | 'failure' | 'neutral' | 'success' | 'skipped' | 'stale' | 'timed_out' | 'startup_failure';

export interface FakeCheckSuite {
  readonly id: number;
  readonly nodeId: string;
  readonly headSha: string;
  /** App slug: `github-actions` unless a check run names another app. */
  readonly app: string;
  status: CheckStatus;
  conclusion: CheckConclusion | null;
  readonly workflowRun: { readonly id: number; readonly nodeId: string; readonly event: string } | null;
  /** The workflow's name as Actions shows it (`CI` unless a check run names another). */
  workflowName: string;
  readonly createdAt: string;
  updatedAt: string;
}

export interface FakeCheckRun {
  readonly id: number;
  readonly nodeId: string;
  readonly suiteId: number;
  readonly headSha: string;
  readonly name: string;
  status: CheckStatus;
  conclusion: CheckConclusion | null;
  readonly startedAt: string;
  completedAt: string | null;
  readonly detailsUrl: string;
  /** The job's log (a GitHub Actions check run is a job), served by `actions/download-job-logs-for-workflow-run`. */
  log: string;
}

export type StatusState = 'error' | 'failure' | 'pending' | 'success';

export interface FakeStatus {
  readonly id: number;
  readonly nodeId: string;
  readonly sha: string;
  readonly context: string;
  readonly state: StatusState;
  readonly targetUrl: string | null;
  readonly description: string | null;
  readonly creator: string;
  readonly createdAt: string;
}

export type DeploymentState = 'error' | 'failure' | 'inactive' | 'pending' | 'success' | 'queued' | 'in_progress';

export interface FakeDeployment {
  readonly id: number;
  readonly nodeId: string;
  readonly sha: string;
  readonly ref: string;
  readonly environment: string;
  readonly description: string | null;
  readonly creator: string;
  readonly createdAt: string;
  updatedAt: string;
}

export interface FakeDeploymentStatus {
  readonly id: number;
  readonly nodeId: string;
  readonly deploymentId: number;
  readonly state: DeploymentState;
  readonly description: string;
  readonly logUrl: string;
  readonly creator: string;
  readonly createdAt: string;
}

/** A review comment on one line of a pull request's diff (`line` on the new side). */
export interface FakeReviewComment {
  readonly id: number;
  readonly nodeId: string;
  readonly pullNumber: number;
  readonly reviewId: number;
  readonly path: string;
  readonly line: number;
  readonly body: string;
  readonly author: string;
  readonly commitId: string;
  readonly createdAt: string;
}

/** The automatic CI: every new head of an open PR, and every new commit of the default branch, gets these checks. */
export interface FakeCiRule {
  readonly checks: readonly { readonly name: string; readonly conclusion: CheckConclusion; readonly log?: string }[];
  /** CI runs on open PRs' heads only, not on the default branch's tip (a red PR while main stays as it is). */
  readonly pullRequestsOnly?: boolean;
}

export interface BranchProtection {
  requiredStatusChecks: string[];
  /** Approving reviews from people with write access a merge needs (0: reviews not required). */
  requiredApprovingReviewCount: number;
  /** Each changed file that CODEOWNERS assigns needs an approval from one of its owners. */
  requireCodeOwnerReviews: boolean;
  /** GitHub's `strict` status checks: the head must contain the base's tip (else the merge state is BEHIND). */
  requireUpToDate?: boolean;
}

export interface FakeRepoData {
  readonly owner: string;
  readonly name: string;
  readonly id: number;
  readonly nodeId: string;
  readonly defaultBranch: string;
  readonly isPrivate: boolean;
  readonly description: string | null;
  readonly copilotEnabled: boolean;
  readonly createdAt: string;
  pushedAt: string;
  updatedAt: string;
  /** Branch name → protection. */
  readonly protection: Map<string, BranchProtection>;
  /** Lower-cased name → label. */
  readonly labels: Map<string, FakeLabel>;
  readonly issues: Map<number, FakeIssue>;
  nextNumber: number;
  readonly comments: FakeComment[];
  readonly events: FakeEvent[];
  readonly reviews: FakeReview[];
  readonly checkSuites: FakeCheckSuite[];
  readonly checkRuns: FakeCheckRun[];
  readonly statuses: FakeStatus[];
  readonly deployments: FakeDeployment[];
  readonly deploymentStatuses: FakeDeploymentStatus[];
  readonly reviewComments: FakeReviewComment[];
  /** The automatic CI (none: only the simulator's `setCheckRuns` writes checks). */
  ci: FakeCiRule | null;
  /** The default branch's commit last seen, so the automatic CI runs once per new commit. */
  ciSeenDefaultSha: string | undefined;
  /** Files the Copilot coding agent pushes when an `@copilot` comment asks it something on its PR (null: it does not answer). */
  copilotAnswers: Readonly<Record<string, string>> | null;
  /** Logins with write access (assignable, can review); the token's user always is one. */
  readonly collaborators: Set<string>;
  /** `owner/name` of the repository this one is a fork of. */
  readonly forkOf: string | undefined;
}

export function isPull(issue: FakeIssue): issue is FakePull {
  return issue.pull !== undefined;
}

/** The ref a pull request's head follows: its branch here, or the fork's branch as kept here. */
export function headRefOf(pull: Pick<FakePullData, 'headRef' | 'headOwner'>): string {
  return pull.headOwner === undefined ? `refs/heads/${pull.headRef}` : `refs/forks/${pull.headOwner}/${pull.headRef}`;
}
