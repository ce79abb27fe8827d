import type { AgentRunHandle, AgentRunStatus, AgentUsage } from '../agentBackend';
import { stopOrphanedRun } from './processGroup';
import type { ProcessResult, RunningProcess } from './processRunner';

interface LocalRun {
  readonly process: RunningProcess;
  readonly final: Promise<AgentRunStatus>;
  readonly progress: () => AgentUsage | undefined;
  settled: AgentRunStatus | undefined;
}

/** Finished runs remembered for `poll`/`wait` after they end; older ones read as `lost`. */
const maxFinishedRuns = 500;

/**
 * The runs of one local agent (a process each): what `poll`, `wait` and `cancel` of the AgentBackend port
 * need, shared by the Claude Code and custom CLI backends. A run ATO does not know (after a restart) is
 * `lost`.
 */
export class LocalRuns {
  private readonly runs = new Map<string, LocalRun>();

  constructor(
    private readonly agentId: string,
    private readonly killGraceMs = 3000,
  ) {}

  /** Runs whose process has not finished yet. */
  get active(): number {
    let count = 0;
    for (const run of this.runs.values()) if (run.settled === undefined) count++;
    return count;
  }

  /** True while the run's process has not finished. */
  isRunning(runId: string): boolean {
    const run = this.runs.get(runId);
    return run !== undefined && run.settled === undefined;
  }

  /**
   * Tracks a started process. `finish` turns its result into the run's final status; `progress` reports
   * usage while it runs.
   */
  add(runId: string, process: RunningProcess, finish: (result: ProcessResult) => AgentRunStatus, progress: () => AgentUsage | undefined): AgentRunHandle {
    if (this.isRunning(runId)) throw new Error(`Run ${runId} is already running on agent ${this.agentId}`);
    const final = process.done.then(finish, (error: unknown): AgentRunStatus => ({
      state: 'failed', failure: 'fatal', message: `internal error: ${String(error)}`, usage: progress() ?? {},
    }));
    const run: LocalRun = { process, final, progress, settled: undefined };
    void final.then(status => {
      run.settled = status;
      this.prune();
    });
    this.runs.delete(runId);
    this.runs.set(runId, run);
    return { runId, agentId: this.agentId, ref: process.pid === undefined ? runId : String(process.pid) };
  }

  poll(handle: AgentRunHandle): AgentRunStatus {
    const run = this.runs.get(handle.runId);
    if (!run) return { state: 'lost' };
    if (run.settled) return run.settled;
    const usage = run.progress();
    return usage ? { state: 'running', usage } : { state: 'running' };
  }

  wait(handle: AgentRunHandle): Promise<AgentRunStatus> {
    return this.runs.get(handle.runId)?.final ?? Promise.resolve({ state: 'lost' });
  }

  /**
   * Stops the run's whole process group; resolves when it is gone. Idempotent. A run this ATO process
   * does not know (it was started before a restart) is stopped through its handle's pid, when that process
   * group still carries the run's id (see stopOrphanedRun).
   */
  async cancel(handle: AgentRunHandle): Promise<void> {
    const run = this.runs.get(handle.runId);
    if (!run) {
      if (/^\d+$/.test(handle.ref)) await stopOrphanedRun(Number(handle.ref), handle.runId, this.killGraceMs);
      return;
    }
    await run.process.stop('cancelled', 'cancelled by the user');
    await run.final;
  }

  /** Stops every run (on shutdown). */
  async cancelAll(): Promise<void> {
    await Promise.all([...this.runs.keys()].map(runId => this.cancel({ runId, agentId: this.agentId, ref: runId })));
  }

  private prune(): void {
    const finished = [...this.runs.entries()].filter(([, run]) => run.settled !== undefined);
    for (const [runId] of finished.slice(0, Math.max(0, finished.length - maxFinishedRuns))) this.runs.delete(runId);
  }
}
