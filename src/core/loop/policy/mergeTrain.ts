import type { PullRequestSummary } from '../../forges/github/githubModel';
import type { MergeRuleResult } from '../engine/loopModel';

/**
 * The merge train (`ato.merge.train`, issue 11): ATO merges one ready PR at a time (the planning track takes
 * one action per tick) and a PR whose branch is behind its base is not ready — what CI checked is not what
 * the merge would produce. The maintenance track updates it (`update-branch`) and the merge waits for CI on
 * the new head; a PR that conflicts waits for its agent to rebase (rule `notConflicted`).
 */

/**
 * Whether a PR's head lacks its base's latest commit: GitHub's merge state BEHIND (branch protection that
 * requires up-to-date branches) or `viewerCanUpdateBranch` (without that protection). A PR the token's user
 * cannot update (a fork that does not allow maintainer edits) is not seen as behind: nothing ATO could do.
 */
export function isBehindBase(pr: Pick<PullRequestSummary, 'mergeStateStatus' | 'canUpdateBranch'>): boolean {
  return pr.mergeStateStatus?.toUpperCase() === 'BEHIND' || pr.canUpdateBranch === true;
}

/**
 * Rule `upToDate`, only with the train on. No person is needed: updating the branch is the maintenance
 * track's work, and the new head's CI decides.
 */
export function upToDateRule(pr: Pick<PullRequestSummary, 'mergeStateStatus' | 'canUpdateBranch' | 'baseRefName'>): MergeRuleResult {
  return isBehindBase(pr)
    ? { rule: 'upToDate', ok: false, detail: `behind ${pr.baseRefName}: the merge train updates it first, then waits for CI on the new head` }
    : { rule: 'upToDate', ok: true, detail: `up to date with ${pr.baseRefName} (merge train)` };
}
