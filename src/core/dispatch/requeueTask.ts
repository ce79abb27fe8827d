import { basename } from 'node:path';
import { planningLayout } from '../planning/planningLayout';
import { pathInQueueFolder, type QueueEntry } from '../queue/queueEntry';
import { moveTask } from '../queue/queueMoves';
import { isFinalRunState, type RunRecord } from '../runs/runRecord';
import type { RunStore } from '../runs/runStore';
import { entryAt, findTaskFile } from './queueLocation';
import type { EventSink } from './taskDispatcher';

export interface RequeueOptions {
  /** The move refuses a queue folder that leads outside it. */
  readonly workspaceRoot: string;
  readonly planningRoot: string;
  /** The queue index: where ids are looked up, and told about the move at once (the CLI has no watcher). */
  readonly index: {
    byId(id: string): readonly Pick<QueueEntry, 'relativePath' | 'folder'>[];
    applyChange(change: { readonly kind: 'add'; readonly file: string }): Promise<unknown>;
  };
  readonly runs: RunStore;
  readonly events: EventSink;
  /** Runs in progress in this process, which a record may not show yet. */
  readonly activeRuns?: () => readonly RunRecord[];
  /** Called once the requeue is allowed, before the move: the dispatcher drops a retry it scheduled. */
  readonly beforeMove?: () => void;
  readonly now?: () => Date;
}

export type RequeueOutcome =
  /** The task went from `processed/` back to `pending/`. */
  | { readonly status: 'requeued'; readonly taskId: string; readonly file: string; readonly lastRunId: string | undefined }
  /** It was in `pending/` already (a second click, or a retry after a crash): nothing moved. */
  | { readonly status: 'alreadyPending'; readonly taskId: string; readonly file: string; readonly lastRunId: string | undefined }
  | { readonly status: 'notFound' | 'duplicate' | 'complete' | 'active'; readonly taskId: string; readonly reason: string };

/**
 * Requeue: a failed, cancelled or interrupted task goes from `processed/` back to `pending/`, so the
 * dispatcher can run it again (PRODUCT §3: one atomic rename, never in two folders or none). Refused while
 * a run of the task is in progress, and for a complete task. The run records keep their history: the
 * task's last run only gains `followUp: requeued`, so it stops asking for a human.
 *
 * Idempotent and crash-safe: the move comes first and is a no-op when done; the record is updated after.
 * A crash between the two leaves the task in `pending/`, and requeueing it again completes the record.
 */
export async function requeueTask(taskId: string, options: RequeueOptions): Promise<RequeueOutcome> {
  const now = options.now ?? (() => new Date());
  const entries = options.index.byId(taskId);
  // The path inside its queue folder (`x.task.md`, `web/x.task.md`): a move keeps it.
  const names = [...new Set(entries.map(entry => pathInQueueFolder(entry)))];
  if (names.length > 1) return { status: 'duplicate', taskId, reason: `Several task files have the id "${taskId}" (${names.join(', ')}): give each its own id first.` };
  const name = names[0];
  // On disk, not in the index, which may lag behind a move.
  const location = name === undefined ? undefined : await findTaskFile(options.workspaceRoot, options.planningRoot, name);
  if (location === undefined || location.kind === 'missing') return { status: 'notFound', taskId, reason: `No task "${taskId}" in the queue.` };
  if (location.kind === 'outside') return { status: 'notFound', taskId, reason: `Task "${taskId}" is not in a queue folder ATO reads: ${planningLayout[location.folder]}/ leads outside the workspace (to ${location.realPath}).` };
  if (location.folder === 'complete') return { status: 'complete', taskId, reason: `Task "${taskId}" is complete: there is nothing to run again.` };

  const records = (await options.runs.list()).records.filter(record => record.taskId === taskId);
  const active = [...(options.activeRuns?.() ?? []).filter(run => run.taskId === taskId), ...records.filter(record => !isFinalRunState(record.state))][0];
  if (active !== undefined) {
    return { status: 'active', taskId, reason: `Run ${active.runId} of "${taskId}" is still ${active.state}: cancel it first (ATO: Cancel Run…), then requeue. (A run cut off by a crash is marked interrupted when ATO starts again.)` };
  }
  options.beforeMove?.();
  const last = records.at(-1);
  let file = location.file;
  if (location.folder === 'processed') {
    file = (await moveTask(entryAt(options.planningRoot, 'processed', location.file), 'pending', { workspaceRoot: options.workspaceRoot })).to;
    await options.index.applyChange({ kind: 'add', file });
    await options.events.append({ kind: 'queue.moved', taskId, from: 'processed', to: 'pending', reason: 'requeued', ...(last === undefined ? {} : { runId: last.runId }) });
  }
  if (last !== undefined && last.state !== 'succeeded' && last.followUp?.kind !== 'requeued') {
    await options.runs.write({ ...last, followUp: { kind: 'requeued', at: now().toISOString(), reason: `requeued: ${basename(file)} is back in pending/` } });
    await options.events.append({ kind: 'task.requeued', taskId, runId: last.runId });
  }
  const lastRunId = last?.runId;
  return location.folder === 'processed' ? { status: 'requeued', taskId, file, lastRunId } : { status: 'alreadyPending', taskId, file, lastRunId };
}
