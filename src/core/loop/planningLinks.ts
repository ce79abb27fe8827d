import type { IssueSummary, PullRequestSummary, RepoSnapshot } from '../forges/github/githubModel';
import { atoLabels, hasLabel } from './atoLabels';
import { gapAnalysisIssueTitle } from './gapAnalysisTemplate';
import { readMarkers } from './markers';
import { withoutWipPrefix } from './wip';

/** How a work item's pull requests were found. Title matching is only the last fallback. */
export type PullRequestLinkKind = 'reference' | 'title' | 'none';

/** One piece of planning work on GitHub: its issues (by ATO's marker) and their pull requests. */
export interface WorkLink {
  /** The canonical issue: the oldest open one, else the most recently closed one. */
  readonly issue: IssueSummary | undefined;
  /** Every issue of this work item, canonical first. */
  readonly issues: readonly IssueSummary[];
  /** Other open issues of the same work item: reported, never acted on. */
  readonly duplicates: readonly IssueSummary[];
  /**
   * Pull requests of any of `issues` (closing references, timeline cross-references) or, for a task, on
   * ATO's branch `ato/<task id>`; by title only when nothing else links. Newest first.
   */
  readonly pullRequests: readonly PullRequestSummary[];
  readonly linkedBy: PullRequestLinkKind;
}

export interface GapLink extends WorkLink {
  /** How the canonical gap issue was recognised: its marker, else the label or the title (legacy issues). */
  readonly foundBy: 'marker' | 'label' | 'title' | 'none';
}

export interface PlanningLinks {
  readonly gap: GapLink;
  /** By task id: every task id of the queue, and every id a task marker names. */
  readonly tasks: ReadonlyMap<string, WorkLink>;
  /** By source PR number: capability-update issues. */
  readonly capabilities: ReadonlyMap<number, WorkLink>;
  /** Open and recently closed PRs, each once (the most recently updated copy). */
  readonly pullRequests: readonly PullRequestSummary[];
}

export interface TaskRef {
  readonly id: string;
  readonly title: string;
}

/**
 * Links tasks to issues by ATO's task marker, issues to PRs by GitHub's references (the PR's closing issues,
 * the issue's linked PRs) and by ATO's branch name, capability issues to their source PR by marker, and the
 * gap-analysis issue by marker (label or exact title for a legacy issue without one). Titles link a PR only
 * when nothing else does, and never a PR that references another ATO issue. Pure.
 */
export function linkPlanning(snapshot: RepoSnapshot, tasks: readonly TaskRef[]): PlanningLinks {
  const pullRequests = uniquePullRequests(snapshot);
  const taskIssues = new Map<string, IssueSummary[]>();
  const capabilityIssues = new Map<number, IssueSummary[]>();
  const gapIssues: { issue: IssueSummary; by: 'marker' | 'label' | 'title' }[] = [];
  for (const issue of snapshot.issues) {
    const markers = readMarkers(issue.body);
    for (const marker of markers) {
      if (marker.kind === 'task') push(taskIssues, marker.taskId, issue);
      else if (marker.kind === 'capabilityUpdate') push(capabilityIssues, marker.sourcePr, issue);
    }
    if (markers.some(marker => marker.kind === 'gapAnalysis')) gapIssues.push({ issue, by: 'marker' });
    else if (markers.length === 0 && hasLabel(issue.labels, atoLabels.gapAnalysis.name)) gapIssues.push({ issue, by: 'label' });
    else if (markers.length === 0 && sameTitle(issue.title, gapAnalysisIssueTitle)) gapIssues.push({ issue, by: 'title' });
  }

  // PRs that reference an ATO issue or sit on an ATO task branch belong to that work: no title fallback for them.
  const atoIssueNumbers = new Set([...taskIssues.values(), ...capabilityIssues.values(), gapIssues.map(gap => gap.issue)].flat().map(issue => issue.number));
  const claimed = new Set(pullRequests.filter(pr => referencesAny(pr, atoIssueNumbers, snapshot.issues) || taskBranchId(pr.headRefName) !== undefined).map(pr => pr.number));
  const unclaimed = pullRequests.filter(pr => !claimed.has(pr.number));

  const taskLinks = new Map<string, WorkLink>();
  const titles = new Map(tasks.map(task => [task.id, task.title]));
  for (const id of new Set([...tasks.map(task => task.id), ...taskIssues.keys()])) {
    const issues = taskIssues.get(id) ?? [];
    const branch = `ato/${id}`;
    const titleCandidates = [titles.get(id), issues[0]?.title].filter((title): title is string => title !== undefined);
    taskLinks.set(id, workLink(issues, pullRequests, unclaimed, titleCandidates, pr => pr.headRefName === branch));
  }
  const capabilityLinks = new Map<number, WorkLink>();
  for (const [sourcePr, issues] of capabilityIssues) capabilityLinks.set(sourcePr, workLink(issues, pullRequests, unclaimed, [], () => false));

  const gapLink = workLink(gapIssues.map(gap => gap.issue), pullRequests, unclaimed, [], () => false);
  const foundBy = gapIssues.find(gap => gap.issue === gapLink.issue)?.by ?? 'none';
  return { gap: { ...gapLink, foundBy }, tasks: taskLinks, capabilities: capabilityLinks, pullRequests };
}

/** The canonical issue among several with one marker: the oldest open one, else the most recently closed. */
export function canonicalIssue(issues: readonly IssueSummary[]): IssueSummary | undefined {
  const open = issues.filter(issue => issue.state === 'open').sort((a, b) => compareTimes(a.createdAt, b.createdAt) || a.number - b.number);
  if (open[0] !== undefined) return open[0];
  return [...issues].sort((a, b) => compareTimes(b.closedAt ?? b.updatedAt, a.closedAt ?? a.updatedAt) || b.number - a.number)[0];
}

/** Whether the PR references the issue: a closing reference on the PR, or a cross-reference on the issue. */
export function isLinked(pr: PullRequestSummary, issue: IssueSummary): boolean {
  return pr.closingIssues.includes(issue.number) || issue.linkedPullRequests.includes(pr.number);
}

/** The task id of an ATO task branch (`ato/<task id>`, the local agents' branches), if it is one. */
export function taskBranchId(headRefName: string): string | undefined {
  return /^ato\/(.+)$/.exec(headRefName)?.[1];
}

function workLink(
  issues: readonly IssueSummary[],
  pullRequests: readonly PullRequestSummary[],
  unclaimed: readonly PullRequestSummary[],
  titles: readonly string[],
  onBranch: (pr: PullRequestSummary) => boolean,
): WorkLink {
  const unique = [...new Map(issues.map(issue => [issue.number, issue])).values()];
  const issue = canonicalIssue(unique);
  const ordered = issue === undefined ? unique : [issue, ...unique.filter(other => other !== issue)];
  const duplicates = ordered.filter(other => other !== issue && other.state === 'open');
  const referenced = pullRequests.filter(pr => onBranch(pr) || unique.some(candidate => isLinked(pr, candidate)));
  if (referenced.length > 0) return { issue, issues: ordered, duplicates, pullRequests: newestFirst(referenced), linkedBy: 'reference' };
  const byTitle = titles.length === 0 ? [] : unclaimed.filter(pr => titles.some(title => sameTitle(pr.title, title)));
  return { issue, issues: ordered, duplicates, pullRequests: newestFirst(byTitle), linkedBy: byTitle.length > 0 ? 'title' : 'none' };
}

function referencesAny(pr: PullRequestSummary, numbers: ReadonlySet<number>, issues: readonly IssueSummary[]): boolean {
  return pr.closingIssues.some(number => numbers.has(number)) || issues.some(issue => numbers.has(issue.number) && issue.linkedPullRequests.includes(pr.number));
}

function uniquePullRequests(snapshot: RepoSnapshot): PullRequestSummary[] {
  const byNumber = new Map<number, PullRequestSummary>();
  for (const pr of [...snapshot.openPullRequests, ...snapshot.recentlyClosedPullRequests]) {
    const current = byNumber.get(pr.number);
    if (current === undefined || compareTimes(pr.updatedAt, current.updatedAt) > 0) byNumber.set(pr.number, pr);
  }
  return [...byNumber.values()];
}

function newestFirst(prs: readonly PullRequestSummary[]): PullRequestSummary[] {
  return [...prs].sort((a, b) => compareTimes(b.createdAt, a.createdAt) || b.number - a.number);
}

/** Titles compared without a WIP prefix, case and runs of blanks. */
function sameTitle(a: string, b: string): boolean {
  const normal = (title: string): string => withoutWipPrefix(title).replace(/\s+/g, ' ').trim().toLowerCase();
  const x = normal(a);
  return x !== '' && x === normal(b);
}

function push<K>(map: Map<K, IssueSummary[]>, key: K, issue: IssueSummary): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [issue]);
  else list.push(issue);
}

function compareTimes(a: string, b: string): number {
  const x = Date.parse(a);
  const y = Date.parse(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return a < b ? -1 : a > b ? 1 : 0;
  return x - y;
}
