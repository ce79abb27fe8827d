import type { Task } from '../tasks/task';
import type { TaskType } from '../tasks/taskTypes';
import type { FailureClass } from './failureClass';

/** A line of an agent's output, streamed to "Show Run Log" and recorded in the run's log file. */
export interface AgentOutput {
  readonly stream: 'stdout' | 'stderr' | 'event';
  readonly text: string;
}

/** Everything an agent needs to start one run. */
export interface DispatchRequest {
  readonly runId: string;
  readonly task: Task;
  /** Where the agent works: a fresh git worktree for local agents. Absolute. */
  readonly workdir: string;
  /** The branch checked out in `workdir` (`ato/<task-id>`), when there is one. */
  readonly branch: string | undefined;
  /** The task file relative to the workspace (forward slashes), for what the agent's forge shows of the task. */
  readonly taskFile?: string;
  /** The prompt as ATO composed it from the task (title, prompt, targets, criteria, context). */
  readonly prompt: string;
  readonly timeoutMs: number;
  /** The task's spend cap in USD (its `budget_usd`, else `ato.runs.defaultBudgetUsd`); absent: none. */
  readonly budgetUsd?: number;
  /** Output as it arrives; must not throw. */
  readonly onOutput: (output: AgentOutput) => void;
  /** A local agent's executable and arguments, once, just before it starts them (the run log's header); must not throw. */
  readonly onCommand?: (argv: readonly string[]) => void;
}

/** Serializable reference to a started run, stored in the run record so a restart can find it again. */
export interface AgentRunHandle {
  readonly runId: string;
  readonly agentId: string;
  /** The backend's own reference: a process id, a session id, an issue number. */
  readonly ref: string;
}

/** Usage and cost as the agent reported them. */
export interface AgentUsage {
  /** Absent when the agent reported none and ATO cannot price the tokens (`costNote` then says why). */
  readonly costUsd?: number;
  readonly turns?: number;
  /** Input tokens not read from or written to a prompt cache. */
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly cacheReadTokens?: number;
  readonly cacheWriteTokens?: number;
  /** The model that answered, when the agent says. */
  readonly model?: string;
  /** How the cost was found, or why it is unknown (e.g. no price for the model). */
  readonly costNote?: string;
  readonly sessionId?: string;
}

/**
 * The vendor said when to come back (a 429's retry-after, Claude Code's rejected `rate_limit_event`): the
 * fleet closes the vendor's window until then.
 */
export interface VendorWindowNotice {
  /** ISO 8601. */
  readonly until: string;
  readonly source: 'retryAfter' | 'rateLimitEvent';
}

export type AgentRunStatus =
  | { readonly state: 'running'; readonly usage?: AgentUsage }
  | { readonly state: 'needsYou'; readonly reason: string; readonly usage?: AgentUsage }
  /**
   * `report`: a document the run produced (a read-only agent's answer, Markdown). The dispatcher writes it
   * beside the task file as `<name>.report.md` and links it from the task's `## Result`.
   */
  | { readonly state: 'succeeded'; readonly summary: string; readonly usage: AgentUsage; readonly exitCode?: number; readonly report?: string }
  /** `retryAfterMs`: the vendor asked to wait this long (a 429's `retry-after`); no retry comes sooner. */
  | { readonly state: 'failed'; readonly failure: FailureClass; readonly message: string; readonly usage: AgentUsage; readonly exitCode?: number; readonly retryAfterMs?: number; readonly vendorWindow?: VendorWindowNotice }
  /** The backend no longer knows the run (e.g. ATO restarted while a local process ran). */
  | { readonly state: 'lost' };

export interface AgentHealth {
  readonly ok: boolean;
  /** e.g. "claude 2.1.330, signed in" or "`codex` not found on PATH". */
  readonly detail: string;
}

export interface AgentLimits {
  /** Runs of this agent at once. */
  readonly concurrent: number;
}

/**
 * The agent port (PRODUCT §5). Local agents (claude-code, custom CLIs) and remote ones (copilot, jules)
 * implement the same interface; the loop never knows which it is driving.
 */
export interface AgentBackend {
  readonly id: string;
  readonly kind: 'claude-code' | 'custom' | 'claude' | 'copilot' | 'jules';
  /** Task types this agent takes. */
  readonly taskTypes: ReadonlySet<TaskType>;
  readonly limits: AgentLimits;
  /** Local agents work in a git worktree the dispatcher prepares; remote ones on the forge. */
  readonly needsWorktree: boolean;
  /**
   * The run goes on at the vendor without an ATO process (Jules, Copilot): when ATO stops, it stops following
   * the run and a restart waits on its handle again. Absent: the run lives in ATO's host and dies with it.
   */
  readonly remoteRuns?: boolean;
  health(): Promise<AgentHealth>;
  /** Starts the run and returns at once; progress comes from `poll` and `onOutput`. */
  dispatch(request: DispatchRequest): Promise<AgentRunHandle>;
  poll(handle: AgentRunHandle): Promise<AgentRunStatus>;
  /**
   * Resolves when the run reaches a final state (succeeded, failed, lost). A remote agent calls `onStatus`
   * each time the run moves between running and needing you (a plan to approve, a question), so the run's
   * record can say so.
   */
  wait(handle: AgentRunHandle, onStatus?: (status: AgentRunStatus) => void): Promise<AgentRunStatus>;
  /** Stops the run; for local agents, kills the whole process group. Idempotent. */
  cancel(handle: AgentRunHandle): Promise<void>;
  followUp?(handle: AgentRunHandle, message: string): Promise<void>;
  /** Approves the plan the run waits on (Jules's `requirePlanApproval`); agents without plans have none. */
  approvePlan?(handle: AgentRunHandle): Promise<void>;
}
