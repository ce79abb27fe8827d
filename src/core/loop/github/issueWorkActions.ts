import type { AgentBackend } from '../../agents/agentBackend';
import type { IssueSummary } from '../../forges/github/githubModel';
import { hasLabel } from '../texts/atoLabels';
import { capabilityIssueBody } from '../texts/capabilityIssueBody';
import { gapAnalysisIssueBody } from '../texts/gapAnalysisTemplate';
import type { ExecutionResult } from '../engine/loopBackend';
import { copilotAgentId } from '../tracks/planning/loopAgentChoice';
import type { PromotionAgent } from '../engine/loopModel';
import { issueWorkItem, issueWorkOf, issueWorkTask, runFailedLabel, type IssueWork } from '../tracks/planning/loopWorkItem';
import { agentInBody, appendMarker } from '../texts/markers';
import type { GuardedActionContext } from './guardedActions';

/**
 * The gap analysis (1a) and capability updates (3a) served by an agent ATO runs itself (issue 10): the issue
 * records the agent in its marker and is assigned to nobody; ATO runs the agent through the loop's runs (the
 * fleet's slot, record, log and cancel, as for a task), with ATO's own issue text as the prompt, then pushes
 * `ato-work/<kind>-<issue>` and opens the PR with `Closes #<issue>` and the work's marker.
 */

/** The agent ATO runs for the chosen agent, `undefined` for Copilot; a reason when the choice names an agent ATO does not run here. */
export function agentRunByAto(context: GuardedActionContext, chosen: PromotionAgent | undefined): { readonly agent: AgentBackend | undefined } | { readonly failed: string } {
  if (chosen === undefined || chosen.id === copilotAgentId) return { agent: undefined };
  const agent = context.localAgents?.agent(chosen.id);
  return agent === undefined ? { failed: `${chosen.id} is not an agent ATO runs here` } : { agent };
}

/** The body of a new issue for an agent ATO runs: ATO's text with the agent's marker (nobody is assigned on GitHub). */
export function bodyForAgent(body: string, agent: AgentBackend | undefined): string {
  return agent === undefined ? body : appendMarker(body, { kind: 'agent', agentId: agent.id });
}

/** ATO's own text for the work, the prompt: the gap template, or the capability body rebuilt from the merged PR and its discussion. */
export async function issueWorkTemplate(context: GuardedActionContext, work: IssueWork): Promise<string> {
  const file = (relative: string): string => `${context.planningPath}/${relative}`;
  if (work.kind === 'gapAnalysis') return gapAnalysisIssueBody(file('vision/goal.md'), file('state/system_capabilities.md'), file('issue_queue/pending/'));
  const pr = await context.port.getPullRequest(work.sourcePr);
  const comments = await context.port.listComments(work.sourcePr);
  return capabilityIssueBody(pr, comments, file('state/system_capabilities.md'));
}

/** Starts the agent's run of the issue work unless one is under way; the sentence says which. */
export function startIssueWork(context: GuardedActionContext, issue: Pick<IssueSummary, 'number' | 'url' | 'title'>, work: IssueWork, agent: AgentBackend, template: string): string {
  const runs = context.localAgents?.runs;
  if (runs === undefined) return '';
  const item = issueWorkItem({ work, issueTitle: issue.title, template, planningPath: context.planningPath });
  const { started } = runs.start({ task: issueWorkTask(work, issue.title), issue, agent, work: item });
  if (!started) return `${agent.id} already works on it.`;
  return agent.needsWorktree
    ? `Started ${agent.id} on it in a worktree of ${context.branch}; ATO pushes ${item.branch} and opens the PR when it is done.`
    : `Started a ${agent.id} session on it; ATO links the PR the session reports to the issue when it is done.`;
}

/**
 * An open gap or capability issue that an agent ATO runs serves, with no run in flight and no PR: start the
 * run (again, after a restart). An issue that records no agent gets the chosen one's marker first. A failed
 * run's issue (`ato:run-failed`) waits for a person.
 */
export async function dispatchIssueWork(context: GuardedActionContext, issue: IssueSummary, chosen: PromotionAgent | undefined): Promise<ExecutionResult | undefined> {
  const work = issueWorkOf(issue);
  if (work === undefined) return undefined;
  const recorded = agentInBody(issue.body);
  const agentId = recorded ?? chosen?.id;
  // An issue a person or the loop already assigned (to Copilot) stays with its assignee.
  if (agentId === undefined || agentId === copilotAgentId || (recorded === undefined && issue.assignees.length > 0)) return undefined;
  const agent = context.localAgents?.agent(agentId);
  if (agent === undefined) return { result: 'failed', message: `Issue #${String(issue.number)} is for ${agentId}, which is not an agent ATO runs here.` };
  if (hasLabel(issue.labels, runFailedLabel.name)) return { result: 'skipped', message: `Issue #${String(issue.number)}: the last run of ${agentId} failed; remove the label ${runFailedLabel.name} to run it again.` };
  if (recorded === undefined) {
    await context.port.updateIssue(issue.number, { body: bodyForAgent(issue.body, agent) });
    await context.checkpoint('dispatchIssue:afterAgentMarker');
  }
  const template = await issueWorkTemplate(context, work);
  const marked = recorded === undefined ? ` (recorded ${agentId} on it)` : '';
  return { result: 'done', message: `Issue #${String(issue.number)}${marked}: ${startIssueWork(context, issue, work, agent, template)}` };
}
