/** What `start` answers: whether this call started the run, and the run's result (this one's or the one under way). */
export interface StartedRun<T> {
  readonly started: boolean;
  readonly result: Promise<T>;
}

/**
 * The loop's runs in flight in this process, by workspace and task: at most one run per task at a time.
 * Kept once per kind of run (a module-level instance) so that every loop built for a workspace shares it —
 * a settings change rebuilds the loop while an agent works, and the rebuilt loop must not start a second run.
 */
export class InFlightTaskRuns<T> {
  private readonly runs = new Map<string, Promise<T>>();

  /** Task ids of the workspace with a run in flight. */
  activeTaskIds(workspaceRoot: string): ReadonlySet<string> {
    const prefix = keyOf(workspaceRoot, '');
    return new Set([...this.runs.keys()].filter(key => key.startsWith(prefix)).map(key => key.slice(prefix.length)));
  }

  /**
   * Runs `run` for the task unless a run of it is under way (then answers that one's result). A rejection
   * becomes `recover`'s result; `onSettled` is called once the run is no longer in flight.
   */
  start(workspaceRoot: string, taskId: string, run: () => Promise<T>, recover: (error: unknown) => T, onSettled?: (taskId: string) => void): StartedRun<T> {
    const key = keyOf(workspaceRoot, taskId);
    const existing = this.runs.get(key);
    if (existing !== undefined) return { started: false, result: existing };
    const result = run().catch(recover).finally(() => {
      this.runs.delete(key);
      onSettled?.(taskId);
    });
    this.runs.set(key, result);
    return { started: true, result };
  }

  /** Resolves when every run of the workspace in flight now has ended (deactivate, tests). */
  async settled(workspaceRoot: string): Promise<void> {
    const prefix = keyOf(workspaceRoot, '');
    await Promise.allSettled([...this.runs].filter(([key]) => key.startsWith(prefix)).map(([, run]) => run));
  }
}

function keyOf(workspaceRoot: string, taskId: string): string {
  return `${workspaceRoot}\0${taskId}`;
}
