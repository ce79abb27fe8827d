import type { AgentRunHandle, AgentRunStatus } from '../agentBackend';
import type { LocalRuns } from './localRuns';

/**
 * What every agent that runs a local process shares: its runs live in a {@link LocalRuns} table, so
 * polling, waiting, cancelling (the whole process group, also of a run left by an earlier ATO process)
 * and shutting down are the same for Claude Code and custom CLI agents.
 */
export abstract class LocalProcessAgent {
  protected abstract readonly runs: LocalRuns;

  poll(handle: AgentRunHandle): Promise<AgentRunStatus> {
    return Promise.resolve(this.runs.poll(handle));
  }

  wait(handle: AgentRunHandle): Promise<AgentRunStatus> {
    return this.runs.wait(handle);
  }

  cancel(handle: AgentRunHandle): Promise<void> {
    return this.runs.cancel(handle);
  }

  /** Cancels every run (on deactivate). */
  dispose(): Promise<void> {
    return this.runs.cancelAll();
  }
}
