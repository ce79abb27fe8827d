import type { PlannedAction } from './loopModel';

/** A short imperative sentence for a planned action, for plans, notifications and the event log. */
export function describeAction(action: PlannedAction): string {
  switch (action.kind) {
    case 'ensureGapIssue':
      return action.repairIssue === undefined ? 'Open the gap-analysis issue and assign it' : `Repair the body of gap-analysis issue #${String(action.repairIssue)}`;
    case 'promoteTask':
      return `Promote task ${action.taskId} to an issue and assign it`;
    case 'dispatchIssue':
      return `Assign issue #${String(action.issueNumber)} to the agent`;
    case 'mergePullRequest':
      return `${action.markReady ? 'Mark ready and merge' : 'Merge'} PR #${String(action.pullNumber)} at ${action.headSha.slice(0, 7)}`;
    case 'completeTask':
      return `Move task ${action.taskId} to complete/ (PR #${String(action.pullNumber)} merged)`;
    case 'openCapabilityIssue':
      return `Open the capability-update issue for PR #${String(action.pullNumber)}`;
    case 'closeIssue':
      return `Close issue #${String(action.issueNumber)}`;
  }
}
