import type { RepoSnapshot } from '../../../forges/github/githubModel';
import { ciState } from '../../policy/ciState';
import type { RedPullRequest } from '../../engine/loopModel';

/**
 * Open PRs whose head commit's CI is red (PRODUCT §4 "CI is red"), by number, each with its failing checks
 * (latest run of each name) and the fix attempts spent on it so far (`fixAttempts`, by PR number).
 */
export function redPullRequests(snapshot: RepoSnapshot, fixAttempts: ReadonlyMap<number, number>): RedPullRequest[] {
  const red: RedPullRequest[] = [];
  for (const pr of snapshot.openPullRequests) {
    if (pr.state !== 'open') continue;
    const ci = ciState(pr.checks);
    if (ci.state !== 'red') continue;
    red.push({
      number: pr.number,
      title: pr.title,
      url: pr.url,
      isDraft: pr.isDraft,
      failingChecks: ci.failing.map(check => ({ name: check.name, url: check.url })),
      fixAttempts: fixAttempts.get(pr.number) ?? 0,
    });
  }
  return red.sort((a, b) => a.number - b.number);
}
