import type { Task } from '../../tasks/task';
import { autoAgent, type TaskPriority } from '../../tasks/taskTypes';
import type { AgentBackend, AgentHealth } from '../agentBackend';
import type { AgentLoad } from './concurrencyLimiter';
import type { SuccessRates } from './successRates';

export type AgentKind = AgentBackend['kind'];

/** Ties go to the cheapest: local CLIs first, then the API, then the forges' agents. */
export const defaultCostRank: Readonly<Record<AgentKind, number>> = { custom: 0, 'claude-code': 1, claude: 2, copilot: 3, jules: 4 };

/**
 * Urgent work values reliability over spreading load: the task's priority adds this × the agent's success
 * rate to its score.
 */
export const urgencyBonus: Readonly<Record<TaskPriority, number>> = { low: 0, medium: 0, high: 0.1, critical: 0.25, emergency: 0.5 };

/** Per-agent settings for `agent: auto`. */
export interface AgentPreferences {
  /** Multiplies the score; default 1. 0 keeps the agent out of auto selection (it can still be named). */
  readonly weight?: number;
  /** Overrides the kind's {@link defaultCostRank}. */
  readonly costRank?: number;
  /** Added to the score for tasks of these priorities. */
  readonly priorityBonus?: Partial<Record<TaskPriority, number>>;
}

export interface SelectionInputs {
  /** The latest health check per agent; an agent without one is not eligible (its CLI may be missing). */
  readonly health: ReadonlyMap<string, AgentHealth>;
  /** Usually `ConcurrencyLimiter.load`. */
  readonly load: (agentId: string) => AgentLoad;
  /** Usually `computeSuccessRates(records)`. */
  readonly successRates: SuccessRates;
  /** Agents that already failed this task (escalation to the next agent). */
  readonly exclude?: ReadonlySet<string>;
  /**
   * Caps, budgets and vendor windows (usually `headroomOf` over the fleet's ledger): an agent without
   * headroom is not eligible, with the reasons it gives. Absent: no such limits.
   */
  readonly headroom?: (agentId: string) => { readonly open: boolean; readonly reasons: readonly string[] };
}

export interface ScoreFactors {
  readonly weight: number;
  readonly successRate: number;
  /** active ÷ limit. */
  readonly load: number;
  readonly priorityBonus: number;
  readonly costRank: number;
}

/** How one agent fared, for the "preview" of a dispatch. */
export interface CandidateReport {
  readonly agentId: string;
  readonly kind: AgentKind;
  readonly eligible: boolean;
  readonly reasons: readonly string[];
  readonly score: number | undefined;
  readonly factors: ScoreFactors | undefined;
}

export type SelectionDecision =
  | { readonly status: 'selected'; readonly agentId: string; readonly explicit: boolean; readonly reason: string; readonly candidates: readonly CandidateReport[] }
  /** Someone could take it, but not now (unhealthy, at a limit): try again on a later tick. */
  | { readonly status: 'wait'; readonly agentId: string | undefined; readonly reason: string; readonly candidates: readonly CandidateReport[] }
  /** Nobody will take it until a human changes something. */
  | { readonly status: 'none'; readonly code: 'unknownAgent' | 'cannotTake' | 'noCapableAgent' | 'excluded'; readonly reason: string; readonly candidates: readonly CandidateReport[] };

export type SelectableTask = Pick<Task, 'type' | 'priority' | 'agent'>;

const scoreEpsilon = 1e-9;

/** The configured agents and the choice between them (PRODUCT §5). */
export class AgentRegistry {
  private readonly backends = new Map<string, AgentBackend>();

  constructor(backends: Iterable<AgentBackend>, private readonly preferences: ReadonlyMap<string, AgentPreferences> = new Map()) {
    for (const backend of backends) {
      if (this.backends.has(backend.id)) throw new Error(`two agents share the id "${backend.id}"`);
      this.backends.set(backend.id, backend);
    }
  }

  get(agentId: string): AgentBackend | undefined {
    return this.backends.get(agentId);
  }

  all(): readonly AgentBackend[] {
    return [...this.backends.values()];
  }

  costRank(agentId: string): number {
    const backend = this.backends.get(agentId);
    return this.preferences.get(agentId)?.costRank ?? (backend === undefined ? Number.POSITIVE_INFINITY : defaultCostRank[backend.kind]);
  }

  /**
   * An explicit `agent:` wins when it exists and takes the task type (else `none`; `wait` while it is
   * unhealthy or busy). `auto` scores the eligible agents — task type taken, not excluded, healthy, below
   * its limits — as weight × success rate for the type × (1 − load) + priority bonus; ties go to the
   * cheapest, then to the id.
   */
  select(task: SelectableTask, inputs: SelectionInputs): SelectionDecision {
    return task.agent.toLowerCase() === autoAgent ? this.selectAuto(task, inputs) : this.selectExplicit(task, inputs);
  }

  private selectExplicit(task: SelectableTask, inputs: SelectionInputs): SelectionDecision {
    const backend = this.backends.get(task.agent) ?? this.all().find(candidate => candidate.id.toLowerCase() === task.agent.toLowerCase());
    if (backend === undefined) {
      const known = [...this.backends.keys()].join(', ') || 'none';
      return { status: 'none', code: 'unknownAgent', reason: `the task names agent "${task.agent}", which is not configured (agents: ${known})`, candidates: [] };
    }
    const report = this.evaluate(backend, task, inputs, true);
    const candidates = [report];
    if (!backend.taskTypes.has(task.type)) return { status: 'none', code: 'cannotTake', reason: `${backend.id} does not take ${task.type} tasks`, candidates };
    if (inputs.exclude?.has(backend.id) === true) return { status: 'none', code: 'excluded', reason: `the task names ${backend.id}, which already failed it`, candidates };
    if (!report.eligible) return { status: 'wait', agentId: backend.id, reason: `the task names ${backend.id}: ${report.reasons.join('; ')}`, candidates };
    return { status: 'selected', agentId: backend.id, explicit: true, reason: `the task names ${backend.id}`, candidates };
  }

  private selectAuto(task: SelectableTask, inputs: SelectionInputs): SelectionDecision {
    const candidates = this.all().map(backend => this.evaluate(backend, task, inputs, false));
    const capable = this.all().filter(backend => backend.taskTypes.has(task.type) && this.weight(backend.id) > 0);
    if (capable.length === 0) return { status: 'none', code: 'noCapableAgent', reason: `no agent takes ${task.type} tasks`, candidates };
    if (capable.every(backend => inputs.exclude?.has(backend.id) === true)) {
      return { status: 'none', code: 'excluded', reason: `every agent that takes ${task.type} tasks already failed this one`, candidates };
    }
    const eligible = candidates.filter(candidate => candidate.eligible);
    const best = eligible.sort(compareCandidates)[0];
    if (best?.score === undefined) {
      return { status: 'wait', agentId: undefined, reason: `no agent can start now (${capable.map(backend => backend.id).join(', ')} busy, unhealthy or out of headroom)`, candidates };
    }
    const runnerUp = eligible[1];
    let reason = `${best.agentId} scored highest (${best.score.toFixed(3)})`;
    if (runnerUp?.score !== undefined && Math.abs(runnerUp.score - best.score) < scoreEpsilon) {
      const cheaper = (best.factors?.costRank ?? 0) < (runnerUp.factors?.costRank ?? 0);
      reason += cheaper ? `, tied with ${runnerUp.agentId} and cheaper` : `, tied with ${runnerUp.agentId} at the same cost (first by id)`;
    }
    return { status: 'selected', agentId: best.agentId, explicit: false, reason, candidates };
  }

  private evaluate(backend: AgentBackend, task: SelectableTask, inputs: SelectionInputs, explicit: boolean): CandidateReport {
    const reasons: string[] = [];
    if (!backend.taskTypes.has(task.type)) reasons.push(`does not take ${task.type} tasks`);
    if (!explicit && this.weight(backend.id) <= 0) reasons.push('weight 0: never chosen automatically');
    if (inputs.exclude?.has(backend.id) === true) reasons.push('already failed this task');
    const health = inputs.health.get(backend.id);
    if (health === undefined) reasons.push('health not checked yet');
    else if (!health.ok) reasons.push(`unhealthy: ${health.detail}`);
    const load = inputs.load(backend.id);
    if (!load.canStart) reasons.push(load.active >= load.limit ? `at its limit (${load.active}/${load.limit} running)` : 'the overall run limit is reached');
    const headroom = inputs.headroom?.(backend.id);
    if (headroom !== undefined && !headroom.open) reasons.push(...headroom.reasons);
    const base = { agentId: backend.id, kind: backend.kind };
    if (reasons.length > 0) return { ...base, eligible: false, reasons, score: undefined, factors: undefined };

    const successRate = inputs.successRates.rate(backend.id, task.type);
    const loadFraction = load.limit > 0 ? Math.min(1, load.active / load.limit) : 1;
    const weight = this.weight(backend.id);
    const priorityBonus = urgencyBonus[task.priority] * successRate + (this.preferences.get(backend.id)?.priorityBonus?.[task.priority] ?? 0);
    const factors: ScoreFactors = { weight, successRate, load: loadFraction, priorityBonus, costRank: this.costRank(backend.id) };
    const score = weight * successRate * (1 - loadFraction) + priorityBonus;
    reasons.push(`score ${score.toFixed(3)} = weight ${weight} × success ${successRate.toFixed(2)} × (1 − load ${loadFraction.toFixed(2)}) + priority bonus ${priorityBonus.toFixed(3)}`);
    return { ...base, eligible: true, reasons, score, factors };
  }

  private weight(agentId: string): number {
    return this.preferences.get(agentId)?.weight ?? 1;
  }
}

function compareCandidates(a: CandidateReport, b: CandidateReport): number {
  const scoreA = a.score ?? Number.NEGATIVE_INFINITY;
  const scoreB = b.score ?? Number.NEGATIVE_INFINITY;
  if (Math.abs(scoreA - scoreB) >= scoreEpsilon) return scoreB - scoreA;
  const costA = a.factors?.costRank ?? Number.POSITIVE_INFINITY;
  const costB = b.factors?.costRank ?? Number.POSITIVE_INFINITY;
  if (costA !== costB) return costA - costB;
  return a.agentId.localeCompare(b.agentId);
}
