import * as z from 'zod/mini';
import '../../../shared/zod';

/**
 * The fleet's limits and budgets (issue 10). One shape each, validated whole as settings:
 * - `ato.fleet.limits`: per agent id, `{ "dailyRuns": 15 }` — runs started per UTC day;
 * - `ato.fleet.budgets`: per vendor (`anthropic`, `github`, `google`, or a custom agent's id),
 *   `{ "dailyUsd": 5, "monthlyUsd": 100 }` — spend per UTC day and calendar month.
 * An absent key is no cap. Both are machine-scoped: a cloned repository must not raise what you spend.
 */
const wholeCount = z.int().check(z.nonnegative());
const dollars = z.number().check(z.nonnegative(), z.maximum(1_000_000));

export const agentLimitsSchema = z.strictObject({ dailyRuns: z.optional(wholeCount) });
export const fleetLimitsSchema = z.record(z.string().check(z.minLength(1)), agentLimitsSchema);
export type FleetLimits = z.infer<typeof fleetLimitsSchema>;

export const vendorBudgetSchema = z.strictObject({ dailyUsd: z.optional(dollars), monthlyUsd: z.optional(dollars) });
export const fleetBudgetsSchema = z.record(z.string().check(z.minLength(1)), vendorBudgetSchema);
export type FleetBudgets = z.infer<typeof fleetBudgetsSchema>;

export interface FleetSettings {
  readonly limits: FleetLimits;
  readonly budgets: FleetBudgets;
  /** What one Copilot premium request (one per session) costs, in USD. */
  readonly copilotPremiumRequestUsd: number;
  /** Starts per vendor per minute (burst-safe starts). */
  readonly startsPerMinute: number;
}

/** The fleet's part of the settings. */
export function fleetSettingsOf(settings: { readonly 'fleet.limits': FleetLimits; readonly 'fleet.budgets': FleetBudgets; readonly 'fleet.copilotPremiumRequestUsd': number; readonly 'fleet.startsPerMinute': number }): FleetSettings {
  return { limits: settings['fleet.limits'], budgets: settings['fleet.budgets'], copilotPremiumRequestUsd: settings['fleet.copilotPremiumRequestUsd'], startsPerMinute: settings['fleet.startsPerMinute'] };
}
