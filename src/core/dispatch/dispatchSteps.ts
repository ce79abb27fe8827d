/**
 * The steps of one dispatch, in order. After each, the dispatcher calls its `checkpoint` hook: the crash
 * tests kill the process there and prove that a restart finishes or undoes the work without duplicates.
 */
export const dispatchSteps = [
  'recordWritten',
  'movedToProcessed',
  'worktreeCreated',
  'agentStarted',
  'agentFinished',
  'changesCommitted',
  'resultAppended',
  'movedToComplete',
  'recordFinalized',
] as const;
export type DispatchStep = (typeof dispatchSteps)[number];

/** After a failed run's record is written, before what follows it (escalation): a crash test stops there too. */
export type FailureStep = 'failureRecorded';

/** Marks a run that a restart found unfinished: its task is re-dispatched at most once. */
export const interruptedReason = 'interrupted: ATO stopped while this run was in progress';
