import type { IssueSummary } from '../../forges/github/githubModel';
import { atoLabels, labelsFor } from '../../loop/atoLabels';
import { planAdoption, type Adoption } from '../../loop/issueAdoption';
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

/**
 * An open issue made by hand (or by an earlier tool) with the task's title and no ATO marker for other
 * work, which the backend adopts (`adoptIssue`) instead of opening a second issue; the loop's rules
 * (`planAdoption`): its author has a say in the repository, or it carries an ATO label.
 */
export function adoptableTaskIssue(openIssues: readonly IssueSummary[], task: { readonly id: string; readonly title: string }): Adoption | undefined {
  return planAdoption(openIssues, [{ kind: 'task', taskId: task.id, title: task.title }]).adopt[0];
}

/** Picks the task's issue among listed ones by its marker; `adoptableTaskIssue` is the title's turn. */
export function chooseTaskIssue(issues: readonly IssueSummary[], taskId: string): TaskIssueChoice {
  const marked = issues.filter(issue => carriesTaskMarker(issue.body, taskId));
  const open = marked.filter(issue => issue.state === 'open').sort((a, b) => a.number - b.number);
  const closed = marked.filter(issue => issue.state === 'closed').sort((a, b) => b.number - a.number);
  const issue = open[0] ?? closed[0];
  return { issue, duplicates: marked.filter(other => other !== issue) };
}
