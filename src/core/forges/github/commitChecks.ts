import * as z from 'zod/mini';
import '../../../shared/zod';
import type { GitHubClient } from './githubClient';
import type { CheckContext, PullRequestChecks } from './githubModel';

const checkRunSchema = z.object({
  name: z.string(), status: z.string(), conclusion: z.nullish(z.string()), started_at: z.nullish(z.string()), html_url: z.nullish(z.string()), details_url: z.nullish(z.string()),
});
const checkRunsSchema = z.object({ total_count: z.number(), check_runs: z.array(checkRunSchema) });
const statusSchema = z.object({ context: z.string(), state: z.string(), target_url: z.nullish(z.string()), created_at: z.nullish(z.string()) });
const combinedStatusSchema = z.object({ state: z.string(), total_count: z.number(), statuses: z.array(statusSchema) });

/**
 * The checks of one commit that is not a PR's head (the default branch's tip, issue 11 "red main"), in the
 * shape `policy/ciState.ts` reads: the latest check run of each name and the latest status of each context.
 * Two REST requests, both conditional (a 304 costs no rate-limit point); more than one page of either is
 * `truncated`, and GitHub's combined status then stands in for what the page does not show.
 */
export async function readCommitChecks(client: GitHubClient, sha: string): Promise<PullRequestChecks> {
  const [runs, statuses] = await Promise.all([
    client.rest({ method: 'GET', path: client.repoPath('commits', sha, 'check-runs'), query: { filter: 'latest', per_page: 100 } }, checkRunsSchema),
    client.rest({ method: 'GET', path: client.repoPath('commits', sha, 'status'), query: { per_page: 100 } }, combinedStatusSchema),
  ]);
  const contexts: CheckContext[] = [
    ...runs.data.check_runs.map((run): CheckContext => ({
      kind: 'checkRun', name: run.name, status: run.status.toUpperCase(), conclusion: run.conclusion?.toUpperCase() ?? null,
      required: false, url: run.html_url ?? run.details_url ?? null, startedAt: run.started_at ?? null,
    })),
    ...statuses.data.statuses.map((status): CheckContext => ({
      kind: 'status', name: status.context, status: status.state.toUpperCase(), conclusion: null,
      required: false, url: status.target_url ?? null, startedAt: status.created_at ?? null,
    })),
  ];
  const truncated = runs.data.total_count > runs.data.check_runs.length || statuses.data.total_count > statuses.data.statuses.length;
  // The combined status speaks for statuses only; with no context at all there is no CI.
  const rollupState = contexts.length === 0 ? null : statuses.data.state.toUpperCase();
  return { rollupState, contexts, requiredContexts: [], awaitingApproval: 0, truncated };
}
