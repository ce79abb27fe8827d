/**
 * How the maintenance track's follow-ups reach an agent that is not Copilot (issue 11). Copilot is asked by an
 * `@copilot` comment, which the track writes itself; a local agent works in a worktree on the PR's head branch
 * and pushes there; a Jules session gets `sendMessage`; a red draft is analysed by a read-only agent. The
 * track decides; this port carries the request out. Every method is idempotent by (PR, kind, attempt or head):
 * called again after a crash it returns what the first call started.
 */

/** A fix, a rebase or a review follow-up for the agent that wrote a PR (or another one the user chose). */
export interface FollowUpRequest {
  readonly kind: 'fix' | 'rebase' | 'reviewFollowUp';
  readonly pullNumber: number;
  readonly pullUrl: string;
  readonly title: string;
  /** The PR's head branch (where a local agent commits and pushes), and the head the request was made on. */
  readonly headRef: string;
  readonly headSha: string;
  readonly baseRef: string;
  /** Fix attempts are numbered from 1 per PR; a rebase or review follow-up carries the attempt count so far. */
  readonly attempt: number;
  /** The whole prompt: what failed or what to change, third-party text fenced (texts/fixRequestText.ts). */
  readonly prompt: string;
}

/** A red draft PR to analyse: what failed, the likely cause, a proposed fix — posted once as a comment. */
export interface DraftAnalysisRequest {
  readonly pullNumber: number;
  readonly pullUrl: string;
  readonly title: string;
  readonly headRef: string;
  readonly headSha: string;
  readonly prompt: string;
}

/** How a local follow-up run stands, from its run record: the track turns `failed` into needs-you with `reason`. */
export interface FollowUpRun {
  readonly runId: string;
  readonly state: 'inProgress' | 'pushed' | 'unchanged' | 'failed' | 'cancelled';
  /** Why it failed or was cancelled, or what it did. */
  readonly reason: string;
  /** The commit ATO pushed to the head branch (`pushed`). */
  readonly pushedSha?: string;
}

export interface MaintenanceAgents {
  /**
   * A local agent (claude-code, a custom CLI) works in a worktree on the PR's head branch, commits and pushes
   * to that branch (the token only to its host). Resolves once the run is started (the fleet tracks it).
   */
  startLocalFollowUp(request: FollowUpRequest, agentId: string): Promise<{ readonly runId: string }>;
  /** The Jules session that opened the PR gets the prompt through `sendMessage`. */
  sendToJules(request: FollowUpRequest): Promise<{ readonly sessionId: string }>;
  /** A read-only agent (`claude`, or claude-code read-only) analyses a red draft; resolves with the comment body. */
  analyzeDraft(request: DraftAnalysisRequest): Promise<{ readonly agentId: string; readonly body: string }>;
  /** PRs with a local follow-up run in flight: the track waits for them. */
  activeFollowUps(): ReadonlySet<number>;
  /** The local follow-up run of (PR, kind, attempt), as its run record says (undefined: none was started). */
  followUpRun?(request: Pick<FollowUpRequest, 'pullNumber' | 'kind' | 'attempt'>): Promise<FollowUpRun | undefined>;
}
