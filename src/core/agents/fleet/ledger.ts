import type { RunRecord } from '../../runs/runRecord';
import type { AgentBackend } from '../agentBackend';
import { vendorOf } from './vendors';

/** Runs started and money spent in one period (a UTC day or a calendar month). */
export interface PeriodTotals {
  readonly runs: number;
  readonly costUsd: number;
  /** Copilot sessions (one premium request each). */
  readonly premiumRequests: number;
}

export interface LastError {
  readonly at: string;
  readonly runId: string;
  readonly failure: string;
  readonly message: string;
}

export interface LedgerOptions {
  /** USD per Copilot premium request: a Copilot run counts one per session it started. */
  readonly copilotPremiumRequestUsd: number;
}

/** What one run record adds to the totals; kept per run so a newer version of the record replaces it. */
interface Contribution {
  readonly agentId: string;
  readonly vendor: string;
  readonly day: string;
  readonly month: string;
  readonly runs: number;
  readonly costUsd: number;
  readonly premiumRequests: number;
}

const zero: PeriodTotals = { runs: 0, costUsd: 0, premiumRequests: 0 };

/**
 * The fleet's books (issue 10): per agent and per vendor, runs started and spend per UTC day and month, and
 * each agent's last error. Fed run records as they are written (`observe`, idempotent per run: a newer
 * version of a record replaces the older one's share), so a dispatch reads totals in O(1) instead of
 * re-reading `.ato/runs/`. A run counts on the day it was first started, once per start of its agent
 * (`attempts`: a retry is a new session); its spend is `usage.costUsd` — for Copilot, which reports none,
 * one premium request per session at the configured unit price. A record of an agent no longer configured
 * still counts for its vendor when its kind is known from an earlier record; otherwise under its own id.
 */
export class FleetLedger {
  private readonly vendors = new Map<string, string>();
  private readonly kinds = new Map<string, AgentBackend['kind']>();
  private readonly contributions = new Map<string, Contribution>();
  private readonly totals = new Map<string, { runs: number; costUsd: number; premiumRequests: number }>();
  private readonly lastErrors = new Map<string, LastError>();

  constructor(agents: Iterable<Pick<AgentBackend, 'id' | 'kind'>>, private readonly options: LedgerOptions) {
    for (const agent of agents) {
      this.vendors.set(agent.id, vendorOf(agent));
      this.kinds.set(agent.id, agent.kind);
    }
  }

  vendorOf(agentId: string): string {
    return this.vendors.get(agentId) ?? agentId;
  }

  /** The agent ids of one vendor, in the order they were configured. */
  agentsOf(vendor: string): string[] {
    return [...this.vendors].filter(([, v]) => v === vendor).map(([id]) => id);
  }

  observeAll(records: Iterable<RunRecord>): void {
    for (const record of records) this.observe(record);
  }

  observe(record: RunRecord): void {
    const previous = this.contributions.get(record.runId);
    if (previous !== undefined) this.add(previous, -1);
    const next = this.contributionOf(record);
    this.contributions.set(record.runId, next);
    this.add(next, 1);
    if (record.failure !== undefined && record.failure.class !== 'cancelled' && (record.state === 'failed' || record.followUp?.kind === 'retry')) {
      const at = record.endedAt ?? record.history.at(-1)?.at ?? record.startedAt;
      const known = this.lastErrors.get(record.agentId);
      if (known === undefined || known.at <= at) this.lastErrors.set(record.agentId, { at, runId: record.runId, failure: record.failure.class, message: record.failure.message });
    }
  }

  agentDay(agentId: string, now: Date): PeriodTotals {
    return this.read(`a\u0000${agentId}\u0000d\u0000${dayKey(now)}`);
  }

  agentMonth(agentId: string, now: Date): PeriodTotals {
    return this.read(`a\u0000${agentId}\u0000m\u0000${monthKey(now)}`);
  }

  vendorDay(vendor: string, now: Date): PeriodTotals {
    return this.read(`v\u0000${vendor}\u0000d\u0000${dayKey(now)}`);
  }

  vendorMonth(vendor: string, now: Date): PeriodTotals {
    return this.read(`v\u0000${vendor}\u0000m\u0000${monthKey(now)}`);
  }

  lastError(agentId: string): LastError | undefined {
    return this.lastErrors.get(agentId);
  }

  private contributionOf(record: RunRecord): Contribution {
    const copilot = this.kinds.get(record.agentId) === 'copilot';
    const premiumRequests = copilot ? record.attempts : 0;
    const costUsd = copilot ? premiumRequests * this.options.copilotPremiumRequestUsd : record.usage.costUsd ?? 0;
    const started = new Date(record.startedAt);
    return { agentId: record.agentId, vendor: this.vendorOf(record.agentId), day: dayKey(started), month: monthKey(started), runs: record.attempts, costUsd, premiumRequests };
  }

  private add(contribution: Contribution, sign: 1 | -1): void {
    const keys = [
      `a\u0000${contribution.agentId}\u0000d\u0000${contribution.day}`,
      `a\u0000${contribution.agentId}\u0000m\u0000${contribution.month}`,
      `v\u0000${contribution.vendor}\u0000d\u0000${contribution.day}`,
      `v\u0000${contribution.vendor}\u0000m\u0000${contribution.month}`,
    ];
    for (const key of keys) {
      const totals = this.totals.get(key) ?? { runs: 0, costUsd: 0, premiumRequests: 0 };
      totals.runs += sign * contribution.runs;
      totals.costUsd += sign * contribution.costUsd;
      totals.premiumRequests += sign * contribution.premiumRequests;
      this.totals.set(key, totals);
    }
  }

  private read(key: string): PeriodTotals {
    const totals = this.totals.get(key);
    // Sums of floats that went up and down again can leave dust below a cent.
    return totals === undefined ? zero : { runs: totals.runs, costUsd: Math.max(0, Math.round(totals.costUsd * 1e6) / 1e6), premiumRequests: totals.premiumRequests };
  }
}

/** `2026-12-07`: the UTC day. */
export function dayKey(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** `2026-12`: the UTC calendar month. */
export function monthKey(at: Date): string {
  return at.toISOString().slice(0, 7);
}
