import * as z from 'zod/mini';
import './zod';

/**
 * The fleet as `ato agents --json` prints it and the panel's Agents section shows it: each agent's health,
 * limits and headroom, and each vendor's spend, caps and window (issue 10, "The ledger and headroom").
 * Built by src/core/agents/fleet/agentsReport.ts from the ledger; `schemas/ato-agents.schema.json` is this
 * schema as a JSON Schema (a unit test keeps the two equal; ATO_UPDATE_SCHEMAS=1 rewrites it). Absent values
 * are `null`, never missing keys. Times are ISO 8601 UTC.
 */

const text = () => z.string();
const count = () => z.int().check(z.nonnegative());
const usd = () => z.number().check(z.nonnegative());

export const agentKinds = ['claude-code', 'custom', 'claude', 'copilot', 'jules'] as const;

/** Who bills and rate-limits an agent: claude-code and claude share `anthropic`; a custom agent is its own vendor. */
export const agentVendorSchema = text();

/** A vendor's own window: closed until `until` because it said so (a 429 retry-after, Claude Code's rate_limit_event). */
export const vendorWindowSchema = z.object({
  open: z.boolean(),
  /** When the window reopens; null while open. */
  until: z.nullable(text()),
  /** What closed it: `retryAfter` (an HTTP 429's retry-after) or `rateLimitEvent` (Claude Code's stream). */
  source: z.nullable(z.enum(['retryAfter', 'rateLimitEvent'])),
  /** In words, e.g. "anthropic window closed until 14:32 (429 retry-after)"; null while open. */
  reason: z.nullable(text()),
});
export type VendorWindow = z.infer<typeof vendorWindowSchema>;

/** One money budget: spent against a cap in USD (`capUsd` null = no budget set). */
export const spendSchema = z.object({
  spentUsd: usd(),
  capUsd: z.nullable(usd()),
});

/** One count against a cap (`cap` null = no cap). */
export const countAgainstCapSchema = z.object({
  used: count(),
  cap: z.nullable(count()),
});

export const vendorReportSchema = z.object({
  vendor: agentVendorSchema,
  /** Agent ids billed by this vendor. */
  agents: z.array(text()),
  inFlight: count(),
  /** Runs started today (UTC day), over every agent of the vendor. */
  runsToday: countAgainstCapSchema,
  spendToday: spendSchema,
  spendMonth: spendSchema,
  /** Copilot: premium requests (one per session) today and this month; null for other vendors. */
  premiumRequests: z.nullable(z.object({ today: count(), month: count(), unitUsd: usd() })),
  window: vendorWindowSchema,
  /** Why no agent of this vendor may start now ("daily budget $5.00/$5.00 reached"); empty when one may. */
  closedBecause: z.array(text()),
});
export type VendorReport = z.infer<typeof vendorReportSchema>;

export const agentReportSchema = z.object({
  id: text(),
  kind: z.enum(agentKinds),
  vendor: agentVendorSchema,
  /** null when not checked (yet). */
  health: z.nullable(z.object({ ok: z.boolean(), detail: text() })),
  /** Runs of this agent at once: running now vs its concurrency cap. */
  inFlight: countAgainstCapSchema,
  /** Runs started today (UTC day) vs the agent's daily cap. */
  runsToday: countAgainstCapSchema,
  spendToday: usd(),
  spendMonth: usd(),
  /** The vendor's window (the same for every agent of a vendor). */
  window: vendorWindowSchema,
  /** May it start a run now? (Health aside: see `health`.) */
  headroom: z.object({ open: z.boolean(), reasons: z.array(text()) }),
  lastError: z.nullable(z.object({ at: text(), runId: text(), failure: text(), message: text() })),
  /** Per task type with at least one finished run: succeeded, failed and the smoothed rate. */
  successRates: z.array(z.object({ taskType: text(), succeeded: count(), failed: count(), rate: z.number() })),
});
export type AgentReport = z.infer<typeof agentReportSchema>;

export const agentsReportSchema = z.object({
  version: z.literal(1),
  generatedAt: text(),
  agents: z.array(agentReportSchema),
  vendors: z.array(vendorReportSchema),
  /** Rejected fleet settings (limits, budgets), one message each. */
  problems: z.array(text()),
});
export type AgentsReport = z.infer<typeof agentsReportSchema>;
