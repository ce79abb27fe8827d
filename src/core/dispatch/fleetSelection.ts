import type { AgentBackend, AgentHealth } from '../agents/agentBackend';
import { failoverEvent, failsOverNow } from '../agents/fleet/failover';
import type { AgentRegistry, SelectionInputs } from '../agents/fleet/agentRegistry';
import { computeSuccessRates } from '../agents/fleet/successRates';
import { describeError } from '../logging/redactor';
import type { Task } from '../tasks/task';
import type { EventSink, FleetRuns } from './fleetRuns';

export interface FleetSelectionOptions {
  readonly registry: AgentRegistry;
  readonly fleetRuns: FleetRuns;
  readonly events: EventSink;
  /** Agent health, cached by the caller (a health check can spawn a process). */
  readonly health?: (agent: AgentBackend) => Promise<AgentHealth>;
  readonly now: () => Date;
}

/**
 * What the dispatcher asks the fleet when it chooses an agent (issue 10): health, load, headroom and vendor
 * windows as selection inputs, whether a failed run's retry fails over now, and the events that say so.
 */
export class FleetSelection {
  constructor(private readonly options: FleetSelectionOptions) {}

  /** The registry's inputs now: a vendor window that has passed is announced as reopened first. */
  async inputs(successRates: SelectionInputs['successRates'], exclude: ReadonlySet<string> | undefined): Promise<SelectionInputs> {
    const { fleetRuns, registry } = this.options;
    const fleet = fleetRuns.fleet;
    await fleet?.ensureLoaded();
    await fleet?.announceReopened();
    return {
      health: await this.healthOf(registry.all()),
      load: agentId => fleetRuns.limiter.load(agentId),
      successRates,
      ...(exclude === undefined ? {} : { exclude }),
      ...(fleet === undefined ? {} : { headroom: (agentId: string) => fleet.headroom(agentId) }),
    };
  }

  /** Whether another agent than those tried would take the task now (history aside). */
  async othersTake(task: Task, tried: ReadonlySet<string>): Promise<boolean> {
    return this.options.registry.select(task, await this.inputs(computeSuccessRates([]), tried)).status !== 'none';
  }

  /**
   * Failover: the agent's vendor has no headroom and the task named no agent, so its retry goes now to the
   * next eligible agent; returns why (undefined: no failover).
   */
  async failoverNow(task: Task, agentId: string, exclude: ReadonlySet<string>): Promise<string | undefined> {
    const fleet = this.options.fleetRuns.fleet;
    if (fleet === undefined || !failsOverNow(fleet, this.options.registry, task, agentId, await this.inputs(computeSuccessRates([]), exclude))) return undefined;
    return `${agentId} has no headroom (${fleet.headroom(agentId).reasons.join('; ')}), so it goes to the next eligible agent now`;
  }

  /** Logs `fleet.failover` when an `auto` task goes elsewhere because its preferred agent has no headroom. */
  async noteFailover(task: Task, inputs: SelectionInputs, chosen: string): Promise<void> {
    const fleet = this.options.fleetRuns.fleet;
    const event = fleet === undefined ? undefined : failoverEvent(fleet, this.options.registry, task, inputs, chosen);
    if (event !== undefined) await this.options.events.append(event);
  }

  /** When the next closed vendor window reopens, as a `retryInMs` (nothing when none is closed). */
  untilReopening(): { retryInMs?: number } {
    const at = this.options.fleetRuns.fleet?.nextReopening();
    return at === undefined ? {} : { retryInMs: Math.max(1, at.getTime() - this.options.now().getTime()) };
  }

  private async healthOf(agents: readonly AgentBackend[]): Promise<ReadonlyMap<string, AgentHealth>> {
    const check = this.options.health ?? (agent => agent.health());
    return new Map(await Promise.all(agents.map(async agent => [agent.id, await check(agent).catch((error: unknown) => ({ ok: false, detail: describeError(error) }))] as const)));
  }
}
