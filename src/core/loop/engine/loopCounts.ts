import type { RepoSnapshot } from '../../forges/github/githubModel';
import { isValidQueueEntry, type QueueEntry } from '../../queue/queueEntry';
import type { LoopCounts } from './loopModel';
import type { PlanningLinks } from '../tracks/planning/planningLinks';

export interface CountedParts {
  readonly snapshot: RepoSnapshot;
  /** The queue as the loop read it from the planning branch. */
  readonly queue: readonly QueueEntry[];
  readonly links: PlanningLinks;
  readonly followedPullRequests: number;
  readonly localDrafts: number;
}

/** The loop's counts from what one tick read: the planning branch's queue and GitHub, never the working tree. */
export function loopCounts(parts: CountedParts): LoopCounts {
  // Valid tasks per folder; invalid files apart (the same rule as the local queue's counts).
  const inFolder = (folder: QueueEntry['folder']): number => parts.queue.filter(entry => entry.folder === folder && isValidQueueEntry(entry)).length;
  const unpromoted = parts.queue.filter(entry => entry.folder === 'pending' && isValidQueueEntry(entry) && parts.links.tasks.get(entry.result.task.id)?.issue?.state !== 'open').length;
  return {
    pending: inFolder('pending'),
    processed: inFolder('processed'),
    complete: inFolder('complete'),
    invalid: parts.queue.filter(entry => !isValidQueueEntry(entry)).length,
    unpromoted,
    openAtoIssues: parts.snapshot.issues.filter(issue => issue.state === 'open').length,
    openPullRequests: parts.snapshot.openPullRequests.filter(pr => pr.state === 'open').length,
    followedPullRequests: parts.followedPullRequests,
    localDrafts: parts.localDrafts,
  };
}
