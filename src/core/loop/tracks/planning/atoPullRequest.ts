import type { PullRequestSummary } from '../../../forges/github/githubModel';
import type { Task } from '../../../tasks/task';
import { taskBranchPrefix } from '../../../tasks/taskIdRules';
import { formatMarker, taskIdsInBody } from '../../texts/markers';
import { taskBranchId } from './planningLinks';
import { codeSpan, fenced, singleLine } from '../../texts/thirdPartyText';

/** GitHub refuses PR titles over 256 characters. */
const maxTitleLength = 256;

/** The branch a local agent's run of a task works on and ATO pushes: `ato/<task id>`. */
export function taskBranch(taskId: string): string {
  return `${taskBranchPrefix}${taskId}`;
}

export interface AtoPullRequestText {
  readonly title: string;
  readonly body: string;
}

/**
 * The pull request ATO opens for a local agent's run of a GitHub task: the task's title, what the agent
 * said it did (the agent's text, fenced: it can carry no marker, close no other issue with a `Closes #n`
 * and notify nobody), `Closes #<issue>` so that GitHub links and closes the
 * task's issue, and ATO's task marker so the loop knows the PR for its own (with the author, see
 * `pullRequestTrust`).
 */
export function atoPullRequestText(task: Pick<Task, 'id' | 'title'>, issueNumber: number, agentId: string, summary: string): AtoPullRequestText {
  const said = summary.trim();
  const body = [
    `Closes #${String(issueNumber)}`,
    '',
    `ATO ran task ${codeSpan(task.id)} with the local agent ${codeSpan(agentId)} and pushed its work to ${codeSpan(taskBranch(task.id))}.`,
    ...(said === '' ? [] : ['', '### What the agent reported', '', fenced(said)]),
    '',
    formatMarker({ kind: 'task', taskId: task.id }),
  ].join('\n');
  return { title: singleLine(task.title, maxTitleLength), body: `${body}\n` };
}

/**
 * Whether a PR has the shape of one ATO opened for a local agent: on `ato/<id>` and carrying the marker of
 * that same task. Shape only — who opened it is `pullRequestTrust`'s question.
 */
export function isAtoOwnPullRequest(pr: Pick<PullRequestSummary, 'headRefName' | 'body'>): boolean {
  const id = taskBranchId(pr.headRefName);
  return id !== undefined && taskIdsInBody(pr.body).includes(id);
}
