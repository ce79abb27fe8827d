import type { LocalTaskRequest, LocalTaskResult, LocalTaskRuns } from './localTaskRuns';
import type { RemoteTaskRuns } from './remoteTaskRuns';

/**
 * The runs ATO starts itself for the loop's tasks: a local agent's in its worktree (LocalTaskRuns), a remote
 * agent's as its own session (RemoteTaskRuns). The loop asks one place what runs and starts through it.
 */
export class LoopTaskRuns {
  constructor(private readonly local: LocalTaskRuns, private readonly remote: RemoteTaskRuns) {}

  activeTaskIds(): ReadonlySet<string> {
    return new Set([...this.local.activeTaskIds(), ...this.remote.activeTaskIds()]);
  }

  start(request: LocalTaskRequest): { readonly started: boolean; readonly result: Promise<LocalTaskResult> } {
    return request.agent.needsWorktree ? this.local.start(request) : this.remote.start(request);
  }

  async settled(): Promise<void> {
    await Promise.all([this.local.settled(), this.remote.settled()]);
  }

  /** PRs remote agents' sessions reported, which the loop trusts as its agents' (see pullRequestTrust). */
  reportedPullRequests(): Promise<ReadonlyMap<number, string>> {
    return this.remote.reportedPullRequests();
  }
}
