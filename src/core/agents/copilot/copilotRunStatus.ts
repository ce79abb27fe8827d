import type { IssueSummary, PullRequestSummary, TimelineSignal } from '../../forges/github/githubModel';
import type { AgentRunStatus } from '../agentBackend';
import { isCopilotActor, isCopilotLogin } from './copilotIdentity';

/** How long after the assignment Copilot may take to open its PR before the run needs a human. */
export const defaultCopilotStartTimeoutMs = 15 * 60_000;

/** Everything one poll of a Copilot run has read. */
export interface CopilotObservation {
  readonly issue: IssueSummary;
  /** Pull requests read while looking for Copilot's (any author, any age); the derivation picks the one that counts. */
  readonly pullRequests: readonly PullRequestSummary[];
  /** REST timeline signals per PR number, merged with each PR's own `timeline` (either may be empty). */
  readonly signals: ReadonlyMap<number, readonly TimelineSignal[]>;
  /** When Copilot was assigned, by GitHub's clock (ISO 8601). PRs created earlier belong to an earlier run. */
  readonly assignedAt: string;
  /** Only PRs numbered above this count (the newest PR of an earlier run of the task). */
  readonly afterPull?: number;
  readonly now: Date;
  readonly startTimeoutMs: number;
  /** ATO cancelled the run: unless Copilot already ended it, the run ends as cancelled. */
  readonly cancelled: boolean;
}

export interface CopilotRunView {
  readonly status: AgentRunStatus;
  /** Copilot's PR for this run, once it opened one. */
  readonly pullRequest: PullRequestSummary | undefined;
}

/**
 * Copilot's PR for the run: authored by Copilot (login and bot type), linked to the issue (a timeline
 * cross-reference, or a closing reference on the PR), created at or after the assignment and numbered above
 * `afterPull` — a PR from an earlier run of the same task, or anyone else's PR mentioning the issue, does not
 * count. The newest wins.
 */
export function pickCopilotPullRequest(issue: IssueSummary, candidates: readonly PullRequestSummary[], assignedAt: string, afterPull = 0): PullRequestSummary | undefined {
  const since = Date.parse(assignedAt);
  return candidates
    .filter(pr => isCopilotActor(pr.author))
    .filter(pr => issue.linkedPullRequests.includes(pr.number) || pr.closingIssues.includes(issue.number))
    .filter(pr => pr.number > afterPull && !(Date.parse(pr.createdAt) < since))
    .reduce<PullRequestSummary | undefined>((newest, pr) => (newest === undefined || isNewer(pr, newest) ? pr : newest), undefined);
}

/**
 * A Copilot run's status, pure. With a PR: merged → succeeded; otherwise Copilot's latest session signal
 * decides (a follow-up session can start after a finish, so order matters): work finished or a review
 * request by Copilot → succeeded, work failed → failed; then cancelled by ATO → cancelled; a PR closed
 * unmerged → failed; workflow runs waiting for approval → needs you; else running. Without a PR: issue
 * closed → failed; cancelled by ATO or Copilot unassigned → cancelled; no PR after the start timeout →
 * needs you; else running.
 */
export function deriveCopilotRunStatus(observation: CopilotObservation): CopilotRunView {
  const { issue } = observation;
  const pr = pickCopilotPullRequest(issue, observation.pullRequests, observation.assignedAt, observation.afterPull);
  if (pr === undefined) return { status: withoutPullRequest(observation), pullRequest: undefined };
  return { status: withPullRequest(pr, mergedSignals(pr, observation.signals.get(pr.number) ?? []), observation.cancelled), pullRequest: pr };
}

function withoutPullRequest({ issue, assignedAt, now, startTimeoutMs, cancelled }: CopilotObservation): AgentRunStatus {
  if (issue.state === 'closed') {
    return { state: 'failed', failure: 'fatal', message: `issue closed outside the loop: #${issue.number} was closed before Copilot opened a pull request`, usage: {} };
  }
  if (cancelled) return { state: 'failed', failure: 'cancelled', message: `cancelled before Copilot opened a pull request for issue #${issue.number}`, usage: {} };
  if (!issue.assignees.some(isCopilotLogin)) {
    return { state: 'failed', failure: 'cancelled', message: `Copilot is no longer assigned to issue #${issue.number} (unassigned, or GitHub did not keep the assignment)`, usage: {} };
  }
  const waitedMs = now.getTime() - Date.parse(assignedAt);
  if (waitedMs > startTimeoutMs) {
    return { state: 'needsYou', reason: `Copilot did not start: no pull request for issue #${issue.number} ${Math.floor(waitedMs / 60_000)} min after it was assigned` };
  }
  return { state: 'running' };
}

type SessionEnd = 'started' | 'finished' | 'failed';

function withPullRequest(pr: PullRequestSummary, signals: readonly TimelineSignal[], cancelled: boolean): AgentRunStatus {
  const link = `PR #${pr.number} "${pr.title}": ${pr.url}`;
  if (pr.state === 'merged') return { state: 'succeeded', summary: `Copilot's ${link} was merged`, usage: {} };
  const last = lastSession(signals);
  if (last === 'finished') return { state: 'succeeded', summary: `Copilot finished ${link}`, usage: {} };
  if (last === 'failed') return { state: 'failed', failure: 'fatal', message: `Copilot reported that its work failed on ${link}`, usage: {} };
  if (cancelled) return { state: 'failed', failure: 'cancelled', message: `cancelled while Copilot worked on ${link}`, usage: {} };
  if (pr.state === 'closed') return { state: 'failed', failure: 'fatal', message: `${link} was closed without being merged before Copilot finished`, usage: {} };
  if (pr.checks.awaitingApproval > 0) return { state: 'needsYou', reason: `Copilot's workflow runs wait for your approval on PR #${pr.number}` };
  return { state: 'running' };
}

/** The latest of Copilot's session signals; a review request counts only when Copilot asked for it. */
function lastSession(signals: readonly TimelineSignal[]): SessionEnd | undefined {
  let last: SessionEnd | undefined;
  // Signals come oldest first, so the last one seen is the latest.
  for (const signal of signals) last = sessionEnd(signal) ?? last;
  return last;
}

function sessionEnd(signal: TimelineSignal): SessionEnd | undefined {
  switch (signal.kind) {
    case 'copilotWorkStarted': return 'started';
    case 'copilotWorkFinished': return 'finished';
    case 'copilotWorkFailed': return 'failed';
    case 'reviewRequested': return isCopilotLogin(signal.actor) ? 'finished' : undefined;
    case 'readyForReview': return undefined;
  }
}

/** The PR's own timeline and the REST timeline, oldest first, without the events both report or an unreadable time. */
function mergedSignals(pr: PullRequestSummary, extra: readonly TimelineSignal[]): readonly TimelineSignal[] {
  const seen = new Set<string>();
  const merged: TimelineSignal[] = [];
  for (const signal of [...pr.timeline, ...extra]) {
    const at = Date.parse(signal.at);
    const key = `${signal.kind}|${signal.actor.toLowerCase()}|${signal.subject ?? ''}|${at}`;
    if (Number.isNaN(at) || seen.has(key)) continue;
    seen.add(key);
    merged.push(signal);
  }
  // Stable: events of one second keep the order GitHub listed them in.
  return merged.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

function isNewer(a: PullRequestSummary, b: PullRequestSummary): boolean {
  const difference = Date.parse(a.createdAt) - Date.parse(b.createdAt);
  return difference > 0 || (difference === 0 && a.number > b.number);
}
