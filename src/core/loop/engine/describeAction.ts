import type { PlannedAction } from './loopModel';

/** A short imperative sentence for a planned action, for plans, notifications, the CLI and the event log. */
export function describeAction(action: PlannedAction): string {
  switch (action.kind) {
    case 'ensureGapIssue':
      if (action.repairIssue !== undefined) return `Repair gap-analysis issue #${action.repairIssue}`;
      return action.agent === undefined ? 'Open a gap-analysis issue and assign an agent' : `Open a gap-analysis issue for ${action.agent.id}`;
    case 'promoteTask':
      return action.agent === undefined ? `Promote task ${action.taskId}` : `Promote task ${action.taskId} to ${action.agent.id}`;
    case 'dispatchIssue':
      return `Dispatch issue #${action.issueNumber} to ${action.agent === undefined ? 'an agent' : action.agent.id}`;
    case 'mergePullRequest': {
      const at = action.headSha === '' ? '' : ` at ${action.headSha.slice(0, 7)}`;
      const merge = `${action.markReady ? `Mark PR #${action.pullNumber} ready and merge it` : `Merge PR #${action.pullNumber}`}${at}`;
      return action.closeIssues.length === 0 ? merge : `${merge}, then close ${action.closeIssues.map(n => `#${n}`).join(', ')}`;
    }
    case 'completeTask':
      return `Move task ${action.taskId} to complete/ (PR #${action.pullNumber})`;
    case 'openCapabilityIssue':
      return `Open a capability-update issue for PR #${action.pullNumber}${action.agent === undefined ? '' : ` for ${action.agent.id}`}`;
    case 'closeIssue':
      return `Close issue #${action.issueNumber}`;
    case 'requeueTask': {
      const close = action.closeIssues.length === 0 ? '' : `, closing ${action.closeIssues.map(n => `#${n}`).join(', ')}`;
      return `Requeue task ${action.taskId} (back to pending/${close})`;
    }
    case 'queueReviewTask':
      return `Queue review task ${action.taskId} (merges ${action.range.first}–${action.range.last}) in pending/`;
    case 'queueEmergencyTask':
      return `Queue emergency task ${action.emergency.fileName} in pending/: ${action.emergency.finding.title}`;
    case 'requestFix':
      return `Ask ${action.agentId ?? 'the agent'} to fix CI on PR #${String(action.pullNumber)} at ${action.headSha.slice(0, 7)} (attempt ${String(action.attempt)} of ${String(action.maxAttempts)})`;
    case 'analyzeDraft':
      return `Analyse why CI is red on draft PR #${String(action.pullNumber)} at ${action.headSha.slice(0, 7)}`;
    case 'updateBranch':
      return `Update PR #${String(action.pullNumber)}'s branch with its base`;
    case 'askRebase':
      return `Ask ${action.agentId ?? 'the agent'} to rebase PR #${String(action.pullNumber)} (it conflicts with its base)`;
    case 'sendReviewFollowUp':
      return `Send review ${String(action.reviewId)}'s comments on PR #${String(action.pullNumber)} to ${action.agentId ?? 'the agent'}`;
  }
}
