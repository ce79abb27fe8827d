import type { QueueEntry } from '../../../queue/queueEntry';

/**
 * The planning folder as the loop sees it in one read (PRODUCT §3 "Where the truth lives"): from the
 * remote's default branch in GitHub mode, from the working tree in local mode.
 */
export interface PlanningRead {
  /**
   * What was read: the remote-tracking commit sha in GitHub mode, a working-tree stamp (`local:…`) in local
   * mode. Equal revisions mean equal content, so the engine can skip work when it did not change.
   */
  readonly revision: string;
  /**
   * Task files in `pending/`, `processed/` and `complete/`, in path order, valid or not. In GitHub mode
   * `file` is the path inside the repository (e.g. `planning/issue_queue/pending/x.task.md`).
   */
  readonly entries: readonly QueueEntry[];
  /** `vision/goal.md`, or undefined when it is missing (or not readable as text). */
  readonly goal: string | undefined;
  /** `state/system_capabilities.md`, or undefined when it is missing. */
  readonly capabilities: string | undefined;
  /**
   * GitHub mode: task files in the working tree's `pending/` that the remote branch does not have, in
   * path order — local drafts with a "Queue it" action. Always empty in local mode.
   */
  readonly drafts: readonly QueueEntry[];
}

export interface PlanningReadOptions {
  /** GitHub mode: fetch before reading (overrides the source's default). Local mode ignores it. */
  readonly fetch?: boolean;
}

/** Where the loop reads the planning folder from; the engine reads both modes the same way. */
export interface PlanningSource {
  readonly mode: 'github' | 'local';
  read(options?: PlanningReadOptions): Promise<PlanningRead>;
}
