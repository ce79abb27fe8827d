import type { PullRequestSummary } from '../../forges/github/githubModel';

/** GitHub refused a merge the policy allowed: it holds until something GitHub reports about the PR changes. */
export interface MergeRefusal {
  readonly pullNumber: number;
  /** GitHub's message, e.g. "At least 1 approving review is required by reviewers with write access." */
  readonly message: string;
  /** The PR's state right after the refusal (`mergeStateKey`). */
  readonly stateKey: string;
  readonly at: string;
}

/**
 * What could make GitHub answer a merge differently: the head, GitHub's merge and review state, the checks,
 * and each reviewer's latest review. Read the same from the snapshot and from the single-PR query.
 */
export function mergeStateKey(pr: PullRequestSummary): string {
  const reviews = pr.reviews.map(review => `${review.author}:${review.state}`).sort();
  const checks = pr.checks.contexts.map(context => `${context.name}:${context.status}:${context.conclusion ?? ''}`).sort();
  return JSON.stringify([pr.headSha, pr.baseRefName, pr.mergeable, pr.mergeStateStatus, pr.reviewDecision, pr.checks.rollupState, reviews, checks]);
}

/** The refusal that still holds for this PR: recorded for it, and nothing changed since. */
export function currentRefusal(pr: PullRequestSummary, refusals: ReadonlyMap<number, MergeRefusal> | undefined): MergeRefusal | undefined {
  const refusal = refusals?.get(pr.number);
  return refusal?.stateKey === mergeStateKey(pr) ? refusal : undefined;
}
