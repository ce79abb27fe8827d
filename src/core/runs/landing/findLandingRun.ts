import { runIdPattern } from '../runRecord';
import type { RunStore } from '../runStore';

/**
 * The run a CLI argument names: a run id, or a task id for its newest run with a branch. Undefined when
 * neither matches (or the text is neither shape).
 */
export async function findLandingRun(runs: RunStore, idOrTask: string): Promise<string | undefined> {
  if (!runIdPattern.test(idOrTask)) return undefined;
  const read = await runs.read(idOrTask);
  if (read.ok || !read.missing) return idOrTask;
  const { records } = await runs.list();
  return records.filter(record => record.taskId === idOrTask && record.branch !== undefined).at(-1)?.runId;
}
