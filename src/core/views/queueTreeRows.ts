import type { ShownQueue } from '../state/shownQueue';
import { notInCheckoutText, queueSourceText } from '../../shared/queueSourceText';
import { join } from 'node:path';
import { isExternalUrl } from '../../shared/loopSnapshot';
import { queueEntryId, type QueueEntry } from '../queue/queueEntry';
import { describeBlockReason } from '../queue/queueOrder';
import { landableRuns } from '../runs/landing/landingTarget';
import type { RunRecord } from '../runs/runRecord';
import { taskName, type TaskName } from '../../shared/taskName';
import { commandIds, treeItemContexts } from './commandIds';
import { pendingText, type QueueTally } from './queueTally';
import type { TreeNodeModel } from './treeModel';

/** The tree lists at most this many tasks per group; the panel (virtualised) shows them all. */
export const maxTreeTasks = 200;

const runIcons: Readonly<Record<RunRecord['state'], string>> = {
  queued: 'clock', preparing: 'loading~spin', running: 'sync~spin', needsYou: 'bell-dot', succeeded: 'pass', failed: 'error', cancelled: 'circle-slash',
};

/** Queue rows: pending tasks in dispatch order (then blocked ones), invalid files, counts (valid tasks; invalid apart). */
export function queueRows(counts: QueueTally, shown: ShownQueue, planningPath: string): TreeNodeModel[] {
  const queue = shown.queue;
  const source = shown.source;
  // A branch entry's `file` is its path in the repository: open the working tree's copy (there after a pull).
  const fileOf = (entry: QueueEntry): string => source === undefined ? entry.file : join(planningPath, entry.relativePath);
  const pendingChildren: TreeNodeModel[] = [];
  if (queue !== undefined) {
    for (const entry of queue.pending.ready.slice(0, maxTreeTasks)) {
      const task = entry.result.task;
      if (shown.notInCheckout.has(entry.relativePath)) pendingChildren.push(notInCheckoutRow(entry, task.title, shown));
      else pendingChildren.push({ id: `task/${entry.relativePath}`, label: task.title, description: `${task.id} · ${task.priority} · ${task.agent}`, icon: 'circle-large-outline', openFile: fileOf(entry), contextValue: treeItemContexts.pendingTask, ref: task.id });
    }
    for (const blocked of queue.pending.blocked.slice(0, maxTreeTasks)) {
      if (shown.notInCheckout.has(blocked.entry.relativePath)) pendingChildren.push(notInCheckoutRow(blocked.entry, blocked.entry.result.task.title, shown));
      else pendingChildren.push({ id: `task/${blocked.entry.relativePath}`, label: blocked.entry.result.task.title, description: `blocked: ${describeBlockReason(blocked.reason, blocked.entry.result.task.id)}`, icon: 'lock', openFile: fileOf(blocked.entry), contextValue: treeItemContexts.blockedTask, ref: blocked.entry.result.task.id });
    }
    const listed = Math.min(queue.pending.ready.length, maxTreeTasks) + Math.min(queue.pending.blocked.length, maxTreeTasks);
    const total = queue.pending.ready.length + queue.pending.blocked.length;
    if (total > listed) pendingChildren.push({ id: 'queue/pending/more', label: `… and ${total - listed} more`, icon: 'ellipsis', command: commandIds.openControlPanel });
  }
  const rows: TreeNodeModel[] = [
    {
      id: 'queue',
      label: 'Queue',
      description: `${pendingText(counts)}${source === undefined ? '' : ` on ${source.branch}`}`,
      ...(source === undefined ? {} : { tooltip: queueSourceText(source) }),
      icon: 'list-ordered',
      children: [
        { id: 'queue/pending', label: 'Pending', description: String(counts.pending), icon: 'inbox', ...(pendingChildren.length > 0 ? { children: pendingChildren } : {}) },
        { id: 'queue/processed', label: 'Dispatched', description: String(counts.processed), icon: 'sync' },
        { id: 'queue/complete', label: 'Complete', description: String(counts.complete), icon: 'pass' },
      ],
    },
  ];
  if (queue !== undefined && queue.invalid.length > 0) {
    rows.push({
      id: 'invalid',
      label: 'Invalid task files',
      description: String(queue.invalid.length),
      icon: 'warning',
      children: queue.invalid.slice(0, maxTreeTasks).map(entry => ({
        id: `invalid/${entry.relativePath}`,
        label: queueEntryId(entry),
        description: entry.result.diagnostics.find(d => d.severity === 'error')?.message ?? 'invalid',
        tooltip: entry.result.diagnostics.map(d => `${d.severity}: ${d.message}`).join('\n'),
        icon: 'error',
        ...(shown.notInCheckout.has(entry.relativePath) ? opensOnGitHub(entry, shown) : { openFile: fileOf(entry) }),
      })),
    });
  }
  return rows;
}

/**
 * A pending task file the planning branch has and the working tree does not (not pulled yet): nothing of the
 * working tree works on it (no Dispatch, no file to open), so a click and its menu open it on GitHub.
 */
function notInCheckoutRow(entry: QueueEntry, title: string, shown: ShownQueue): TreeNodeModel {
  return { id: `task/${entry.relativePath}`, label: title, description: notInCheckoutText.status, tooltip: `${entry.relativePath}\n${notInCheckoutText.tooltip}`, icon: 'cloud', ref: queueEntryId(entry), ...opensOnGitHub(entry, shown) };
}

function opensOnGitHub(entry: QueueEntry, shown: ShownQueue): Partial<TreeNodeModel> {
  const url = shown.fileUrl(entry.relativePath);
  return url === undefined || !isExternalUrl(url) ? {} : { url, command: commandIds.openPullRequest, commandArgs: [url], contextValue: treeItemContexts.taskNotInCheckout };
}

/**
 * Runs: in progress first, then the most recent, each named by its task's title (`titles`: task id → title) with
 * the id beside it. `requeueable`: run id → task id (see requeueableRuns).
 */
export function runRows(runs: readonly RunRecord[], requeueable: ReadonlyMap<string, string> = new Map(), titles: ReadonlyMap<string, string> = new Map()): TreeNodeModel[] {
  if (runs.length === 0) return [];
  const active = runs.filter(run => run.state === 'running' || run.state === 'preparing' || run.state === 'queued').length;
  const landable = landableRuns(runs);
  return [
    {
      id: 'runs',
      label: 'Runs',
      description: active > 0 ? `${active} active` : `${runs.length} recent`,
      icon: 'run-all',
      children: runs.map(run => runRow(run, requeueable, landable.has(run.runId), taskName(run.taskId, titles.get(run.taskId)))),
    },
  ];
}

/** The run row's `contextValue`: which of its actions the tree's menus offer. */
function runContext(run: RunRecord, requeueable: ReadonlyMap<string, string>, landable: boolean): string {
  if (run.state === 'running' || run.state === 'preparing') return treeItemContexts.activeRun;
  if (requeueable.has(run.runId)) return landable ? treeItemContexts.requeueableLandableRun : treeItemContexts.requeueableRun;
  return landable ? treeItemContexts.landableRun : treeItemContexts.finishedRun;
}

function runRow(run: RunRecord, requeueable: ReadonlyMap<string, string>, landable: boolean, name: TaskName): TreeNodeModel {
  return {
    id: `run/${run.runId}`,
    label: name.title,
    description: `${name.id === undefined ? '' : `${name.id} · `}${run.agentId} · ${run.state}${run.usage.costUsd === undefined ? '' : ` · $${run.usage.costUsd.toFixed(2)}`}`,
    tooltip: run.failure === undefined ? run.summary ?? run.history.at(-1)?.reason ?? '' : `${run.failure.class}: ${run.failure.message}`,
    icon: runIcons[run.state],
    command: commandIds.showRunLog,
    commandArgs: [run.runId],
    ref: run.runId,
    contextValue: runContext(run, requeueable, landable),
  };
}
