import { nodeId } from '../ids';
import type { CheckConclusion, CheckStatus, FakeCheckRun, FakeCheckSuite, FakeRepoData, FakeStatus, StatusState } from '../model';
import type { FakeRuntime } from '../runtime';

export interface CheckRunInput {
  readonly name: string;
  readonly status: CheckStatus;
  /** Required once completed (default `success`). */
  readonly conclusion?: CheckConclusion;
  /** true: branch protection of the base branch requires this check; false: it no longer does. */
  readonly required?: boolean;
  /** App slug that owns the run (default `github-actions`). */
  readonly app?: string;
  /** The job's log text (default: a few lines naming the check and its conclusion). */
  readonly log?: string;
  /** The workflow the job belongs to (default `CI`). */
  readonly workflow?: string;
}

const badConclusions: ReadonlySet<CheckConclusion> = new Set(['failure', 'timed_out', 'startup_failure', 'cancelled', 'action_required', 'stale']);

export function requiredChecks(repo: FakeRepoData, branch: string): readonly string[] {
  return repo.protection.get(branch)?.requiredStatusChecks ?? [];
}

export function setRequired(repo: FakeRepoData, branch: string, name: string, required: boolean): void {
  let rule = repo.protection.get(branch);
  if (rule === undefined) {
    if (!required) return;
    rule = { requiredStatusChecks: [], requiredApprovingReviewCount: 0, requireCodeOwnerReviews: false };
    repo.protection.set(branch, rule);
  }
  rule.requiredStatusChecks = rule.requiredStatusChecks.filter(check => check !== name);
  if (required) rule.requiredStatusChecks.push(name);
}

function suiteFor(rt: FakeRuntime, repo: FakeRepoData, sha: string, app: string, workflow = 'CI'): FakeCheckSuite {
  const existing = repo.checkSuites.find(suite => suite.headSha === sha && suite.app === app && (app !== 'github-actions' || suite.workflowName === workflow));
  if (existing !== undefined) return existing;
  const id = rt.ids.next('checkSuite');
  const now = rt.clock.now();
  const runId = rt.ids.next('workflowRun');
  const suite: FakeCheckSuite = {
    id, nodeId: nodeId('CheckSuite', id), headSha: sha, app, status: 'queued', conclusion: null, createdAt: now, updatedAt: now,
    workflowRun: app === 'github-actions' ? { id: runId, nodeId: nodeId('WorkflowRun', runId), event: 'pull_request' } : null,
    workflowName: workflow,
  };
  repo.checkSuites.push(suite);
  return suite;
}

/**
 * Reports check runs on a commit. A run still queued or in progress is updated in place; a name whose
 * last run completed gets a new run (a re-run: a separate check run with the same name, as on GitHub).
 */
export function setCheckRuns(rt: FakeRuntime, repo: FakeRepoData, sha: string, runs: readonly CheckRunInput[], baseBranch: string): FakeCheckRun[] {
  const written: FakeCheckRun[] = [];
  for (const input of runs) {
    const suite = suiteFor(rt, repo, sha, input.app ?? 'github-actions', input.workflow);
    const now = rt.clock.now();
    const conclusion = input.status === 'completed' ? input.conclusion ?? 'success' : null;
    const open = repo.checkRuns.findLast(run => run.suiteId === suite.id && run.name === input.name && run.status !== 'completed');
    if (open !== undefined) {
      open.status = input.status;
      open.conclusion = conclusion;
      open.completedAt = conclusion === null ? null : now;
      open.log = input.log ?? defaultLog(input.name, input.status, conclusion);
      written.push(open);
    } else {
      const id = rt.ids.next('checkRun');
      const run: FakeCheckRun = {
        id, nodeId: nodeId('CheckRun', id), suiteId: suite.id, headSha: sha, name: input.name, status: input.status, conclusion,
        startedAt: now, completedAt: conclusion === null ? null : now,
        detailsUrl: rt.urls.repoHtml(repo, `/actions/runs/${suite.workflowRun?.id ?? suite.id}/job/${id}`),
        log: input.log ?? defaultLog(input.name, input.status, conclusion),
      };
      repo.checkRuns.push(run);
      written.push(run);
    }
    if (input.required !== undefined) setRequired(repo, baseBranch, input.name, input.required);
    refreshSuite(repo, suite, now);
  }
  return written;
}

/** What a job's log says when the test gives none: Actions' timestamps, the step and the outcome. */
function defaultLog(name: string, status: CheckStatus, conclusion: CheckConclusion | null): string {
  const stamp = '2026-01-01T00:00:00.0000000Z';
  const outcome = conclusion === null ? status : conclusion === 'success' ? 'succeeded' : `##[error]Process completed with exit code 1 (${conclusion}).`;
  return `${stamp} ##[group]Run ${name}\n${stamp} ##[endgroup]\n${stamp} ${outcome}\n`;
}

function refreshSuite(repo: FakeRepoData, suite: FakeCheckSuite, now: string): void {
  const runs = repo.checkRuns.filter(run => run.suiteId === suite.id);
  suite.updatedAt = now;
  if (runs.length === 0) return;
  if (runs.some(run => run.status !== 'completed')) {
    suite.status = runs.some(run => run.status === 'in_progress') ? 'in_progress' : 'queued';
    suite.conclusion = null;
    return;
  }
  suite.status = 'completed';
  suite.conclusion = runs.find(run => run.conclusion !== null && badConclusions.has(run.conclusion))?.conclusion ?? 'success';
}

/** A workflow run that waits for a maintainer's approval: a suite `waiting`/`action_required` with no runs. */
export function workflowAwaitingApproval(rt: FakeRuntime, repo: FakeRepoData, sha: string): FakeCheckSuite {
  const suite = suiteFor(rt, repo, sha, 'github-actions');
  suite.status = 'waiting';
  suite.conclusion = 'action_required';
  suite.updatedAt = rt.clock.now();
  return suite;
}

export interface StatusInput {
  readonly context: string;
  readonly state: StatusState;
  readonly targetUrl?: string;
  readonly description?: string;
  readonly creator?: string;
}

export function addStatus(rt: FakeRuntime, repo: FakeRepoData, sha: string, input: StatusInput): FakeStatus {
  const id = rt.ids.next('status');
  const status: FakeStatus = {
    id, nodeId: nodeId('StatusContext', id), sha, context: input.context, state: input.state, targetUrl: input.targetUrl ?? null,
    description: input.description ?? null, creator: input.creator ?? rt.tokenUser.login, createdAt: rt.clock.now(),
  };
  repo.statuses.push(status);
  return status;
}

export function checkRunsFor(repo: FakeRepoData, sha: string): FakeCheckRun[] {
  return repo.checkRuns.filter(run => run.headSha === sha);
}

export function checkSuitesFor(repo: FakeRepoData, sha: string): FakeCheckSuite[] {
  return repo.checkSuites.filter(suite => suite.headSha === sha);
}

/** The latest status of each context, newest first (as the combined status lists them). */
export function latestStatuses(repo: FakeRepoData, sha: string): FakeStatus[] {
  const byContext = new Map<string, FakeStatus>();
  for (const status of repo.statuses) if (status.sha === sha) byContext.set(status.context, status);
  return [...byContext.values()].sort((a, b) => b.id - a.id);
}

/** REST combined status: failure if any context errs or fails, pending if any is pending or none exist. */
export function combinedState(statuses: readonly FakeStatus[]): 'failure' | 'pending' | 'success' {
  if (statuses.some(status => status.state === 'error' || status.state === 'failure')) return 'failure';
  if (statuses.length === 0 || statuses.some(status => status.state === 'pending')) return 'pending';
  return 'success';
}

export type RollupContext = { readonly kind: 'checkRun'; readonly run: FakeCheckRun } | { readonly kind: 'status'; readonly status: FakeStatus };

/** GraphQL `statusCheckRollup` contexts: every check run (re-runs included) and the latest status per context. */
export function rollupContexts(repo: FakeRepoData, sha: string): RollupContext[] {
  return [
    ...checkRunsFor(repo, sha).map(run => ({ kind: 'checkRun' as const, run })),
    ...latestStatuses(repo, sha).reverse().map(status => ({ kind: 'status' as const, status })),
  ];
}

/** The rollup's state from the latest run of each check name and each status; null when there is nothing. */
export function rollupState(contexts: readonly RollupContext[]): 'ERROR' | 'FAILURE' | 'PENDING' | 'SUCCESS' | null {
  if (contexts.length === 0) return null;
  const latestRuns = new Map<string, FakeCheckRun>();
  const states: string[] = [];
  for (const context of contexts) {
    if (context.kind === 'checkRun') latestRuns.set(context.run.name, context.run);
    else states.push(context.status.state.toUpperCase());
  }
  for (const run of latestRuns.values()) {
    if (run.status !== 'completed') states.push('PENDING');
    else states.push(run.conclusion !== null && badConclusions.has(run.conclusion) ? 'FAILURE' : 'SUCCESS');
  }
  if (states.includes('FAILURE')) return 'FAILURE';
  if (states.includes('ERROR')) return 'ERROR';
  if (states.includes('PENDING')) return 'PENDING';
  return 'SUCCESS';
}

/** Whether a required check or status passed on this commit (the latest run or status of that name). */
export function contextPassed(repo: FakeRepoData, sha: string, name: string): 'passed' | 'failing' | 'expected' {
  const run = checkRunsFor(repo, sha).findLast(candidate => candidate.name === name);
  const status = latestStatuses(repo, sha).find(candidate => candidate.context === name);
  if (run === undefined && status === undefined) return 'expected';
  if (run !== undefined) return run.status === 'completed' && (run.conclusion === 'success' || run.conclusion === 'neutral' || run.conclusion === 'skipped') ? 'passed' : 'failing';
  return status?.state === 'success' ? 'passed' : 'failing';
}
