import type { IssueSummary } from '../../forges/github/githubModel';
import { atoLabels, labelsFor } from '../../loop/atoLabels';
import { formatMarker, taskIdsInBody } from '../../loop/markers';

/** Labels of a task issue: `ato` on everything ATO creates, `ato:task` to list task issues without the search API (it lags). */
export const taskIssueLabel = atoLabels.task.name;
export const taskIssueLabels: readonly string[] = labelsFor('task');

/** The hidden marker that ties an issue to its task (the loop's syntax): `<!-- ato:task=<id> -->`. */
export function taskMarker(taskId: string): string {
  return formatMarker({ kind: 'task', taskId });
}

/** Whether `body` carries the task's marker on a line of its own outside code (so `ato:task=a` never matches `ato:task=a-b`, nor a quoted marker). */
export function carriesTaskMarker(body: string, taskId: string): boolean {
  return taskIdsInBody(body).includes(taskId);
}

/** The issue Copilot reads: ATO's composed prompt, then the marker. */
export function taskIssueBody(prompt: string, taskId: string): string {
  return `${prompt.trimEnd()}\n\n${taskMarker(taskId)}\n`;
}

export interface TaskIssueChoice {
  /** The canonical issue: the oldest open one with the marker, else the most recently closed one. */
  readonly issue: IssueSummary | undefined;
  /** Other issues with the same marker (left alone, reported). */
  readonly duplicates: readonly IssueSummary[];
}

/** Picks the task's issue among listed ones; never by title. */
export function chooseTaskIssue(issues: readonly IssueSummary[], taskId: string): TaskIssueChoice {
  const marked = issues.filter(issue => carriesTaskMarker(issue.body, taskId));
  const open = marked.filter(issue => issue.state === 'open').sort((a, b) => a.number - b.number);
  const closed = marked.filter(issue => issue.state === 'closed').sort((a, b) => b.number - a.number);
  const issue = open[0] ?? closed[0];
  return { issue, duplicates: marked.filter(other => other !== issue) };
}
