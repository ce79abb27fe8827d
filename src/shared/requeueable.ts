/** A run as the host and the panel both hold it: enough to tell whether its task can be requeued. */
export interface RunOfTask {
  readonly runId: string;
  readonly taskId: string;
  readonly state: string;
}

/**
 * The runs whose task can go back to `pending/` (Requeue), by run id → task id: the task's latest run
 * (`runs` newest first), failed or cancelled — an interrupted run is a failed one — while the task waits
 * in `processed/`. The host, the tree and the panel agree through this; the host checks again when asked.
 */
export function requeueableRuns(runs: readonly RunOfTask[], processedTaskIds: ReadonlySet<string>): ReadonlyMap<string, string> {
  const result = new Map<string, string>();
  if (processedTaskIds.size === 0) return result;
  const seen = new Set<string>();
  for (const run of runs) {
    if (seen.has(run.taskId)) continue;
    seen.add(run.taskId);
    if ((run.state === 'failed' || run.state === 'cancelled') && processedTaskIds.has(run.taskId)) result.set(run.runId, run.taskId);
  }
  return result;
}
