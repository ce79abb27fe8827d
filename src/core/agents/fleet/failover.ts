import type { Task } from '../../tasks/task';
import { autoAgent } from '../../tasks/taskTypes';
import type { AgentRegistry, SelectionInputs } from './agentRegistry';
import type { Fleet } from './fleet';

/**
 * Failover (issue 10): work whose task named no agent (`auto`) leaves an agent that lost its headroom (a
 * closed vendor window, a daily cap, a budget) for the next eligible one, and comes back by itself: each
 * dispatch selects again, so once the window reopens the preferred agent wins again.
 */

function isAuto(task: Pick<Task, 'agent'>): boolean {
  return task.agent.toLowerCase() === autoAgent;
}

/** Whether a retry of `task` on `agentId` should go now, to another agent, rather than wait for its window. */
export function failsOverNow(fleet: Fleet, registry: AgentRegistry, task: Task, agentId: string, inputs: SelectionInputs): boolean {
  if (!isAuto(task) || fleet.headroom(agentId).open) return false;
  const decision = registry.select(task, inputs);
  return decision.status === 'selected' && decision.agentId !== agentId;
}

/**
 * The `fleet.failover` event when `chosen` is not the agent the task would get if every agent had headroom
 * (that one is out of it, and says why); undefined otherwise.
 */
export function failoverEvent(fleet: Fleet, registry: AgentRegistry, task: Task, inputs: SelectionInputs, chosen: string): { readonly kind: 'fleet.failover'; readonly taskId: string; readonly from: string; readonly to: string; readonly why: string } | undefined {
  if (!isAuto(task)) return undefined;
  // The same inputs with every agent's headroom open.
  const withoutHeadroom: SelectionInputs = { health: inputs.health, load: inputs.load, successRates: inputs.successRates, ...(inputs.exclude === undefined ? {} : { exclude: inputs.exclude }) };
  const preferred = registry.select(task, withoutHeadroom);
  if (preferred.status !== 'selected' || preferred.agentId === chosen) return undefined;
  const headroom = fleet.headroom(preferred.agentId);
  if (headroom.open) return undefined;
  return { kind: 'fleet.failover', taskId: task.id, from: preferred.agentId, to: chosen, why: `${preferred.agentId}: ${headroom.reasons.join('; ')}` };
}
