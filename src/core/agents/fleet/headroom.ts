import type { VendorWindow } from '../../../shared/agentsReport';
import type { FleetSettings } from './fleetSettings';
import type { FleetLedger } from './ledger';
import type { VendorWindows } from './vendorWindows';

/** Whether an agent may start a run now, as far as its caps, budgets and vendor window go, and why not. */
export interface Headroom {
  readonly open: boolean;
  readonly reasons: readonly string[];
}

export interface HeadroomSources {
  readonly ledger: FleetLedger;
  readonly windows: VendorWindows;
  readonly settings: Pick<FleetSettings, 'limits' | 'budgets'>;
}

/**
 * Why a vendor takes no new run now: its window is closed, or its daily or monthly budget is spent. Empty
 * when it may.
 */
export function vendorClosedBecause(vendor: string, sources: HeadroomSources, now: Date): string[] {
  const reasons: string[] = [];
  const window: VendorWindow = sources.windows.state(vendor, now);
  if (!window.open && window.reason !== null) reasons.push(window.reason);
  const budget = sources.settings.budgets[vendor];
  if (budget?.dailyUsd !== undefined) {
    const spent = sources.ledger.vendorDay(vendor, now).costUsd;
    if (spent >= budget.dailyUsd) reasons.push(`${vendor} daily budget reached (${dollars(spent)}/${dollars(budget.dailyUsd)})`);
  }
  if (budget?.monthlyUsd !== undefined) {
    const spent = sources.ledger.vendorMonth(vendor, now).costUsd;
    if (spent >= budget.monthlyUsd) reasons.push(`${vendor} monthly budget reached (${dollars(spent)}/${dollars(budget.monthlyUsd)})`);
  }
  return reasons;
}

/** The agent's own daily cap, then its vendor's window and budgets. */
export function headroomOf(agentId: string, sources: HeadroomSources, now: Date): Headroom {
  const reasons: string[] = [];
  const cap = sources.settings.limits[agentId]?.dailyRuns;
  if (cap !== undefined) {
    const runs = sources.ledger.agentDay(agentId, now).runs;
    if (runs >= cap) reasons.push(`daily cap ${runs}/${cap}`);
  }
  reasons.push(...vendorClosedBecause(sources.ledger.vendorOf(agentId), sources, now));
  return { open: reasons.length === 0, reasons };
}

export function dollars(value: number): string {
  return `$${value.toFixed(2)}`;
}
