import type { GitHubPort } from '../../../forges/github/githubPort';
import type { QueueReviewTaskAction } from '../../engine/loopModel';
import { commitWithRetry } from './remoteQueueMoves';

export interface QueueReviewTaskOptions {
  readonly branch: string;
  /** The head the planning read saw; the commit is a compare-and-swap on it (re-planned when it moved). */
  readonly expectedHeadSha: string;
  readonly checkpoint: (name: string) => void | Promise<void>;
}

/** Where the review task could be by now: pending/ (queued), processed/ (promoted) or complete/ (done). */
function placesOf(path: string): string[] {
  const marker = '/issue_queue/pending/';
  const at = path.lastIndexOf(marker);
  if (at < 0) return [path];
  const [root, name] = [path.slice(0, at), path.slice(at + marker.length)];
  return ['pending', 'processed', 'complete'].map(folder => `${root}/issue_queue/${folder}/${name}`);
}

/**
 * Commits the review task into pending/ on the planning branch in one commit. Idempotent by the range (the
 * file name says it): when any queue folder at the head already has the file, nothing is written — a retry
 * after a crash, a second loop, or a review already promoted. A different text at the path is never overwritten.
 */
export async function queueReviewTaskRemote(port: GitHubPort, action: QueueReviewTaskAction, options: QueueReviewTaskOptions): Promise<{ readonly result: 'done' | 'skipped'; readonly message: string }> {
  const places = placesOf(action.path);
  let found: string | undefined;
  await options.checkpoint('queueReviewTask:beforeCommit');
  const outcome = await commitWithRetry(port, options.branch, options.expectedHeadSha, 4, async head => {
    const texts = await Promise.all(places.map(place => port.getFileText(place, head)));
    found = places.find((_, index) => texts[index] !== undefined);
    if (found !== undefined) return 'done';
    return { message: `ATO: queue review task ${action.taskId} (merges ${String(action.range.first)}–${String(action.range.last)})`, changes: [{ path: action.path, content: action.text }] };
  });
  if (outcome.status === 'alreadyDone') return { result: 'skipped', message: `Review task ${action.taskId} is already queued (${found ?? action.path}).` };
  await options.checkpoint('queueReviewTask:afterCommit');
  return { result: 'done', message: `Queued review task ${action.taskId} (merges ${String(action.range.first)}–${String(action.range.last)}) in pending/ on ${options.branch}.` };
}
