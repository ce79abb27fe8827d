import type { IssueSummary, PullRequestSummary } from '../../../forges/github/githubModel';
import type { Focus, WorkItem, WorkKind, WorkRef } from '../../engine/loopModel';

/**
 * How the loop names planning work in its reasons, needs-you items and views. Each name says an issue's or
 * a PR's number once: "Issue #2 (gap-analysis issue #2)" is what happens when two names are glued together.
 */

export const workKindNames: Readonly<Record<WorkKind, string>> = { gapAnalysis: 'gap analysis', task: 'task', capabilityUpdate: 'capability update' };

/** In a sentence: "the gap analysis", "task add-login", "the capability update for PR #7". */
export function workName(work: WorkItem): string {
  switch (work.kind) {
    case 'gapAnalysis':
      return 'the gap analysis';
    case 'task':
      return `task ${work.taskId ?? '(unknown id)'}`;
    case 'capabilityUpdate':
      return work.sourcePullRequest === undefined ? 'a capability update' : `the capability update for PR #${String(work.sourcePullRequest)}`;
  }
}

/** As a heading: "Gap analysis", "Task add-login", "Capability update for PR #7". */
export function workLabel(work: WorkItem): string {
  switch (work.kind) {
    case 'gapAnalysis':
      return 'Gap analysis';
    case 'task':
      return `Task ${work.taskId ?? '(unknown id)'}`;
    case 'capabilityUpdate':
      return work.sourcePullRequest === undefined ? 'Capability update' : `Capability update for PR #${String(work.sourcePullRequest)}`;
  }
}

/** The work's issue, its number said once: "gap-analysis issue #2", "issue #5 (task add-login)", "capability-update issue #9 (for PR #7)". */
export function issueName(work: WorkItem, issueNumber: number): string {
  const number = `#${String(issueNumber)}`;
  switch (work.kind) {
    case 'gapAnalysis':
      return `gap-analysis issue ${number}`;
    case 'task':
      return `issue ${number} (${workName(work)})`;
    case 'capabilityUpdate':
      return work.sourcePullRequest === undefined ? `capability-update issue ${number}` : `capability-update issue ${number} (for PR #${String(work.sourcePullRequest)})`;
  }
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function workRef(item: IssueSummary | PullRequestSummary): WorkRef {
  return { number: item.number, title: item.title, url: item.url };
}

/** A focus on the work, with its issue and pull request when given. */
export function workFocus(work: WorkItem, title: string, parts: { readonly issue?: IssueSummary | undefined; readonly pullRequest?: PullRequestSummary | undefined } = {}): Focus {
  return {
    kind: work.kind,
    title,
    ...(work.taskId === undefined ? {} : { taskId: work.taskId }),
    ...(work.sourcePullRequest === undefined ? {} : { sourcePullRequest: work.sourcePullRequest }),
    ...(parts.issue === undefined ? {} : { issue: workRef(parts.issue) }),
    ...(parts.pullRequest === undefined ? {} : { pullRequest: workRef(parts.pullRequest) }),
  };
}

/** "Task add-login · issue #5 · PR #7": what a focus is, for a one-line caption. */
export function focusLabel(focus: Focus): string {
  return [workLabel(focus), ...(focus.issue === undefined ? [] : [`issue #${String(focus.issue.number)}`]), ...(focus.pullRequest === undefined ? [] : [`PR #${String(focus.pullRequest.number)}`])].join(' · ');
}

/** Where a click on the focus goes: its pull request, else its issue. */
export function focusUrl(focus: Focus): string | undefined {
  return focus.pullRequest?.url ?? focus.issue?.url;
}
