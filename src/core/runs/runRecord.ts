import * as z from 'zod/mini';
import '../../shared/zod';
import { failureClasses } from '../agents/failureClass';
import { taskPriorities, taskTypes } from '../tasks/taskTypes';

/**
 * A run record (PRODUCT §8): one agent working on one task, stored as `.ato/runs/<runId>.json`.
 *
 * `attempt` numbers the task's runs (1 for its first run, 2 when it went to a second agent or was
 * dispatched again); `attempts` counts how often this run's agent was started (each entry into
 * `preparing`), so transient failures retried on the same agent stay in one record.
 */

/** Run states; `succeeded`, `failed` and `cancelled` are final. See runTransitions.ts for the machine. */
export const runStates = ['queued', 'preparing', 'running', 'needsYou', 'succeeded', 'failed', 'cancelled'] as const;
export type RunState = (typeof runStates)[number];

export const finalRunStates: ReadonlySet<RunState> = new Set<RunState>(['succeeded', 'failed', 'cancelled']);

export function isFinalRunState(state: RunState): boolean {
  return finalRunStates.has(state);
}

/** A full commit id (SHA-1 or SHA-256), lowercase hex. */
export const commitShaPattern = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** How a finished local run's branch was landed (or not). */
export const landingKinds = ['merged', 'pullRequest', 'discarded'] as const;
export type LandingKind = (typeof landingKinds)[number];

/** Run ids name files: letters, digits, `.`, `_`, `-`, starting with a letter or digit. */
export const runIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const nonEmpty = () => z.string().check(z.minLength(1));
const count = () => z.int().check(z.nonnegative());

export const runHistoryEntrySchema = z.object({
  state: z.enum(runStates),
  at: z.iso.datetime(),
  reason: z.string(),
});

export const runUsageSchema = z.object({
  costUsd: z.optional(z.number().check(z.nonnegative())),
  turns: z.optional(count()),
  inputTokens: z.optional(count()),
  outputTokens: z.optional(count()),
  cacheReadTokens: z.optional(count()),
  cacheWriteTokens: z.optional(count()),
  /** The model that answered, when the agent says. */
  model: z.optional(z.string()),
  /** How the cost was found, or why it is unknown (a model with no known price: tokens only). */
  costNote: z.optional(z.string()),
  sessionId: z.optional(z.string()),
});

export const runRecordSchema = z.object({
  version: z.literal(1),
  runId: z.string().check(z.regex(runIdPattern)),
  taskId: nonEmpty(),
  /** The task file relative to the workspace root, `/`-separated. */
  taskFile: nonEmpty(),
  taskType: z.enum(taskTypes),
  agentId: nonEmpty(),
  attempt: z.int().check(z.positive()),
  branch: z.optional(nonEmpty()),
  /** Absolute path the agent works in (a worktree for local agents). */
  workdir: z.optional(nonEmpty()),
  /** The commit the run's worktree (and `branch`) started from: the base of its diff. */
  baseSha: z.optional(z.string().check(z.regex(commitShaPattern))),
  /**
   * What a human did with a finished local run's branch (issue 14): merged it into their branch, opened a
   * pull request from it, or discarded it (worktree removed, branch deleted). Set once; the actions then go.
   */
  landing: z.optional(z.object({
    kind: z.enum(landingKinds),
    at: z.iso.datetime(),
    /** What was done, in a sentence ("merged into main as 1a2b3c4", "deleted ato/x at 1a2b3c4"). */
    detail: z.string(),
    pullRequest: z.optional(z.object({ number: z.int().check(z.positive()), url: nonEmpty() })),
  })),
  /** The backend's reference to the started run (AgentRunHandle), so a restart can find it again. */
  handle: z.optional(z.object({ runId: nonEmpty(), agentId: nonEmpty(), ref: z.string() })),
  state: z.enum(runStates),
  /** Every state the run entered, oldest first; the last entry is `state`. */
  history: z.array(runHistoryEntrySchema).check(z.minLength(1)),
  startedAt: z.iso.datetime(),
  endedAt: z.optional(z.iso.datetime()),
  exitCode: z.optional(z.int()),
  usage: runUsageSchema,
  /** Paths relative to the workdir. */
  filesChanged: z.array(z.string()),
  /** The last failure; also set while a transient failure waits for its retry. */
  failure: z.optional(z.object({ class: z.enum(failureClasses), message: z.string() })),
  attempts: count(),
  summary: z.optional(z.string()),
  /** The report the run wrote beside its task file (a read-only agent's answer), relative to the workspace root. */
  report: z.optional(nonEmpty()),
  /**
   * What happens after a failure: another try (this or another agent) is scheduled, so nobody needs to
   * act; or nothing is, and a human decides; or a human requeued the task (`requeued`, `at` when), so the
   * next run starts from `pending/`. Absent on runs that did not fail.
   */
  followUp: z.optional(z.object({ kind: z.enum(['retry', 'nextAgent', 'needsYou', 'none', 'requeued']), at: z.optional(z.iso.datetime()), reason: z.string() })),
  /**
   * What escalation did after the task's retries ran out: the priority it set in the task file (one step up,
   * written here before the file, so doing it again sets the same one) and the GitHub issue it opened.
   */
  /**
   * A run the GitHub loop started for a task's issue, not a task file of the local queue: the issue, and (a
   * remote agent such as Jules) the pull request its session reported once ATO checked it is on the loop's
   * repository. Its task lives on the planning branch, so a restart neither moves a local file nor
   * re-dispatches it: the loop follows a remote session again and starts a local run again from its issue.
   */
  loopLink: z.optional(z.object({
    issueNumber: z.int().check(z.positive()),
    pullRequest: z.optional(z.object({ number: z.int().check(z.positive()), url: nonEmpty(), headRef: nonEmpty() })),
  })),
  escalation: z.optional(z.object({
    priorityFrom: z.enum(taskPriorities),
    priorityTo: z.enum(taskPriorities),
    issue: z.optional(z.object({ number: z.int().check(z.positive()), url: z.string() })),
  })),
  /**
   * Written with the failure that escalates, removed when escalation is done: a run that still says so after
   * a crash is escalated by recoverRuns (every step of escalation is idempotent).
   */
  escalationDue: z.optional(z.literal(true)),
});

export type RunRecord = z.infer<typeof runRecordSchema>;
export type RunHistoryEntry = z.infer<typeof runHistoryEntrySchema>;
export type RunUsage = z.infer<typeof runUsageSchema>;
export type RunLanding = NonNullable<RunRecord['landing']>;

export interface NewRunRecordInput {
  readonly runId: string;
  readonly taskId: string;
  readonly taskFile: string;
  readonly taskType: RunRecord['taskType'];
  readonly agentId: string;
  /** Default 1. */
  readonly attempt?: number;
  readonly reason: string;
}

/** A record in state `queued`, its history starting there. */
export function newRunRecord(input: NewRunRecordInput, now: () => Date): RunRecord {
  const at = now().toISOString();
  return {
    version: 1,
    runId: input.runId,
    taskId: input.taskId,
    taskFile: input.taskFile,
    taskType: input.taskType,
    agentId: input.agentId,
    attempt: input.attempt ?? 1,
    state: 'queued',
    history: [{ state: 'queued', at, reason: input.reason }],
    startedAt: at,
    usage: {},
    filesChanged: [],
    attempts: 0,
  };
}

/**
 * A new run id: UTC time to the second (so ids sort by start) and six base-36 characters from `random`
 * (values in [0, 1)), e.g. `20261121T100000Z-k3x9q1`.
 */
export function newRunId(now: () => Date, random: () => number): string {
  const stamp = now().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  let suffix = '';
  for (let index = 0; index < 6; index++) {
    const value = Math.min(Math.max(random(), 0), 1 - Number.EPSILON);
    suffix += Math.floor(value * 36).toString(36);
  }
  return `${stamp}-${suffix}`;
}
