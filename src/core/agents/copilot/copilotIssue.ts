import type { IssueSummary } from '../../forges/github/githubModel';
import { isTaskId } from '../../tasks/taskFileName';

/** Labels of a task issue: `ato` on everything ATO creates, `ato:task` to list task issues without the search API (it lags). */
export const taskIssueLabel = 'ato:task';
export const taskIssueLabels: readonly string[] = ['ato', taskIssueLabel];

/** The hidden marker that ties an issue to its task: `<!-- ato:task=<id> -->`, on a line of its own. */
export function taskMarker(taskId: string): string {
  if (!isTaskId(taskId)) throw new Error(`"${taskId}" is not a task id`);
  return `<!-- ato:task=${taskId} -->`;
}

/** Whether `body` carries the task's marker as a line of its own (so `ato:task=a` never matches `ato:task=a-b`, nor a quoted marker). */
export function carriesTaskMarker(body: string, taskId: string): boolean {
  const marker = taskMarker(taskId);
  return body.split(/\r?\n/).some(line => line.trim() === marker);
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
