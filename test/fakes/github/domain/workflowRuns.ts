import type { FakeCheckRun, FakeCheckSuite, FakePull, FakeRepoData } from '../model';
import type { RepoRuntime } from '../runtime';
import { pulls } from './pulls';

/** An Actions workflow run is a check suite of the `github-actions` app: its id is the run's, its check runs are the jobs. */
export function workflowSuites(repo: FakeRepoData): FakeCheckSuite[] {
  return repo.checkSuites.filter(suite => suite.workflowRun !== null);
}

export function workflowSuite(repo: FakeRepoData, runId: number): FakeCheckSuite | undefined {
  return repo.checkSuites.find(suite => suite.workflowRun?.id === runId);
}

export function jobsOf(repo: FakeRepoData, suite: FakeCheckSuite): FakeCheckRun[] {
  return repo.checkRuns.filter(run => run.suiteId === suite.id);
}

export function jobById(repo: FakeRepoData, jobId: number): { readonly job: FakeCheckRun; readonly suite: FakeCheckSuite } | undefined {
  const job = repo.checkRuns.find(run => run.id === jobId);
  const suite = job === undefined ? undefined : repo.checkSuites.find(candidate => candidate.id === job.suiteId && candidate.workflowRun !== null);
  return job === undefined || suite === undefined ? undefined : { job, suite };
}

export interface RunOrigin {
  /** The branch the run ran for (a PR's head branch, or the branch the commit is on), null when none. */
  readonly headBranch: string | null;
  readonly event: 'pull_request' | 'push';
  /** Open PRs of this repository whose head is the run's commit. */
  readonly pulls: readonly FakePull[];
}

/** Where a run's commit came from: a PR head (event `pull_request`), else a branch tip (event `push`). */
export async function runOrigin(repo: RepoRuntime, sha: string): Promise<RunOrigin> {
  const heads = pulls(repo.data).filter(pull => pull.pull.headSha === sha && pull.pull.headOwner === undefined);
  const open = heads.filter(pull => pull.state === 'open');
  const fromPull = heads.at(-1);
  if (fromPull !== undefined) return { headBranch: fromPull.pull.headRef, event: 'pull_request', pulls: open };
  const refs = await repo.refs();
  const branches = [...refs.entries()].filter(([ref, value]) => ref.startsWith('refs/heads/') && value.sha === sha).map(([ref]) => ref.slice('refs/heads/'.length));
  const branch = branches.includes(repo.data.defaultBranch) ? repo.data.defaultBranch : branches[0] ?? null;
  return { headBranch: branch, event: 'push', pulls: [] };
}

/** The run number: runs of one workflow are numbered from 1 in creation order. */
export function runNumber(repo: FakeRepoData, suite: FakeCheckSuite): number {
  return workflowSuites(repo).filter(other => other.workflowName === suite.workflowName && other.id <= suite.id).length;
}

/** A workflow's file and id: one per name. */
export function workflowOf(suite: FakeCheckSuite): { readonly id: number; readonly path: string } {
  const slug = suite.workflowName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'ci';
  let id = 7000;
  for (const char of slug) id = (id * 31 + char.charCodeAt(0)) % 1_000_000;
  return { id: 100_000 + id, path: `.github/workflows/${slug}.yml` };
}
