import type { FollowedPullRequest, WorkItem } from '../../engine/loopModel';
import type { PlanningLinks, WorkLink } from './planningLinks';
import { currentPullRequests, type PullRequestCheck } from './workProgress';

/**
 * Every open pull request the planning track follows — of the gap analysis, of each task, of each capability
 * update, opened since that work's issue (an earlier run's PR says nothing about this one) — with its CI state
 * and the merge policy's verdict, every rule with its reason. By number; a PR linked to two pieces of work is
 * listed once, under the first (gap analysis, then tasks, then capability updates).
 */
export function followedPullRequests(links: PlanningLinks, check: PullRequestCheck): FollowedPullRequest[] {
  const work: [WorkItem, WorkLink][] = [
    [{ kind: 'gapAnalysis' }, links.gap],
    ...[...links.tasks].map(([taskId, link]): [WorkItem, WorkLink] => [{ kind: 'task', taskId }, link]),
    ...[...links.capabilities].map(([sourcePullRequest, link]): [WorkItem, WorkLink] => [{ kind: 'capabilityUpdate', sourcePullRequest }, link]),
  ];
  const followed = new Map<number, FollowedPullRequest>();
  for (const [item, link] of work) {
    for (const pr of currentPullRequests(link)) {
      if (pr.state !== 'open' || followed.has(pr.number)) continue;
      const { ci, verdict } = check(pr);
      followed.set(pr.number, {
        number: pr.number,
        title: pr.title,
        url: pr.url,
        author: pr.author.login,
        isDraft: pr.isDraft,
        headSha: pr.headSha,
        work: { ...item, ...(link.issue === undefined ? {} : { issueNumber: link.issue.number }) },
        ci: ci.state,
        failingChecks: ci.failing.map(check => ({ name: check.name, url: check.url })),
        pendingChecks: [...ci.pending],
        verdict,
      });
    }
  }
  return [...followed.values()].sort((a, b) => a.number - b.number);
}
