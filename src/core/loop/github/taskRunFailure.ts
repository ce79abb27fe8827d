import type { GitHubPort } from '../../forges/github/githubPort';
import { formatMarker } from '../texts/markers';
import { fenced } from '../texts/thirdPartyText';

/**
 * Says on a task's issue why the run ATO started for it failed (or that it was cancelled), once (the same text, found again by a
 * retry), and closes the issue: the loop then offers the requeue (needs you).
 */
export async function reportTaskRunFailure(port: Pick<GitHubPort, 'listComments' | 'createComment' | 'updateIssue'>, issueNumber: number, agentId: string, what: string, reason: string, ending: 'failed' | 'was cancelled' = 'failed'): Promise<void> {
  const marker = formatMarker({ kind: 'agent', agentId });
  const body = `${what} ${ending}; requeue the task to run it again.\n\n${fenced(reason)}\n\n${marker}`;
  if (!(await port.listComments(issueNumber)).some(comment => comment.body === body)) await port.createComment(issueNumber, body);
  await port.updateIssue(issueNumber, { state: 'closed', stateReason: 'not_planned' });
}
