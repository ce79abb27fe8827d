import type { PullRequestSummary, RepoSnapshot, TimelineSignal } from '../../forges/github/githubModel';
import { isAtoOwnPullRequest } from '../tracks/planning/atoPullRequest';
import { normalLogin } from '../tracks/planning/workProgress';

/** Who, besides people with write access, may open PRs ATO links and merges (settings a repository cannot set). */
export interface TrustSettings {
  /** `ato.loop.agentAccounts`: logins of the agents' own accounts (a bot or machine user per agent). */
  readonly agentAccounts: readonly string[];
  /** `ato.loop.allowForkPullRequests`: PRs from forks are trusted at all (their author still must be). */
  readonly allowForks: boolean;
}

/** Everything trust is decided from: the settings, the token's user, and what GitHub said about write access. */
export interface TrustFacts extends TrustSettings {
  /** The token's user: the author of PRs opened by ATO's local agents. */
  readonly viewerLogin: string | undefined;
  /** Logins checked for write access (`admin` or `write` on the repository), by `normalLogin`. */
  readonly writeAccess: ReadonlyMap<string, boolean>;
  /**
   * PRs a remote agent's session that ATO created reported (Jules: `outputs[].pullRequest`), by number, with
   * the head branch it reported: such a PR is the agent's whoever the app's bot account is. Absent: none.
   */
  readonly agentPullRequests?: ReadonlyMap<number, string>;
}

export type AuthorTrust =
  | { readonly trusted: true; readonly as: 'agent' | 'writer' }
  | { readonly trusted: false; readonly why: string };

/** The logins of the Copilot coding agent, which opens PRs as a bot. */
const copilotLogins = new Set(['copilot-swe-agent']);

/** Associations that can come with write access; anyone else's (CONTRIBUTOR, NONE, FIRST_TIMER, …) cannot. */
const mayWrite = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

/**
 * One of ATO's agents' accounts: the Copilot bot (a bot, not a user who took its name), the token's user, a
 * configured account. For a PR's author, `openedByAgent` also asks that the token's user's PR be ATO's own.
 */
export function isAgent(login: string, isBot: boolean | undefined, facts: Pick<TrustFacts, 'viewerLogin' | 'agentAccounts'>): boolean {
  const name = normalLogin(login);
  if (copilotLogins.has(name)) return isBot !== false;
  return (facts.viewerLogin !== undefined && name === normalLogin(facts.viewerLogin)) || facts.agentAccounts.some(account => normalLogin(account) === name);
}

/**
 * Whether ATO's agents opened this PR. The token's user is one of them only for the PRs ATO itself opened for
 * a local agent (its marker in the body on the task's branch `ato/<id>`): that user's other PRs are a
 * person's, judged by write access like anyone's. The marker alone proves nothing — anyone can copy it.
 */
function openedByAgent(pr: PullRequestSummary, facts: Pick<TrustFacts, 'viewerLogin' | 'agentAccounts' | 'agentPullRequests'>): boolean {
  // The number and head branch a session ATO created reported; a copied marker or title names neither.
  if (!pr.isCrossRepository && facts.agentPullRequests?.get(pr.number) === pr.headRefName) return true;
  const name = normalLogin(pr.author.login);
  const viewer = facts.viewerLogin !== undefined && name === normalLogin(facts.viewerLogin);
  if (viewer && !copilotLogins.has(name) && !facts.agentAccounts.some(account => normalLogin(account) === name)) return isAtoOwnPullRequest(pr);
  return isAgent(pr.author.login, pr.author.isBot, facts);
}

/** Whether GitHub confirmed write access for this login (never guessed: unchecked is no). */
export function hasWriteAccess(login: string, facts: Pick<TrustFacts, 'writeAccess'>): boolean {
  return facts.writeAccess.get(normalLogin(login)) === true;
}

/**
 * Whether ATO may link this PR to its work, count it and merge it (PRODUCT §4 "Whom ATO trusts"): from this
 * repository (a fork only with the opt-in), opened by one of ATO's agents or by someone with write access.
 */
export function authorTrust(pr: PullRequestSummary, facts: TrustFacts): AuthorTrust {
  const author = pr.author.login;
  if (pr.isCrossRepository && !facts.allowForks) {
    return { trusted: false, why: `opened from the fork ${pr.headRepository ?? 'of a deleted repository'}; ATO trusts fork PRs only with \`ato.loop.allowForkPullRequests\`` };
  }
  if (openedByAgent(pr, facts)) return { trusted: true, as: 'agent' };
  if (pr.authorAssociation === 'OWNER' || hasWriteAccess(author, facts)) return { trusted: true, as: 'writer' };
  return { trusted: false, why: `opened by ${author}, who is not one of ATO's agents and has no write access` };
}

/**
 * The logins whose write access GitHub must be asked about to judge these PRs: authors whose association can
 * come with write access, and who asked for reviews — never agents, never the already known. A stranger's PR
 * costs no request.
 */
export function loginsToCheck(prs: readonly PullRequestSummary[], facts: Omit<TrustFacts, 'writeAccess'>): string[] {
  const logins = new Set<string>();
  for (const pr of prs) {
    if (pr.isCrossRepository && !facts.allowForks) continue;
    if (!openedByAgent(pr, facts) && pr.authorAssociation !== 'OWNER' && mayWrite.has(pr.authorAssociation)) logins.add(normalLogin(pr.author.login));
    for (const signal of pr.timeline) {
      if (signal.kind === 'reviewRequested' && !isAgent(signal.actor, undefined, facts)) logins.add(normalLogin(signal.actor));
    }
  }
  return [...logins];
}

/** A PR ATO does not trust, and why. */
export interface IgnoredPullRequest {
  readonly pr: PullRequestSummary;
  readonly why: string;
}

/**
 * The snapshot as ATO may act on it: PRs it does not trust are left out (never linked, counted or merged)
 * and listed with the reason; in the others, review requests count only when an agent or someone with write
 * access made them (approvals and requested changes count only from writers, see `reviewersWhose`).
 */
export function trustedSnapshot(snapshot: RepoSnapshot, facts: TrustFacts): { readonly snapshot: RepoSnapshot; readonly ignored: readonly IgnoredPullRequest[] } {
  const ignored: IgnoredPullRequest[] = [];
  const keep = (prs: readonly PullRequestSummary[]): PullRequestSummary[] => prs.flatMap(pr => {
    const trust = authorTrust(pr, facts);
    if (!trust.trusted) {
      ignored.push({ pr, why: trust.why });
      return [];
    }
    return [withTrustedReviewRequests(pr, facts)];
  });
  return { snapshot: { ...snapshot, openPullRequests: keep(snapshot.openPullRequests), recentlyClosedPullRequests: keep(snapshot.recentlyClosedPullRequests) }, ignored };
}

function withTrustedReviewRequests(pr: PullRequestSummary, facts: TrustFacts): PullRequestSummary {
  const trustedActor = (signal: TimelineSignal): boolean => isAgent(signal.actor, undefined, facts) || hasWriteAccess(signal.actor, facts) || normalLogin(signal.actor) === normalLogin(pr.author.login);
  const timeline = pr.timeline.filter(signal => signal.kind !== 'reviewRequested' || trustedActor(signal));
  // A pending request counts when a trusted request for that reviewer is in the timeline.
  const requested = new Set(timeline.filter(signal => signal.kind === 'reviewRequested' && signal.subject !== null).map(signal => normalLogin(signal.subject ?? '')));
  return { ...pr, timeline, reviewRequests: pr.reviewRequests.filter(reviewer => requested.has(normalLogin(reviewer))) };
}
