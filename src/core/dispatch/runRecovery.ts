import { readFile } from 'node:fs/promises';
import { basename, relative, sep } from 'node:path';
import type { AgentBackend } from '../agents/agentBackend';
import { GitError } from '../git/git';
import { removeOrphanedWorktrees } from '../git/worktrees';
import type { Logger } from '../logging/logger';
import { describeError } from '../logging/redactor';
import type { PlanningWriter } from '../planning/planningWriter';
import { planningLayout } from '../planning/planningLayout';
import { moveTask } from '../queue/queueMoves';
import { isFinalRunState, type RunRecord } from '../runs/runRecord';
import type { RunRecordProblem, RunStore } from '../runs/runStore';
import { transition } from '../runs/runTransitions';
import { appendResultSection, hasResultSection } from '../tasks/taskResultSection';
import { interruptedReason } from './dispatchSteps';
import { escalateRun, type EscalationIssuePort } from './escalation';
import { entryAt, findTaskFile, queueInnerPath } from './queueLocation';
import type { EventSink } from './taskDispatcher';

export interface RecoveryOptions {
  /** The agents: to stop a run's process that outlived the ATO that started it, and to know a remote run. */
  readonly agent?: (agentId: string) => AgentBackend | undefined;
  readonly workspaceRoot: string;
  readonly planningRoot: string;
  readonly runs: RunStore;
  readonly events: EventSink;
  readonly log: Logger;
  /** Writes the `## Result` section of a run that had finished (redacted: it quotes the agent). */
  readonly planningWriter: PlanningWriter;
  /** The escalation issue's GitHub (as the dispatcher has it), for an escalation a crash cut short. */
  readonly escalationIssues?: () => Promise<EscalationIssuePort | undefined>;
  readonly now?: () => Date;
}

export interface RecoveryReport {
  /** Runs whose work was done: their remaining bookkeeping (result, move, record) was finished. */
  readonly completed: readonly string[];
  /** Runs that were cut off: recorded as failed with {@link interruptedReason}. */
  readonly interrupted: readonly string[];
  /** Tasks to dispatch again (from `processed/`), each at most once per crash history. */
  readonly redispatch: readonly { readonly taskId: string; readonly attempt: number }[];
  /** Tasks that were interrupted twice: a human decides. */
  readonly needsYou: readonly { readonly taskId: string; readonly reason: string }[];
  /** Remote runs still going at their vendor (Jules, Copilot): the host follows them again (TaskDispatcher.reattach). */
  readonly reattach: readonly RunRecord[];
  /** Runs whose escalation a crash cut short, finished now. */
  readonly escalated: readonly string[];
  readonly removedWorktrees: readonly string[];
  readonly problems: readonly RunRecordProblem[];
}

/**
 * Runs at start-up, before anything is dispatched: ATO's agents do not survive ATO, so every run still
 * marked as in progress was cut off. For each, by where its task file is now:
 * - `complete/`, or `processed/` with the run's result already appended, or a recorded summary → the agent
 *   had finished: finish the bookkeeping (idempotently) and mark it succeeded;
 * - `pending/` (stopped before the move) → failed as interrupted; the task is dispatched normally later;
 * - `processed/` → failed as interrupted and dispatched again, unless an earlier run of the task was
 *   already interrupted: then a human decides (so a task is re-dispatched at most once);
 * - nowhere → failed: the task file is gone.
 * A remote run (its agent's `remoteRuns`: Jules, Copilot) that had started, with its task in `processed/`, was
 * not cut off: it is left in progress and handed back to be followed again. A failed run whose escalation a
 * crash cut short (`escalationDue`) is escalated now: each step finds what was done (no second issue).
 * Then worktrees without a live run are removed (their branches, with any salvaged work, stay). Runs of the
 * GitHub loop (`loopLink`) are the loop's: a remote session is followed again by the loop, a local run is
 * interrupted and started again from its issue.
 */
export async function recoverRuns(options: RecoveryOptions): Promise<RecoveryReport> {
  const now = options.now ?? (() => new Date());
  const { records, problems } = await options.runs.list();
  const completed: string[] = [];
  const interrupted: string[] = [];
  const redispatch: { taskId: string; attempt: number }[] = [];
  const needsYou: { taskId: string; reason: string }[] = [];
  const reattach: RunRecord[] = [];
  const save = async (record: RunRecord): Promise<void> => {
    await options.runs.write(record);
    await options.events.append({ kind: 'run.recovered', runId: record.runId, taskId: record.taskId, state: record.state, reason: record.history.at(-1)?.reason ?? '' });
  };

  for (const record of records.filter(r => !isFinalRunState(r.state))) {
    if (record.loopLink !== undefined) {
      // The GitHub loop's run. A remote session (an agent without a worktree: Jules) is the loop's to follow again — taken for
      // a dispatcher run here, it would be archived and the task dispatched twice. A local agent's process died
      // with the host: the run is interrupted and the loop starts it again from its issue.
      const backend = options.agent?.(record.agentId);
      if (backend === undefined ? record.workdir === undefined : !backend.needsWorktree) continue;
      await stopLeftover(options, record);
      await save(failed(record, `${interruptedReason}; the GitHub loop starts it again from issue #${String(record.loopLink.issueNumber)}`, now));
      interrupted.push(record.runId);
      continue;
    }
    const found = await findTaskFile(options.workspaceRoot, options.planningRoot, queueInnerPath(options.workspaceRoot, options.planningRoot, record.taskFile));
    if (found.kind !== 'found') {
      const why = found.kind === 'missing' ? 'the task file is gone' : `the task file is not in a queue folder ATO reads: ${planningLayout[found.folder]}/ leads outside the workspace (to ${found.realPath})`;
      await save(failed(record, why, now));
      continue;
    }
    const location = found;
    const text = location.folder === 'complete' ? '' : await readFile(location.file, 'utf8');
    const started = record.state === 'running' || record.state === 'needsYou';
    const finished = started && (location.folder === 'complete' || hasResultSection(text, record.runId) || record.summary !== undefined);
    if (finished) {
      let file = location.file;
      if (location.folder === 'processed') {
        const appended = appendResultSection(text, { runId: record.runId, agentId: record.agentId, finishedAt: now().toISOString(), outcome: 'succeeded', ...(record.summary === undefined ? {} : { summary: record.summary }), ...(record.branch === undefined ? {} : { branch: record.branch }), ...(record.usage.costUsd === undefined ? {} : { costUsd: record.usage.costUsd }), ...(record.usage.turns === undefined ? {} : { turns: record.usage.turns }), ...(record.report === undefined ? {} : { report: basename(record.report) }) });
        if (appended.changed) await options.planningWriter.replace(location.file, appended.text);
        file = (await moveTask(entryAt(options.planningRoot, 'processed', location.file), 'complete', { workspaceRoot: options.workspaceRoot })).to;
        await options.events.append({ kind: 'queue.moved', taskId: record.taskId, from: 'processed', to: 'complete', runId: record.runId, recovered: true });
      }
      const taskFile = relative(options.workspaceRoot, file).split(sep).join('/');
      await save(transition({ ...record, taskFile }, 'succeeded', 'recovered after a restart: the agent had finished', now));
      completed.push(record.runId);
      continue;
    }
    if (started && record.handle !== undefined && location.folder === 'processed' && options.agent?.(record.agentId)?.remoteRuns === true) {
      await options.events.append({ kind: 'run.recovered', runId: record.runId, taskId: record.taskId, state: record.state, reason: `${record.agentId} goes on with it remotely: following it again` });
      reattach.push(record);
      continue;
    }
    await stopLeftover(options, record);
    await save(failed(record, interruptedReason, now));
    interrupted.push(record.runId);
    if (location.folder !== 'processed') continue;
    const earlier = records.filter(r => r.taskId === record.taskId && r.runId !== record.runId && r.failure?.message === interruptedReason);
    if (earlier.length === 0) redispatch.push({ taskId: record.taskId, attempt: record.attempt + 1 });
    else needsYou.push({ taskId: record.taskId, reason: `ATO was stopped during ${earlier.length + 1} runs of this task; dispatch it again by hand when it is safe.` });
  }

  const escalated: string[] = [];
  for (const record of records.filter(r => r.escalationDue === true && r.followUp?.kind === 'needsYou')) {
    const { workspaceRoot, runs, planningWriter, events, log, escalationIssues } = options;
    await escalateRun(record, { workspaceRoot, runs, planningWriter, events, log, ...(escalationIssues === undefined ? {} : { issues: escalationIssues }) });
    escalated.push(record.runId);
  }

  const removedWorktrees: string[] = [];
  try {
    const result = await removeOrphanedWorktrees(options.workspaceRoot, []);
    removedWorktrees.push(...result.removed.map(w => w.path));
  } catch (error) {
    if (!GitError.is(error, 'notARepository')) options.log.warn('could not clean up worktrees: %s', describeError(error));
  }
  if (interrupted.length + completed.length + reattach.length + escalated.length + removedWorktrees.length > 0) {
    options.log.info('recovered after a restart: %d completed, %d interrupted, %d to dispatch again, %d remote runs followed again, %d escalations finished, %d worktrees removed', completed.length, interrupted.length, redispatch.length, reattach.length, escalated.length, removedWorktrees.length);
  }
  return { completed, interrupted, redispatch, needsYou, reattach, escalated, removedWorktrees, problems };
}

/** A local agent's process survives a killed ATO: stop it before anything runs the task again. */
async function stopLeftover(options: RecoveryOptions, record: RunRecord): Promise<void> {
  if (record.handle === undefined) return;
  try {
    await options.agent?.(record.agentId)?.cancel(record.handle);
  } catch (error) {
    options.log.warn('could not stop the leftover process of run %s: %s', record.runId, describeError(error));
  }
}

function failed(record: RunRecord, message: string, now: () => Date): RunRecord {
  return { ...transition(record, 'failed', message, now), failure: { class: 'fatal', message } };
}
