import type { IssueComment, RepoSnapshot } from '../../forges/github/githubModel';
import type { GitHubPort } from '../../forges/github/githubPort';
import type { FollowedPullRequest, RedPullRequest } from '../engine/loopModel';
import type { TrustFacts } from '../policy/pullRequestTrust';
import type { MaintenanceAgents } from '../tracks/maintenance/maintenanceAgents';
import { planMaintenance, withCare, type MaintenancePlan, type PullReading } from '../tracks/maintenance/maintenancePlan';
import { recordsFromComments } from '../tracks/maintenance/maintenanceRecords';
import { changesRequestedBy, pullsInScope, type MaintenanceScope, type PullInScope } from '../tracks/maintenance/pullsUnderCare';

/** `ato.maintenance.*` as the track reads them each tick. */
export interface MaintenanceSettingsView {
  readonly enabled: boolean;
  readonly maxFixAttempts: number;
  readonly scope: MaintenanceScope;
  /** `ato.merge.train`: behind PRs are updated so the train can merge them one at a time. */
  readonly train?: boolean;
  /** `ato.maintenance.deployLog` ('' or absent: none). */
  readonly deployLog?: string;
}

export interface MaintenanceObservation {
  readonly plan: MaintenancePlan | undefined;
  /** The track's plan line when it does not run (off, no maintenance API). */
  readonly off?: string;
  readonly inScope: readonly PullInScope[];
}

/**
 * Reads what the maintenance track decides from, at the cost of the PRs in scope only: ATO's marker comments on
 * each (re-read only when the PR changed: GitHub bumps a PR's `updatedAt` for every comment and push) and the
 * line comments of a changes-requested review. A stranger's PR costs nothing.
 */
export class MaintenanceReader {
  private readonly comments = new Map<number, { readonly stamp: string; readonly comments: readonly IssueComment[] }>();

  constructor(private readonly port: GitHubPort, private readonly agents: MaintenanceAgents | undefined) {}

  /** Forgets what was read of a PR (ATO just wrote there). */
  forget(pullNumber: number): void {
    this.comments.delete(pullNumber);
  }

  async observe(snapshot: RepoSnapshot, trust: TrustFacts, followed: readonly FollowedPullRequest[], settings: MaintenanceSettingsView): Promise<MaintenanceObservation> {
    if (!settings.enabled) return { plan: undefined, off: 'The maintenance track is off (`ato.maintenance.enabled`).', inScope: [] };
    const maintenance = this.port.maintenance;
    if (maintenance === undefined) return { plan: undefined, off: 'The maintenance track needs the GitHub maintenance API, which this port lacks.', inScope: [] };
    const followedIssues = new Map(followed.map(pr => [pr.number, pr.work.issueNumber]));
    const inScope = pullsInScope(snapshot.openPullRequests, snapshot.issues, trust, settings.scope, followedIssues);
    const readings: PullReading[] = [];
    for (const candidate of inScope) {
      const { pr } = candidate;
      const stamp = `${pr.updatedAt}|${pr.headSha}`;
      let cached = this.comments.get(pr.number);
      if (cached?.stamp !== stamp) {
        cached = { stamp, comments: await this.port.listComments(pr.number) };
        this.comments.set(pr.number, cached);
      }
      const records = recordsFromComments(pr.number, cached.comments, snapshot.viewerLogin);
      const reviewers = changesRequestedBy(pr);
      let reviewId: number | undefined;
      if (reviewers.length > 0) {
        // The review a follow-up answers: its line comments name it; a review without them is review 0.
        const names = new Set(reviewers.map(login => login.toLowerCase()));
        const lines = candidate.author === 'person' ? [] : await maintenance.reviewComments(pr.number);
        reviewId = Math.max(0, ...lines.filter(line => names.has(line.author.toLowerCase())).map(line => line.reviewId ?? 0));
      }
      readings.push({ candidate, records, reviewId });
    }
    for (const number of [...this.comments.keys()]) if (!inScope.some(candidate => candidate.pr.number === number)) this.comments.delete(number);
    const plan = planMaintenance(readings, { maxFixAttempts: settings.maxFixAttempts, agentsHook: this.agents !== undefined, activeFollowUps: this.agents?.activeFollowUps() ?? new Set(), train: settings.train === true });
    return { plan, inScope };
  }
}

/** The red list with each PR's care (issue 11), or as it was when the track does not run. */
export function redWithCare(red: readonly RedPullRequest[], observation: MaintenanceObservation): readonly RedPullRequest[] {
  return observation.plan === undefined ? red : withCare(red, observation.plan, observation.inScope);
}
