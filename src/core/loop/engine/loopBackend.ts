import type { RateLimitBudget } from '../../forges/github/githubModel';
import type { AdoptionRecord, AdoptionReport } from '../tracks/planning/issueAdoption';
import type { FollowedPullRequest, LocalDraft, LoopCounts, LoopQueueView, LoopState, PlannedAction, RedPullRequest, StageDecision, TrackPlan } from './loopModel';
import type { MergeRefusal } from '../policy/mergeRefusals';

/** What one observation of the world gives the engine: the decision and what the views show. */
export interface LoopObservation {
  readonly decision: StageDecision;
  /** Plans of the tracks other than planning (runs; maintenance, whose action the engine takes), with their reasons. */
  readonly otherTracks: readonly TrackPlan[];
  readonly redPullRequests: readonly RedPullRequest[];
  readonly followedPullRequests: readonly FollowedPullRequest[];
  readonly counts: LoopCounts;
  readonly drafts: readonly LocalDraft[];
  /** GitHub mode: the planning branch's queue, as read. */
  readonly queue?: LoopQueueView;
  /**
   * Something is in flight whose change GitHub's cheap probe would not report (CI on an open PR, a local
   * agent working): the next tick must read everything and come sooner.
   */
  readonly inFlight: boolean;
}

/** What executing one guarded action came to. `skipped` = nothing needed doing (idempotent re-run). */
export interface ExecutionResult {
  readonly result: 'done' | 'skipped' | 'failed';
  readonly message: string;
  /** Issues made by hand that the action adopted instead of opening new ones (one `loop.adopted` event each). */
  readonly adopted?: readonly AdoptionRecord[];
  /** A merge GitHub refused: the backend holds the PR back (needs you) until GitHub reports a change on it. */
  readonly refusal?: MergeRefusal;
}

export interface BackendUsage {
  readonly requests: number;
  readonly points: number;
  readonly core: RateLimitBudget | undefined;
  readonly graphql: RateLimitBudget | undefined;
}

/** Whether this loop may act now (the remote lease), and who holds it otherwise. */
export type LeaseAnswer =
  /** `takenOverFrom`: the lease was taken before its expiry from a dead process on this same site. */
  | { readonly held: true; readonly holder: string; readonly expiresAt: string; readonly takenOverFrom?: string }
  | { readonly held: false; readonly holder: string; readonly expiresAt: string };

/**
 * The mode-specific half of the loop: how to observe (GitHub + the remote planning branch, or the working
 * tree and local agents) and how to carry out a guarded action. The engine owns timing, one action per
 * track, preview, records and the store.
 */
export interface LoopBackend {
  readonly mode: Exclude<LoopState['mode'], 'off'>;
  /**
   * Reads the world. `full: false` may answer `unchanged` after one cheap conditional request when nothing
   * changed since the last observation; the engine then reuses that observation (an idle tick).
   */
  observe(options: { readonly full: boolean }): Promise<LoopObservation | 'unchanged'>;
  /** Takes the lease for a mutating action; `held: false` means another loop acts now. */
  acquireLease(): Promise<LeaseAnswer>;
  /** Gives the lease up (only if it is still this loop's), so another loop need not wait for its expiry. */
  releaseLease?(): Promise<void>;
  /** Carries out one guarded action. Must be idempotent: run twice, it does the work once. */
  execute(action: PlannedAction): Promise<ExecutionResult>;
  /** Finds (and unless `dryRun`, labels and marks) open issues made by hand for queued work; idempotent. */
  adoptIssues?(dryRun: boolean): Promise<AdoptionReport>;
  /** Commits a local draft to the planning branch's pending/ (GitHub mode); idempotent. */
  queueDraft?(path: string): Promise<ExecutionResult>;
  /**
   * "Fix now" / "Send to…" (issue 11): the maintenance track's fix request for this PR from the last
   * observation, or why there is none. Absent: the mode has no PRs to fix.
   */
  fixAction?(pullNumber: number, agentId?: string): PlannedAction | string;
  /** Which queue folder of the last observation holds the task (GitHub mode: of the planning branch). */
  taskFolder?(taskId: string): 'pending' | 'processed' | 'complete' | undefined;
  /** Requests and points spent so far (monotonic), and the budgets last seen. */
  usage(): BackendUsage;
  dispose?(): Promise<void>;
}
