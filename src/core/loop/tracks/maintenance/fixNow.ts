import type { MaintenancePlannedAction } from '../../engine/loopModel';
import { ciState } from '../../policy/ciState';
import type { MaintenancePlan } from './maintenancePlan';
import type { PullInScope } from './pullsUnderCare';

/**
 * "Fix now" / "Send to…" on a red PR (issue 11): the next fix attempt on its head, now, to its authoring agent
 * or to `agentId` (`copilot` by an `@copilot` comment, any other id through the agents hook). Only a PR ATO may
 * act on, whose CI is red; the user's click may go past the budget (the attempt number says so). A string
 * says why not.
 */
export function fixNowAction(plan: MaintenancePlan, inScope: readonly PullInScope[], pullNumber: number, agentId: string | undefined, agentsHook: boolean): MaintenancePlannedAction | string {
  const candidate = inScope.find(entry => entry.pr.number === pullNumber);
  const care = plan.cares.get(pullNumber);
  if (candidate === undefined || care === undefined) return `PR #${String(pullNumber)} is not one ATO may fix: not open, not trusted, or outside \`ato.maintenance.scope\`.`;
  const { pr } = candidate;
  if (ciState(pr.checks).state !== 'red') return `CI is not red on PR #${String(pullNumber)} (${care.care.reason}): nothing to fix.`;
  const to = agentId ?? candidate.agentId;
  if (to === undefined) return `PR #${String(pullNumber)} was opened by a person and no agent was chosen: use "Send to…".`;
  if (to !== 'copilot' && !agentsHook) return `No agent hook reaches ${to} here.`;
  const attempt = care.care.attempts + 1;
  const max = care.view.maxAttempts;
  return {
    kind: 'requestFix',
    reason: `You asked: fix CI on PR #${String(pullNumber)} at ${pr.headSha.slice(0, 7)} (attempt ${String(attempt)}, budget ${String(max)}).`,
    pullNumber, headSha: pr.headSha, attempt, maxAttempts: max,
    author: to === 'copilot' ? 'copilot' : to === 'jules' ? 'jules' : 'local',
    agentId: to,
  };
}
