/** Task types (PRODUCT §3.1). */
export const taskTypes = [
  'feature', 'fix', 'ci_fix', 'code_review', 'analyze', 'summarize', 'documentation',
  'gap_analysis', 'capability_update', 'review', 'maintenance',
] as const;
export type TaskType = (typeof taskTypes)[number];

/** Types whose agent may read but not change the repository (read-only tools for claude-code). */
export const readOnlyTaskTypes: ReadonlySet<TaskType> = new Set<TaskType>(['code_review', 'analyze', 'summarize', 'review']);

/** Priorities, lowest first; the queue dispatches the highest first. */
export const taskPriorities = ['low', 'medium', 'high', 'critical', 'emergency'] as const;
export type TaskPriority = (typeof taskPriorities)[number];

export function priorityRank(priority: TaskPriority): number {
  return taskPriorities.indexOf(priority);
}

/** `agent: auto` lets the registry choose; anything else names an agent. */
export const autoAgent = 'auto';
