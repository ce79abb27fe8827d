import { isGitHubError } from '../../forges/github/githubError';
import type { AgentAssignment, IssueSummary, MergeMethod, MergeResult, RepoSnapshot } from '../../forges/github/githubModel';
import type { GitHubPort } from '../../forges/github/githubPort';
import { isValidQueueEntry } from '../../queue/queueEntry';
import { atoLabels, hasLabel, labelsFor } from '../texts/atoLabels';
import { capabilityIssueBody, capabilityIssueTitle } from '../texts/capabilityIssueBody';
import { gapAnalysisIssueBody, gapAnalysisIssueTitle } from '../texts/gapAnalysisTemplate';
import type { IntentLog } from '../engine/intentLog';
import { adoptionRecord, adoptIssue, describeAdoption, gapAdoptionTarget, planAdoption, queuedTaskTargets } from '../tracks/planning/issueAdoption';
import type { ExecutionResult } from '../engine/loopBackend';
import type { PlannedAction, PromotionAgent, QueueReviewTaskAction, RequeueTaskAction } from '../engine/loopModel';
import { agentInBody, capabilitySourcesInBody, formatMarker, isGapAnalysisBody, taskIdsInBody } from '../texts/markers';
import { mergeStateKey } from '../policy/mergeRefusals';
import { canonicalIssue } from '../tracks/planning/planningLinks';
import type { PlanningRead } from '../tracks/planning/planningSource';
import { proposeTaskMove } from '../tracks/planning/remoteQueueMoveProposal';
import { moveTaskRemote } from '../tracks/planning/remoteQueueMoves';
import { queueReviewTaskRemote } from '../tracks/planning/reviewTasksRemote';
import { ensureTaskIssue } from '../tracks/planning/taskIssue';
import type { AgentBackend } from '../../agents/agentBackend';
import { taskBranch } from '../tracks/planning/atoPullRequest';
import { copilotAgentId } from '../tracks/planning/loopAgentChoice';
import type { LocalTaskRequest } from './localTaskRuns';
import type { LoopTaskRuns } from './loopTaskRuns';
import { taskResultText } from './taskResultText';
import { agentRunByAto, bodyForAgent, dispatchIssueWork, startIssueWork } from './issueWorkActions';

/** Who the loop's issues go to: the Copilot coding agent, with its assignment options (PRODUCT §5). */
export interface LoopAssignee {
  /** REST assignee logins, e.g. `copilot-swe-agent[bot]`. */
  readonly logins: readonly string[];
  /** How GitHub shows the assignee on an issue afterwards (e.g. `Copilot`), to tell "already assigned". */
  readonly shownAs: readonly string[];
  readonly agentAssignment: AgentAssignment | undefined;
  /** Recorded in a completed task's result section. */
  readonly agentId: string;
}

export interface GuardedActionContext {
  readonly port: GitHubPort;
  readonly branch: string;
  readonly planningPath: string;
  readonly intents: IntentLog;
  readonly assignee: LoopAssignee;
  readonly mergeMethod: MergeMethod;
  /** `commit`: queue moves are commits on the planning branch; `pullRequest`: proposed as PRs (protected branches). */
  readonly queueMoves: 'commit' | 'pullRequest';
  /** What the action was planned from. */
  readonly observed: { readonly snapshot: RepoSnapshot; readonly planning: PlanningRead };
  readonly now: () => Date;
  /** The local agents the loop may hand tasks to, and their runs (absent: every task goes to Copilot). */
  readonly localAgents?: LocalAgentHooks;
  /**
   * Named points between remote writes; tests make one throw (or kill the process) to prove that a restart
   * finishes the action without doubling anything.
   */
  readonly checkpoint: (name: string) => void | Promise<void>;
}

/** An agent other than Copilot serving a GitHub task: ATO runs it (localTaskRuns.ts) or its session (remoteTaskRuns.ts). */
export interface LocalAgentHooks {
  /** The configured agent with this id that ATO runs for the loop (a local agent, Jules). */
  agent(agentId: string): AgentBackend | undefined;
  readonly runs: Pick<LoopTaskRuns, 'start' | 'activeTaskIds'>;
}

const created = new WeakSet<GitHubPort>();

/** Carries out one planned action. Every step looks before it writes, so running it again is harmless. */
export async function executeGuardedAction(context: GuardedActionContext, action: PlannedAction): Promise<ExecutionResult> {
  switch (action.kind) {
    case 'ensureGapIssue':
      return ensureGapIssue(context, action.repairIssue, action.agent);
    case 'promoteTask':
      return promoteTask(context, action);
    case 'dispatchIssue':
      return dispatchIssue(context, action.issueNumber, action.agent);
    case 'mergePullRequest':
      return mergePullRequest(context, action);
    case 'completeTask':
      return completeTask(context, action);
    case 'openCapabilityIssue':
      return openCapabilityIssue(context, action.pullNumber, action.agent);
    case 'closeIssue':
      return closeIssue(context, action.issueNumber);
    case 'requeueTask':
      return requeueTask(context, action);
    case 'queueReviewTask':
      return queueReviewTask(context, action);
    case 'requestFix':
    case 'analyzeDraft':
    case 'updateBranch':
    case 'askRebase':
    case 'sendReviewFollowUp':
    case 'queueEmergencyTask':
      // The maintenance track's actions run in maintenanceActions.ts (the backend routes them there).
      return { result: 'failed', message: `${action.kind} is the maintenance track's action, not the planning track's.` };
  }
}

/** A review task after N merges: one commit into pending/ (not on a protected planning branch: no PR per review). */
async function queueReviewTask(context: GuardedActionContext, action: QueueReviewTaskAction): Promise<ExecutionResult> {
  if (context.queueMoves === 'pullRequest') {
    return { result: 'skipped', message: `Review task ${action.taskId} is not queued: the planning branch ${context.branch} is protected (\`ato.loop.queueMoves: pullRequest\`); queue it by hand or turn \`ato.maintenance.reviewEvery\` off.` };
  }
  return queueReviewTaskRemote(context.port, action, { branch: context.branch, expectedHeadSha: context.observed.planning.revision, checkpoint: context.checkpoint });
}

async function ensureLabels(context: GuardedActionContext): Promise<void> {
  if (created.has(context.port)) return;
  for (const label of Object.values(atoLabels)) await context.port.ensureLabel(label.name, label.color, label.description);
  created.add(context.port);
}

function isAssigned(context: GuardedActionContext, issue: IssueSummary): boolean {
  const names = new Set([...context.assignee.logins, ...context.assignee.shownAs].map(login => login.toLowerCase().replace(/\[bot\]$/, '')));
  return issue.assignees.some(login => names.has(login.toLowerCase().replace(/\[bot\]$/, '')));
}

/** A new issue for the Copilot coding agent (assigned), or for an agent ATO runs (`local`: its marker in the body, assigned to nobody). */
async function newAssignedIssue(context: GuardedActionContext, title: string, body: string, labels: readonly string[], local?: AgentBackend): Promise<IssueSummary> {
  const { assignee } = context;
  if (local !== undefined) return context.port.createIssue({ title, body: bodyForAgent(body, local), labels, assignees: [] });
  return context.port.createIssue({ title, body, labels, assignees: assignee.logins, ...(assignee.agentAssignment === undefined ? {} : { agentAssignment: assignee.agentAssignment }) });
}

async function assign(context: GuardedActionContext, issue: IssueSummary): Promise<boolean> {
  if (isAssigned(context, issue)) return false;
  await context.port.addAssignees(issue.number, context.assignee.logins, context.assignee.agentAssignment);
  return true;
}

function planningFile(context: GuardedActionContext, relative: string): string {
  return `${context.planningPath}/${relative}`;
}

async function ensureGapIssue(context: GuardedActionContext, repairIssue: number | undefined, chosen: PromotionAgent | undefined): Promise<ExecutionResult> {
  const { port, intents } = context;
  const body = gapAnalysisIssueBody(planningFile(context, 'vision/goal.md'), planningFile(context, 'state/system_capabilities.md'), planningFile(context, 'issue_queue/pending/'));
  if (repairIssue !== undefined) {
    const issue = await port.getIssue(repairIssue);
    if (issue.body === body) return { result: 'skipped', message: `Gap-analysis issue #${String(repairIssue)} already has ATO's template.` };
    await port.updateIssue(repairIssue, { body });
    return { result: 'done', message: `Replaced the body of gap-analysis issue #${String(repairIssue)} with ATO's own template (the old one asked the agent to open PRs or issues).` };
  }
  const runner = agentRunByAto(context, chosen);
  if ('failed' in runner) return { result: 'failed', message: `The gap analysis goes to ${runner.failed}.` };
  const local = runner.agent;
  const intent = await intents.begin('ensureGapIssue', 'gap-analysis');
  await ensureLabels(context);
  await context.checkpoint('ensureGapIssue:labels');
  const openIssues = await port.listOpenIssues();
  const open = openIssues.filter(issue => hasLabel(issue.labels, atoLabels.gapAnalysis.name) && isGapAnalysisBody(issue.body));
  const existing = canonicalIssue(open);
  if (existing !== undefined) {
    const work = await dispatchIssueWork(context, existing, chosen);
    if (work !== undefined) {
      await intents.finish(intent);
      return work;
    }
    const assigned = await assign(context, existing);
    await intents.finish(intent);
    return { result: assigned ? 'done' : 'skipped', message: assigned ? `Assigned gap-analysis issue #${String(existing.number)}.` : `Gap-analysis issue #${String(existing.number)} is open and assigned.` };
  }
  const adoption = planAdoption(openIssues, [gapAdoptionTarget, ...queuedTaskTargets(context.observed.planning.entries)]).adopt.find(found => found.target.kind === 'gapAnalysis');
  if (adoption !== undefined) {
    await intents.step(intent, 'adopted', adoption.issue.number);
    const adopted = await adoptIssue(port, adoption);
    await context.checkpoint('ensureGapIssue:afterAdopt');
    const work = await dispatchIssueWork(context, adopted, chosen);
    if (work === undefined) await assign(context, adopted);
    await intents.finish(intent);
    const to = work === undefined ? `assigned it to ${context.assignee.agentId}.` : work.message;
    return { result: work?.result === 'failed' ? 'failed' : 'done', message: `Adopted the open issue ${describeAdoption(adoption)} (same title; labelled and marked) instead of opening a second one; ${to}`, adopted: [adoptionRecord(adoption)] };
  }
  await context.checkpoint('ensureGapIssue:beforeCreate');
  const issue = await newAssignedIssue(context, gapAnalysisIssueTitle, body, labelsFor('gapAnalysis'), local);
  await intents.step(intent, 'created', issue.number);
  await context.checkpoint('ensureGapIssue:afterCreate');
  await intents.finish(intent);
  if (local === undefined) return { result: 'done', message: `Opened gap-analysis issue #${String(issue.number)} and assigned it to ${context.assignee.agentId}.` };
  const started = startIssueWork(context, issue, { kind: 'gapAnalysis', issueNumber: issue.number }, local, body);
  return { result: 'done', message: `Opened gap-analysis issue #${String(issue.number)} ${served(local, local.id)}. ${started}` };
}

async function promoteTask(context: GuardedActionContext, action: Extract<PlannedAction, { kind: 'promoteTask' }>): Promise<ExecutionResult> {
  const { port, intents, observed } = context;
  const { taskId, path } = action;
  const runByAto = action.agent !== undefined && action.agent.id !== copilotAgentId;
  const chosen = runByAto ? context.localAgents?.agent(action.agent.id) : undefined;
  if (runByAto && chosen === undefined) return { result: 'failed', message: `Task ${taskId} goes to ${action.agent.id}, which is not an agent ATO runs here.` };
  const entry = observed.planning.entries.find(e => e.file === path);
  if (entry === undefined || !isValidQueueEntry(entry)) return { result: 'failed', message: `Task file ${path} is not a valid task on ${context.branch}.` };
  const intent = await intents.begin('promoteTask', `promote:${taskId}`, { path });
  await ensureLabels(context);
  await context.checkpoint('promoteTask:labels');
  // The task's issue has one owner (taskIssue.ts): ATO's own by label and marker, else one made by hand with the task's title, else a new one.
  const { assignee } = context;
  // A local agent's issue is assigned to nobody on GitHub: its marker records the agent, ATO runs it.
  const agent = chosen === undefined
    ? { agentId: assignee.agentId, assignees: assignee.logins, ...(assignee.agentAssignment === undefined ? {} : { agentAssignment: assignee.agentAssignment }) }
    : { agentId: chosen.id, assignees: [] };
  const outcome = await ensureTaskIssue(port, {
    task: entry.result.task,
    path,
    agent,
    reuseClosed: false,
    adoptionTargets: queuedTaskTargets(observed.planning.entries),
  }, {
    adopting: async adoption => { await intents.step(intent, 'adopted', adoption.issue.number); },
    adopted: () => context.checkpoint('promoteTask:afterAdopt'),
    beforeCreate: () => context.checkpoint('promoteTask:beforeCreate'),
    created: async created => {
      await intents.step(intent, 'issue', created.number);
      await context.checkpoint('promoteTask:afterCreate');
    },
  });
  const { issue } = outcome;
  const created = outcome.how === 'created';
  const adoption = outcome.how === 'adopted' ? outcome.adoption : undefined;
  // An issue found or adopted keeps the agent it records (a promotion cut short, finished after a restart).
  const recorded = agentInBody(issue.body);
  const local = recorded === undefined ? chosen : context.localAgents?.agent(recorded);
  if (recorded !== undefined && recorded !== copilotAgentId && local === undefined) {
    await intents.finish(intent);
    return { result: 'failed', message: `Task ${taskId} is issue #${String(issue.number)}, which records the local agent ${recorded}: it is not configured here, so the task stays in pending/.` };
  }
  const agentName = local?.id ?? assignee.agentId;
  if (!created && local === undefined) await assign(context, issue);
  // The run starts once the task's move is done (or proposed): a failed move starts nothing.
  const start = (): string => (local === undefined ? '' : ` ${startLocalRun(context, { task: entry.result.task, issue, agent: local })}`);
  const to = path.replace('/issue_queue/pending/', '/issue_queue/processed/');
  const adoptedNote = adoption === undefined ? '' : ` (adopted: an open issue with the task's title, now labelled and marked, instead of a second issue)`;
  const adopted = adoption === undefined ? {} : { adopted: [adoptionRecord(adoption)] };
  if (context.queueMoves === 'pullRequest') {
    const proposal = await proposeMove(context, path, to, undefined, `ATO: task ${taskId} dispatched (issue ${String(issue.number)})`);
    await intents.finish(intent);
    return { result: created || adoption !== undefined || proposal.opened ? 'done' : 'skipped', message: `Task ${taskId} is issue #${String(issue.number)}${adoptedNote}, ${served(local, agentName)}; ${proposal.text}${start()}`, ...adopted };
  }
  const moved = await moveTaskRemote(port, { branch: context.branch, from: path, to, message: `ATO: task ${taskId} dispatched as #${String(issue.number)}`, expectedHeadSha: observed.planning.revision });
  await intents.step(intent, 'moved', moved.headSha);
  await context.checkpoint('promoteTask:afterMove');
  await intents.finish(intent);
  return { result: 'done', message: `Task ${taskId} is issue #${String(issue.number)}${adoptedNote}, ${served(local, agentName)}; moved to processed/.${start()}`, ...adopted };
}

/** How a promotion message names who works on the task. */
function served(local: AgentBackend | undefined, agentId: string): string {
  return local === undefined ? `assigned to ${agentId}` : `for the local agent ${agentId} (recorded on the issue, assigned to nobody)`;
}

/** Starts the local agent's run of the task unless one is under way; the sentence says which. */
function startLocalRun(context: GuardedActionContext, request: LocalTaskRequest): string {
  const runs = context.localAgents?.runs;
  if (runs === undefined) return '';
  const { started } = runs.start(request);
  if (!started) return `${request.agent.id} already works on it.`;
  return request.agent.needsWorktree
    ? `Started ${request.agent.id} on it in its worktree; ATO pushes ${taskBranch(request.task.id)} and opens the PR when it is done.`
    : `Started a ${request.agent.id} session on it; ATO links the PR the session reports to the issue when it is done.`;
}

/** A local agent's task issue with no run in flight and no PR: start the run (again, after a restart). */
function dispatchLocal(context: GuardedActionContext, issue: IssueSummary, agentId: string): ExecutionResult {
  const agent = context.localAgents?.agent(agentId);
  if (agent === undefined) return { result: 'failed', message: `Issue #${String(issue.number)} is for ${agentId}, which is not a configured local agent here.` };
  const taskId = taskIdsInBody(issue.body)[0];
  const entry = context.observed.planning.entries.find(candidate => candidate.folder === 'processed' && isValidQueueEntry(candidate) && candidate.result.task.id === taskId);
  if (entry === undefined || !isValidQueueEntry(entry)) return { result: 'failed', message: `Issue #${String(issue.number)} names no task in processed/ on ${context.branch}.` };
  return { result: 'done', message: `Issue #${String(issue.number)}: ${startLocalRun(context, { task: entry.result.task, issue, agent })}` };
}

async function dispatchIssue(context: GuardedActionContext, issueNumber: number, chosen: PromotionAgent | undefined): Promise<ExecutionResult> {
  const issue = await context.port.getIssue(issueNumber);
  if (issue.state !== 'open') return { result: 'skipped', message: `Issue #${String(issueNumber)} is closed.` };
  const work = await dispatchIssueWork(context, issue, chosen);
  if (work !== undefined) return work;
  const agentId = agentInBody(issue.body);
  if (agentId !== undefined && context.localAgents?.agent(agentId) !== undefined) return dispatchLocal(context, issue, agentId);
  const assigned = await assign(context, issue);
  return assigned
    ? { result: 'done', message: `Assigned issue #${String(issueNumber)} to ${context.assignee.agentId}.` }
    : { result: 'skipped', message: `Issue #${String(issueNumber)} is already assigned.` };
}

async function mergePullRequest(context: GuardedActionContext, action: Extract<PlannedAction, { kind: 'mergePullRequest' }>): Promise<ExecutionResult> {
  const { port } = context;
  const pr = await port.getPullRequest(action.pullNumber);
  const notes: string[] = [];
  if (pr.state === 'merged') {
    notes.push(`PR #${String(pr.number)} was already merged.`);
  } else if (pr.state === 'closed') {
    return { result: 'skipped', message: `PR #${String(pr.number)} was closed without a merge.` };
  } else if (pr.headSha !== action.headSha) {
    return { result: 'skipped', message: `PR #${String(pr.number)} has new commits since it was checked (${action.headSha.slice(0, 7)} → ${pr.headSha.slice(0, 7)}); the next tick checks it again.` };
  } else {
    if (pr.isDraft) {
      await port.markReadyForReview(pr.nodeId);
      await context.checkpoint('mergePullRequest:afterReady');
    }
    let result: MergeResult;
    try {
      result = await port.mergePullRequest(pr.number, { sha: action.headSha, method: context.mergeMethod });
    } catch (error) {
      // 405: GitHub will not merge it as it is (protection, reviews, rulesets). A person decides what now.
      if (!isGitHubError(error, 'notAllowed')) throw error;
      return refused(context, pr.number, error.githubMessage ?? error.message);
    }
    if (!result.merged) return refused(context, pr.number, result.message);
    notes.push(`Merged PR #${String(pr.number)} (${context.mergeMethod}) at ${action.headSha.slice(0, 7)}.`);
    await context.checkpoint('mergePullRequest:afterMerge');
  }
  for (const number of action.closeIssues) {
    const issue = await port.getIssue(number);
    if (issue.state === 'open') {
      await port.updateIssue(number, { state: 'closed', stateReason: 'completed' });
      notes.push(`Closed #${String(number)}.`);
    }
  }
  return { result: 'done', message: notes.join(' ') };
}

/** A refused merge, with the PR's state as GitHub reports it now: the refusal holds until that changes. */
async function refused(context: GuardedActionContext, pullNumber: number, message: string): Promise<ExecutionResult> {
  const after = await context.port.getPullRequest(pullNumber);
  return {
    result: 'failed',
    message: `GitHub refused to merge PR #${String(pullNumber)}: ${message}`,
    refusal: { pullNumber, message, stateKey: mergeStateKey(after), at: context.now().toISOString() },
  };
}

async function completeTask(context: GuardedActionContext, action: Extract<PlannedAction, { kind: 'completeTask' }>): Promise<ExecutionResult> {
  const { port, observed } = context;
  const pr = observed.snapshot.recentlyClosedPullRequests.find(p => p.number === action.pullNumber) ?? await port.getPullRequest(action.pullNumber);
  const to = action.path.replace('/issue_queue/processed/', '/issue_queue/complete/');
  // The agent the task's issue records (a local agent's), else the one the loop assigns.
  const issueBody = observed.snapshot.issues.find(issue => issue.number === action.issueNumber)?.body ?? '';
  const agentId = agentInBody(issueBody) ?? context.assignee.agentId;
  const appendText = taskResultText({ taskId: action.taskId, pullRequest: pr, issueNumber: action.issueNumber, agentId, completedAt: pr.mergedAt ?? context.now().toISOString() });
  if (context.queueMoves === 'pullRequest') {
    const proposal = await proposeMove(context, action.path, to, appendText, `ATO: task ${action.taskId} complete`);
    return { result: proposal.opened ? 'done' : 'skipped', message: `Task ${action.taskId}: ${proposal.text}` };
  }
  const moved = await moveTaskRemote(port, { branch: context.branch, from: action.path, to, appendText, message: `ATO: task ${action.taskId} complete (PR #${String(pr.number)})`, expectedHeadSha: observed.planning.revision });
  return moved.status === 'alreadyDone'
    ? { result: 'skipped', message: `Task ${action.taskId} was already in complete/.` }
    : { result: 'done', message: `Moved task ${action.taskId} to complete/ with its result (PR #${String(pr.number)}).` };
}

/** Proposes a queue move as a PR (protected planning branch) and says where it waits. */
async function proposeMove(context: GuardedActionContext, from: string, to: string, appendText: string | undefined, message: string): Promise<{ readonly opened: boolean; readonly text: string }> {
  const folder = to.split('/').at(-2) ?? 'the next folder';
  const proposal = await proposeTaskMove(context.port, {
    base: context.branch,
    from,
    to,
    message,
    ...(appendText === undefined ? {} : { appendText }),
    title: message,
    body: `ATO moves \`${from}\` to \`${to}\` on \`${context.branch}\`. The planning branch is protected (\`ato.loop.queueMoves: pullRequest\`), so the move waits for this pull request to be merged.`,
  });
  const opened = proposal.status === 'opened';
  const text = opened
    ? `proposed the move to ${folder}/ in PR #${String(proposal.pullRequest.number)} (merge it: the planning branch is protected).`
    : `the move to ${folder}/ waits for PR #${String(proposal.pullRequest.number)} to be merged.`;
  return { opened, text };
}

async function openCapabilityIssue(context: GuardedActionContext, pullNumber: number, chosen: PromotionAgent | undefined): Promise<ExecutionResult> {
  const { port, intents } = context;
  const runner = agentRunByAto(context, chosen);
  if ('failed' in runner) return { result: 'failed', message: `The capability update for PR #${String(pullNumber)} goes to ${runner.failed}.` };
  const local = runner.agent;
  const intent = await intents.begin('openCapabilityIssue', `capability:${String(pullNumber)}`, { pullNumber });
  await ensureLabels(context);
  const existing = (await port.listIssuesByLabel(atoLabels.capability.name, 'all')).filter(issue => capabilitySourcesInBody(issue.body).includes(pullNumber));
  const found = canonicalIssue(existing);
  if (found !== undefined) {
    await intents.finish(intent);
    return { result: 'skipped', message: `Capability-update issue #${String(found.number)} for PR #${String(pullNumber)} exists.` };
  }
  const pr = await port.getPullRequest(pullNumber);
  const comments = await port.listComments(pullNumber);
  await context.checkpoint('openCapabilityIssue:beforeCreate');
  const body = capabilityIssueBody(pr, comments, planningFile(context, 'state/system_capabilities.md'));
  const issue = await newAssignedIssue(context, capabilityIssueTitle(pr), body, labelsFor('capability'), local);
  await intents.step(intent, 'created', issue.number);
  await context.checkpoint('openCapabilityIssue:afterCreate');
  await intents.finish(intent);
  if (local === undefined) return { result: 'done', message: `Opened capability-update issue #${String(issue.number)} for PR #${String(pullNumber)} and assigned it to ${context.assignee.agentId}.` };
  const started = startIssueWork(context, issue, { kind: 'capabilityUpdate', issueNumber: issue.number, sourcePr: pullNumber }, local, body);
  return { result: 'done', message: `Opened capability-update issue #${String(issue.number)} for PR #${String(pullNumber)} ${served(local, local.id)}. ${started}` };
}

async function closeIssue(context: GuardedActionContext, issueNumber: number): Promise<ExecutionResult> {
  const issue = await context.port.getIssue(issueNumber);
  if (issue.state === 'closed') return { result: 'skipped', message: `Issue #${String(issueNumber)} is already closed.` };
  await context.port.updateIssue(issueNumber, { state: 'closed', stateReason: 'completed' });
  return { result: 'done', message: `Closed issue #${String(issueNumber)}.` };
}

/** The comment ATO leaves on a task's old issue when it requeues the task: the same text each time (a retry finds it). */
export function requeueComment(taskId: string): string {
  return `ATO requeued task ${taskId}: its run here failed or this issue was closed outside the loop. The task is back in pending/; its next run gets a new issue.\n\n${formatMarker({ kind: 'task', taskId })}`;
}

/**
 * Requeue (GitHub mode): the task's open issues are closed first, each with ATO's comment, then the file
 * moves processed/ → pending/ in one commit (or a proposed PR on a protected branch). In that order a crash
 * leaves either a closed issue and the task in processed/ (offered again, and the retry finishes it) or the
 * task in pending/ with no open issue (promoted afresh) — never a pending task with an open old issue, which
 * the classifier would take for a promotion cut short and reuse.
 */
async function requeueTask(context: GuardedActionContext, action: RequeueTaskAction): Promise<ExecutionResult> {
  const { port, intents, observed } = context;
  const to = action.path.replace('/issue_queue/processed/', '/issue_queue/pending/');
  if (to === action.path) return { result: 'failed', message: `Task ${action.taskId} is not in processed/ (${action.path}): only a task in processed/ is requeued.` };
  const intent = await intents.begin('requeueTask', `requeue:${action.taskId}`, { path: action.path });
  const notes: string[] = [];
  const body = requeueComment(action.taskId);
  for (const number of action.closeIssues) {
    const issue = await port.getIssue(number);
    if (issue.state !== 'open') continue;
    if (!(await port.listComments(number)).some(comment => comment.body === body)) await port.createComment(number, body);
    await context.checkpoint('requeueTask:afterComment');
    await port.updateIssue(number, { state: 'closed', stateReason: 'not_planned' });
    await intents.step(intent, `closed:${String(number)}`, number);
    notes.push(`closed its old issue #${String(number)}`);
  }
  await context.checkpoint('requeueTask:beforeMove');
  const closed = notes.length === 0 ? '' : `; ${notes.join(', ')}`;
  if (context.queueMoves === 'pullRequest') {
    const proposal = await proposeMove(context, action.path, to, undefined, `ATO: task ${action.taskId} requeued`);
    await intents.finish(intent);
    return { result: proposal.opened || notes.length > 0 ? 'done' : 'skipped', message: `Task ${action.taskId}${closed}: ${proposal.text}` };
  }
  const moved = await moveTaskRemote(port, { branch: context.branch, from: action.path, to, message: `ATO: task ${action.taskId} requeued`, expectedHeadSha: observed.planning.revision });
  await intents.step(intent, 'moved', moved.headSha);
  await intents.finish(intent);
  return moved.status === 'alreadyDone' && notes.length === 0
    ? { result: 'skipped', message: `Task ${action.taskId} was already in pending/.` }
    : { result: 'done', message: `Requeued task ${action.taskId}: moved it back to pending/${closed}. The next promotion opens a new issue for it.` };
}
