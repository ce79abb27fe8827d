import { isGitHubError } from '../../forges/github/githubError';
import type { IssueSummary, PullRequestSummary, TimelineSignal } from '../../forges/github/githubModel';
import type { CopilotGitHubPort } from './copilotGitHub';
import { isCopilotActor } from './copilotIdentity';
import { deriveCopilotRunStatus, type CopilotRunView } from './copilotRunStatus';

/** PRs linked to one issue that a poll reads at most, newest first: humans may mention a task issue often. */
export const defaultMaxLinkedPullRequests = 10;

export interface CopilotRunRead extends CopilotRunView {
  readonly issue: IssueSummary;
}

export interface ReadOptions {
  readonly issueNumber: number;
  /** Undefined: the issue's creation (a handle that carried only the issue number). */
  readonly assignedAt: string | undefined;
  readonly afterPull?: number | undefined;
  readonly now: Date;
  readonly startTimeoutMs: number;
  readonly cancelled?: boolean;
}

/**
 * Reads what a Copilot run's status is derived from: the issue, then its linked PRs newest first until one
 * is Copilot's and recent enough, then that PR's REST timeline. A PR's author and creation time never
 * change, so PRs already seen to be someone else's or too old are not read again.
 */
export class CopilotRunReader {
  private readonly pullFacts = new Map<number, { readonly copilot: boolean; readonly createdAt: number }>();

  constructor(private readonly maxLinkedPullRequests = defaultMaxLinkedPullRequests) {}

  /** Throws `GitHubError` as the port does (`notFound` when the issue is gone). */
  async read(port: CopilotGitHubPort, options: ReadOptions): Promise<CopilotRunRead> {
    const issue = await port.getIssue(options.issueNumber);
    const assignedAt = options.assignedAt ?? issue.createdAt;
    const since = Date.parse(assignedAt);
    const afterPull = options.afterPull ?? 0;
    const pullRequests: PullRequestSummary[] = [];
    const signals = new Map<number, readonly TimelineSignal[]>();
    const linked = [...new Set(issue.linkedPullRequests)].filter(number => number > afterPull).sort((a, b) => b - a).slice(0, this.maxLinkedPullRequests);
    for (const number of linked) {
      const facts = this.pullFacts.get(number);
      if (facts !== undefined && (!facts.copilot || facts.createdAt < since)) continue;
      const pr = await this.getPullRequest(port, number);
      if (pr === undefined) continue;
      pullRequests.push(pr);
      if (isCopilotActor(pr.author) && !(Date.parse(pr.createdAt) < since)) {
        signals.set(pr.number, await port.listTimelineSignals(pr.number));
        break;
      }
    }
    const view = deriveCopilotRunStatus({
      issue,
      pullRequests,
      signals,
      assignedAt,
      afterPull,
      now: options.now,
      startTimeoutMs: options.startTimeoutMs,
      cancelled: options.cancelled ?? false,
    });
    return { ...view, issue };
  }

  private async getPullRequest(port: CopilotGitHubPort, number: number): Promise<PullRequestSummary | undefined> {
    try {
      const pr = await port.getPullRequest(number);
      this.pullFacts.set(number, { copilot: isCopilotActor(pr.author), createdAt: Date.parse(pr.createdAt) });
      return pr;
    } catch (error) {
      // A cross-reference from an issue (not a PR), or a PR since deleted or transferred.
      if (isGitHubError(error, 'notFound')) {
        this.pullFacts.set(number, { copilot: false, createdAt: Number.NaN });
        return undefined;
      }
      throw error;
    }
  }
}
