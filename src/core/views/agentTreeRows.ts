import { agentDetails, agentIcon, agentLine } from '../../shared/agentWords';
import type { PanelAgent } from '../../shared/protocol';
import type { AgentSummary } from '../agents/fleet/agentSummary';
import type { AtoState } from '../state/atoState';
import { treeItemContexts } from './commandIds';
import type { TreeNodeModel } from './treeModel';

/** The Agents node: one row per agent with its health, load and headroom; Test and Configure in its menu. */
export function agentRows(state: AtoState): TreeNodeModel[] {
  if (state.agents.length === 0) return [];
  const running = state.agents.reduce((sum, agent) => sum + agent.inFlight, 0);
  const unhealthy = state.agents.filter(agent => agent.health.state === 'failing').length;
  return [{
    id: 'agents',
    label: 'Agents',
    description: [String(state.agents.length), running > 0 ? `${String(running)} running` : '', unhealthy > 0 ? `${String(unhealthy)} unhealthy` : ''].filter(part => part !== '').join(' · '),
    icon: 'hubot',
    // The panel's Agents section is the full view; here the agents would push the accounts out of sight.
    collapsed: true,
    children: state.agents.map(summary => {
      const agent = agentFields(summary);
      return {
        id: `agent/${agent.id}`,
        label: agent.id,
        description: agentLine(agent),
        tooltip: agentDetails(agent),
        icon: agentIcon(agent),
        contextValue: treeItemContexts.agent,
        ref: agent.id,
      };
    }),
  }];
}

/** An agent summary in the panel's terms (the words are shared). */
export function agentFields(agent: AgentSummary): PanelAgent {
  return {
    id: agent.id,
    kind: agent.kind,
    health: agent.health.state,
    healthDetail: agent.health.detail,
    inFlight: agent.inFlight,
    concurrentCap: Number.isFinite(agent.concurrentCap) ? agent.concurrentCap : 0,
    runsToday: agent.runsToday,
    dailyCap: agent.dailyCap ?? null,
    spendTodayUsd: agent.spendTodayUsd,
    budgetUsd: agent.budgetUsd ?? null,
    window: agent.window === undefined ? null : { ...agent.window },
    lastError: agent.lastError ?? null,
  };
}
