import { checkRunsFor, combinedState, latestStatuses } from '../domain/checks';
import { pulls } from '../domain/pulls';
import { FakeApiError } from '../errors';
import { paginate } from '../http/pagination';
import { type RepoRouteContext, repoRoute, type Route } from '../http/router';
import type { FakeCheckRun } from '../model';
import { checkRunShape, combinedStatusShape } from './gitShapes';

async function commitOf(context: RepoRouteContext): Promise<string> {
  const ref = context.params['ref'] ?? '';
  const sha = await context.repo.git.resolveCommit(ref);
  if (sha === undefined) throw new FakeApiError(422, `No commit found for SHA: ${ref}`);
  return sha;
}

export const checkRoutes: readonly Route[] = [
  repoRoute('GET', '/repos/{owner}/{repo}/commits/{ref}/check-runs', 'checks/list-for-ref', async context => {
    const sha = await commitOf(context);
    const name = context.query.get('check_name');
    const status = context.query.get('status');
    let runs = checkRunsFor(context.repo.data, sha).filter(run => (name === null || run.name === name) && (status === null || run.status === status));
    // `filter=latest` (the default) keeps the most recent run of each name.
    if ((context.query.get('filter') ?? 'latest') === 'latest') {
      const latest = new Map<string, FakeCheckRun>();
      for (const run of runs) latest.set(run.name, run);
      runs = [...latest.values()];
    }
    runs.sort((a, b) => b.id - a.id);
    const related = await Promise.all(pulls(context.repo.data)
      .filter(pull => pull.state === 'open' && pull.pull.headSha === sha)
      .map(async pull => ({ pull, baseSha: await context.repo.branchSha(pull.pull.baseRef) ?? sha })));
    const { page, headers } = paginate(context, runs);
    return { status: 200, body: { total_count: runs.length, check_runs: page.map(run => checkRunShape(context.rt, context.repo.data, run, related)) }, headers };
  }),
  repoRoute('GET', '/repos/{owner}/{repo}/commits/{ref}/status', 'repos/get-combined-status-for-ref', async context => {
    const sha = await commitOf(context);
    const statuses = latestStatuses(context.repo.data, sha);
    const { page, headers } = paginate(context, statuses);
    return { status: 200, body: combinedStatusShape(context.rt, context.repo.data, sha, combinedState(statuses), page), headers };
  }),
];
