import { readFile } from 'node:fs/promises';
import { basename, relative, sep } from 'node:path';
import type { AgentRunStatus } from '../agents/agentBackend';
import { changedFiles } from '../git/changedFiles';
import type { PlanningWriter } from '../planning/planningWriter';
import type { QueueIndex } from '../queue/queueIndex';
import { moveTask } from '../queue/queueMoves';
import type { RunRecord } from '../runs/runRecord';
import { transition } from '../runs/runTransitions';
import { appendResultSection } from '../tasks/taskResultSection';
import type { DispatchStep } from './dispatchSteps';
import type { EventSink } from './fleetRuns';
import { entryAt } from './queueLocation';
import { writeRunReport } from './runReport';
import { commitAgentChanges } from './worktreeCommit';

export interface SucceededRun {
  /** The run's record as it is now (each save replaces it). */
  readonly record: () => RunRecord;
  readonly agentId: string;
  readonly title: string;
  readonly worktree?: { readonly path: string; readonly baseSha: string };
}

export interface SucceededRunDeps {
  readonly workspaceRoot: string;
  readonly planningRoot: string;
  readonly planningWriter: PlanningWriter;
  readonly index: QueueIndex;
  readonly events: EventSink;
  readonly now: () => Date;
  readonly save: (record: RunRecord) => Promise<RunRecord>;
  readonly step: (step: DispatchStep) => Promise<void>;
}

/**
 * The bookkeeping of a task-file run whose agent finished: its work committed to `ato/<id>`, its report
 * beside the task, the `## Result` section appended, the file moved to `complete/`, the record final —
 * each step recorded before the next (recoverRuns finishes it after a crash).
 */
export async function completeSucceededRun(run: SucceededRun, status: Extract<AgentRunStatus, { state: 'succeeded' }>, taskFile: string, deps: SucceededRunDeps): Promise<RunRecord> {
  const { workspaceRoot, planningRoot, now } = deps;
  const inWorkspace = (file: string): string => relative(workspaceRoot, file).split(sep).join('/');
  const { runId, taskId } = run.record();
  let filesChanged: readonly string[] = [];
  if (run.worktree !== undefined) {
    await commitAgentChanges(run.worktree.path, `ato(${taskId}): ${run.title}`);
    filesChanged = (await changedFiles(run.worktree.path, run.worktree.baseSha)).all;
  }
  // The report goes where the task will be, before the record says the agent finished (which recovery trusts).
  const report = status.report === undefined ? undefined
    : inWorkspace(await writeRunReport({ workspaceRoot, planningRoot, taskFile: inWorkspace(taskFile), text: status.report, writer: deps.planningWriter }));
  await deps.save({ ...run.record(), filesChanged: [...filesChanged], usage: { ...status.usage }, summary: status.summary, ...(report === undefined ? {} : { report }), ...(status.exitCode === undefined ? {} : { exitCode: status.exitCode }) });
  await deps.step('changesCommitted');
  const text = await readFile(taskFile, 'utf8');
  const record = run.record();
  const appended = appendResultSection(text, {
    runId,
    agentId: run.agentId,
    finishedAt: now().toISOString(),
    outcome: 'succeeded',
    summary: status.summary,
    ...(record.branch === undefined ? {} : { branch: record.branch }),
    ...(status.usage.costUsd === undefined ? {} : { costUsd: status.usage.costUsd }),
    ...(status.usage.turns === undefined ? {} : { turns: status.usage.turns }),
    ...(report === undefined ? {} : { report: basename(report) }),
    durationMs: now().getTime() - Date.parse(record.startedAt),
  });
  if (appended.changed) await deps.planningWriter.replace(taskFile, appended.text);
  await deps.step('resultAppended');
  const moved = await moveTask(entryAt(planningRoot, 'processed', taskFile), 'complete', { workspaceRoot });
  await deps.index.applyChange({ kind: 'add', file: moved.to });
  await deps.events.append({ kind: 'queue.moved', taskId, from: 'processed', to: 'complete', runId });
  await deps.save({ ...run.record(), taskFile: inWorkspace(moved.to) });
  await deps.step('movedToComplete');
  const final = await deps.save({ ...transition(run.record(), 'succeeded', 'the agent finished', now), endedAt: now().toISOString() });
  await deps.step('recordFinalized');
  return final;
}
