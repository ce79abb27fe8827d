import { isValidQueueEntry, pathInQueueFolder, type QueueEntry } from '../../../queue/queueEntry';
import type { QueueReviewTaskAction } from '../../engine/loopModel';
import { reviewRangeMarker, reviewTaskId, reviewTaskText, type ReviewedMerge } from '../../texts/reviewTaskText';

/**
 * Review tasks every N merges (`ato.maintenance.reviewEvery`, issue 11). The merges are the tasks in
 * complete/ whose result section records a merged PR (taskResultText.ts), review tasks themselves excepted
 * (a review's merge never asks for another review), numbered from 1 in the order they completed. Only the
 * latest full range is ever due: turning the setting on late queues one review, not one per range missed.
 */

const resultMarker = /^<!-- ato:result task=(\S+) pr=(\d+) -->$/m;

/** The merged task PRs complete/ records, in completion order (then PR number). */
export function mergedTaskPullRequests(queue: readonly QueueEntry[]): ReviewedMerge[] {
  const merges: ReviewedMerge[] = [];
  for (const entry of queue) {
    if (entry.folder !== 'complete' || !isValidQueueEntry(entry) || entry.result.task.type === 'review') continue;
    const body = entry.result.task.body;
    const marker = resultMarker.exec(body);
    if (marker?.[2] === undefined) continue;
    const pullNumber = Number(marker[2]);
    const outcome = new RegExp(`^- Outcome: merged in \\[PR #${String(pullNumber)}\\]\\((\\S+?)\\) — (.*)$`, 'm').exec(body);
    const completed = /^- Completed: (\S+)$/m.exec(body)?.[1];
    merges.push({ taskId: entry.result.task.id, pullNumber, title: outcome?.[2] ?? entry.result.task.title, url: outcome?.[1], completedAt: completed });
  }
  return merges.sort((a, b) => (a.completedAt ?? '').localeCompare(b.completedAt ?? '') || a.pullNumber - b.pullNumber);
}

/** The latest full range of `every` merges among `count` (1-based, inclusive), or undefined (off, or fewer). */
export function latestReviewRange(count: number, every: number): { readonly first: number; readonly last: number } | undefined {
  if (!Number.isInteger(every) || every <= 0 || count < every) return undefined;
  const last = Math.floor(count / every) * every;
  return { first: last - every + 1, last };
}

/** Whether the queue (any folder, valid or not) already has the review of this range: by file name or by marker. */
export function hasReviewTask(queue: readonly QueueEntry[], first: number, last: number): boolean {
  const name = `${reviewTaskId(first, last)}.task.md`.toLowerCase();
  const marker = reviewRangeMarker(first, last);
  return queue.some(entry => pathInQueueFolder(entry).toLowerCase().endsWith(name) || (isValidQueueEntry(entry) && entry.result.task.body.includes(marker)));
}

/**
 * The planning folder the entries were read from, as their `file` names it (on the planning branch: the
 * path inside the repository, e.g. `planning`): where the review task goes and where its report goes.
 */
function planningFolderOf(entry: QueueEntry): string | undefined {
  if (!entry.file.endsWith(entry.relativePath)) return undefined;
  return entry.file.slice(0, entry.file.length - entry.relativePath.length).replace(/\/+$/, '');
}

/** The review task due now (`every` = `ato.maintenance.reviewEvery`), or undefined. */
export function dueReviewTask(queue: readonly QueueEntry[], every: number): QueueReviewTaskAction | undefined {
  const merges = mergedTaskPullRequests(queue);
  const range = latestReviewRange(merges.length, every);
  if (range === undefined || hasReviewTask(queue, range.first, range.last)) return undefined;
  const complete = queue.find(entry => entry.folder === 'complete');
  const planningPath = complete === undefined ? undefined : planningFolderOf(complete);
  if (planningPath === undefined || planningPath === '') return undefined;
  const covered = merges.slice(range.first - 1, range.last);
  const taskId = reviewTaskId(range.first, range.last);
  const prs = covered.map(merge => `#${String(merge.pullNumber)}`).join(', ');
  return {
    kind: 'queueReviewTask',
    reason: `${String(merges.length)} task PRs are merged and \`ato.maintenance.reviewEvery\` is ${String(every)}: review merges ${String(range.first)}–${String(range.last)} (${prs}).`,
    taskId,
    path: `${planningPath}/issue_queue/pending/${taskId}.task.md`,
    range,
    text: reviewTaskText({ first: range.first, last: range.last, merges: covered, planningPath }),
  };
}
