import type { AgentAssignment, IssueSummary } from '../../../forges/github/githubModel';
import type { GitHubPort } from '../../../forges/github/githubPort';
import type { Task } from '../../../tasks/task';
import { atoLabels, hasLabel, labelsFor } from '../../texts/atoLabels';
import { adoptIssue, planAdoption, type Adoption, type AdoptionTarget } from './issueAdoption';
import { agentInBody, appendMarker, taskIdsInBody } from '../../texts/markers';
import { canonicalIssue } from './planningLinks';
import { taskIssueBody, taskIssueTitle } from '../../texts/taskIssueBody';

/**
 * "The task's issue" (stage 2a, and the Copilot backend serving a task file): found by its marker, else an
 * open issue made by hand with the task's title adopted, else created — with one title, one body and ATO's
 * labels and markers, whoever asks. The loop's promote action and the Copilot backend both come here.
 */

/** Who works on the issue: the Copilot coding agent (assigned on GitHub) or a local agent (recorded by marker, assigned to nobody). */
export interface TaskIssueAgent {
  readonly agentId: string;
  /** REST assignee logins; empty for a local agent. */
  readonly assignees: readonly string[];
  readonly agentAssignment?: AgentAssignment;
}

export type TaskIssuePort = Pick<GitHubPort, 'listIssuesByLabel' | 'listOpenIssues' | 'createIssue' | 'addLabels' | 'updateIssue'>;

export interface TaskIssueRequest {
  readonly task: Task;
  /** The task file, for the body (where the task comes from); undefined when the caller does not know it. */
  readonly path: string | undefined;
  readonly agent: TaskIssueAgent;
  /**
   * A closed issue with the marker is the task's (Copilot: reopened and assigned again), or it belongs to an
   * earlier run and a new issue is opened (the loop: a requeued task gets a new issue).
   */
  readonly reuseClosed: boolean;
  /** The issues an adoption must not be ambiguous with (the loop: every queued task's title); default the task alone. */
  readonly adoptionTargets?: readonly AdoptionTarget[];
}

/** Named points between the writes, for the caller's intent log and the crash tests. */
export interface TaskIssueSteps {
  readonly adopting?: (adoption: Adoption) => void | Promise<void>;
  readonly adopted?: (issue: IssueSummary) => void | Promise<void>;
  readonly beforeCreate?: () => void | Promise<void>;
  readonly created?: (issue: IssueSummary) => void | Promise<void>;
}

export type TaskIssueOutcome =
  | { readonly how: 'found'; readonly issue: IssueSummary; readonly duplicates: readonly IssueSummary[] }
  | { readonly how: 'adopted'; readonly issue: IssueSummary; readonly adoption: Adoption; readonly duplicates: readonly IssueSummary[] }
  | { readonly how: 'created'; readonly issue: IssueSummary; readonly duplicates: readonly IssueSummary[] };

export interface TaskIssueChoice {
  /** The canonical issue: the oldest open one with the marker, else (when closed ones count) the most recently closed one. */
  readonly issue: IssueSummary | undefined;
  /** Other issues with the same marker (left alone, reported). */
  readonly duplicates: readonly IssueSummary[];
}

/** Picks the task's issue among listed ones by its marker (and ATO's task label). */
export function chooseTaskIssue(issues: readonly IssueSummary[], taskId: string, reuseClosed = true): TaskIssueChoice {
  const marked = issues.filter(issue => hasLabel(issue.labels, atoLabels.task.name) && taskIdsInBody(issue.body).includes(taskId) && (reuseClosed || issue.state === 'open'));
  const issue = canonicalIssue(marked);
  return { issue, duplicates: marked.filter(other => other !== issue) };
}

/** The full body of a new task issue: the one body, with the agent that serves it. */
export function taskIssueText(task: Task, path: string | undefined, agentId: string): { readonly title: string; readonly body: string } {
  return { title: taskIssueTitle(task), body: appendMarker(taskIssueBody(task, path), { kind: 'agent', agentId }) };
}

/**
 * Finds, adopts or creates the task's issue. Each step looks before it writes (marker first, then title),
 * so running it again after a crash finds what the first run made. Assigning a found issue is the caller's
 * (the loop assigns; the Copilot backend reassigns to start a new session). Labels must exist (caller).
 */
export async function ensureTaskIssue(port: TaskIssuePort, request: TaskIssueRequest, steps: TaskIssueSteps = {}): Promise<TaskIssueOutcome> {
  const { task, agent } = request;
  let openIssues: readonly IssueSummary[] | undefined;
  const listOpen = async (): Promise<readonly IssueSummary[]> => (openIssues ??= await port.listOpenIssues());
  // Listed by label, never by the search API (it lags); the loop's one listing of open issues serves both.
  const listed = request.reuseClosed ? await port.listIssuesByLabel(atoLabels.task.name, 'all') : await listOpen();
  const { issue: found, duplicates } = chooseTaskIssue(listed, task.id, request.reuseClosed);
  if (found !== undefined) return { how: 'found', issue: found, duplicates };

  const targets = request.adoptionTargets ?? [{ kind: 'task', taskId: task.id, title: taskIssueTitle(task) }];
  const adoption = planAdoption(await listOpen(), targets).adopt.find(candidate => candidate.target.kind === 'task' && candidate.target.taskId === task.id);
  if (adoption !== undefined) {
    await steps.adopting?.(adoption);
    let issue = await adoptIssue(port, adoption);
    if (agentInBody(issue.body) === undefined) {
      const body = appendMarker(issue.body, { kind: 'agent', agentId: agent.agentId });
      await port.updateIssue(issue.number, { body });
      issue = { ...issue, body };
    }
    await steps.adopted?.(issue);
    return { how: 'adopted', issue, adoption, duplicates };
  }

  await steps.beforeCreate?.();
  const { title, body } = taskIssueText(task, request.path, agent.agentId);
  const issue = await port.createIssue({ title, body, labels: labelsFor('task'), assignees: agent.assignees, ...(agent.agentAssignment === undefined ? {} : { agentAssignment: agent.agentAssignment }) });
  await steps.created?.(issue);
  return { how: 'created', issue, duplicates };
}
