import { jobById, jobsOf, runOrigin, workflowSuite, workflowSuites } from '../domain/workflowRuns';
import { notFound } from '../errors';
import { paginate } from '../http/pagination';
import { type RepoRouteContext, repoRoute, type Route } from '../http/router';
import type { FakeCheckSuite } from '../model';
import { jobShape, workflowRunShape } from './actionsShapes';

async function runShape(context: RepoRouteContext, suite: FakeCheckSuite): Promise<Record<string, unknown>> {
  const origin = await runOrigin(context.repo, suite.headSha);
  const baseShas = new Map<number, string>();
  for (const pull of origin.pulls) baseShas.set(pull.number, await context.repo.branchSha(pull.pull.baseRef) ?? suite.headSha);
  return workflowRunShape(context.rt, context.repo.data, suite, origin, await context.repo.git.readCommit(suite.headSha), baseShas);
}

function suiteFrom(context: RepoRouteContext): FakeCheckSuite {
  const suite = workflowSuite(context.repo.data, Number(context.params['run_id']));
  if (suite === undefined) throw notFound();
  return suite;
}

/** The host a job's log is served from: another origin than the API's, as GitHub's signed blob URLs are. */
export function jobLogUrl(context: RepoRouteContext, jobId: number): string {
  const api = new URL(context.rt.urls.base);
  return `${api.protocol}//localhost:${api.port}/_fake/job-logs/${encodeURIComponent(context.repo.data.owner)}/${encodeURIComponent(context.repo.data.name)}/${String(jobId)}?sig=fake`;
}

export const actionsRoutes: readonly Route[] = [
  repoRoute('GET', '/repos/{owner}/{repo}/actions/runs', 'actions/list-workflow-runs-for-repo', async context => {
    const branch = context.query.get('branch');
    const event = context.query.get('event');
    const status = context.query.get('status');
    const headSha = context.query.get('head_sha');
    const shapes: Record<string, unknown>[] = [];
    // Newest first, as GitHub lists them.
    for (const suite of workflowSuites(context.repo.data).sort((a, b) => b.id - a.id)) {
      if (headSha !== null && suite.headSha !== headSha) continue;
      const shape = await runShape(context, suite);
      if (branch !== null && shape['head_branch'] !== branch) continue;
      if (event !== null && shape['event'] !== event) continue;
      if (status !== null && shape['status'] !== status && shape['conclusion'] !== status) continue;
      shapes.push(shape);
    }
    const { page, headers } = paginate(context, shapes);
    return { status: 200, body: { total_count: shapes.length, workflow_runs: page }, headers };
  }),
  repoRoute('GET', '/repos/{owner}/{repo}/actions/runs/{run_id}', 'actions/get-workflow-run', async context =>
    ({ status: 200, body: await runShape(context, suiteFrom(context)) })),
  repoRoute('GET', '/repos/{owner}/{repo}/actions/runs/{run_id}/jobs', 'actions/list-jobs-for-workflow-run', async context => {
    const suite = suiteFrom(context);
    const { headBranch } = await runOrigin(context.repo, suite.headSha);
    const jobs = jobsOf(context.repo.data, suite).map(job => jobShape(context.rt, context.repo.data, suite, job, headBranch));
    const { page, headers } = paginate(context, jobs);
    return { status: 200, body: { total_count: jobs.length, jobs: page }, headers };
  }),
  repoRoute('GET', '/repos/{owner}/{repo}/actions/jobs/{job_id}', 'actions/get-job-for-workflow-run', async context => {
    const found = jobById(context.repo.data, Number(context.params['job_id']));
    if (found === undefined) throw notFound();
    const { headBranch } = await runOrigin(context.repo, found.suite.headSha);
    return { status: 200, body: jobShape(context.rt, context.repo.data, found.suite, found.job, headBranch) };
  }),
  // GitHub answers with a redirect to a short-lived signed URL on another host; the log itself needs no token there.
  repoRoute('GET', '/repos/{owner}/{repo}/actions/jobs/{job_id}/logs', 'actions/download-job-logs-for-workflow-run', context => {
    const found = jobById(context.repo.data, Number(context.params['job_id']));
    if (found === undefined) throw notFound();
    return Promise.resolve({ status: 302, headers: { location: jobLogUrl(context, found.job.id) } });
  }),
];
