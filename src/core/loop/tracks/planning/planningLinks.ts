import type { IssueSummary, PullRequestSummary, RepoSnapshot } from '../../../forges/github/githubModel';
import { atoLabels, hasLabel } from '../../texts/atoLabels';
import { gapAnalysisIssueTitle } from '../../texts/gapAnalysisTemplate';
import { readMarkers } from '../../texts/markers';
import { withoutWipPrefix } from '../../policy/wip';

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
  const index = indexPullRequests(pullRequests, [...taskIssues.values(), ...capabilityIssues.values(), gapIssues.map(gap => gap.issue)].flat());

  const taskLinks = new Map<string, WorkLink>();
  const titles = new Map(tasks.map(task => [task.id, task.title]));
  for (const id of new Set([...tasks.map(task => task.id), ...taskIssues.keys()])) {
    const issues = taskIssues.get(id) ?? [];
    // Titles link an issue to a PR, so only a task that has an issue gets the fallback.
    const titleCandidates = issues.length === 0 ? [] : [titles.get(id), ...issues.map(issue => issue.title)].filter((title): title is string => title !== undefined);
    taskLinks.set(id, workLink(issues, index, titleCandidates, `ato/${id}`));
  }
  const capabilityLinks = new Map<number, WorkLink>();
  for (const [sourcePr, issues] of capabilityIssues) capabilityLinks.set(sourcePr, workLink(issues, index, [], undefined));

  const gapLink = workLink(gapIssues.map(gap => gap.issue), index, [], undefined);
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

/**
 * Whether a PR claims to be part of ATO's work: on an ATO task branch, closing one of ATO's issues, or
 * referenced from one. These are the PRs whose author's trust matters.
 */
export function claimsAtoWork(pr: PullRequestSummary, snapshot: Pick<RepoSnapshot, 'issues'>): boolean {
  if (taskBranchId(pr.headRefName) !== undefined) return true;
  return snapshot.issues.some(issue => pr.closingIssues.includes(issue.number) || issue.linkedPullRequests.includes(pr.number));
}

/** The task id of an ATO task branch (`ato/<task id>`, the local agents' branches), if it is one. */
export function taskBranchId(headRefName: string): string | undefined {
  return /^ato\/(.+)$/.exec(headRefName)?.[1];
}

/** Lookups that keep linking linear in the number of issues and PRs, whatever the size of the queue. */
interface PullRequestIndex {
  readonly byNumber: ReadonlyMap<number, PullRequestSummary>;
  readonly byClosingIssue: ReadonlyMap<number, readonly PullRequestSummary[]>;
  readonly byBranch: ReadonlyMap<string, readonly PullRequestSummary[]>;
  /** PRs that reference no ATO issue and sit on no ATO task branch, by normalised title: the title fallback's only candidates. */
  readonly unclaimedByTitle: ReadonlyMap<string, readonly PullRequestSummary[]>;
}

function indexPullRequests(pullRequests: readonly PullRequestSummary[], atoIssues: readonly IssueSummary[]): PullRequestIndex {
  const byNumber = new Map(pullRequests.map(pr => [pr.number, pr]));
  const byClosingIssue = new Map<number, PullRequestSummary[]>();
  const byBranch = new Map<string, PullRequestSummary[]>();
  for (const pr of pullRequests) {
    for (const number of new Set(pr.closingIssues)) push(byClosingIssue, number, pr);
    push(byBranch, pr.headRefName, pr);
  }
  const atoIssueNumbers = new Set(atoIssues.map(issue => issue.number));
  const claimed = new Set<number>(atoIssues.flatMap(issue => issue.linkedPullRequests));
  for (const pr of pullRequests) {
    if (taskBranchId(pr.headRefName) !== undefined || pr.closingIssues.some(number => atoIssueNumbers.has(number))) claimed.add(pr.number);
  }
  const unclaimedByTitle = new Map<string, PullRequestSummary[]>();
  for (const pr of pullRequests) {
    const title = normalTitle(pr.title);
    if (!claimed.has(pr.number) && title !== '') push(unclaimedByTitle, title, pr);
  }
  return { byNumber, byClosingIssue, byBranch, unclaimedByTitle };
}

function workLink(issues: readonly IssueSummary[], index: PullRequestIndex, titles: readonly string[], branch: string | undefined): WorkLink {
  const unique = [...new Map(issues.map(issue => [issue.number, issue])).values()];
  const issue = canonicalIssue(unique);
  const ordered = issue === undefined ? unique : [issue, ...unique.filter(other => other !== issue)];
  const duplicates = ordered.filter(other => other !== issue && other.state === 'open');
  const referenced = new Map<number, PullRequestSummary>();
  const add = (pr: PullRequestSummary | undefined): void => {
    if (pr !== undefined) referenced.set(pr.number, pr);
  };
  for (const candidate of unique) {
    for (const pr of index.byClosingIssue.get(candidate.number) ?? []) add(pr);
    for (const number of candidate.linkedPullRequests) add(index.byNumber.get(number));
  }
  if (branch !== undefined) for (const pr of index.byBranch.get(branch) ?? []) add(pr);
  if (referenced.size > 0) return { issue, issues: ordered, duplicates, pullRequests: newestFirst([...referenced.values()]), linkedBy: 'reference' };
  for (const title of new Set(titles.map(normalTitle))) for (const pr of index.unclaimedByTitle.get(title) ?? []) add(pr);
  return { issue, issues: ordered, duplicates, pullRequests: newestFirst([...referenced.values()]), linkedBy: referenced.size > 0 ? 'title' : 'none' };
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
export function normalTitle(title: string): string {
  return withoutWipPrefix(title).replace(/\s+/g, ' ').trim().toLowerCase();
}

function sameTitle(a: string, b: string): boolean {
  const x = normalTitle(a);
  return x !== '' && x === normalTitle(b);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function compareTimes(a: string, b: string): number {
  const x = Date.parse(a);
  const y = Date.parse(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return a < b ? -1 : a > b ? 1 : 0;
  return x - y;
}
