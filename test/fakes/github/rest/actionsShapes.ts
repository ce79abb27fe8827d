import { jobsOf, runNumber, type RunOrigin, workflowOf } from '../domain/workflowRuns';
import type { CommitInfo } from '../git/bareRepo';
import type { FakeCheckRun, FakeCheckSuite, FakeRepoData } from '../model';
import type { FakeRuntime } from '../runtime';
import { pullMinimal } from './gitShapes';
import { repositoryCore } from './repoShapes';
import { userByLogin } from './userShapes';

function runUrl(rt: FakeRuntime, repo: FakeRepoData, suite: FakeCheckSuite): string {
  return rt.urls.repoApi(repo, `/actions/runs/${String(suite.workflowRun?.id ?? suite.id)}`);
}

/** A job's status as Actions reports it: a queued suite's jobs are queued; check-run-only states map to queued. */
function jobStatus(run: FakeCheckRun): string {
  return run.status === 'completed' || run.status === 'in_progress' || run.status === 'waiting' ? run.status : 'queued';
}

/** REST `workflow-run`. */
export function workflowRunShape(rt: FakeRuntime, repo: FakeRepoData, suite: FakeCheckSuite, origin: RunOrigin, commit: CommitInfo | undefined, baseShas: ReadonlyMap<number, string>): Record<string, unknown> {
  const url = runUrl(rt, repo, suite);
  const workflow = workflowOf(suite);
  const jobs = jobsOf(repo, suite);
  const started = jobs.map(job => job.startedAt).sort()[0] ?? suite.createdAt;
  const actor = userByLogin(rt, rt.tokenUser.login);
  return {
    id: suite.workflowRun?.id ?? suite.id,
    name: suite.workflowName,
    node_id: suite.workflowRun?.nodeId ?? suite.nodeId,
    check_suite_id: suite.id,
    check_suite_node_id: suite.nodeId,
    head_branch: origin.headBranch,
    head_sha: suite.headSha,
    path: workflow.path,
    display_title: commit?.message.split('\n')[0] ?? suite.workflowName,
    run_number: runNumber(repo, suite),
    run_attempt: 1,
    event: origin.event,
    status: suite.status === 'requested' || suite.status === 'pending' ? 'queued' : suite.status,
    conclusion: suite.conclusion,
    workflow_id: workflow.id,
    url,
    html_url: rt.urls.repoHtml(repo, `/actions/runs/${String(suite.workflowRun?.id ?? suite.id)}`),
    pull_requests: origin.pulls.map(pull => pullMinimal(rt, repo, pull, baseShas.get(pull.number) ?? suite.headSha)),
    created_at: suite.createdAt,
    updated_at: suite.updatedAt,
    actor,
    triggering_actor: actor,
    run_started_at: started,
    jobs_url: `${url}/jobs`,
    logs_url: `${url}/logs`,
    check_suite_url: rt.urls.repoApi(repo, `/check-suites/${String(suite.id)}`),
    artifacts_url: `${url}/artifacts`,
    cancel_url: `${url}/cancel`,
    rerun_url: `${url}/rerun`,
    previous_attempt_url: null,
    workflow_url: rt.urls.repoApi(repo, `/actions/workflows/${String(workflow.id)}`),
    head_commit: commit === undefined ? null : {
      id: suite.headSha,
      tree_id: commit.tree,
      message: commit.message.replace(/\n$/, ''),
      timestamp: commit.author.date,
      author: { name: commit.author.name, email: commit.author.email },
      committer: { name: commit.committer.name, email: commit.committer.email },
    },
    repository: repositoryCore(rt, repo),
    head_repository: repositoryCore(rt, repo),
  };
}

/** REST `job`: a check run of a workflow run, with one step that carries its outcome. */
export function jobShape(rt: FakeRuntime, repo: FakeRepoData, suite: FakeCheckSuite, job: FakeCheckRun, headBranch: string | null): Record<string, unknown> {
  const url = rt.urls.repoApi(repo, `/actions/jobs/${String(job.id)}`);
  const status = jobStatus(job);
  return {
    id: job.id,
    run_id: suite.workflowRun?.id ?? suite.id,
    run_url: runUrl(rt, repo, suite),
    run_attempt: 1,
    node_id: job.nodeId,
    head_sha: job.headSha,
    url,
    html_url: job.detailsUrl,
    status,
    conclusion: job.conclusion,
    created_at: job.startedAt,
    started_at: job.startedAt,
    completed_at: job.completedAt,
    name: job.name,
    steps: [
      { name: 'Set up job', status: 'completed', conclusion: 'success', number: 1, started_at: job.startedAt, completed_at: job.startedAt },
      { name: `Run ${job.name}`, status, conclusion: job.conclusion, number: 2, started_at: job.startedAt, completed_at: job.completedAt },
    ],
    check_run_url: rt.urls.repoApi(repo, `/check-runs/${String(job.id)}`),
    labels: ['ubuntu-latest'],
    runner_id: 1,
    runner_name: 'GitHub Actions 1',
    runner_group_id: 1,
    runner_group_name: 'GitHub Actions',
    workflow_name: suite.workflowName,
    head_branch: headBranch,
  };
}
