import type { RefMap } from '../git/bareRepo';
import type { FakeRepoData } from '../model';
import type { FakeRuntime, RepoRuntime } from '../runtime';
import { checkRunsFor, setCheckRuns } from './checks';
import { pulls } from './pulls';

/**
 * The automatic CI (`simulate.setCi`): each open PR's head and the default branch's commit get the rule's
 * checks, completed with the rule's conclusions, once — a head that already has a run of a rule's check is
 * left alone. It runs whenever the fake reads its refs again (after a push, a merge or an API write).
 */
export function automaticCi(rt: FakeRuntime, repo: RepoRuntime, refs: RefMap): void {
  const rule = repo.data.ci;
  if (rule === null) return;
  const heads = new Map<string, string>();
  for (const pull of pulls(repo.data)) if (pull.state === 'open') heads.set(pull.pull.headSha, pull.pull.baseRef);
  const tip = refs.get(`refs/heads/${repo.data.defaultBranch}`)?.sha;
  if (tip !== undefined && !heads.has(tip) && rule.pullRequestsOnly !== true) heads.set(tip, repo.data.defaultBranch);
  for (const [sha, base] of heads) runChecks(rt, repo.data, sha, base);
}

function runChecks(rt: FakeRuntime, repo: FakeRepoData, sha: string, base: string): void {
  const rule = repo.ci;
  if (rule === null) return;
  const done = new Set(checkRunsFor(repo, sha).map(run => run.name));
  const missing = rule.checks.filter(check => !done.has(check.name));
  if (missing.length === 0) return;
  setCheckRuns(rt, repo, sha, missing.map(check => ({ name: check.name, status: 'completed', conclusion: check.conclusion, ...(check.log === undefined ? {} : { log: check.log }) })), base);
}
