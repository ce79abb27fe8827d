import type { FakePull, FakeRepoData } from '../model';
import type { RepoRuntime } from '../runtime';
import { contextPassed, requiredChecks, rollupContexts, rollupState } from './checks';
import { latestReviews } from './pulls';

export type Mergeable = 'MERGEABLE' | 'CONFLICTING' | 'UNKNOWN';
export type MergeStateStatus = 'BEHIND' | 'BLOCKED' | 'CLEAN' | 'DIRTY' | 'DRAFT' | 'HAS_HOOKS' | 'UNKNOWN' | 'UNSTABLE';
export type ReviewDecision = 'APPROVED' | 'CHANGES_REQUESTED' | 'REVIEW_REQUIRED';

/** Whether head merges into base without conflicts (`git merge-tree`), unless the simulator said otherwise. */
export async function mergeableOf(repo: RepoRuntime, pull: FakePull): Promise<Mergeable> {
  if (pull.pull.mergeableOverride !== undefined) return pull.pull.mergeableOverride;
  if (pull.state !== 'open') return 'UNKNOWN';
  const baseSha = await repo.branchSha(pull.pull.baseRef);
  if (baseSha === undefined) return 'UNKNOWN';
  return (await repo.git.mergeTree(baseSha, pull.pull.headSha)).clean ? 'MERGEABLE' : 'CONFLICTING';
}

/** null when the base branch requires no approving review, as GitHub's `reviewDecision`. */
export function reviewDecisionOf(repo: FakeRepoData, pull: FakePull): ReviewDecision | null {
  const required = repo.protection.get(pull.pull.baseRef)?.requiredApprovingReviewCount ?? 0;
  if (required === 0) return null;
  const latest = latestReviews(repo, pull);
  if (latest.some(review => review.state === 'CHANGES_REQUESTED')) return 'CHANGES_REQUESTED';
  return latest.filter(review => review.state === 'APPROVED').length >= required ? 'APPROVED' : 'REVIEW_REQUIRED';
}

/** What branch protection still asks for before a merge: GitHub's 405 message, or undefined. */
export function protectionBlocker(repo: FakeRepoData, pull: FakePull): string | undefined {
  for (const name of requiredChecks(repo, pull.pull.baseRef)) {
    const result = contextPassed(repo, pull.pull.headSha, name);
    if (result === 'expected') return `Required status check "${name}" is expected.`;
    if (result === 'failing') return `Required status check "${name}" is failing.`;
  }
  const decision = reviewDecisionOf(repo, pull);
  if (decision === 'CHANGES_REQUESTED') return 'Changes must be made through a pull request.';
  if (decision === 'REVIEW_REQUIRED') {
    const count = repo.protection.get(pull.pull.baseRef)?.requiredApprovingReviewCount ?? 1;
    return `At least ${count} approving review${count === 1 ? ' is' : 's are'} required by reviewers with write access.`;
  }
  return undefined;
}

export async function mergeStateStatusOf(repo: RepoRuntime, pull: FakePull): Promise<MergeStateStatus> {
  if (pull.state !== 'open') return 'UNKNOWN';
  const mergeable = await mergeableOf(repo, pull);
  if (mergeable === 'CONFLICTING') return 'DIRTY';
  if (mergeable === 'UNKNOWN') return 'UNKNOWN';
  if (pull.pull.draft) return 'DRAFT';
  if (protectionBlocker(repo.data, pull) !== undefined) return 'BLOCKED';
  const state = rollupState(rollupContexts(repo.data, pull.pull.headSha));
  if (state !== null && state !== 'SUCCESS') return 'UNSTABLE';
  return 'CLEAN';
}
