import type { AgentsReport } from '../../../shared/agentsReport';
import type { RunRecord } from '../../runs/runRecord';
import type { AgentBackend, AgentHealth } from '../agentBackend';
import type { ConcurrencyCounts } from './concurrencyLimiter';

/**
 * One agent as the panel and the tree show it: health, limits and headroom, its vendor window, its last
 * error, and the setting that configures it. Built from what ATO knows today (registry, limiter, health
 * checks, run records); the ledger's report can fill the caps, budget and window through the same shape.
 */
export interface AgentSummary {
  readonly id: string;
  readonly kind: AgentBackend['kind'];
  readonly health: { readonly state: 'ok' | 'failing' | 'unchecked'; readonly detail: string };
  readonly inFlight: number;
  readonly concurrentCap: number;
  readonly runsToday: number;
  /** Undefined: no daily cap. */
  readonly dailyCap: number | undefined;
  readonly spendTodayUsd: number;
  /** Undefined: no budget. */
  readonly budgetUsd: number | undefined;
  /** The vendor's window when it is closed (a 429 `retry-after`, a rate-limit event). */
  readonly window: { readonly closedUntil: string; readonly reason: string } | undefined;
  readonly lastError: string | undefined;
  /** The setting "Configure" opens. */
  readonly settingId: string;
}

/** What the ledger knows per agent; every field optional, so the summary works before it exists. */
export interface AgentHeadroom {
  readonly dailyCap?: number;
  readonly runsToday?: number;
  readonly spendTodayUsd?: number;
  readonly budgetUsd?: number;
  readonly window?: { readonly closedUntil: string; readonly reason: string };
}

export interface AgentSummaryInputs {
  readonly agents: readonly Pick<AgentBackend, 'id' | 'kind' | 'limits'>[];
  /** The latest health check per agent; absent: not checked yet. */
  readonly health: ReadonlyMap<string, AgentHealth>;
  readonly counts: ConcurrencyCounts;
  /** Runs in any order. */
  readonly runs: readonly RunRecord[];
  readonly headroom?: ReadonlyMap<string, AgentHeadroom>;
  readonly now: Date;
}

/** The setting that configures each kind of agent (custom agents all live in one list). */
export const agentSettingIds: Readonly<Record<AgentBackend['kind'], string>> = {
  'claude-code': 'ato.agents.claudeCode',
  custom: 'ato.agents.custom',
  claude: 'ato.anthropic',
  copilot: 'ato.loop.agent',
  jules: 'ato.jules',
};

/** One summary per agent, in the registry's order. Pure. */
export function summarizeAgents(inputs: AgentSummaryInputs): AgentSummary[] {
  const dayStart = new Date(inputs.now);
  dayStart.setHours(0, 0, 0, 0);
  const today = new Map<string, { runs: number; spend: number }>();
  const lastFailure = new Map<string, { at: string; message: string }>();
  for (const run of inputs.runs) {
    if (Date.parse(run.startedAt) >= dayStart.getTime()) {
      const counted = today.get(run.agentId) ?? { runs: 0, spend: 0 };
      counted.runs++;
      counted.spend += run.usage.costUsd ?? 0;
      today.set(run.agentId, counted);
    }
    if (run.state === 'failed' && run.failure !== undefined) {
      const at = run.endedAt ?? run.startedAt;
      const known = lastFailure.get(run.agentId);
      if (known === undefined || known.at < at) lastFailure.set(run.agentId, { at, message: `${run.failure.class}: ${run.failure.message}` });
    }
  }
  return inputs.agents.map(agent => {
    const checked = inputs.health.get(agent.id);
    const headroom = inputs.headroom?.get(agent.id);
    const counted = today.get(agent.id);
    const load = inputs.counts.agents[agent.id];
    const health: AgentSummary['health'] = checked === undefined ? { state: 'unchecked', detail: 'not checked yet' } : { state: checked.ok ? 'ok' : 'failing', detail: checked.detail };
    // A failing health check is the most recent error there is; else the last failed run's.
    const lastError = health.state === 'failing' ? health.detail : lastFailure.get(agent.id)?.message;
    return {
      id: agent.id,
      kind: agent.kind,
      health,
      inFlight: load?.active ?? 0,
      concurrentCap: load?.limit ?? agent.limits.concurrent,
      runsToday: headroom?.runsToday ?? counted?.runs ?? 0,
      dailyCap: headroom?.dailyCap,
      spendTodayUsd: headroom?.spendTodayUsd ?? counted?.spend ?? 0,
      budgetUsd: headroom?.budgetUsd,
      window: headroom?.window,
      lastError,
      settingId: agentSettingIds[agent.kind],
    };
  });
}

/** The ledger's figures per agent, as the summaries read them (the budget is the agent's vendor's daily one). */
export function headroomFromReport(report: AgentsReport): ReadonlyMap<string, AgentHeadroom> {
  const vendors = new Map(report.vendors.map(vendor => [vendor.vendor, vendor]));
  return new Map(report.agents.map(agent => {
    const budgetUsd = vendors.get(agent.vendor)?.spendToday.capUsd ?? undefined;
    const closed = !agent.window.open && agent.window.until !== null;
    const headroom: AgentHeadroom = {
      runsToday: agent.runsToday.used,
      spendTodayUsd: agent.spendToday,
      ...(agent.runsToday.cap === null ? {} : { dailyCap: agent.runsToday.cap }),
      ...(budgetUsd === undefined ? {} : { budgetUsd }),
      ...(closed && agent.window.until !== null ? { window: { closedUntil: agent.window.until, reason: agent.window.reason ?? 'the vendor asked to wait' } } : {}),
    };
    return [agent.id, headroom];
  }));
}
