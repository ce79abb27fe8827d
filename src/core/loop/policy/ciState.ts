import type { CheckContext, PullRequestChecks } from '../../forges/github/githubModel';
import type { CiState } from '../engine/loopModel';

/** What one check says on its own. `cancelled` is neither red nor green: it waits for a re-run. */
export type CheckOutcome = 'passing' | 'failing' | 'pending' | 'cancelled';

export interface ClassifiedCheck {
  readonly context: CheckContext;
  readonly outcome: CheckOutcome;
  /** Required by branch protection (the context says so, or its name is in `requiredContexts`). */
  readonly required: boolean;
}

/** The head commit's combined CI state (PRODUCT §4 "CI is red") and the checks behind it. */
export interface CiReport {
  readonly state: CiState;
  /** Red checks (latest run of each name), by name. */
  readonly failing: readonly CheckContext[];
  /** Names of checks still running or waiting (queued, in progress, expected, action required, stale, …). */
  readonly pending: readonly string[];
  /** Names of checks whose latest run was cancelled: not red, not green. */
  readonly cancelled: readonly string[];
  /** Required contexts that have not reported at all. */
  readonly missingRequired: readonly string[];
  /** Workflow runs waiting for a maintainer's approval (they have no checks yet). */
  readonly awaitingApproval: number;
  /** The latest run of every check name, by name: re-runs counted once. */
  readonly checks: readonly ClassifiedCheck[];
  /** The context list was incomplete (more than one page). */
  readonly truncated: boolean;
}

const failingConclusions: ReadonlySet<string> = new Set(['FAILURE', 'TIMED_OUT', 'STARTUP_FAILURE']);
const passingConclusions: ReadonlySet<string> = new Set(['SUCCESS', 'NEUTRAL', 'SKIPPED']);
const failingStatusStates: ReadonlySet<string> = new Set(['FAILURE', 'ERROR']);

/** One check's outcome. Anything unknown is pending: never green, never red, by accident. */
export function checkOutcome(context: CheckContext): CheckOutcome {
  const status = context.status.toUpperCase();
  if (context.kind === 'status') {
    if (status === 'SUCCESS') return 'passing';
    return failingStatusStates.has(status) ? 'failing' : 'pending';
  }
  if (status !== 'COMPLETED') return 'pending';
  const conclusion = (context.conclusion ?? '').toUpperCase();
  if (failingConclusions.has(conclusion)) return 'failing';
  if (passingConclusions.has(conclusion)) return 'passing';
  if (conclusion === 'CANCELLED') return 'cancelled';
  // ACTION_REQUIRED, STALE, no conclusion yet, or a value GitHub adds later.
  return 'pending';
}

/**
 * Combines all check runs and commit statuses of a head commit, in any order (the result does not depend on
 * it): any red check → red; else anything pending, cancelled, a required context not reported, or workflow
 * runs awaiting approval → pending; else green. No check, no status and nothing required → `noCi` (not
 * green). Re-runs of one name count once: the latest `startedAt` wins, a run not started yet counts as the
 * newest, and on a tie a run still going beats a finished one. When the list was truncated, GitHub's rollup
 * state decides what the page does not show.
 */
export function ciState(checks: PullRequestChecks): CiReport {
  const requiredNames = new Set(checks.requiredContexts);
  const classified = latestPerName(checks.contexts).map((context): ClassifiedCheck => ({
    context,
    outcome: checkOutcome(context),
    required: context.required || requiredNames.has(context.name),
  }));
  const reported = new Set(classified.map(check => check.context.name));
  const namesOf = (outcome: CheckOutcome): string[] => classified.filter(check => check.outcome === outcome).map(check => check.context.name);
  const failing = classified.filter(check => check.outcome === 'failing').map(check => check.context);
  const pending = namesOf('pending');
  const cancelled = namesOf('cancelled');
  const missingRequired = [...requiredNames].filter(name => !reported.has(name)).sort(compareStrings);
  const awaitingApproval = Math.max(0, checks.awaitingApproval);
  const report = { failing, pending, cancelled, missingRequired, awaitingApproval, checks: classified, truncated: checks.truncated };
  return { state: combinedState(checks, report), ...report };
}

function combinedState(checks: PullRequestChecks, report: Omit<CiReport, 'state'>): CiState {
  const rollup = checks.rollupState?.toUpperCase() ?? null;
  if (report.failing.length > 0) return 'red';
  if (checks.truncated && (rollup === 'FAILURE' || rollup === 'ERROR')) return 'red';
  const waiting = report.pending.length + report.cancelled.length + report.missingRequired.length + report.awaitingApproval;
  if (waiting > 0) return 'pending';
  if (report.checks.length === 0) {
    // No context listed: the rollup alone (a count-only read) or nothing at all.
    if (rollup === null) return 'noCi';
    if (rollup === 'SUCCESS') return 'green';
    return rollup === 'FAILURE' || rollup === 'ERROR' ? 'red' : 'pending';
  }
  if (checks.truncated && rollup !== 'SUCCESS') return 'pending';
  return 'green';
}

/** The latest run of each check name (check runs and statuses apart), sorted by name. */
export function latestPerName(contexts: readonly CheckContext[]): CheckContext[] {
  const latest = new Map<string, CheckContext>();
  for (const context of contexts) {
    const key = `${context.kind}\u0000${context.name}`;
    const current = latest.get(key);
    if (current === undefined || compareRuns(context, current) > 0) latest.set(key, context);
  }
  return [...latest.values()].sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.kind, b.kind));
}

/** A total order on runs of one name: positive when `a` is the one that counts. */
function compareRuns(a: CheckContext, b: CheckContext): number {
  return Math.sign(startKey(a) - startKey(b))
    || Number(isRunning(a)) - Number(isRunning(b))
    // Same start, both finished or both running: the worse one counts (never green by a coin toss).
    || severity(checkOutcome(a)) - severity(checkOutcome(b))
    || compareStrings(identity(a), identity(b));
}

function startKey(context: CheckContext): number {
  const started = context.startedAt === null ? Number.NaN : Date.parse(context.startedAt);
  if (!Number.isNaN(started)) return started;
  // Not started: a queued re-run is newer than anything; a finished run without a time is the oldest.
  return isRunning(context) ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
}

function isRunning(context: CheckContext): boolean {
  return checkOutcome(context) === 'pending';
}

function severity(outcome: CheckOutcome): number {
  switch (outcome) {
    case 'passing':
      return 0;
    case 'pending':
      return 1;
    case 'cancelled':
      return 2;
    case 'failing':
      return 3;
  }
}

function identity(context: CheckContext): string {
  return [context.status, context.conclusion ?? '', context.url ?? '', String(context.required)].join('\u0000');
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
