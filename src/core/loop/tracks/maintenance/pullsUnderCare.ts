import { isBehindBase } from '../../policy/mergeTrain';
import type { IssueSummary, PullRequestSummary } from '../../../forges/github/githubModel';
import { ciState } from '../../policy/ciState';
import { authorTrust, type TrustFacts } from '../../policy/pullRequestTrust';
import { agentInBody } from '../../texts/markers';
import { isAtoOwnPullRequest } from '../planning/atoPullRequest';
import { normalLogin } from '../planning/workProgress';
import type { PullAuthor, PullUnderCare } from './maintenanceDecision';
import type { ReadRecord } from './maintenanceRecords';

/** `ato.maintenance.scope`: ATO's agents' PRs and those the loop follows, or also every writer's. */
export type MaintenanceScope = 'atoPullRequests' | 'writers';

/** An open PR the maintenance track may act on, with who wrote it and which agent a follow-up goes to. */
export interface PullInScope {
  readonly pr: PullRequestSummary;
  readonly author: PullAuthor;
  /** `copilot`, `jules`, the local agent's id (from its task issue's marker); undefined for a person's PR or an unknown local agent. */
  readonly agentId: string | undefined;
}

/**
 * The PRs ATO may maintain (PRODUCT §4 "Whom ATO trusts"): trusted ones only, and of those the PRs the planning
 * loop follows and the PRs ATO's agents opened; `writers` adds every PR by someone with write access.
 * `followed` maps a followed PR to its work's issue, whose agent marker names a local agent.
 */
export function pullsInScope(prs: readonly PullRequestSummary[], issues: readonly IssueSummary[], trust: TrustFacts, scope: MaintenanceScope, followed: ReadonlyMap<number, number | undefined>): PullInScope[] {
  const inScope: PullInScope[] = [];
  for (const pr of prs) {
    if (pr.state !== 'open') continue;
    const trusted = authorTrust(pr, trust);
    if (!trusted.trusted) continue;
    const { author, agentId } = authorOf(pr, trust, issues, followed.get(pr.number));
    if (author === 'person' && !followed.has(pr.number) && !(scope === 'writers' && trusted.as === 'writer')) continue;
    inScope.push({ pr, author, agentId });
  }
  return inScope.sort((a, b) => a.pr.number - b.pr.number);
}

function authorOf(pr: PullRequestSummary, trust: TrustFacts, issues: readonly IssueSummary[], issueNumber: number | undefined): { readonly author: PullAuthor; readonly agentId: string | undefined } {
  const login = normalLogin(pr.author.login);
  if (login === 'copilot-swe-agent' && pr.author.isBot) return { author: 'copilot', agentId: 'copilot' };
  // A PR a remote session ATO started reported (number and head branch): Jules's.
  if (!pr.isCrossRepository && trust.agentPullRequests?.get(pr.number) === pr.headRefName) return { author: 'jules', agentId: 'jules' };
  const viewer = trust.viewerLogin !== undefined && login === normalLogin(trust.viewerLogin);
  if (viewer && isAtoOwnPullRequest(pr)) {
    const issue = issues.find(candidate => candidate.number === issueNumber) ?? issues.find(candidate => pr.closingIssues.includes(candidate.number));
    return { author: 'local', agentId: issue === undefined ? undefined : agentInBody(issue.body) };
  }
  return { author: 'person', agentId: undefined };
}

/**
 * GitHub's merge state as the track reads it; an update-branch GitHub refused for conflicts at this head counts
 * as conflicting. GitHub says BEHIND only under strict branch protection; with the merge train on
 * (`ato.merge.train`) a branch GitHub could update is behind too (policy/mergeTrain.ts), or the train would
 * wait for an update nobody makes. Without the train such a PR is left alone: updating it re-runs CI for nothing.
 */
function mergeStateOf(pr: PullRequestSummary, records: readonly ReadRecord[], train: boolean): PullUnderCare['mergeState'] {
  const status = pr.mergeStateStatus?.toUpperCase();
  if (pr.mergeable === 'conflicting' || status === 'DIRTY') return 'conflicting';
  if (records.some(record => record.kind === 'updateBranch' && record.outcome === 'conflict' && record.headSha === pr.headSha)) return 'conflicting';
  if (status === 'BEHIND' || (train && isBehindBase(pr))) return 'behind';
  if (pr.mergeable === 'mergeable') return 'clean';
  return 'unknown';
}

/** Whether someone with write access requested changes in their latest review (GitHub's `latestReviews`). */
export function changesRequestedBy(pr: PullRequestSummary): readonly string[] {
  return pr.reviews.filter(review => review.state.toUpperCase() === 'CHANGES_REQUESTED' && review.authorCanPush).map(review => review.author);
}

/**
 * Copilot's PRs stay drafts after its work ends (ATO marks them ready before merging): a finished agent's red
 * draft gets a fix, not a draft analysis. Finished = its latest work event is a finish (or a failure), or it
 * asked for a review since.
 */
function agentFinished(pr: PullRequestSummary, author: PullAuthor): boolean {
  if (author !== 'copilot') return false;
  const work = pr.timeline.filter(signal => signal.kind === 'copilotWorkStarted' || signal.kind === 'copilotWorkFinished' || signal.kind === 'copilotWorkFailed' || signal.kind === 'reviewRequested');
  const last = work.at(-1);
  return last !== undefined && last.kind !== 'copilotWorkStarted';
}

/** One PR as the maintenance decision reads it. `reviewId`: the changes-requested review it answers, when there is one. */
export function pullUnderCare(candidate: PullInScope, records: readonly ReadRecord[], reviewId: number | undefined, train = false): PullUnderCare {
  const { pr } = candidate;
  const ci = ciState(pr.checks);
  return {
    number: pr.number,
    draft: pr.isDraft && !agentFinished(pr, candidate.author),
    headSha: pr.headSha,
    author: candidate.author,
    ci: ci.state === 'noCi' ? 'none' : ci.state,
    mergeState: mergeStateOf(pr, records, train),
    awaitingWorkflowApproval: ci.awaitingApproval > 0,
    ...(reviewId === undefined ? {} : { changesRequested: { reviewId } }),
    records: records.map(record => ({ kind: record.kind, attempt: record.attempt, headSha: record.headSha, ...(record.reviewId === undefined ? {} : { reviewId: record.reviewId }) })),
  };
}
