import { ciState } from '../../policy/ciState';
import type { LoopNeedsYou, MaintenancePlannedAction, PullCareView, RedPullRequest, TrackPlan } from '../../engine/loopModel';
import { carePull, type MaintenanceAction, type PullCare } from './maintenanceDecision';
import type { ReadRecord } from './maintenanceRecords';
import { pullUnderCare, type PullInScope } from './pullsUnderCare';

/** One PR in scope with what was read for it: its records and the changes-requested review it would answer. */
export interface PullReading {
  readonly candidate: PullInScope;
  readonly records: readonly ReadRecord[];
  readonly reviewId: number | undefined;
}

export interface MaintenancePlanOptions {
  readonly maxFixAttempts: number;
  /** Whether the port that reaches local agents, Jules and the draft analyser is wired. */
  readonly agentsHook: boolean;
  /** PRs with a local follow-up run in flight (the track waits for them). */
  readonly activeFollowUps: ReadonlySet<number>;
  /** `ato.merge.train`: a branch GitHub could update counts as behind. */
  readonly train?: boolean;
}

export interface MaintenancePlan {
  readonly track: TrackPlan;
  /** Every PR in scope with its care, by number. */
  readonly cares: ReadonlyMap<number, { readonly care: PullCare; readonly view: PullCareView; readonly action?: MaintenancePlannedAction }>;
  readonly needsYou: readonly LoopNeedsYou[];
  /** A fix, update or follow-up waits for CI or a push on a PR in scope: ticks come at the active interval. */
  readonly inFlight: boolean;
}

const waitingStates: ReadonlySet<string> = new Set(['fixing', 'updating', 'waitingForReviewFix']);

/**
 * The maintenance track's plan (PRODUCT §4, issue 11): every PR's care, the first PR's action (lowest number)
 * with the agent it goes to, needs-you for a spent budget, and whether something is in flight. Pure: the
 * preview, the tick and `fixPullRequest` agree.
 */
export function planMaintenance(readings: readonly PullReading[], options: MaintenancePlanOptions): MaintenancePlan {
  const cares = new Map<number, { care: PullCare; view: PullCareView; action?: MaintenancePlannedAction }>();
  const needsYou: LoopNeedsYou[] = [];
  let inFlight = false;
  let first: MaintenancePlannedAction | undefined;
  for (const reading of [...readings].sort((a, b) => a.candidate.pr.number - b.candidate.pr.number)) {
    const { candidate, records } = reading;
    let care = carePull(pullUnderCare(candidate, records, reading.reviewId, options.train === true), { maxFixAttempts: options.maxFixAttempts });
    let action = care.action === undefined ? undefined : plannedAction(care.action, candidate, care, options);
    if (care.action !== undefined && action === undefined) care = { pull: care.pull, state: 'needsYou', attempts: care.attempts, reason: `${care.reason}; but ${noAgentReason(care.action, candidate)}` };
    if (action !== undefined && options.activeFollowUps.has(candidate.pr.number)) {
      care = { pull: care.pull, state: care.state, attempts: care.attempts, reason: `${care.reason}; a local follow-up run is still working on it` };
      action = undefined;
    }
    const view = careView(care, records, options.maxFixAttempts, candidate);
    cares.set(candidate.pr.number, action === undefined ? { care, view } : { care, view, action });
    first ??= action;
    if (waitingStates.has(care.state) || (care.state !== 'healthy' && ciState(candidate.pr.checks).state === 'pending')) inFlight = true;
    if (care.state === 'needsYou' && care.attempts >= options.maxFixAttempts && ciState(candidate.pr.checks).state === 'red') needsYou.push(exhausted(candidate, care, records, options.maxFixAttempts));
  }
  const reason = first?.reason ?? waitingReason([...cares.values()].map(entry => entry.care));
  return { track: { track: 'maintenance', action: first, reason }, cares, needsYou, inFlight };
}

function plannedAction(action: MaintenanceAction, candidate: PullInScope, care: PullCare, options: MaintenancePlanOptions): MaintenancePlannedAction | undefined {
  const { pr, agentId } = candidate;
  const reason = `PR #${String(pr.number)}: ${care.reason}.`;
  const needsHook = candidate.author === 'local' || candidate.author === 'jules';
  switch (action.kind) {
    case 'requestFix':
      if ((needsHook && !options.agentsHook) || (candidate.author === 'local' && agentId === undefined)) return undefined;
      return { kind: 'requestFix', reason, pullNumber: pr.number, headSha: action.headSha, attempt: action.attempt, maxAttempts: options.maxFixAttempts, author: action.author, agentId };
    case 'analyzeDraft':
      if (!options.agentsHook) return undefined;
      return { kind: 'analyzeDraft', reason, pullNumber: pr.number, headSha: action.headSha };
    case 'updateBranch':
      return { kind: 'updateBranch', reason, pullNumber: pr.number, headSha: action.headSha };
    case 'askRebase':
      if ((needsHook && !options.agentsHook) || (candidate.author === 'local' && agentId === undefined)) return undefined;
      return { kind: 'askRebase', reason, pullNumber: pr.number, headSha: action.headSha, attempt: care.attempts, author: action.author, agentId };
    case 'sendReviewFollowUp':
      if ((needsHook && !options.agentsHook) || (candidate.author === 'local' && agentId === undefined)) return undefined;
      return { kind: 'sendReviewFollowUp', reason, pullNumber: pr.number, headSha: pr.headSha, attempt: care.attempts, reviewId: action.reviewId, author: action.author, agentId };
  }
}

function noAgentReason(action: MaintenanceAction, candidate: PullInScope): string {
  if (action.kind === 'analyzeDraft') return 'no read-only analyser is wired (no agent hook): it waits';
  if (candidate.author === 'local' && candidate.agentId === undefined) return 'the local agent that wrote it is not recorded on its task issue';
  return `no agent hook reaches ${candidate.author === 'jules' ? 'Jules' : 'local agents'} here`;
}

function careView(care: PullCare, records: readonly ReadRecord[], maxAttempts: number, candidate: PullInScope): PullCareView {
  const fixes = records.filter(record => record.kind === 'fix').sort((a, b) => a.attempt - b.attempt);
  const last = fixes.at(-1);
  return {
    state: care.state,
    attempts: care.attempts,
    maxAttempts,
    reason: care.reason,
    author: candidate.author,
    ...(last === undefined ? {} : { lastFix: { attempt: last.attempt, headSha: last.headSha, agent: last.agent ?? candidate.agentId ?? candidate.author, at: last.at } }),
    ...(last?.quoted === undefined ? {} : { logExcerpt: last.quoted }),
  };
}

function exhausted(candidate: PullInScope, care: PullCare, records: readonly ReadRecord[], maxAttempts: number): LoopNeedsYou {
  const { pr } = candidate;
  const history = records.filter(record => record.kind === 'fix').sort((a, b) => a.attempt - b.attempt)
    .map(record => `attempt ${String(record.attempt)} at ${record.headSha.slice(0, 7)} to ${record.agent ?? candidate.author} (${record.at})`);
  return {
    kind: 'fixAttemptsExhausted',
    title: `PR #${String(pr.number)}: CI still red after ${String(care.attempts)} fix attempts`,
    detail: `The fix budget (\`ato.maintenance.maxFixAttempts\` = ${String(maxAttempts)}) is spent: ${history.join('; ')}. CI is red on ${pr.headSha.slice(0, 7)}.`,
    url: pr.url,
    pullNumber: pr.number,
    author: pr.author.login,
    action: 'open',
  };
}

function waitingReason(cares: readonly PullCare[]): string {
  if (cares.length === 0) return 'No open PR in the maintenance track\'s scope.';
  const notable = cares.filter(care => care.state !== 'healthy');
  if (notable.length === 0) return `${String(cares.length)} PR(s) in scope, all healthy.`;
  return notable.map(care => `PR #${String(care.pull)} ${care.state}: ${care.reason}`).join('; ');
}

/** The red list the views show: every red PR, and every PR in scope whose care is not plain healthy (fixing, fixed, updating). */
export function withCare(red: readonly RedPullRequest[], plan: MaintenancePlan, prs: readonly PullInScope[]): RedPullRequest[] {
  const byNumber = new Map(red.map(item => [item.number, item]));
  for (const candidate of prs) {
    const entry = plan.cares.get(candidate.pr.number);
    if (entry === undefined) continue;
    const existing = byNumber.get(candidate.pr.number);
    if (existing === undefined && entry.care.state === 'healthy') continue;
    const ci = ciState(candidate.pr.checks);
    const base: RedPullRequest = existing ?? { number: candidate.pr.number, title: candidate.pr.title, url: candidate.pr.url, isDraft: candidate.pr.isDraft, failingChecks: ci.failing.map(check => ({ name: check.name, url: check.url })), fixAttempts: 0 };
    byNumber.set(candidate.pr.number, { ...base, fixAttempts: entry.care.attempts, care: entry.view });
  }
  return [...byNumber.values()].sort((a, b) => a.number - b.number);
}
