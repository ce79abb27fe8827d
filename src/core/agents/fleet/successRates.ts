import type { RunRecord } from '../../runs/runRecord';
import type { TaskType } from '../../tasks/taskTypes';

export interface SuccessStats {
  readonly succeeded: number;
  readonly failed: number;
  /** Laplace-smoothed: (succeeded + 1) / (succeeded + failed + 2); 0.5 with no history. */
  readonly rate: number;
}

export interface SuccessRates {
  stats(agentId: string, taskType: TaskType): SuccessStats;
  rate(agentId: string, taskType: TaskType): number;
}

export interface SuccessRateOptions {
  /** Only the most recent finished runs per agent and task type count; default 50. */
  readonly window?: number;
}

/**
 * Success rates per agent and task type from run records (pure). A run counts when it ended `succeeded`
 * or `failed`; cancelled runs (and failures of class `cancelled`) are the user's choice, not the agent's
 * result, and runs still going have no result yet. The newest `window` results per pair count.
 */
export function computeSuccessRates(records: Iterable<RunRecord>, options: SuccessRateOptions = {}): SuccessRates {
  const window = Math.max(1, options.window ?? 50);
  const outcomes = new Map<string, { at: string; ok: boolean }[]>();
  for (const record of records) {
    if (record.state !== 'succeeded' && record.state !== 'failed') continue;
    if (record.state === 'failed' && record.failure?.class === 'cancelled') continue;
    const key = pairKey(record.agentId, record.taskType);
    const list = outcomes.get(key) ?? [];
    list.push({ at: record.endedAt ?? record.startedAt, ok: record.state === 'succeeded' });
    outcomes.set(key, list);
  }
  const stats = new Map<string, SuccessStats>();
  for (const [key, list] of outcomes) {
    const recent = list.sort((a, b) => a.at.localeCompare(b.at)).slice(-window);
    const succeeded = recent.filter(outcome => outcome.ok).length;
    const failed = recent.length - succeeded;
    stats.set(key, { succeeded, failed, rate: smoothed(succeeded, failed) });
  }
  const lookup = (agentId: string, taskType: TaskType): SuccessStats =>
    stats.get(pairKey(agentId, taskType)) ?? { succeeded: 0, failed: 0, rate: smoothed(0, 0) };
  return { stats: lookup, rate: (agentId, taskType) => lookup(agentId, taskType).rate };
}

function smoothed(succeeded: number, failed: number): number {
  return (succeeded + 1) / (succeeded + failed + 2);
}

function pairKey(agentId: string, taskType: TaskType): string {
  return `${agentId}\u0000${taskType}`;
}
