import { isGitHubError } from '../../forges/github/githubError';
import type { GitHubMaintenance } from '../../forges/github/githubMaintenance';
import type { GitHubPort } from '../../forges/github/githubPort';
import { readDeployLog } from '../tracks/maintenance/deployLogFile';
import { emergencyFindings, type EmergencyInputs, type EmergencyJobLog } from '../tracks/maintenance/emergencyFindings';
import { planEmergency } from '../tracks/maintenance/emergencyPlan';
import type { QueuedEmergencies } from '../tracks/maintenance/emergencyTask';

export interface EmergencyReadOptions {
  /** The default branch's tip as the tick's snapshot read it (`RepoSnapshot.defaultBranchSha`): saves a ref read. */
  readonly headSha?: string;
  /** What the queue holds (`emergenciesInQueue`): a job log is read only for the failure about to become a task. */
  readonly queued?: QueuedEmergencies;
  /** Workflow runs on the branch read (newest first; one request), default 10. */
  readonly runLimit?: number;
  /** Deployments read (one request, plus one per deployment for its latest status), default 5. */
  readonly deploymentLimit?: number;
  /** Job logs quoted for the one new failure (default 2), each read to at most its last `jobLogMaxBytes` (64 KiB). */
  readonly maxJobLogs?: number;
  readonly jobLogMaxBytes?: number;
  /** `ato.maintenance.deployLog` (relative to `workspaceRoot`); empty or absent: no log. */
  readonly deployLog?: { readonly workspaceRoot: string; readonly setting: string; readonly maxBytes?: number };
}

export interface EmergencyReads {
  readonly inputs: EmergencyInputs;
  /** Deploy-log lines that were not events (skipped), and whether only the log's tail was read. */
  readonly deployLogJunkLines: number;
  readonly deployLogTruncated: boolean;
  /** What the reads cost on GitHub (the port's meter): requests, of them 304s, and rate-limit points. */
  readonly cost: { readonly requests: number; readonly notModified: number; readonly points: number };
}

export class EmergencyReadError extends Error {
  override readonly name = 'EmergencyReadError';
}

async function step<T>(what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new EmergencyReadError(`Could not read ${what} for the emergency check: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/**
 * What the emergency check needs, as cheaply as GitHub allows (issue 11). Per tick, GitHub mode: the tip's
 * checks (2 conditional requests), the branch's latest runs (1), the latest deployments (1 + one per deployment),
 * and a ref read when `headSha` is not given — every GET conditional, so an unchanged answer is a free 304. Job
 * logs (failed jobs: 1 + one per failed run; each log: 1 + its download) only for the one failure about to become
 * a task. Local mode (`port` undefined): the deploy log only. A failed read throws {@link EmergencyReadError}
 * and nothing is planned from half the state; an expired job log is only left out.
 */
export async function readEmergencyInputs(port: GitHubPort | undefined, branch: string, options: EmergencyReadOptions = {}): Promise<EmergencyReads> {
  const before = port?.usage;
  const log = options.deployLog === undefined
    ? undefined
    : await step(`the deploy log ${options.deployLog.setting}`, () => readDeployLog(options.deployLog?.workspaceRoot ?? '', options.deployLog?.setting ?? '', options.deployLog?.maxBytes));
  const deployLog = log === undefined || options.deployLog === undefined ? undefined : { path: options.deployLog.setting, entries: log.entries };
  let inputs: EmergencyInputs = { defaultBranch: branch, workflowRuns: [], deployments: [], ...(deployLog === undefined ? {} : { deployLog }) };
  if (port !== undefined) {
    const maintenance = port.maintenance;
    if (maintenance === undefined) throw new EmergencyReadError('This GitHub connection does not serve the maintenance track (no Actions or deployment reads).');
    const headSha = options.headSha ?? await step(`the head of ${branch}`, async () => {
      const ref = await port.getRef(`refs/heads/${branch}`);
      if (ref === undefined) throw new Error(`the branch ${branch} does not exist`);
      return ref.sha;
    });
    const commitChecks = maintenance.commitChecks?.bind(maintenance);
    const [checks, workflowRuns, deployments] = await Promise.all([
      commitChecks === undefined ? Promise.resolve(undefined) : step(`the checks of ${branch} at ${headSha.slice(0, 7)}`, () => commitChecks(headSha)),
      step(`the workflow runs on ${branch}`, () => maintenance.workflowRuns(branch, options.runLimit ?? 10)),
      step('the deployments', () => maintenance.deployments(options.deploymentLimit ?? 5)),
    ]);
    inputs = { ...inputs, head: { sha: headSha, ...(checks === undefined ? {} : { checks }) }, workflowRuns, deployments };
    const jobLogs = await logsForNext(maintenance, inputs, options);
    if (jobLogs.length > 0) inputs = { ...inputs, jobLogs };
  }
  const after = port?.usage;
  return {
    inputs,
    deployLogJunkLines: log?.junkLines ?? 0,
    deployLogTruncated: log?.truncated ?? false,
    cost: {
      requests: (after?.requests ?? 0) - (before?.requests ?? 0),
      notModified: (after?.notModified ?? 0) - (before?.notModified ?? 0),
      points: (after?.points ?? 0) - (before?.points ?? 0),
    },
  };
}

/** The failed jobs' logs of the commit whose failure is planned next, when it is a CI failure without a task. */
async function logsForNext(maintenance: GitHubMaintenance, inputs: EmergencyInputs, options: EmergencyReadOptions): Promise<EmergencyJobLog[]> {
  const next = planEmergency(emergencyFindings(inputs), options.queued?.keys ?? new Set(), options.queued?.openSubjects).action?.finding;
  if (next === undefined || (next.source !== 'redMain' && next.source !== 'workflowRun')) return [];
  const sha = next.source === 'redMain' ? inputs.head?.sha : inputs.workflowRuns.find(run => `run-${String(run.runId)}` === next.key)?.headSha;
  if (sha === undefined) return [];
  const jobs = await step(`the failed jobs at ${sha.slice(0, 7)}`, () => maintenance.failedJobs(sha));
  const logs: EmergencyJobLog[] = [];
  for (const job of jobs.slice(0, options.maxJobLogs ?? 2)) {
    try {
      const { text } = await maintenance.jobLog(job.jobId, options.jobLogMaxBytes ?? 64 * 1024);
      logs.push({ headSha: sha, jobName: job.name, url: job.htmlUrl, text });
    } catch (error) {
      // GitHub keeps logs for a while only: an expired one is not an error, the task goes without its excerpt.
      if (isGitHubError(error, 'notFound')) continue;
      throw new EmergencyReadError(`Could not read the log of the failed job ${job.name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
  return logs;
}
