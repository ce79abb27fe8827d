import { join } from 'node:path';

/** The parts of a planning folder, relative to it (PRODUCT §3). */
export const planningLayout = {
  goal: 'vision/goal.md',
  capabilities: 'state/system_capabilities.md',
  pending: 'issue_queue/pending',
  processed: 'issue_queue/processed',
  complete: 'issue_queue/complete',
  reviews: 'reviews',
} as const;

export type PlanningPart = keyof typeof planningLayout;

export const queueFolders = ['pending', 'processed', 'complete'] as const;
export type QueueFolder = (typeof queueFolders)[number];

export function planningPartPath(planningRoot: string, part: PlanningPart): string {
  return join(planningRoot, planningLayout[part]);
}

/** Files that count as queued tasks: `*.task.md`, and plain `*.md` (PRODUCT §3). */
export function isTaskFileName(name: string): boolean {
  return name.endsWith('.md') && !name.startsWith('.') && name.toLowerCase() !== 'readme.md';
}
