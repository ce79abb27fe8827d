import type { DraftAnalysisRequest, FollowUpRequest, FollowUpRun, MaintenanceAgents } from '../tracks/maintenance/maintenanceAgents';
import type { DraftAnalysis } from './draftAnalysis';
import type { JulesFollowUps } from './julesFollowUps';
import type { LocalFollowUps } from './localFollowUps';

/**
 * The maintenance track's agents on GitHub (issue 11): a local agent's follow-up in a worktree on the PR's
 * head branch (LocalFollowUps), a message to the Jules session that opened the PR (JulesFollowUps), and a
 * read-only analysis of a red draft (DraftAnalysis). Each is idempotent on its own terms; this only routes.
 */
export class GitHubMaintenanceAgents implements MaintenanceAgents {
  constructor(private readonly parts: { readonly local: LocalFollowUps; readonly jules: JulesFollowUps; readonly drafts: DraftAnalysis }) {}

  startLocalFollowUp(request: FollowUpRequest, agentId: string): Promise<{ readonly runId: string }> {
    return this.parts.local.start(request, agentId);
  }

  sendToJules(request: FollowUpRequest): Promise<{ readonly sessionId: string }> {
    return this.parts.jules.send(request);
  }

  analyzeDraft(request: DraftAnalysisRequest): Promise<{ readonly agentId: string; readonly body: string }> {
    return this.parts.drafts.analyze(request);
  }

  activeFollowUps(): ReadonlySet<number> {
    return this.parts.local.activePullNumbers();
  }

  followUpRun(request: Pick<FollowUpRequest, 'pullNumber' | 'kind' | 'attempt'>): Promise<FollowUpRun | undefined> {
    return this.parts.local.runOf(request);
  }

  /** Resolves when every local follow-up in flight has ended (deactivate, tests). */
  settled(): Promise<void> {
    return this.parts.local.settled();
  }
}
