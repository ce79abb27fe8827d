import type { PullRequestSummary } from '../../forges/github/githubModel';

export interface RemoteTaskResult {
  readonly taskId: string;
  readonly pullRequest: Pick<PullRequestSummary, 'number' | 'title' | 'url'>;
  readonly issueNumber: number | undefined;
  readonly agentId: string;
  readonly completedAt: string;
}

/**
 * The result section appended to a task file when its PR is merged (PRODUCT §8): what merged, where, by
 * which agent. It starts with a marker line so appending it twice is detectable (`moveTaskRemote` appends once).
 */
export function taskResultText(result: RemoteTaskResult): string {
  const pr = result.pullRequest;
  return [
    `<!-- ato:result task=${result.taskId} pr=${String(pr.number)} -->`,
    '## Result',
    '',
    `- Outcome: merged in [PR #${String(pr.number)}](${pr.url}) — ${pr.title.replace(/[\r\n]+/g, ' ')}`,
    ...(result.issueNumber === undefined ? [] : [`- Issue: #${String(result.issueNumber)}`]),
    `- Agent: ${result.agentId}`,
    `- Completed: ${result.completedAt}`,
    '',
  ].join('\n');
}
