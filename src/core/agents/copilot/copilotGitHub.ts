import type { IssueSummary } from '../../forges/github/githubModel';
import type { GitHubPort } from '../../forges/github/githubPort';

/**
 * The part of `GitHubPort` the Copilot backend uses. `removeAssignees` is optional because the port does not
 * declare it yet: without it, `cancel` can only leave a comment (the assignment stays).
 */
export type CopilotGitHubPort = Pick<
  GitHubPort,
  'repo' | 'listIssuesByLabel' | 'listOpenIssues' | 'getIssue' | 'createIssue' | 'updateIssue' | 'addAssignees' | 'addLabels' | 'listComments' | 'createComment' | 'ensureLabel' | 'listTimelineSignals' | 'getPullRequest' | 'suggestedActors'
> & {
  removeAssignees?(issueNumber: number, assignees: readonly string[]): Promise<IssueSummary>;
};

/** A port, or a way to get one (the adapter is created lazily and its token may change). */
export type CopilotPortSource = CopilotGitHubPort | (() => Promise<CopilotGitHubPort>);

export function portGetter(source: CopilotPortSource): () => Promise<CopilotGitHubPort> {
  return typeof source === 'function' ? source : () => Promise.resolve(source);
}
