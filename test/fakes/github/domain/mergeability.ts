import type { BranchProtection, FakePull, FakeRepoData } from '../model';
import type { RepoRuntime } from '../runtime';
import { contextPassed, requiredChecks, rollupContexts, rollupState } from './checks';
import { codeOwnersOf } from './codeOwners';
import { latestReviews, pullFiles } from './pulls';

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

/** Whether a login has write access: the owner and the collaborators (the token's user always is one). */
export function canPush(repo: FakeRepoData, login: string): boolean {
  return login.toLowerCase() === repo.owner.toLowerCase() || repo.collaborators.has(login.toLowerCase());
}

/** Branch protection asks for reviews: a number of approvals, or code owners' approval. */
export function reviewsRequired(rule: BranchProtection | undefined): boolean {
  return rule !== undefined && (rule.requiredApprovingReviewCount > 0 || rule.requireCodeOwnerReviews);
}

interface ReviewState {
  readonly decision: ReviewDecision | null;
  /** GitHub's 405 message when the reviews hold the merge. */
  readonly blocker: string | undefined;
}

/**
 * GitHub's `reviewDecision` and what it holds: null when the base branch requires no review; only reviews
 * by people with write access count (anyone may approve, but those approvals do not count); a latest
 * "changes requested" from one of them blocks; with code-owner reviews, each owned file needs its owner's
 * approval.
 */
async function reviewStateOf(repo: RepoRuntime, pull: FakePull): Promise<ReviewState> {
  const rule = repo.data.protection.get(pull.pull.baseRef);
  if (rule === undefined || !reviewsRequired(rule)) return { decision: null, blocker: undefined };
  const latest = latestReviews(repo.data, pull).filter(review => canPush(repo.data, review.author));
  if (latest.some(review => review.state === 'CHANGES_REQUESTED')) return { decision: 'CHANGES_REQUESTED', blocker: 'Changes must be made through a pull request.' };
  const approvers = new Set(latest.filter(review => review.state === 'APPROVED').map(review => review.author.toLowerCase()));
  if (approvers.size < rule.requiredApprovingReviewCount) {
    const count = rule.requiredApprovingReviewCount;
    return { decision: 'REVIEW_REQUIRED', blocker: `At least ${count} approving review${count === 1 ? ' is' : 's are'} required by reviewers with write access.` };
  }
  if (rule.requireCodeOwnerReviews) {
    const owners = await codeOwnersOf(repo, pull.pull.baseRef, (await pullFiles(repo, pull)).map(file => file.path));
    const waiting = [...new Set([...owners.values()].filter(names => !names.some(name => approvers.has(name.toLowerCase()))).flat())];
    if (waiting.length > 0) return { decision: 'REVIEW_REQUIRED', blocker: `Waiting on code owner review from ${waiting.map(name => `@${name}`).join(', ')}.` };
  }
  return { decision: 'APPROVED', blocker: undefined };
}

export async function reviewDecisionOf(repo: RepoRuntime, pull: FakePull): Promise<ReviewDecision | null> {
  return (await reviewStateOf(repo, pull)).decision;
}

/** What branch protection still asks for before a merge: GitHub's 405 message, or undefined. */
export async function protectionBlocker(repo: RepoRuntime, pull: FakePull): Promise<string | undefined> {
  for (const name of requiredChecks(repo.data, pull.pull.baseRef)) {
    const result = contextPassed(repo.data, pull.pull.headSha, name);
    if (result === 'expected') return `Required status check "${name}" is expected.`;
    if (result === 'failing') return `Required status check "${name}" is failing.`;
  }
  return (await reviewStateOf(repo, pull)).blocker;
}

export async function mergeStateStatusOf(repo: RepoRuntime, pull: FakePull): Promise<MergeStateStatus> {
  if (pull.state !== 'open') return 'UNKNOWN';
  const mergeable = await mergeableOf(repo, pull);
  if (mergeable === 'CONFLICTING') return 'DIRTY';
  if (mergeable === 'UNKNOWN') return 'UNKNOWN';
  if (repo.data.protection.get(pull.pull.baseRef)?.requireUpToDate === true) {
    const baseSha = await repo.branchSha(pull.pull.baseRef);
    if (baseSha !== undefined && !await repo.git.isAncestor(baseSha, pull.pull.headSha)) return 'BEHIND';
  }
  if (pull.pull.draft) return 'DRAFT';
  if (await protectionBlocker(repo, pull) !== undefined) return 'BLOCKED';
  const state = rollupState(rollupContexts(repo.data, pull.pull.headSha));
  if (state !== null && state !== 'SUCCESS') return 'UNSTABLE';
  return 'CLEAN';
}
