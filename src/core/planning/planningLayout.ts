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

/** ATO's reports beside task files (`<name>.report.md`, see {@link reportFileName}): Markdown, never a task. */
export const reportFileSuffix = '.report.md';

/** Files that count as queued tasks: `*.task.md`, and plain `*.md` (PRODUCT §3), except READMEs and ATO's reports. */
export function isTaskFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return name.endsWith('.md') && !name.startsWith('.') && lower !== 'readme.md' && !lower.endsWith(reportFileSuffix);
}

/** The report of a task file's run, beside it: `review-auth.task.md` → `review-auth.report.md`. */
export function reportFileName(taskFileName: string): string {
  return `${taskFileName.replace(/(\.task)?\.md$/i, '')}${reportFileSuffix}`;
}
