import type { AgentBackend, AgentHealth } from '../../../agents/agentBackend';
import { AgentRegistry, type SelectableTask, type SelectionInputs } from '../../../agents/fleet/agentRegistry';
import { computeSuccessRates } from '../../../agents/fleet/successRates';
import { autoAgent } from '../../../tasks/taskTypes';

/** The agent that serves a piece of the loop's work, and why (shown in the plan, the preview and `ato status`). */
export type LoopAgentChoice =
  | { readonly status: 'selected'; readonly agentId: string; readonly local: boolean; readonly reason: string }
  /** Nobody can take it now, or nobody will until a person changes something: the work waits, with the reason. */
  | { readonly status: 'unavailable'; readonly reason: string };

/** Who ATO's issues go to when the chosen agent is the Copilot coding agent. */
export const copilotAgentId = 'copilot';

export interface LoopAgentChooserOptions {
  /** Every agent the loop may hand work to: the Copilot coding agent and the configured local agents. */
  readonly agents: readonly AgentBackend[];
  /** `ato.loop.agent`: an agent id or `auto`. */
  readonly setting: () => string;
  /** Runs in flight per agent, when the host counts them (the fleet's limiter); default none. */
  readonly load?: SelectionInputs['load'];
  /** How long a health answer is reused (a health check can start a process). Default 60 s. */
  readonly healthTtlMs?: number;
  readonly now: () => number;
}

/**
 * The loop's side of the agent registry (PRODUCT §5): which agent serves a task it promotes. The task's own
 * `agent:` wins (as in local mode), else `ato.loop.agent`; `auto` lets the registry score the agents. An
 * agent that is not configured, does not take the task's type or cannot run now leaves the task pending,
 * with the registry's reason.
 */
export class LoopAgentChooser {
  private readonly registry: AgentRegistry;
  private readonly health = new Map<string, { readonly at: number; readonly health: AgentHealth }>();

  constructor(private readonly options: LoopAgentChooserOptions) {
    this.registry = new AgentRegistry(options.agents);
  }

  async choose(task: SelectableTask): Promise<LoopAgentChoice> {
    const own = task.agent.trim().toLowerCase() !== autoAgent;
    const setting = this.options.setting().trim();
    const wanted = own ? task.agent : setting;
    const decision = this.registry.select({ ...task, agent: wanted }, {
      health: await this.healthOf(wanted),
      load: this.options.load ?? (agentId => ({ active: 0, limit: this.registry.get(agentId)?.limits.concurrent ?? 0, canStart: true })),
      successRates: computeSuccessRates([]),
    });
    const source = own ? 'the task file names it' : wanted.toLowerCase() === autoAgent ? '`ato.loop.agent` is `auto`' : `\`ato.loop.agent\` is \`${setting}\``;
    if (decision.status !== 'selected') return { status: 'unavailable', reason: `${decision.reason} (${source})` };
    const backend = this.registry.get(decision.agentId);
    const why = decision.explicit ? source : `${source}: ${decision.reason}`;
    return { status: 'selected', agentId: decision.agentId, local: backend?.needsWorktree === true, reason: why };
  }

  /**
   * The gap analysis and capability updates are issues the Copilot coding agent works on; when
   * `ato.loop.agent` names another agent, the plan says so rather than pretend (a local agent serves tasks).
   */
  issueWorkNote(): string | undefined {
    const setting = this.options.setting().trim().toLowerCase();
    if (setting === copilotAgentId || setting === autoAgent) return undefined;
    return `Assigned to Copilot: \`ato.loop.agent\` (${setting}) serves the loop's tasks; the gap analysis and capability updates stay with the Copilot coding agent.`;
  }

  /** The agent with this id whose run ATO starts itself: a local agent, or a remote one that opens its PR (Jules). */
  localAgent(agentId: string): AgentBackend | undefined {
    const backend = this.registry.get(agentId);
    return backend !== undefined && backend.kind !== 'copilot' ? backend : undefined;
  }

  /** Health of the agents the choice may fall on: the named one, or every agent for `auto`. */
  private async healthOf(wanted: string): Promise<ReadonlyMap<string, AgentHealth>> {
    const agents = wanted.toLowerCase() === autoAgent ? this.registry.all() : this.registry.all().filter(agent => agent.id.toLowerCase() === wanted.toLowerCase());
    const ttl = this.options.healthTtlMs ?? 60_000;
    const now = this.options.now();
    const result = new Map<string, AgentHealth>();
    for (const agent of agents) {
      const cached = this.health.get(agent.id);
      if (cached !== undefined && now - cached.at < ttl) {
        result.set(agent.id, cached.health);
        continue;
      }
      // The loop holds a token for this repository: Copilot is asked by assigning it, and GitHub's refusal is the answer.
      const health = agent.kind === 'copilot' ? { ok: true, detail: 'assigned through the loop\'s GitHub token' } : await agent.health().catch((error: unknown) => ({ ok: false, detail: error instanceof Error ? error.message : String(error) }));
      this.health.set(agent.id, { at: now, health });
      result.set(agent.id, health);
    }
    return result;
  }
}
