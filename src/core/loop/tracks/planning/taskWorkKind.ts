import type { Task } from '../../../tasks/task';
import type { TaskType } from '../../../tasks/taskTypes';

/**
 * Task types that are not development work (PRODUCT §4): review and maintenance files, and task files for
 * the planning loop's own kinds of work. They flow through the same 2a–2c steps as development tasks, but
 * they never hold back a gap analysis, never count against the development tasks in flight, get no
 * capability update after their merge, and are promoted only while the main loop has nothing to do.
 */
export const sideWorkTypes: ReadonlySet<TaskType> = new Set<TaskType>(['review', 'maintenance', 'gap_analysis', 'capability_update']);

export function isDevelopmentTask(task: Pick<Task, 'type'>): boolean {
  return !sideWorkTypes.has(task.type);
}
