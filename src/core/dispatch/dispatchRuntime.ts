import type { AgentBackend, AgentHealth } from '../agents/agentBackend';
import { AgentRegistry } from '../agents/fleet/agentRegistry';
import { ConcurrencyLimiter } from '../agents/fleet/concurrencyLimiter';
import { Fleet } from '../agents/fleet/fleet';
import type { FleetSettings } from '../agents/fleet/fleetSettings';
import { windowFile } from '../agents/fleet/windowFile';
import { atoDirectory } from '../events/atoDirectory';
import { WorktreePoolWarmer } from '../git/worktreePoolWarmer';
import type { Logger } from '../logging/logger';
import type { Redactor } from '../logging/redactor';
import { PlanningWriter } from '../planning/planningWriter';
import type { QueueIndex } from '../queue/queueIndex';
import type { RetryPolicyOptions } from '../runs/retryPolicy';
import { RunStore } from '../runs/runStore';
import type { DispatchStep, FailureStep } from './dispatchSteps';
import type { EscalationIssuePort } from './escalation';
import type { StallSettings } from './stallWatch';
import { FleetRuns } from './fleetRuns';
import { TaskDispatcher, type EventSink } from './taskDispatcher';

export interface DispatchRuntimeOptions {
  readonly workspaceRoot: string;
  readonly index: QueueIndex;
  readonly agents: readonly AgentBackend[];
  readonly maxConcurrentRuns: number;
  /** `ato.agents.worktreePoolSize`, read at each dispatch and each run's end; absent: no pool. */
  readonly worktreePoolSize?: () => number;
  readonly defaultTimeoutMs: number;
  /** `ato.runs.defaultBudgetUsd` (0: none). */
  readonly defaultBudgetUsd?: number;
  readonly redactor: Redactor;
  readonly events: EventSink;
  readonly log: Logger;
  readonly checkpoint?: (step: DispatchStep | FailureStep, runId: string) => void | Promise<void>;
  readonly retry?: RetryPolicyOptions;
  /** How long a health result is reused. Default 60 s. */
  readonly healthTtlMs?: number;
  /** Values in [0, 1) for run ids and the retry jitter; default Math.random (tests pin it). */
  readonly random?: () => number;
  /**
   * Caps, budgets, vendor windows (kept in `.ato/fleet/`) and burst-safe starts; see `fleetSettingsOf`.
   * Absent: none of them (a test that wants the dispatcher alone).
   */
  readonly fleet?: FleetSettings;
  readonly now?: () => Date;
  /** The stall watch's settings, read at every check (see stallWatch.ts); no watch without. */
  readonly stall?: () => StallSettings;
  /** The GitHub port for escalation issues, asked for when a run escalates (see escalation.ts); none: no issue. */
  readonly escalationIssues?: () => Promise<EscalationIssuePort | undefined>;
}

export interface DispatchRuntime {
  readonly dispatcher: TaskDispatcher;
  readonly registry: AgentRegistry;
  readonly limiter: ConcurrencyLimiter;
  readonly runs: RunStore;
  /** What the dispatcher (and crash recovery) write into the planning folder with. */
  readonly planningWriter: PlanningWriter;
  readonly fleet: Fleet | undefined;
  /** Every run in progress in this process — task files and the loop's local runs — with their slots and records. */
  readonly fleetRuns: FleetRuns;
  /** Fills the worktree pool ahead of the first dispatch (call `warm()` when idle); undefined without a pool or an agent that needs a worktree. */
  readonly poolWarmer: WorktreePoolWarmer | undefined;
}

export type FleetRunsSetup = Pick<DispatchRuntimeOptions, 'workspaceRoot' | 'agents' | 'maxConcurrentRuns' | 'redactor' | 'events' | 'log' | 'fleet' | 'stall' | 'now' | 'random'>;

/**
 * The fleet's side of runs for a workspace (limits, start gate, ledger, records, stall watch): the
 * dispatcher's, or — where no dispatcher runs (the CLI's loop) — the loop's own over the same records.
 */
export function createFleetRuns(options: FleetRunsSetup): { readonly fleetRuns: FleetRuns; readonly fleet: Fleet | undefined; readonly limiter: ConcurrencyLimiter; readonly runs: RunStore } {
  const limiter = new ConcurrencyLimiter(options.maxConcurrentRuns, options.agents.map(agent => [agent.id, agent.limits.concurrent] as const));
  const runs = new RunStore({ workspaceRoot: options.workspaceRoot, redactor: options.redactor });
  const fleet = options.fleet === undefined ? undefined : new Fleet({
    agents: options.agents,
    settings: options.fleet,
    events: options.events,
    windowStore: windowFile(atoDirectory(options.workspaceRoot), options.redactor),
    loadRecords: async () => (await runs.list()).records,
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.random === undefined ? {} : { random: options.random }),
  });
  const fleetRuns = new FleetRuns({
    limiter,
    runs,
    events: options.events,
    log: options.log,
    ...(fleet === undefined ? {} : { fleet }),
    ...(options.stall === undefined ? {} : { stall: options.stall }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  return { fleetRuns, fleet, limiter, runs };
}

/** Wires the dispatcher the same way for the extension host and the CLI. */
export function createDispatchRuntime(options: DispatchRuntimeOptions): DispatchRuntime {
  const registry = new AgentRegistry(options.agents);
  const { fleetRuns, fleet, limiter, runs } = createFleetRuns(options);
  const planningWriter = new PlanningWriter(options.redactor);
  const ttl = options.healthTtlMs ?? 60_000;
  const cache = new Map<string, { at: number; health: Promise<AgentHealth> }>();
  const health = (agent: AgentBackend): Promise<AgentHealth> => {
    const cached = cache.get(agent.id);
    if (cached !== undefined && Date.now() - cached.at < ttl) return cached.health;
    const fresh = agent.health();
    cache.set(agent.id, { at: Date.now(), health: fresh });
    return fresh;
  };
  const poolSize = options.worktreePoolSize;
  const poolWarmer = poolSize === undefined || !options.agents.some(agent => agent.needsWorktree) ? undefined : new WorktreePoolWarmer({ repoRoot: options.workspaceRoot, size: poolSize });
  const dispatcher = new TaskDispatcher({
    workspaceRoot: options.workspaceRoot,
    index: options.index,
    registry,
    fleetRuns,
    runs,
    events: options.events,
    log: options.log,
    planningWriter,
    defaultTimeoutMs: options.defaultTimeoutMs,
    ...(options.defaultBudgetUsd === undefined ? {} : { defaultBudgetUsd: options.defaultBudgetUsd }),
    health,
    ...(options.checkpoint === undefined ? {} : { checkpoint: options.checkpoint }),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.random === undefined ? {} : { random: options.random }),
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.escalationIssues === undefined ? {} : { escalationIssues: options.escalationIssues }),
    ...(options.worktreePoolSize === undefined ? {} : { worktreePoolSize: options.worktreePoolSize }),
    ...(poolWarmer === undefined ? {} : { poolWarmer }),
  });
  return { dispatcher, registry, limiter, runs, planningWriter, fleet, fleetRuns, poolWarmer };
}
