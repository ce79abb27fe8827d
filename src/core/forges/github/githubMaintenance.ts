import * as z from 'zod/mini';
import '../../../shared/zod';
import type { GitHubClient } from './githubClient';
import { readCommitChecks } from './commitChecks';
import type { PullRequestChecks } from './githubModel';
import { GitHubError, isGitHubError } from './githubError';

/** One failed job of a workflow run: what a fix request names and whose log it quotes. */
export interface FailedJob {
  readonly jobId: number;
  readonly runId: number;
  readonly name: string;
  readonly workflowName: string;
  readonly conclusion: string;
  readonly htmlUrl: string;
}

/** A workflow run's outcome on a commit (for the default branch's health). */
export interface WorkflowRunOutcome {
  readonly runId: number;
  readonly name: string;
  readonly headSha: string;
  readonly event: string;
  readonly status: string;
  readonly conclusion: string | null;
  readonly htmlUrl: string;
}

/** A deployment's latest status. */
export interface DeploymentOutcome {
  readonly deploymentId: number;
  readonly environment: string;
  readonly sha: string;
  readonly state: string;
  readonly description: string;
  readonly statusId: number;
}

/** A review's line comment: what a changes-requested follow-up sends to the authoring agent. */
export interface ReviewLineComment {
  readonly reviewId: number | null;
  readonly path: string;
  readonly line: number | null;
  readonly body: string;
  readonly author: string;
}

export type UpdateBranchOutcome = 'updated' | 'upToDate' | 'conflict' | 'headMoved';

/** What the maintenance track reads and writes on GitHub beyond the planning loop's port (issue 11). */
export interface GitHubMaintenance {
  /** Failed jobs of the workflow runs on a commit (a red PR's head, the default branch's tip). */
  failedJobs(headSha: string): Promise<readonly FailedJob[]>;
  /** The latest workflow runs on a branch, newest first (at most `limit`). */
  workflowRuns(branch: string, limit: number): Promise<readonly WorkflowRunOutcome[]>;
  /**
   * A job's log, at most `maxBytes` of its end (errors come late in a log). GitHub redirects to a signed URL on
   * another host: that address is fetched without the token.
   */
  jobLog(jobId: number, maxBytes: number): Promise<{ readonly text: string; readonly truncated: boolean }>;
  /** The latest deployments (at most `limit`) with their latest status. */
  deployments(limit: number): Promise<readonly DeploymentOutcome[]>;
  /** "Update branch": merges the base into the PR's head unless the head moved from `expectedHeadSha`. */
  updateBranch(pullNumber: number, expectedHeadSha: string): Promise<UpdateBranchOutcome>;
  /** Every line comment of a pull request's reviews. */
  reviewComments(pullNumber: number): Promise<readonly ReviewLineComment[]>;
  /** A commit's check runs and statuses (the default branch's tip: a red main). Optional: stub ports may leave it out. */
  commitChecks?(sha: string): Promise<PullRequestChecks>;
}

const badConclusions = new Set(['failure', 'timed_out', 'startup_failure', 'cancelled', 'action_required']);

const runSchema = z.object({
  id: z.number(), name: z.nullish(z.string()), head_sha: z.string(), event: z.string(), status: z.nullish(z.string()), conclusion: z.nullish(z.string()), html_url: z.string(),
});
const runsSchema = z.object({ workflow_runs: z.array(runSchema) });
const jobSchema = z.object({ id: z.number(), run_id: z.number(), name: z.string(), workflow_name: z.nullish(z.string()), conclusion: z.nullish(z.string()), html_url: z.nullish(z.string()) });
const jobsSchema = z.object({ jobs: z.array(jobSchema) });
const deploymentSchema = z.object({ id: z.number(), sha: z.string(), environment: z.string() });
const deploymentStatusSchema = z.object({ id: z.number(), state: z.string(), description: z.nullish(z.string()) });
const reviewCommentSchema = z.object({
  pull_request_review_id: z.nullish(z.number()), path: z.string(), line: z.nullish(z.number()), body: z.string(), user: z.nullish(z.object({ login: z.string() })),
});

/** How long a log download may take, and how much of a log is read before its end is kept. */
const logTimeoutMs = 30_000;

export function createGitHubMaintenance(client: GitHubClient, fetchLog: typeof globalThis.fetch = globalThis.fetch): GitHubMaintenance {
  return {
    async failedJobs(headSha) {
      const { data } = await client.rest({ method: 'GET', path: client.repoPath('actions', 'runs'), query: { head_sha: headSha, per_page: 100 } }, runsSchema);
      const failed: FailedJob[] = [];
      for (const run of data.workflow_runs.filter(candidate => candidate.head_sha === headSha && badConclusions.has(candidate.conclusion ?? ''))) {
        // A run has at most a few dozen jobs: one page of 100 holds them.
        const { data: page } = await client.rest({ method: 'GET', path: client.repoPath('actions', 'runs', run.id, 'jobs'), query: { per_page: 100 } }, jobsSchema);
        for (const job of page.jobs) {
          if (!badConclusions.has(job.conclusion ?? '')) continue;
          failed.push({ jobId: job.id, runId: job.run_id, name: job.name, workflowName: job.workflow_name ?? run.name ?? '', conclusion: job.conclusion ?? '', htmlUrl: job.html_url ?? run.html_url });
        }
      }
      return failed;
    },

    async workflowRuns(branch, limit) {
      const { data } = await client.rest({ method: 'GET', path: client.repoPath('actions', 'runs'), query: { branch, per_page: Math.min(100, Math.max(1, limit)) } }, runsSchema);
      return data.workflow_runs.slice(0, limit).map(run => ({
        runId: run.id, name: run.name ?? '', headSha: run.head_sha, event: run.event, status: run.status ?? '', conclusion: run.conclusion ?? null, htmlUrl: run.html_url,
      }));
    },

    async jobLog(jobId, maxBytes) {
      const location = await client.restRedirect({ method: 'GET', path: client.repoPath('actions', 'jobs', jobId, 'logs') });
      if (!/^https?:\/\//i.test(location)) throw new GitHubError('malformed', `GET job ${String(jobId)} logs: the redirect is not an http(s) address`, undefined);
      let response: Response;
      try {
        // No credentials: the signed URL is the permission, and the host is not GitHub's API.
        response = await fetchLog(location, { redirect: 'error', signal: AbortSignal.timeout(logTimeoutMs) });
      } catch (error) {
        throw new GitHubError('network', `GET job ${String(jobId)} log: ${error instanceof Error ? error.message : String(error)}`, undefined);
      }
      if (!response.ok) throw new GitHubError(response.status === 404 || response.status === 410 ? 'notFound' : 'server', `GET job ${String(jobId)} log: ${String(response.status)}`, response.status);
      return readTail(response, maxBytes);
    },

    async deployments(limit) {
      const { data } = await client.rest({ method: 'GET', path: client.repoPath('deployments'), query: { per_page: Math.min(100, Math.max(1, limit)) } }, z.array(deploymentSchema));
      const outcomes: DeploymentOutcome[] = [];
      for (const deployment of data.slice(0, limit)) {
        const statuses = await client.rest({ method: 'GET', path: client.repoPath('deployments', deployment.id, 'statuses'), query: { per_page: 1 } }, z.array(deploymentStatusSchema));
        const latest = statuses.data[0];
        if (latest === undefined) continue;
        outcomes.push({ deploymentId: deployment.id, environment: deployment.environment, sha: deployment.sha, state: latest.state, description: latest.description ?? '', statusId: latest.id });
      }
      return outcomes;
    },

    async updateBranch(pullNumber, expectedHeadSha) {
      try {
        await client.rest({ method: 'PUT', path: client.repoPath('pulls', pullNumber, 'update-branch'), body: { expected_head_sha: expectedHeadSha }, retryOnFailure: false }, z.unknown());
        return 'updated';
      } catch (error) {
        if (!isGitHubError(error) || error.status !== 422) throw error;
        if (/conflict/i.test(error.message)) return 'conflict';
        if (/no new commits/i.test(error.message)) return 'upToDate';
        if (/expected head sha/i.test(error.message)) return 'headMoved';
        throw error;
      }
    },

    async reviewComments(pullNumber) {
      const { items } = await client.restPages({ method: 'GET', path: client.repoPath('pulls', pullNumber, 'comments') }, reviewCommentSchema);
      return items.map(comment => ({ reviewId: comment.pull_request_review_id ?? null, path: comment.path, line: comment.line ?? null, body: comment.body, author: comment.user?.login ?? '' }));
    },

    commitChecks: sha => readCommitChecks(client, sha),
  };
}

/** Reads a body, keeping at most its last `maxBytes` (decoded as UTF-8; a cut character at the start is dropped). */
async function readTail(response: Response, maxBytes: number): Promise<{ readonly text: string; readonly truncated: boolean }> {
  const chunks: Buffer[] = [];
  let kept = 0;
  let truncated = false;
  if (response.body === null) return { text: '', truncated: false };
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    const buffer = Buffer.from(chunk);
    chunks.push(buffer);
    kept += buffer.length;
    while (kept > maxBytes && chunks.length > 1 && kept - (chunks[0]?.length ?? 0) >= maxBytes) {
      kept -= chunks.shift()?.length ?? 0;
      truncated = true;
    }
  }
  let all = Buffer.concat(chunks);
  if (all.length > maxBytes) {
    all = all.subarray(all.length - maxBytes);
    truncated = true;
  }
  const text = all.toString('utf8');
  return { text: truncated ? text.replace(/^\uFFFD+/, '') : text, truncated };
}
