import { readFile } from 'node:fs/promises';
import type { PlanningWriter } from '../planning/planningWriter';
import type { QueueIndex } from '../queue/queueIndex';
import type { RunRecord } from '../runs/runRecord';
import { maxTaskBudgetUsd } from '../tasks/frontmatterFields';
import { setFrontmatterScalar } from '../tasks/frontmatterEdit';

export type RaiseBudgetOutcome =
  | { readonly status: 'raised'; readonly file: string }
  | { readonly status: 'invalid' | 'notFound' | 'running'; readonly reason: string };

/**
 * "Raise budget and resume", its first half: writes `budget_usd: <usd>` into the task's file in
 * `processed/` (where a run stopped by its budget leaves it), so the resumed run gets the new cap. Refused
 * while a run of the task is going. Idempotent: the same budget twice writes the same text.
 */
export async function raiseTaskBudget(taskId: string, budgetUsd: number, deps: { readonly index: QueueIndex; readonly writer: PlanningWriter; readonly activeRuns: () => readonly RunRecord[] }): Promise<RaiseBudgetOutcome> {
  if (!Number.isFinite(budgetUsd) || budgetUsd <= 0 || budgetUsd > maxTaskBudgetUsd) return { status: 'invalid', reason: `The budget must be a number of US dollars above 0 and at most ${String(maxTaskBudgetUsd)}.` };
  const entry = deps.index.byId(taskId).find(candidate => candidate.folder === 'processed');
  if (entry === undefined) return { status: 'notFound', reason: `No task "${taskId}" waits in processed/ (a run stopped by its budget leaves it there).` };
  if (deps.activeRuns().some(run => run.taskId === taskId)) return { status: 'running', reason: `A run of "${taskId}" is in progress.` };
  const text = await readFile(entry.file, 'utf8');
  const edited = setFrontmatterScalar(text, 'budget_usd', String(budgetUsd));
  if (edited !== text) await deps.writer.replace(entry.file, edited);
  await deps.index.applyChange({ kind: 'change', file: entry.file });
  return { status: 'raised', file: entry.file };
}
