import { FakeApiError, validationFailed } from '../errors';
import type { ChangedFile, RefMap } from '../git/bareRepo';
import { nodeId } from '../ids';
import { type FakePull, type FakeRepoData, type FakeReview, headRefOf, isPull, type ReviewState } from '../model';
import type { FakeRuntime, RepoRuntime } from '../runtime';
import { addEvent, createIssue, recordMentions, touch } from './issues';

const closingPattern = /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s*:?\s+(?:([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+))?#(\d+)\b/gi;

/** Issue numbers a pull request body closes with GitHub's keywords (close/fix/resolve and their forms). */
export function closingKeywordNumbers(repo: FakeRepoData, body: string | null): number[] {
  const numbers: number[] = [];
  for (const match of (body ?? '').matchAll(closingPattern)) {
    const [, owner, name, number] = match;
    if (owner !== undefined && `${owner}/${name ?? ''}`.toLowerCase() !== `${repo.owner}/${repo.name}`.toLowerCase()) continue;
    const value = Number(number);
    if (!numbers.includes(value)) numbers.push(value);
  }
  return numbers;
}

/**
 * Issues (not PRs) this pull request closes when merged: closing keywords in its body, when it targets
 * the default branch (GitHub's rule), plus issues linked by hand.
 */
export function closingIssueNumbers(repo: FakeRepoData, pull: FakePull): number[] {
  const byKeyword = pull.pull.baseRef === repo.defaultBranch ? closingKeywordNumbers(repo, pull.body) : [];
  return [...new Set([...byKeyword, ...pull.pull.linkedIssues])]
    .filter(number => { const issue = repo.issues.get(number); return issue !== undefined && !isPull(issue); });
}

export function pullOf(repo: FakeRepoData, number: number): FakePull | undefined {
  const issue = repo.issues.get(number);
  return issue !== undefined && isPull(issue) ? issue : undefined;
}

export function pulls(repo: FakeRepoData): FakePull[] {
  return [...repo.issues.values()].filter(isPull);
}

export interface NewPullInput {
  readonly title: string;
  readonly body: string | null;
  readonly head: string;
  /** The fork's owner when `head` is a branch of a fork (kept here as `refs/forks/<owner>/<head>`). */
  readonly headOwner?: string;
  readonly base: string;
  readonly draft: boolean;
  readonly author: string;
  readonly linkedIssues?: readonly number[];
}

/** Opens a pull request with GitHub's checks: both branches exist, commits differ, no open duplicate. */
export async function createPull(rt: FakeRuntime, repo: RepoRuntime, input: NewPullInput): Promise<FakePull> {
  repo.invalidateRefs();
  const headSha = (await repo.refs()).get(headRefOf({ headRef: input.head, headOwner: input.headOwner }))?.sha;
  const baseSha = await repo.branchSha(input.base);
  if (headSha === undefined) throw validationFailed('PullRequest', 'head', 'invalid');
  if (baseSha === undefined) throw validationFailed('PullRequest', 'base', 'invalid');
  const duplicate = pulls(repo.data).find(pull => pull.state === 'open' && pull.pull.headRef === input.head && pull.pull.headOwner === input.headOwner && pull.pull.baseRef === input.base);
  if (duplicate !== undefined) throw customValidation(`A pull request already exists for ${input.headOwner ?? repo.data.owner}:${input.head}.`);
  if ((await repo.git.commitsBetween(baseSha, headSha)).length === 0) throw customValidation(`No commits between ${input.base} and ${input.head}`);
  const pull = createIssue(rt, repo, {
    title: input.title,
    body: input.body,
    author: input.author,
    pull: {
      headRef: input.head, headOwner: input.headOwner, headSha, baseRef: input.base, draft: input.draft, merged: false, mergedAt: null, mergedBy: null,
      mergeCommitSha: null, mergeableOverride: undefined, requestedReviewers: [], requestedTeams: [], linkedIssues: [...(input.linkedIssues ?? [])], copilot: undefined,
    },
  }) as FakePull;
  await repo.git.updateRef(`refs/pull/${pull.number}/head`, headSha, undefined);
  repo.invalidateRefs();
  recordMentions(rt, repo, pull, `${pull.title}\n${pull.body ?? ''}`, pull.author, closingIssueNumbers(repo.data, pull));
  for (const number of pull.pull.linkedIssues) {
    const issue = repo.data.issues.get(number);
    if (issue === undefined) continue;
    addEvent(rt, repo, issue, { event: 'connected', actor: pull.author, sourceNumber: pull.number });
    addEvent(rt, repo, pull, { event: 'connected', actor: pull.author, sourceNumber: number });
  }
  return pull;
}

function customValidation(message: string): FakeApiError {
  return new FakeApiError(422, 'Validation Failed', { errors: [{ resource: 'PullRequest', code: 'custom', message }] });
}

/** Follows pushes: an open pull request's head is its branch's current commit. */
export function syncPullHeads(rt: FakeRuntime, repo: RepoRuntime, refs: RefMap): void {
  for (const pull of pulls(repo.data)) {
    if (pull.state !== 'open') continue;
    const sha = refs.get(headRefOf(pull.pull))?.sha;
    if (sha === undefined || sha === pull.pull.headSha) continue;
    pull.pull.headSha = sha;
    touch(rt, repo, pull);
    // GitHub keeps refs/pull/<n>/head on the head; nothing waits for it.
    repo.git.updateRef(`refs/pull/${pull.number}/head`, sha, undefined).catch(() => undefined);
  }
}

/** Mentions added by an edit of the body (a `cross-referenced` event for each newly mentioned issue). */
export function bodyEdited(rt: FakeRuntime, repo: RepoRuntime, pull: FakePull, actor: string): void {
  recordMentions(rt, repo, pull, pull.body, actor, closingIssueNumbers(repo.data, pull));
}

export function requestReviewers(rt: FakeRuntime, repo: RepoRuntime, pull: FakePull, reviewers: readonly string[], teams: readonly string[], actor: string): void {
  for (const requested of reviewers) {
    const user = rt.users.get(requested);
    if (user.login.toLowerCase() === pull.author.toLowerCase()) throw new FakeApiError(422, 'Review cannot be requested from pull request author.');
    if (!repo.data.collaborators.has(user.login.toLowerCase()) && user.type !== 'Bot') {
      throw new FakeApiError(422, 'Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ' + `${repo.fullName} repository.`);
    }
    if (pull.pull.requestedReviewers.includes(user.login)) continue;
    pull.pull.requestedReviewers.push(user.login);
    addEvent(rt, repo, pull, { event: 'review_requested', actor, reviewRequester: actor, requestedReviewer: user.login });
  }
  for (const team of teams) {
    if (pull.pull.requestedTeams.includes(team)) continue;
    pull.pull.requestedTeams.push(team);
    addEvent(rt, repo, pull, { event: 'review_requested', actor, reviewRequester: actor, requestedTeam: team });
  }
  touch(rt, repo, pull);
}

export function submitReview(rt: FakeRuntime, repo: RepoRuntime, pull: FakePull, author: string, state: ReviewState, body = ''): FakeReview {
  const login = rt.users.get(author).login;
  const id = rt.ids.next('review');
  const review: FakeReview = { id, seq: rt.ids.next('timeline'), nodeId: nodeId('PullRequestReview', id), pullNumber: pull.number, author: login, state, body, commitId: pull.pull.headSha, submittedAt: rt.clock.now() };
  repo.data.reviews.push(review);
  pull.pull.requestedReviewers = pull.pull.requestedReviewers.filter(reviewer => reviewer !== login);
  touch(rt, repo, pull);
  return review;
}

export function markReadyForReview(rt: FakeRuntime, repo: RepoRuntime, pull: FakePull, actor: string): void {
  if (!pull.pull.draft) return;
  pull.pull.draft = false;
  addEvent(rt, repo, pull, { event: 'ready_for_review', actor });
  touch(rt, repo, pull);
}

/** Each reviewer's latest review that is not just a comment (what GitHub counts for approvals). */
export function latestReviews(repo: FakeRepoData, pull: FakePull): FakeReview[] {
  const byAuthor = new Map<string, FakeReview>();
  for (const review of repo.reviews) {
    if (review.pullNumber !== pull.number || review.state === 'PENDING') continue;
    if (review.state === 'COMMENTED' && byAuthor.has(review.author)) continue;
    byAuthor.set(review.author, review);
  }
  return [...byAuthor.values()];
}

// The files each pull request had when last read: what a merged one keeps showing.
const lastFiles = new WeakMap<FakePull, readonly ChangedFile[]>();

/** The files a pull request changes: its head against the merge base with its base branch. */
export async function pullFiles(repo: RepoRuntime, pull: FakePull): Promise<readonly ChangedFile[]> {
  const kept = lastFiles.get(pull);
  if (pull.pull.merged && kept !== undefined) return kept;
  const baseSha = pull.pull.merged ? (await repo.git.readCommit(pull.pull.mergeCommitSha ?? ''))?.parents[0] : await repo.branchSha(pull.pull.baseRef);
  const from = baseSha === undefined ? undefined : await repo.git.mergeBase(baseSha, pull.pull.headSha);
  const files = from === undefined ? [] : await repo.git.changedFiles(from, pull.pull.headSha);
  if (!pull.pull.merged) lastFiles.set(pull, files);
  return files;
}
