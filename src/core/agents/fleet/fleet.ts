import type { AgentsReport } from '../../../shared/agentsReport';
import type { EventInput } from '../../events/eventLog';
import type { RunRecord } from '../../runs/runRecord';
import type { AgentBackend, AgentHealth, VendorWindowNotice } from '../agentBackend';
import type { ConcurrencyLimiter } from './concurrencyLimiter';
import type { FleetSettings } from './fleetSettings';
import { headroomOf, type Headroom, type HeadroomSources } from './headroom';
import { FleetLedger } from './ledger';
import { StartGate, type StartPermit } from './startGate';
import { computeSuccessRates } from './successRates';
import { VendorWindows } from './vendorWindows';
import type { WindowStore } from './windowFile';
import { buildAgentsReport } from './agentsReport';

export interface FleetOptions {
  readonly agents: readonly Pick<AgentBackend, 'id' | 'kind'>[];
  readonly settings: FleetSettings;
  readonly events: { append(event: EventInput): Promise<void> };
  /** The window file; absent: windows live in memory only (unit tests). */
  readonly windowStore?: WindowStore;
  /** The run records at start (`RunStore.list`), read once, on first use. */
  readonly loadRecords?: () => Promise<readonly RunRecord[]>;
  readonly now?: () => Date;
  readonly random?: () => number;
}

/**
 * The fleet's ledger, windows and start gate behind one object the dispatcher asks (issue 10): headroom per
 * agent for selection, whether a vendor may take another start now, the vendor window a failed run reported,
 * and the report `ato agents` prints. Run records reach it as they are written (`observe`).
 */
export class Fleet {
  readonly ledger: FleetLedger;
  readonly windows = new VendorWindows();
  private readonly gate: StartGate;
  private readonly now: () => Date;
  private readonly records = new Map<string, RunRecord>();
  private loaded: Promise<void> | undefined;

  constructor(private readonly options: FleetOptions) {
    this.now = options.now ?? (() => new Date());
    this.ledger = new FleetLedger(options.agents, { copilotPremiumRequestUsd: options.settings.copilotPremiumRequestUsd });
    this.gate = new StartGate({ startsPerMinute: options.settings.startsPerMinute, now: this.now, random: options.random ?? Math.random });
  }

  /** Reads the run records and the window file, once; later calls wait for the same read. */
  ensureLoaded(): Promise<void> {
    this.loaded ??= (async () => {
      // A record observed meanwhile is newer than the one on disk: it stays.
      for (const record of (await this.options.loadRecords?.()) ?? []) if (!this.records.has(record.runId)) this.observe(record);
      if (this.options.windowStore !== undefined) this.windows.restore(await this.options.windowStore.read(), this.now());
    })();
    return this.loaded;
  }

  observe(record: RunRecord): void {
    this.records.set(record.runId, record);
    this.ledger.observe(record);
  }

  headroom(agentId: string): Headroom {
    return headroomOf(agentId, this.sources(), this.now());
  }

  vendorOf(agentId: string): string {
    return this.ledger.vendorOf(agentId);
  }

  /** Counts a start to the agent's vendor when the stagger allows one now. */
  tryStart(agentId: string): StartPermit {
    return this.gate.tryStart(this.vendorOf(agentId));
  }

  /**
   * A run reported its vendor's window: closes it until then (persisted), logging `fleet.windowClosed` when
   * it was open. Returns whether it was open before.
   */
  async closeWindow(agentId: string, notice: VendorWindowNotice, runId: string | undefined): Promise<boolean> {
    const vendor = this.vendorOf(agentId);
    const closure = { vendor, until: notice.until, source: notice.source, agentId, ...(runId === undefined ? {} : { runId }) };
    const change = this.windows.close(closure, this.now());
    if (change === 'unchanged') return false;
    await this.options.windowStore?.append(closure);
    const why = this.windows.state(vendor, this.now()).reason ?? '';
    if (change === 'closed') await this.options.events.append({ kind: 'fleet.windowClosed', vendor, until: notice.until, source: notice.source, agentId, ...(runId === undefined ? {} : { runId }), why });
    return change === 'closed';
  }

  /** Logs `fleet.windowReopened` for each window that has passed since the last call; returns their vendors. */
  async announceReopened(): Promise<string[]> {
    const reopened = this.windows.reopened(this.now());
    for (const closure of reopened) await this.options.events.append({ kind: 'fleet.windowReopened', vendor: closure.vendor, closedUntil: closure.until, why: `the ${closure.vendor} window closed by ${closure.source === 'retryAfter' ? 'a 429 retry-after' : 'a rate_limit_event'} has passed` });
    return reopened.map(closure => closure.vendor);
  }

  /** When the next closed window reopens (a queue waits until then at most). */
  nextReopening(): Date | undefined {
    return this.windows.nextReopening(this.now());
  }

  report(agents: readonly Pick<AgentBackend, 'id' | 'kind'>[], limiter: Pick<ConcurrencyLimiter, 'load'>, health: ReadonlyMap<string, AgentHealth>, problems: readonly string[] = []): AgentsReport {
    return buildAgentsReport({ agents, sources: this.sources(), settings: this.options.settings, limiter, health, successRates: computeSuccessRates(this.records.values()), problems, now: this.now() });
  }

  private sources(): HeadroomSources {
    return { ledger: this.ledger, windows: this.windows, settings: this.options.settings };
  }
}

