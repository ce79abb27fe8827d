import { agentHealthLabels, agentIcon, inFlightText, runsTodayText, spendText, windowText } from '../../src/shared/agentWords';
import type { PanelAgent, PanelSnapshot } from '../../src/shared/protocol';
import { action, type RowAction, type Tone } from './listModel';

/** A headroom meter: used of max, with its words (the meter is never the only way it is said). */
export interface Meter {
  readonly label: string;
  readonly value: number;
  /** Null: no limit, so no meter, only the text. */
  readonly max: number | null;
  readonly text: string;
}

export interface AgentCard {
  readonly id: string;
  readonly kind: PanelAgent['kind'];
  readonly icon: string;
  readonly tone: Tone;
  /** The health in words ("healthy", "unhealthy", "not checked") and its detail. */
  readonly health: string;
  readonly healthDetail: string;
  readonly meters: readonly Meter[];
  /** "closed until 14:32 — 429 retry-after", when the vendor's window is closed. */
  readonly window: string | undefined;
  readonly lastError: string | undefined;
  /** Test, then Configure. */
  readonly actions: readonly RowAction[];
}

/** The Agents section: one card per agent, in the registry's order. Pure. */
export function buildAgentCards(snapshot: PanelSnapshot): AgentCard[] {
  return snapshot.agents.map(agent => {
    const window = windowText(agent);
    const full = (value: number, max: number | null): boolean => max !== null && value >= max;
    const tone: Tone = agent.health === 'failing' ? 'error' : window !== undefined || full(agent.runsToday, agent.dailyCap) || (agent.budgetUsd !== null && agent.spendTodayUsd >= agent.budgetUsd) ? 'warning' : 'normal';
    return {
      id: agent.id,
      kind: agent.kind,
      icon: agentIcon(agent),
      tone,
      health: agentHealthLabels[agent.health],
      healthDetail: agent.healthDetail,
      meters: [
        { label: `${agent.id}: runs in flight`, value: agent.inFlight, max: agent.concurrentCap, text: inFlightText(agent) },
        { label: `${agent.id}: runs today`, value: agent.runsToday, max: agent.dailyCap, text: runsTodayText(agent) },
        { label: `${agent.id}: spend today`, value: agent.spendTodayUsd, max: agent.budgetUsd, text: spendText(agent) },
      ],
      window,
      // A failing health check is the last error too: said once, as the detail.
      lastError: agent.lastError === null || agent.lastError === agent.healthDetail ? undefined : agent.lastError,
      actions: [
        action(`Test ${agent.id}`, 'beaker', { type: 'testAgent', agentId: agent.id }, true, snapshot.trusted),
        action(`Configure ${agent.id}`, 'gear', { type: 'configureAgent', agentId: agent.id }, false, snapshot.trusted),
      ],
    };
  });
}
