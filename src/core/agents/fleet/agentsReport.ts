import { agentsReportSchema, type AgentReport, type AgentsReport, type VendorReport } from '../../../shared/agentsReport';
import { taskTypes } from '../../tasks/taskTypes';
import { jsonSchemaDocument } from '../../util/jsonSchemaDocument';
import type { AgentBackend, AgentHealth } from '../agentBackend';
import type { ConcurrencyLimiter } from './concurrencyLimiter';
import type { FleetSettings } from './fleetSettings';
import { headroomOf, vendorClosedBecause, type HeadroomSources } from './headroom';
import type { SuccessRates } from './successRates';

export interface AgentsReportInputs {
  readonly agents: readonly Pick<AgentBackend, 'id' | 'kind'>[];
  readonly sources: HeadroomSources;
  readonly settings: FleetSettings;
  readonly limiter: Pick<ConcurrencyLimiter, 'load'>;
  /** Health per agent id; an agent missing here reports `null` (not checked). */
  readonly health: ReadonlyMap<string, AgentHealth>;
  readonly successRates: SuccessRates;
  readonly problems: readonly string[];
  readonly now: Date;
}

/** The fleet as `ato agents --json` prints it (src/shared/agentsReport.ts), from the ledger and the limiter. */
export function buildAgentsReport(inputs: AgentsReportInputs): AgentsReport {
  const { sources, settings, now } = inputs;
  const { ledger, windows } = sources;
  const agents: AgentReport[] = inputs.agents.map(agent => {
    const vendor = ledger.vendorOf(agent.id);
    const load = inputs.limiter.load(agent.id);
    const health = inputs.health.get(agent.id);
    const headroom = headroomOf(agent.id, sources, now);
    const lastError = ledger.lastError(agent.id);
    return {
      id: agent.id,
      kind: agent.kind,
      vendor,
      health: health === undefined ? null : { ok: health.ok, detail: health.detail },
      inFlight: { used: load.active, cap: Number.isFinite(load.limit) ? load.limit : null },
      runsToday: { used: ledger.agentDay(agent.id, now).runs, cap: settings.limits[agent.id]?.dailyRuns ?? null },
      spendToday: ledger.agentDay(agent.id, now).costUsd,
      spendMonth: ledger.agentMonth(agent.id, now).costUsd,
      window: windows.state(vendor, now),
      headroom: { open: headroom.open, reasons: [...headroom.reasons] },
      lastError: lastError === undefined ? null : { ...lastError },
      successRates: taskTypes.flatMap(taskType => {
        const stats = inputs.successRates.stats(agent.id, taskType);
        return stats.succeeded + stats.failed === 0 ? [] : [{ taskType, ...stats }];
      }),
    };
  });
  const vendorIds = [...new Set(agents.map(agent => agent.vendor))];
  const vendors: VendorReport[] = vendorIds.map(vendor => {
    const ids = agents.filter(agent => agent.vendor === vendor).map(agent => agent.id);
    const day = ledger.vendorDay(vendor, now);
    const month = ledger.vendorMonth(vendor, now);
    const budget = settings.budgets[vendor];
    const isGitHub = inputs.agents.some(agent => agent.kind === 'copilot' && ids.includes(agent.id));
    const caps = ids.flatMap(id => {
      const cap = settings.limits[id]?.dailyRuns;
      return cap === undefined ? [] : [cap];
    });
    return {
      vendor,
      agents: ids,
      inFlight: ids.reduce((sum, id) => sum + inputs.limiter.load(id).active, 0),
      // The vendor's cap is the sum of its agents' caps, when every one of them has one.
      runsToday: { used: day.runs, cap: caps.length === ids.length ? caps.reduce((sum, cap) => sum + cap, 0) : null },
      spendToday: { spentUsd: day.costUsd, capUsd: budget?.dailyUsd ?? null },
      spendMonth: { spentUsd: month.costUsd, capUsd: budget?.monthlyUsd ?? null },
      premiumRequests: isGitHub ? { today: day.premiumRequests, month: month.premiumRequests, unitUsd: settings.copilotPremiumRequestUsd } : null,
      window: windows.state(vendor, now),
      closedBecause: vendorClosedBecause(vendor, sources, now),
    };
  });
  return { version: 1, generatedAt: now.toISOString(), agents, vendors, problems: [...inputs.problems] };
}

/** The JSON Schema of `ato agents --json`, generated from {@link agentsReportSchema} (src/shared/agentsReport.ts). */
export function agentsReportJsonSchema(): Record<string, unknown> {
  return jsonSchemaDocument(agentsReportSchema, {
    id: 'urn:ato:schema:agents:1',
    title: 'ato agents --json',
    description: 'The fleet: each agent with its vendor, health, runs in flight and today against its caps, spend, the vendor window, headroom with reasons, last error and success rates per task type; each vendor with its spend today and this month against its budgets and its window.',
  });
}
