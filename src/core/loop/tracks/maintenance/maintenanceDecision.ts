/**
 * The maintenance track's decision (PRODUCT §4, issue 11): for the PRs ATO may act on, at most one mutating
 * action per tick, and for every PR its state and the reason — pure, so the preview, the panel and the engine
 * agree. What ATO already did is read back from its own records on the PR (attempt markers), never from memory:
 * a restart decides the same.
 */

/** Who wrote the PR, which decides how a follow-up reaches its agent. */
export type PullAuthor = 'copilot' | 'jules' | 'local' | 'person';

/** What ATO has asked on a PR: one record per request, keyed by the head it was made on. */
export interface MaintenanceRecord {
  readonly kind: 'fix' | 'analysis' | 'updateBranch' | 'rebase' | 'reviewFollowUp';
  /** Fix attempts are numbered from 1 per PR. */
  readonly attempt: number;
  readonly headSha: string;
  /** For a review follow-up: the review it answered. */
  readonly reviewId?: number;
}

export interface PullUnderCare {
  readonly number: number;
  readonly draft: boolean;
  readonly headSha: string;
  readonly author: PullAuthor;
  /** PRODUCT §4's "CI is red" on the head commit. */
  readonly ci: 'red' | 'green' | 'pending' | 'none';
  readonly mergeState: 'clean' | 'behind' | 'conflicting' | 'unknown';
  readonly awaitingWorkflowApproval: boolean;
  /** The latest changes-requested review by someone with write access, if it is the latest review signal. */
  readonly changesRequested?: { readonly reviewId: number };
  readonly records: readonly MaintenanceRecord[];
}

export interface MaintenanceSettings {
  /** `ato.maintenance.maxFixAttempts` (default 3). */
  readonly maxFixAttempts: number;
}

export type MaintenanceAction =
  | { readonly kind: 'requestFix'; readonly pull: number; readonly attempt: number; readonly headSha: string; readonly author: PullAuthor }
  | { readonly kind: 'analyzeDraft'; readonly pull: number; readonly headSha: string }
  | { readonly kind: 'updateBranch'; readonly pull: number; readonly headSha: string }
  | { readonly kind: 'askRebase'; readonly pull: number; readonly headSha: string; readonly author: PullAuthor }
  | { readonly kind: 'sendReviewFollowUp'; readonly pull: number; readonly reviewId: number; readonly author: PullAuthor };

export type PullCareState =
  | 'healthy' | 'red' | 'fixing' | 'fixed' | 'analyzing' | 'updating' | 'waitingForReviewFix' | 'needsYou';

export interface PullCare {
  readonly pull: number;
  readonly state: PullCareState;
  /** Fix attempts made so far. */
  readonly attempts: number;
  readonly reason: string;
  /** What this PR needs now, when something is to be done (the engine runs the first one). */
  readonly action?: MaintenanceAction;
}

export interface MaintenanceDecision {
  /** The one action this tick, and why; absent when every PR waits. */
  readonly action?: MaintenanceAction;
  readonly pulls: readonly PullCare[];
}

function lastOf(records: readonly MaintenanceRecord[], kind: MaintenanceRecord['kind']): MaintenanceRecord | undefined {
  return records.filter(record => record.kind === kind).sort((a, b) => a.attempt - b.attempt).at(-1);
}

function short(sha: string): string {
  return sha.slice(0, 7);
}

/** One PR's state and the action it needs; precedence: approval, conflicts, behind, review, red CI, red draft. */
export function carePull(pull: PullUnderCare, settings: MaintenanceSettings): PullCare {
  const fixes = pull.records.filter(record => record.kind === 'fix');
  const attempts = fixes.length === 0 ? 0 : Math.max(...fixes.map(record => record.attempt));
  const base = { pull: pull.number, attempts };
  if (pull.awaitingWorkflowApproval) return { ...base, state: 'needsYou', reason: `its workflow runs await your approval (Copilot's PRs need a maintainer to run CI)` };
  if (pull.mergeState === 'conflicting') {
    const asked = pull.records.some(record => record.kind === 'rebase' && record.headSha === pull.headSha);
    if (asked) return { ...base, state: 'updating', reason: `asked its agent to resolve the conflicts at ${short(pull.headSha)}; waiting for a push` };
    if (pull.author === 'person') return { ...base, state: 'needsYou', reason: 'it conflicts with its base and was opened by a person: resolve it or hand it to an agent' };
    return { ...base, state: 'updating', reason: 'it conflicts with its base: its agent is asked to rebase', action: { kind: 'askRebase', pull: pull.number, headSha: pull.headSha, author: pull.author } };
  }
  if (pull.mergeState === 'behind') {
    const tried = pull.records.some(record => record.kind === 'updateBranch' && record.headSha === pull.headSha);
    if (!tried) return { ...base, state: 'updating', reason: 'its branch is behind its base: update it through the API', action: { kind: 'updateBranch', pull: pull.number, headSha: pull.headSha } };
  }
  if (pull.changesRequested !== undefined) {
    const { reviewId } = pull.changesRequested;
    if (pull.records.some(record => record.kind === 'reviewFollowUp' && record.reviewId === reviewId)) {
      return { ...base, state: 'waitingForReviewFix', reason: `sent review ${String(reviewId)}'s comments to its agent; waiting for a push and a new review` };
    }
    if (pull.author === 'person') return { ...base, state: 'needsYou', reason: 'changes were requested on a PR a person opened' };
    return { ...base, state: 'waitingForReviewFix', reason: `changes requested in review ${String(reviewId)}: its comments go to the agent`, action: { kind: 'sendReviewFollowUp', pull: pull.number, reviewId, author: pull.author } };
  }
  if (pull.ci !== 'red') {
    if (attempts === 0) return { ...base, state: 'healthy', reason: pull.ci === 'none' ? 'no CI on its head' : `CI is ${pull.ci}` };
    // Verified before done: a fix counts only when CI is green on the head.
    if (pull.ci === 'green') return { ...base, state: 'fixed', reason: `CI is green on ${short(pull.headSha)} after ${String(attempts)} fix attempt${attempts === 1 ? '' : 's'}` };
    return { ...base, state: 'fixing', reason: `fix attempt ${String(attempts)}: CI is ${pull.ci === 'none' ? 'not reported yet' : 'running'} on ${short(pull.headSha)}` };
  }
  if (pull.draft) {
    if (pull.records.some(record => record.kind === 'analysis' && record.headSha === pull.headSha)) {
      return { ...base, state: 'analyzing', reason: `a read-only agent analysed the red draft at ${short(pull.headSha)}` };
    }
    return { ...base, state: 'analyzing', reason: 'a red draft: a read-only agent analyses what failed', action: { kind: 'analyzeDraft', pull: pull.number, headSha: pull.headSha } };
  }
  const last = lastOf(pull.records, 'fix');
  if (last?.headSha === pull.headSha) {
    return { ...base, state: 'fixing', reason: `fix attempt ${String(last.attempt)} of ${String(settings.maxFixAttempts)} asked at ${short(pull.headSha)}; waiting for a push` };
  }
  if (attempts >= settings.maxFixAttempts) {
    return { ...base, state: 'needsYou', reason: `CI is still red on ${short(pull.headSha)} after ${String(attempts)} fix attempts (the budget is ${String(settings.maxFixAttempts)})` };
  }
  if (pull.author === 'person') return { ...base, state: 'red', reason: 'CI is red on a PR a person opened: ATO fixes only its agents\' PRs (`ato.maintenance.scope`)' };
  const attempt = attempts + 1;
  return {
    ...base, state: 'red',
    reason: `CI is red on ${short(pull.headSha)}: fix attempt ${String(attempt)} of ${String(settings.maxFixAttempts)} goes to ${pull.author === 'local' ? 'the agent that wrote it' : pull.author}`,
    action: { kind: 'requestFix', pull: pull.number, attempt, headSha: pull.headSha, author: pull.author },
  };
}

/** Every PR's care; the action is the first PR's (lowest number: the oldest work first) that needs one. */
export function decideMaintenance(pulls: readonly PullUnderCare[], settings: MaintenanceSettings): MaintenanceDecision {
  const cared = [...pulls].sort((a, b) => a.number - b.number).map(pull => carePull(pull, settings));
  const action = cared.find(care => care.action !== undefined)?.action;
  return action === undefined ? { pulls: cared } : { action, pulls: cared };
}
