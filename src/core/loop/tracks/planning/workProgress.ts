import type { IssueSummary, PullRequestSummary } from '../../../forges/github/githubModel';
import { ciState, type CiReport } from '../../policy/ciState';
import type { MergePolicy, MergeVerdict } from '../../engine/loopModel';
import { mergeVerdict } from '../../policy/mergePolicy';
import type { MergeRefusal } from '../../policy/mergeRefusals';
import type { WorkLink } from './planningLinks';
import { copilotWorkFailed } from '../../policy/pullRequestSignals';

/** A pull request with its CI and its merge verdict under the policy. */
export interface CheckedPullRequest {
  readonly pr: PullRequestSummary;
  readonly ci: CiReport;
  readonly verdict: MergeVerdict;
}

/** Where one piece of work (an issue and its pull requests) stands. */
export type WorkProgress =
  /** A pull request of this run merged. */
  | { readonly kind: 'merged'; readonly pr: PullRequestSummary }
  /** An open pull request passes every rule of the merge policy. */
  | { readonly kind: 'ready'; readonly checked: CheckedPullRequest }
  /** An open pull request that is not ready yet. */
  | { readonly kind: 'waitingOnPr'; readonly checked: CheckedPullRequest }
  /** The agent reported failure on its open PR, or every PR of this run was closed unmerged. */
  | { readonly kind: 'failed'; readonly pr: PullRequestSummary; readonly why: string }
  /** The issue was closed without a merged pull request (by hand, outside the loop). */
  | { readonly kind: 'issueClosed'; readonly issue: IssueSummary }
  | { readonly kind: 'unassigned'; readonly issue: IssueSummary }
  /** Assigned, no pull request yet. */
  | { readonly kind: 'waitingOnAgent'; readonly issue: IssueSummary }
  | { readonly kind: 'noIssue' };

/** How the planning track checks an open PR: the merge policy, with what GitHub said about merging it. */
export type PullRequestCheck = (pr: PullRequestSummary) => CheckedPullRequest;

/**
 * The progress of a work item. Only pull requests opened since its canonical issue count (a PR of an
 * earlier run of the same task says nothing about this one). Among open PRs a ready one wins, else the
 * newest.
 */
export function workProgress(link: WorkLink, check: PullRequestCheck, isAssigned: (issue: IssueSummary) => boolean): WorkProgress {
  const { issue } = link;
  const current = currentPullRequests(link);
  const merged = current.find(pr => pr.state === 'merged');
  if (merged !== undefined) return { kind: 'merged', pr: merged };
  const open = current.filter(pr => pr.state === 'open');
  if (open.length > 0) {
    if (issue?.state === 'closed') return { kind: 'issueClosed', issue };
    const checked = open.map(check);
    const ready = checked.find(candidate => candidate.verdict.ready);
    if (ready !== undefined) return { kind: 'ready', checked: ready };
    const newest = checked[0];
    if (newest !== undefined && copilotWorkFailed(newest.pr)) return { kind: 'failed', pr: newest.pr, why: `the agent reported that its work failed on PR #${String(newest.pr.number)}` };
    if (newest !== undefined) return { kind: 'waitingOnPr', checked: newest };
  }
  if (issue?.state === 'closed') return { kind: 'issueClosed', issue };
  const closed = current.find(pr => pr.state === 'closed');
  if (closed !== undefined) return { kind: 'failed', pr: closed, why: `PR #${String(closed.number)} was closed without being merged` };
  if (issue === undefined) return { kind: 'noIssue' };
  return isAssigned(issue) ? { kind: 'waitingOnAgent', issue } : { kind: 'unassigned', issue };
}

/** The work item's pull requests of this run: opened since its canonical issue (all of them when it has none). */
export function currentPullRequests(link: WorkLink): readonly PullRequestSummary[] {
  const since = link.issue === undefined ? Number.NEGATIVE_INFINITY : Date.parse(link.issue.createdAt);
  return link.pullRequests.filter(pr => !(Date.parse(pr.createdAt) < since));
}

export function checkPullRequest(pr: PullRequestSummary, policy: MergePolicy, refusal?: MergeRefusal): CheckedPullRequest {
  const ci = ciState(pr.checks);
  return { pr, ci, verdict: mergeVerdict(pr, policy, ci, refusal) };
}

/** Whether an issue is assigned: to `login` when given (GitHub's spellings of one bot are the same login), else to anyone. */
export function assignedTo(login: string | undefined): (issue: IssueSummary) => boolean {
  if (login === undefined || login.trim() === '') return issue => issue.assignees.length > 0;
  const wanted = normalLogin(login);
  return issue => issue.assignees.some(assignee => normalLogin(assignee) === wanted);
}

/** `copilot-swe-agent[bot]`, `copilot-swe-agent` and `Copilot` are one agent; other logins compare case-insensitively. */
export function normalLogin(login: string): string {
  const lower = login.trim().toLowerCase().replace(/\[bot\]$/, '');
  return lower === 'copilot' ? 'copilot-swe-agent' : lower;
}
