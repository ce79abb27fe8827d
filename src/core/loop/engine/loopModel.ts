import type { MergeMethod, RateLimitBudget } from '../../forges/github/githubModel';
import type { AdoptionReport } from '../tracks/planning/issueAdoption';
import type { QueueEntry } from '../../queue/queueEntry';
import type { PullAuthor, PullCareState } from '../tracks/maintenance/maintenanceDecision';
import type { EmergencyAction } from '../tracks/maintenance/emergencyPlan';

/** The planning track's stages (PRODUCT §4): gap analysis (1x), development (2x), capability update (3x). */
export const stageIds = ['1a', '1b', '1c', '2a', '2b', '2c', '3a', '3b', '3c'] as const;
export type StageId = (typeof stageIds)[number];

/** What a piece of planning work is (PRODUCT §4): the gap analysis (1x), a task (2x) or a capability update (3x). */
export type WorkKind = 'gapAnalysis' | 'task' | 'capabilityUpdate';

/** A piece of planning work: its kind, and the task id or the merged PR a capability update follows. */
export interface WorkItem {
  readonly kind: WorkKind;
  readonly taskId?: string;
  /** A capability update: the merged pull request it records. */
  readonly sourcePullRequest?: number;
}

/** An issue or pull request on GitHub, as a focus names it. */
export interface WorkRef {
  readonly number: number;
  readonly title: string;
  readonly url: string;
}

/** What a stage or an action is about: the work, with its issue and its pull request when they exist. */
export interface Focus extends WorkItem {
  /** The work's own title: the task's, the gap analysis's, or the capability update's (its issue's, else its source PR's). */
  readonly title: string;
  readonly issue?: WorkRef;
  readonly pullRequest?: WorkRef;
}

/** The merge policy (PRODUCT §4 "PR ready"); every rule is configurable. */
export interface MergePolicy {
  /** A review request (pending or seen in the timeline) or an approval is required. */
  readonly requireReviewSignal: boolean;
  /** Glob patterns; a PR touching one is never merged by ATO. */
  readonly protectedPaths: readonly string[];
  /** When non-empty, the PR must carry this label. */
  readonly requiredLabel: string;
  /** `required`: every required check green; `all`: every reported check green. */
  readonly requiredChecks: 'required' | 'all';
  /** Whether a PR with no CI at all may be merged (default false: no CI is not green, PRODUCT §4). */
  readonly allowNoChecks: boolean;
  readonly method: MergeMethod;
  /** Off by default: a ready PR becomes "needs you" with a one-click merge. */
  readonly autoMerge: boolean;
  /**
   * `ato.merge.train` (off by default): one ready PR at a time, and a PR behind its base is not ready
   * (rule `upToDate`) until it is updated and CI is green on its new head.
   */
  readonly train: boolean;
}

export const defaultMergePolicy: MergePolicy = {
  requireReviewSignal: true,
  protectedPaths: ['.github/workflows/**'],
  requiredLabel: '',
  requiredChecks: 'required',
  allowNoChecks: false,
  method: 'squash',
  autoMerge: false,
  train: false,
};

/** One rule of the merge policy applied to one PR, with its reason (shown per rule in the preview). */
export interface MergeRuleResult {
  readonly rule: 'open' | 'notWip' | 'reviewSignal' | 'reviews' | 'notConflicted' | 'checksGreen' | 'mergeState' | 'protectedPaths' | 'requiredLabel' | 'notRefused' | 'upToDate';
  readonly ok: boolean;
  readonly detail: string;
  /**
   * When unmet, who can change it: `always` only a person (the policy forbids ATO, GitHub refused); `whenLast`
   * a person once nothing else is missing (no CI at all, a review GitHub requires, a merge GitHub blocks).
   */
  readonly needsPerson?: 'always' | 'whenLast';
}

export interface MergeVerdict {
  readonly ready: boolean;
  readonly rules: readonly MergeRuleResult[];
}

/** The combined CI state of a head commit (PRODUCT §4 "CI is red"). */
export type CiState = 'green' | 'red' | 'pending' | 'noCi';

/** A mutating step the planning track may take; one per tick, previewable, recorded with its reason. */
export type PlannedAction =
  | { readonly kind: 'ensureGapIssue'; readonly reason: string; readonly repairIssue?: number; readonly agent?: PromotionAgent }
  | { readonly kind: 'promoteTask'; readonly reason: string; readonly taskId: string; readonly path: string; readonly agent?: PromotionAgent }
  | { readonly kind: 'dispatchIssue'; readonly reason: string; readonly issueNumber: number; readonly agent?: PromotionAgent }
  | {
      readonly kind: 'mergePullRequest';
      readonly reason: string;
      readonly pullNumber: number;
      readonly headSha: string;
      readonly markReady: boolean;
      /** Issues to close after the merge when GitHub did not close them (gap 1c, capability 3c). */
      readonly closeIssues: readonly number[];
      readonly stage: StageId;
    }
  | { readonly kind: 'completeTask'; readonly reason: string; readonly taskId: string; readonly path: string; readonly pullNumber: number; readonly issueNumber: number | undefined }
  | { readonly kind: 'openCapabilityIssue'; readonly reason: string; readonly pullNumber: number; readonly agent?: PromotionAgent }
  | { readonly kind: 'closeIssue'; readonly reason: string; readonly issueNumber: number }
  | RequeueTaskAction
  | QueueReviewTaskAction
  | MaintenancePlannedAction
  | QueueEmergencyTaskAction;

/**
 * The maintenance track's emergency step (issue 11): a red default branch, a failed deployment or a failed
 * deploy-log line becomes one task file (priority `emergency`) in pending/ — idempotent by the failure's key.
 */
export interface QueueEmergencyTaskAction {
  readonly kind: 'queueEmergencyTask';
  readonly reason: string;
  readonly emergency: EmergencyAction;
  /** The planning branch's head the queue was read at (the commit compares and swaps it). */
  readonly expectedHeadSha: string;
}

/**
 * `ato.maintenance.reviewEvery` = N: after every N merged task PRs the planning track queues one review task
 * (type `review`) into pending/ on the planning branch. Idempotent by the range of merges it covers
 * (`first`–`last`, counted from 1 in the order the tasks completed): its file name and its marker say the range.
 */
export interface QueueReviewTaskAction {
  readonly kind: 'queueReviewTask';
  readonly reason: string;
  readonly taskId: string;
  /** Path inside the repository, in pending/. */
  readonly path: string;
  readonly range: { readonly first: number; readonly last: number };
  /** The task file's text. */
  readonly text: string;
}

/**
 * The maintenance track's step on one PR (issue 11), with what executing it needs: the head it was planned on
 * (a moved head makes it stale), the attempt, and the agent that receives a follow-up (`copilot`, `jules`, a
 * local agent's id; `undefined` when no agent can take it — execution then reports needs-you).
 */
export type MaintenancePlannedAction =
  | { readonly kind: 'requestFix'; readonly reason: string; readonly pullNumber: number; readonly headSha: string; readonly attempt: number; readonly maxAttempts: number; readonly author: PullAuthor; readonly agentId: string | undefined }
  | { readonly kind: 'analyzeDraft'; readonly reason: string; readonly pullNumber: number; readonly headSha: string }
  | { readonly kind: 'updateBranch'; readonly reason: string; readonly pullNumber: number; readonly headSha: string }
  | { readonly kind: 'askRebase'; readonly reason: string; readonly pullNumber: number; readonly headSha: string; readonly attempt: number; readonly author: PullAuthor; readonly agentId: string | undefined }
  | { readonly kind: 'sendReviewFollowUp'; readonly reason: string; readonly pullNumber: number; readonly headSha: string; readonly attempt: number; readonly reviewId: number; readonly author: PullAuthor; readonly agentId: string | undefined };

export const maintenanceActionKinds: ReadonlySet<PlannedAction['kind']> = new Set(['requestFix', 'analyzeDraft', 'updateBranch', 'askRebase', 'sendReviewFollowUp']);

/** Whether an action is the maintenance track's step on a PR. */
export function isMaintenanceAction(action: PlannedAction): action is MaintenancePlannedAction {
  return maintenanceActionKinds.has(action.kind);
}

/** The track an action belongs to: the maintenance track's PR steps and emergency tasks, else planning. */
export function trackOfAction(action: PlannedAction): 'planning' | 'maintenance' {
  return isMaintenanceAction(action) || action.kind === 'queueEmergencyTask' ? 'maintenance' : 'planning';
}

/**
 * The agent a promotion, the gap analysis or a capability update goes to (the registry's choice), and why.
 * Absent: the Copilot coding agent.
 */
export interface PromotionAgent {
  readonly id: string;
  /** A local agent (claude-code, a custom CLI): ATO runs it, pushes `ato/<task-id>` and opens the PR. */
  readonly local: boolean;
  readonly reason: string;
}

/**
 * A task whose run failed, or whose issue was closed outside the loop, goes back to pending/ to run again:
 * its old issues are closed first (a pending task with an open issue is a promotion cut short, which would
 * reuse it), so the next promotion opens a new issue and the old run's PRs stop counting. Only ever on the
 * user's click (a needs-you item offers it), never taken by a tick on its own.
 */
export interface RequeueTaskAction {
  readonly kind: 'requeueTask';
  readonly reason: string;
  readonly taskId: string;
  /** The task file in processed/ (the planning read's path). */
  readonly path: string;
  /** The task's issues still open: closed, with a comment, before the move. */
  readonly closeIssues: readonly number[];
}

export type NeedsYouKind =
  | 'readyToMerge'
  | 'workflowsAwaitingApproval'
  | 'issueClosedOutsideLoop'
  | 'runFailed'
  | 'invalidTask'
  | 'fixAttemptsExhausted'
  | 'mergeBlocked';

/** Something in the loop that waits on a human, with its one-click action when there is one. */
export interface LoopNeedsYou {
  readonly kind: NeedsYouKind;
  readonly title: string;
  readonly detail: string;
  readonly url?: string;
  readonly pullNumber?: number;
  readonly issueNumber?: number;
  readonly taskId?: string;
  /** The PR's author, on every merge prompt. */
  readonly author?: string;
  /** `requeue`: the task goes back to pending/ with one click (`requeue` is what that click does). */
  readonly action?: 'merge' | 'open' | 'requeue';
  readonly requeue?: RequeueTaskAction;
}

/** Where the planning track stands, why, and what the next tick would do there. */
export interface StageDecision {
  readonly stage: StageId;
  readonly reason: string;
  readonly focus: Focus | undefined;
  /** The planning track's next action, or undefined with the reason it waits in `reason`. */
  readonly action: PlannedAction | undefined;
  readonly needsYou: readonly LoopNeedsYou[];
}

export interface RedPullRequest {
  readonly number: number;
  readonly title: string;
  readonly url: string;
  readonly isDraft: boolean;
  readonly failingChecks: readonly { readonly name: string; readonly url: string | null }[];
  readonly fixAttempts: number;
  /** The maintenance track's care of it (issue 11); absent when the track is off or ATO may not act on it. */
  readonly care?: PullCareView;
}

/** The maintenance track's view of one PR it cares for: what the panel, tree, status bar and `ato status` show. */
export interface PullCareView {
  readonly state: PullCareState;
  /** Fix attempts made so far, and the budget (`ato.maintenance.maxFixAttempts`). */
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly reason: string;
  /** Who wrote the PR, which decides how a follow-up reaches its agent. */
  readonly author: PullAuthor;
  /** The last fix ATO asked for: its attempt, the head it was asked on, the agent and when. */
  readonly lastFix?: { readonly attempt: number; readonly headSha: string; readonly agent: string; readonly at: string };
  /** The failed job's log excerpt sent with the last fix (bounded, redacted). */
  readonly logExcerpt?: string;
}

/** An open pull request the planning loop follows (of the gap analysis, a task or a capability update). */
export interface FollowedPullRequest {
  readonly number: number;
  readonly title: string;
  readonly url: string;
  readonly author: string;
  readonly isDraft: boolean;
  readonly headSha: string;
  /** The work it belongs to, and that work's issue. */
  readonly work: WorkItem & { readonly issueNumber?: number };
  readonly ci: CiState;
  readonly failingChecks: readonly { readonly name: string; readonly url: string | null }[];
  /** Checks still running or waiting, by name. */
  readonly pendingChecks: readonly string[];
  /** The merge policy's verdict on it: every rule, each with its reason. */
  readonly verdict: MergeVerdict;
}

/** The loop's counts, from what it reads: the planning branch (not the working tree) and GitHub. */
export interface LoopCounts {
  /** Valid tasks in each queue folder of the planning branch; invalid files apart (`invalid`). */
  readonly pending: number;
  readonly processed: number;
  readonly complete: number;
  /** Of those, files that are not valid tasks. */
  readonly invalid: number;
  /** Valid tasks in pending/ that no open issue carries yet: what promotion has not reached. */
  readonly unpromoted: number;
  /** Open issues with an ATO label. */
  readonly openAtoIssues: number;
  /** Open pull requests of the repository, and how many of them the loop follows. */
  readonly openPullRequests: number;
  readonly followedPullRequests: number;
  /** Task files only in the working tree (GitHub mode): "Queue it" commits them. */
  readonly localDrafts: number;
}

export type LoopTrack = 'runs' | 'planning' | 'maintenance';

/** What one tick intends to do on one track, and why (or why nothing). */
export interface TrackPlan {
  readonly track: LoopTrack;
  /** The action this tick takes on the track. */
  readonly action: PlannedAction | undefined;
  readonly reason: string;
  /**
   * The track's next action when the tick does not take it itself: a merge waiting for your one click
   * (auto-merge off), or any action in an untrusted workspace. `reason` then says why it waits.
   */
  readonly held?: { readonly action: PlannedAction; readonly waitsFor: 'you' | 'trust' };
}

/** The answer to "what would the next tick do, and why": a dry run, nothing written. */
export interface TickPlan {
  readonly at: string;
  readonly stage: StageDecision | undefined;
  readonly tracks: readonly TrackPlan[];
}

export interface ActionOutcome {
  readonly track: LoopTrack;
  readonly action: PlannedAction;
  readonly result: 'done' | 'skipped' | 'failed';
  readonly message: string;
}

export interface TickReport {
  readonly plan: TickPlan;
  readonly outcomes: readonly ActionOutcome[];
  /** GitHub requests and rate-limit points this tick spent. */
  readonly requests: number;
  readonly points: number;
}

/** A task file only in the working tree's pending/ (GitHub mode): shown with a "Queue it" action. */
export interface LocalDraft {
  /** Path inside the repository, e.g. `planning/issue_queue/pending/add-login.task.md`. */
  readonly path: string;
  readonly taskId: string;
  readonly title: string;
  readonly valid: boolean;
}

/** The queue as the loop read it from its planning branch (GitHub mode). */
export interface LoopQueueView {
  /** Where it was read, e.g. `origin/main`. */
  readonly branch: string;
  /** The commit read: equal revisions, equal entries. */
  readonly revision: string;
  /** Task files of the three queue folders, valid or not, paths relative to the planning folder as locally. */
  readonly entries: readonly QueueEntry[];
  /** The planning folder's web address on that branch, ending in `/` (a file's page is this plus its relative path). */
  readonly fileUrlBase?: string;
}

/** The loop as the store holds it (panel, tree, status bar and `ato status --json` read this). */
export interface LoopState {
  /** `github`: planning truth on the remote's default branch; `local`: the working tree; `off`: no loop here. */
  readonly mode: 'github' | 'local' | 'off';
  /** Started (ticks on a timer) or paused. */
  readonly running: boolean;
  /** A tick is in progress. */
  readonly ticking: boolean;
  /** Why the last tick failed, until one succeeds. */
  readonly error: string | undefined;
  readonly stage: StageDecision | undefined;
  readonly lastTickAt: string | undefined;
  readonly nextTickAt: string | undefined;
  /** The last preview, or the plan of the last tick. */
  readonly plan: TickPlan | undefined;
  readonly lastReport: TickReport | undefined;
  readonly rateLimit: { readonly core: RateLimitBudget | undefined; readonly graphql: RateLimitBudget | undefined };
  readonly redPullRequests: readonly RedPullRequest[];
  /** Every open pull request the planning track follows, with its CI state and merge verdict. */
  readonly followedPullRequests: readonly FollowedPullRequest[];
  /** Counts from the planning branch and GitHub, once a tick has read them. */
  readonly counts: LoopCounts | undefined;
  readonly needsYou: readonly LoopNeedsYou[];
  /** GitHub mode: local task files the planning branch does not have yet. */
  readonly drafts: readonly LocalDraft[];
  /** GitHub mode: the queue the loop reads (the planning branch), once a tick has read it; the views show this one. */
  readonly queue: LoopQueueView | undefined;
  /** Who holds the remote lease, when known. */
  readonly lease: { readonly holder: string; readonly mine: boolean; readonly expiresAt: string } | undefined;
  /** The poll timer is held: the window has been unfocused for `ato.loop.pauseWhenUnfocusedMinutes`. */
  readonly pausedUnfocused?: boolean;
}

export const initialLoopState: LoopState = {
  mode: 'off',
  running: false,
  ticking: false,
  error: undefined,
  stage: undefined,
  lastTickAt: undefined,
  nextTickAt: undefined,
  plan: undefined,
  lastReport: undefined,
  rateLimit: { core: undefined, graphql: undefined },
  redPullRequests: [],
  followedPullRequests: [],
  counts: undefined,
  needsYou: [],
  drafts: [],
  queue: undefined,
  lease: undefined,
};

/** What the views and commands drive; the loop engine implements it. */
export interface LoopController {
  start(): void;
  pause(): void;
  /** Runs one tick now (whether started or paused) and reports what it did. */
  tickNow(): Promise<TickReport>;
  /** What the next tick would do, without doing it. */
  preview(): Promise<TickPlan>;
  /** The one-click merge of a ready PR (auto-merge off), through the same guarded action. */
  mergeNow(pullNumber: number): Promise<ActionOutcome>;
  /** "Queue it": commits a local draft (a path from `LoopState.drafts`) to pending/ on the planning branch. */
  queueDraft(path: string): Promise<{ readonly result: 'done' | 'skipped' | 'failed'; readonly message: string }>;
  /**
   * GitHub mode: a task whose run failed (or whose issue was closed outside the loop) back to pending/ on the
   * planning branch, its old issue closed, through the guarded action behind the lease. Only what needs-you
   * offers; a task already in pending/ is `skipped` (a second click).
   */
  requeueTask(taskId: string): Promise<ActionOutcome>;
  /**
   * Open issues made by hand (or by an earlier tool) for queued tasks and the gap analysis, matched by title:
   * listed (`dryRun`), or labelled and marked as ATO's behind the lease. `report` is undefined when nothing
   * was read (local mode, an untrusted workspace, the lease held elsewhere).
   */
  adoptIssues(dryRun: boolean): Promise<{ readonly result: 'done' | 'skipped' | 'failed'; readonly message: string; readonly report: AdoptionReport | undefined }>;
  /**
   * "Fix now" / "Send to…" on a red PR (issue 11): the maintenance track's fix request for this PR now,
   * through the same guarded action behind the lease, to its authoring agent or to `agentId`.
   */
  fixPullRequest(pullNumber: number, agentId?: string): Promise<ActionOutcome>;
}
