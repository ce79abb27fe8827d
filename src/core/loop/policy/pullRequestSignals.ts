import type { PullRequestSummary, TimelineSignal } from '../../forges/github/githubModel';

export type CopilotSession = 'working' | 'finished' | 'failed';

/**
 * Where the PR's agent session stands by its latest session signal (a follow-up session can start after a
 * finish, so only the latest counts): undefined when the timeline has none (not an agent PR, or not yet).
 */
export function copilotSession(pr: Pick<PullRequestSummary, 'timeline'>): { readonly state: CopilotSession; readonly at: string } | undefined {
  const latest = latestOf(pr.timeline.filter(signal => signal.kind === 'copilotWorkStarted' || signal.kind === 'copilotWorkFinished' || signal.kind === 'copilotWorkFailed'));
  if (latest === undefined) return undefined;
  const state: CopilotSession = latest.kind === 'copilotWorkStarted' ? 'working' : latest.kind === 'copilotWorkFinished' ? 'finished' : 'failed';
  return { state, at: latest.at };
}

/** Whether the PR's agent reported that its work failed, and has not started again since. */
export function copilotWorkFailed(pr: Pick<PullRequestSummary, 'timeline'>): boolean {
  return copilotSession(pr)?.state === 'failed';
}

export interface ReviewSignal {
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * The "review signal" of PRODUCT §4: a pending review request, a review request or Copilot's "work
 * finished" in the timeline (a request already answered or withdrawn shows only there), or an approval. An
 * agent session started after the last of those means the agent is working again, so no signal counts.
 */
export function reviewSignal(pr: PullRequestSummary): ReviewSignal {
  const session = copilotSession(pr);
  const timelineSignals = pr.timeline.filter(signal => signal.kind === 'reviewRequested' || signal.kind === 'copilotWorkFinished');
  const lastSignal = latestOf(timelineSignals);
  if (session?.state === 'working' && (lastSignal === undefined || timeOf(lastSignal.at) <= timeOf(session.at))) {
    return { ok: false, detail: `the agent is working on it (session started ${session.at})` };
  }
  const approvals = reviewersWhose(pr, 'APPROVED');
  if (approvals.length > 0) return { ok: true, detail: `approved by ${approvals.join(', ')}` };
  if (pr.reviewDecision === 'approved') return { ok: true, detail: 'approved' };
  if (pr.reviewRequests.length > 0) return { ok: true, detail: `review requested from ${pr.reviewRequests.join(', ')}` };
  if (lastSignal !== undefined) {
    const what = lastSignal.kind === 'copilotWorkFinished' ? `${lastSignal.actor} finished work` : `review requested${lastSignal.subject === null ? '' : ` from ${lastSignal.subject}`} by ${lastSignal.actor}`;
    return { ok: true, detail: `${what} at ${lastSignal.at} (timeline)` };
  }
  return { ok: false, detail: 'no review request or approval yet' };
}

/**
 * Reviewers with write access whose latest review is in `state` (APPROVED, CHANGES_REQUESTED). Reviews by
 * anyone else count for nothing, as on GitHub: anyone can approve a public repository's pull request.
 */
export function reviewersWhose(pr: Pick<PullRequestSummary, 'reviews'>, state: 'APPROVED' | 'CHANGES_REQUESTED'): string[] {
  return pr.reviews.filter(review => review.authorCanPush && review.state === state).map(review => review.author);
}

function latestOf(signals: readonly TimelineSignal[]): TimelineSignal | undefined {
  // Ties keep the later one in timeline order (the timeline is oldest first).
  return signals.reduce<TimelineSignal | undefined>((latest, signal) => (latest === undefined || timeOf(signal.at) >= timeOf(latest.at) ? signal : latest), undefined);
}

function timeOf(at: string): number {
  const time = Date.parse(at);
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}
