import type * as vscode from 'vscode';
import type { AgentBackend, AgentHealth } from '../core/agents/agentBackend';
import { headroomFromReport, summarizeAgents } from '../core/agents/fleet/agentSummary';
import type { DispatchRuntime } from '../core/dispatch/dispatchRuntime';
import { checkLocalTools, type ToolCheck } from '../core/doctor/localChecks';
import type { AtoServices } from './atoServices';

/**
 * The fleet as the panel and the tree show it: each agent's health (checked when the dispatcher is built,
 * and again by "Test"), its load from the concurrency limiter, and today's runs from the run records.
 * Writes `agents` into the store; nothing here runs in Restricted Mode (the run service builds no runtime there).
 */
export class AgentHealthService implements vscode.Disposable {
  private runtime: DispatchRuntime | undefined;
  private readonly health = new Map<string, AgentHealth>();
  private limiterSubscription: { dispose(): void } | undefined;

  constructor(private readonly services: AtoServices) {}

  /** A new dispatcher (new settings): forget the old health, check every agent again. */
  attach(runtime: DispatchRuntime): void {
    this.runtime = runtime;
    this.health.clear();
    this.limiterSubscription?.dispose();
    this.limiterSubscription = runtime.limiter.onDidChange(() => { this.publish(); });
    this.publish();
    void Promise.all(runtime.registry.all().map(agent => this.check(agent))).then(() => { this.publish(); });
  }

  /** Doctor's check for one agent: its health now, shown and kept. Undefined when the agent is unknown. */
  async test(agentId: string): Promise<ToolCheck | undefined> {
    const agent = this.runtime?.registry.get(agentId);
    if (agent === undefined) return undefined;
    const result = await this.check(agent);
    this.publish();
    return result;
  }

  /** Recomputes the summaries (the runs or the load changed). */
  publish(): void {
    const runtime = this.runtime;
    if (runtime === undefined) return;
    // The ledger's caps, spend, budgets and vendor windows, when the fleet keeps them.
    const report = runtime.fleet?.report(runtime.registry.all(), runtime.limiter, this.health);
    const agents = summarizeAgents({ agents: runtime.registry.all(), health: this.health, counts: runtime.limiter.counts(), runs: this.services.store.state.runs, now: new Date(), ...(report === undefined ? {} : { headroom: headroomFromReport(report) }) });
    this.services.store.update(state => ({ ...state, agents }));
  }

  private async check(agent: AgentBackend): Promise<ToolCheck> {
    const [, result] = await checkLocalTools(this.services.workspace.workspaceRoot, [agent]);
    const check = result ?? { name: agent.id, ok: false, detail: 'not checked' };
    if (this.runtime?.registry.get(agent.id) === agent) this.health.set(agent.id, { ok: check.ok, detail: check.detail });
    return check;
  }

  dispose(): void {
    this.limiterSubscription?.dispose();
  }
}
