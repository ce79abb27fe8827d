import { createHash } from 'node:crypto';
import type { DeploymentOutcome, WorkflowRunOutcome } from '../../../forges/github/githubMaintenance';
import type { PullRequestChecks } from '../../../forges/github/githubModel';
import { ciState } from '../../policy/ciState';
import { codeSpan, fenced, singleLine } from '../../texts/thirdPartyText';
import { deployLogLineKey, type DeployLogEntry } from './deployLog';
import { logExcerpt } from './logExcerpt';

/**
 * Emergencies (PRODUCT §4 maintenance track, issue 11): the default branch red, a failed workflow run on it, a
 * failed deployment, a failure in the deploy log. Pure: what was read in, findings out, each with the stable key
 * its task is idempotent by. Only a thing's current state counts — a failure a later success of the same thing
 * (the same check on the tip, the same workflow, the same environment) replaced needs nothing.
 */

export type EmergencySource = 'redMain' | 'workflowRun' | 'deployment' | 'deployLog';

/** A failed job's log the reads had at hand (only for a failure no task covers yet: logs are expensive). */
export interface EmergencyJobLog {
  readonly headSha: string;
  readonly jobName: string;
  readonly url: string;
  readonly text: string;
}

export interface EmergencyInputs {
  readonly defaultBranch: string;
  /** The default branch's tip and its checks (absent when they could not be read: only runs decide then). */
  readonly head?: { readonly sha: string; readonly checks?: PullRequestChecks };
  /** The latest workflow runs on the default branch, newest first. */
  readonly workflowRuns: readonly WorkflowRunOutcome[];
  /** The latest deployments with their latest status, newest first. */
  readonly deployments: readonly DeploymentOutcome[];
  /** Parsed `ato.maintenance.deployLog` (path as set), when one is configured and exists. */
  readonly deployLog?: { readonly path: string; readonly entries: readonly DeployLogEntry[] };
  readonly jobLogs?: readonly EmergencyJobLog[];
}

export interface EmergencyFinding {
  /** `main-red-<sha>`, `run-<id>`, `deploy-<id>` or `log-<hash>`: one task per key, ever. */
  readonly key: string;
  /**
   * The thing that failed (the default branch, a workflow, an environment), hashed: while a task for it is open
   * (pending/ or processed/) a new failure of it is the same emergency. Committing that task to the default
   * branch makes a new tip, which CI fails again: without this, one task per commit.
   */
  readonly subject: string;
  readonly source: EmergencySource;
  /** One line, third-party parts made safe. */
  readonly title: string;
  /** Markdown: what failed, where, with every third-party text fenced. */
  readonly context: string;
  readonly taskType: 'ci_fix' | 'maintenance';
  /** For ordering, oldest first within a source: a time when the source gives one, else GitHub's increasing ids. */
  readonly at?: string;
  readonly serial: number;
}

const failingRunConclusions: ReadonlySet<string> = new Set(['failure', 'timed_out', 'startup_failure']);
const failedDeploymentStates: ReadonlySet<string> = new Set(['failure', 'error']);
/** Runs for pull requests run on their head, not on the branch's history. */
const prEvents: ReadonlySet<string> = new Set(['pull_request', 'pull_request_target']);
/** Log lines quoted from a failure streak in the deploy log. */
const maxStreakLines = 10;
/** Characters of one job's log excerpt in a task (a task file is read by a person and an agent). */
const excerptChars = 3_000;

/** A subject's token: a hash, so third-party names (workflows, environments) never reach a marker line. */
export function emergencySubject(kind: 'main' | 'workflow' | 'environment', name: string): string {
  return createHash('sha256').update(`${kind}\u0000${name}`, 'utf8').digest('hex').slice(0, 16);
}

function short(sha: string): string {
  return sha.slice(0, 7);
}

/** The latest run of each workflow on the branch (the list is newest first); PR runs left out. */
function latestRunPerWorkflow(runs: readonly WorkflowRunOutcome[]): WorkflowRunOutcome[] {
  const latest = new Map<string, WorkflowRunOutcome>();
  for (const run of [...runs].sort((a, b) => b.runId - a.runId)) {
    if (prEvents.has(run.event)) continue;
    if (!latest.has(run.name)) latest.set(run.name, run);
  }
  return [...latest.values()];
}

function isFailedRun(run: WorkflowRunOutcome): boolean {
  return run.status === 'completed' && failingRunConclusions.has(run.conclusion ?? '');
}

function excerptsFor(sha: string, logs: readonly EmergencyJobLog[]): string[] {
  return logs.filter(log => log.headSha === sha).map(log => {
    const excerpt = logExcerpt(log.text, { maxChars: excerptChars });
    return `Log excerpt of the failed job ${codeSpan(log.jobName)} (${codeSpan(log.url)}):\n\n${fenced(excerpt.text, 'log')}`;
  });
}

function runLine(run: WorkflowRunOutcome): string {
  return `- workflow ${codeSpan(run.name)}: ${codeSpan(run.conclusion ?? run.status)} — ${codeSpan(run.htmlUrl)}`;
}

function redMain(inputs: EmergencyInputs, latestRuns: readonly WorkflowRunOutcome[]): EmergencyFinding | undefined {
  const head = inputs.head;
  if (head === undefined) return undefined;
  const report = head.checks === undefined ? undefined : ciState(head.checks);
  const failedRuns = latestRuns.filter(run => run.headSha === head.sha && isFailedRun(run));
  // A red tip and its failed runs are one emergency; a run that failed on the tip is one even before every check reported.
  if (report?.state !== 'red' && failedRuns.length === 0) return undefined;
  const failing = report?.failing ?? [];
  const names = failing.length > 0 ? failing.map(check => check.name) : failedRuns.map(run => run.name);
  const lines = [
    `The default branch ${codeSpan(inputs.defaultBranch)} is red at ${codeSpan(head.sha)}.`,
    '',
    ...(failing.length > 0 ? ['Failing checks:', ...failing.map(check => `- ${codeSpan(check.name)}: ${codeSpan(check.conclusion ?? check.status)}${check.url === null ? '' : ` — ${codeSpan(check.url)}`}`), ''] : []),
    ...(failedRuns.length > 0 ? ['Failed workflow runs on this commit:', ...failedRuns.map(runLine), ''] : []),
    ...excerptsFor(head.sha, inputs.jobLogs ?? []).flatMap(block => [block, '']),
  ];
  return {
    key: `main-red-${head.sha}`,
    subject: emergencySubject('main', inputs.defaultBranch),
    source: 'redMain',
    title: singleLine(`Default branch ${inputs.defaultBranch} is red at ${short(head.sha)}: ${names.join(', ')}`),
    context: lines.join('\n'),
    taskType: 'ci_fix',
    serial: Math.min(...failedRuns.map(run => run.runId), Number.MAX_SAFE_INTEGER),
  };
}

function failedRuns(inputs: EmergencyInputs, latestRuns: readonly WorkflowRunOutcome[]): EmergencyFinding[] {
  // A failed run on the tip belongs to the red-main finding (one emergency, one key).
  return latestRuns.filter(run => isFailedRun(run) && run.headSha !== inputs.head?.sha).map(run => ({
    key: `run-${String(run.runId)}`,
    subject: emergencySubject('workflow', run.name),
    source: 'workflowRun',
    title: singleLine(`Workflow ${run.name} failed on ${inputs.defaultBranch} at ${short(run.headSha)}`),
    context: [
      `The latest run of the workflow ${codeSpan(run.name)} on ${codeSpan(inputs.defaultBranch)} failed (no later run of it succeeded).`,
      '',
      `- commit ${codeSpan(run.headSha)}, event ${codeSpan(run.event)}`,
      runLine(run),
      '',
      ...excerptsFor(run.headSha, inputs.jobLogs ?? []).flatMap(block => [block, '']),
    ].join('\n'),
    taskType: 'ci_fix',
    serial: run.runId,
  }));
}

function failedDeployments(inputs: EmergencyInputs): EmergencyFinding[] {
  const latest = new Map<string, DeploymentOutcome>();
  for (const deployment of [...inputs.deployments].sort((a, b) => b.deploymentId - a.deploymentId)) {
    if (!latest.has(deployment.environment)) latest.set(deployment.environment, deployment);
  }
  return [...latest.values()].filter(deployment => failedDeploymentStates.has(deployment.state)).map(deployment => ({
    key: `deploy-${String(deployment.deploymentId)}`,
    subject: emergencySubject('environment', deployment.environment),
    source: 'deployment',
    title: singleLine(`Deployment to ${deployment.environment} failed (${deployment.state}) at ${short(deployment.sha)}`),
    context: [
      `The latest deployment to ${codeSpan(deployment.environment)} ended in ${codeSpan(deployment.state)}.`,
      '',
      `- deployment ${String(deployment.deploymentId)} of commit ${codeSpan(deployment.sha)} (status ${String(deployment.statusId)})`,
      '',
      ...(deployment.description.trim() === '' ? [] : ['Its status says:', '', fenced(deployment.description), '']),
    ].join('\n'),
    taskType: 'maintenance',
    serial: deployment.deploymentId,
  }));
}

function deployLogFailures(inputs: EmergencyInputs): EmergencyFinding[] {
  const log = inputs.deployLog;
  if (log === undefined) return [];
  const byEnvironment = new Map<string, DeployLogEntry[]>();
  for (const entry of log.entries) byEnvironment.set(entry.environment, [...(byEnvironment.get(entry.environment) ?? []), entry]);
  const findings: EmergencyFinding[] = [];
  for (const [environment, entries] of byEnvironment) {
    // The file is chronological: the environment's last event is its state.
    const last = entries.at(-1);
    if (last?.status !== 'failure') continue;
    const since = entries.findLastIndex(entry => entry.status === 'success');
    const streak = entries.slice(since + 1).slice(-maxStreakLines);
    findings.push({
      key: deployLogLineKey(last.line),
      // A deployment and a log line about one environment are one emergency.
      subject: emergencySubject('environment', environment),
      source: 'deployLog',
      title: singleLine(`Deployment to ${environment} failed: ${last.message === '' ? 'see the deploy log' : last.message}`, 120),
      context: [
        `The deploy log ${codeSpan(log.path)} reports a failed deployment to ${codeSpan(environment)} at ${last.timestamp} (line ${String(last.lineNumber)}), with no success since.`,
        '',
        'The line:',
        '',
        fenced(last.line, 'log'),
        '',
        ...(streak.length > 1 ? [`The environment's events since its last success:`, '', fenced(streak.map(entry => entry.line).join('\n'), 'log'), ''] : []),
      ].join('\n'),
      taskType: 'maintenance',
      at: last.timestamp,
      serial: last.lineNumber,
    });
  }
  return findings;
}

const sourceRank: Readonly<Record<EmergencySource, number>> = { redMain: 0, workflowRun: 1, deployment: 2, deployLog: 3 };

/** Findings in the order they become tasks: main first (it blocks everyone), then runs, deployments, the log; each oldest first. */
export function compareFindings(a: EmergencyFinding, b: EmergencyFinding): number {
  return sourceRank[a.source] - sourceRank[b.source]
    || (a.at ?? '').localeCompare(b.at ?? '')
    || a.serial - b.serial
    || a.key.localeCompare(b.key);
}

export function emergencyFindings(inputs: EmergencyInputs): EmergencyFinding[] {
  const latestRuns = latestRunPerWorkflow(inputs.workflowRuns);
  const main = redMain(inputs, latestRuns);
  return [
    ...(main === undefined ? [] : [main]),
    ...failedRuns(inputs, latestRuns),
    ...failedDeployments(inputs),
    ...deployLogFailures(inputs),
  ].sort(compareFindings);
}
