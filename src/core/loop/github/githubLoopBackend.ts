import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RepoSnapshot } from '../../forges/github/githubModel';
import { isValidQueueEntry, queueEntryId } from '../../queue/queueEntry';
import { allAtoLabels } from '../texts/atoLabels';
import type { AdoptionReport } from '../tracks/planning/issueAdoption';
import { followedPullRequests } from '../tracks/planning/followedPullRequests';
import { loopCounts } from '../engine/loopCounts';
import type { BackendUsage, ExecutionResult, LeaseAnswer, LoopBackend, LoopObservation } from '../engine/loopBackend';
import type { LoopAgentChoice, LoopAgentChooser } from '../tracks/planning/loopAgentChoice';
import type { MergePolicy, PlannedAction, StageDecision, TrackPlan } from '../engine/loopModel';
import type { MergeRefusal } from '../policy/mergeRefusals';
import { claimsAtoWork } from '../tracks/planning/planningLinks';
import { authorTrust, loginsToCheck, type TrustFacts, type TrustSettings } from '../policy/pullRequestTrust';
import { WriteAccessCache } from '../policy/writeAccessCache';
import type { PlanningRead, PlanningSource } from '../tracks/planning/planningSource';
import { redPullRequests } from '../tracks/maintenance/redPullRequests';
import { queueDraft } from '../tracks/planning/remoteQueueMoves';
import type { RemoteLease } from '../engine/remoteLease';
import { classifyPlanning, linkObservation, pullRequestCheck } from '../tracks/planning/stageClassifier';
import { issueWorkOf } from '../tracks/planning/loopWorkItem';
import { agentInBody } from '../texts/markers';
import { adoptExistingIssues } from './adoptExistingIssues';
import { executeGuardedAction, type GuardedActionContext } from './guardedActions';
import { PreviousPaths } from './previousPaths';
import { isMaintenanceAction, type MaintenancePlannedAction } from '../engine/loopModel';
import type { MaintenanceAgents } from '../tracks/maintenance/maintenanceAgents';
import { executeMaintenanceAction } from './maintenanceActions';
import { executeEmergencyStep, planEmergencyStep, type EmergencyStepOptions } from './emergencyStep';
import { MaintenanceReader, redWithCare, type MaintenanceObservation, type MaintenanceSettingsView } from './maintenanceObservation';
import { fixNowAction } from '../tracks/maintenance/fixNow';

const waitingStages: ReadonlySet<string> = new Set(['1b', '2b', '3b']);

export interface GitHubLoopBackendOptions extends Omit<GuardedActionContext, 'observed' | 'mergeMethod'> {
  readonly planningSource: PlanningSource;
  /** The planning folder's web address on the planning branch, ending in `/` ("Open on GitHub" for a task file). */
  readonly fileUrlBase?: string;
  /** `ato.loop.agentAccounts` and `ato.loop.allowForkPullRequests`: whose PRs ATO trusts besides writers. */
  readonly trust: () => TrustSettings;
  /** How long a login's write access is trusted before GitHub is asked again. */
  readonly writeAccessTtlMs: number;
  /** The working tree, where local drafts are read from. */
  readonly workspaceRoot: string;
  readonly lease: RemoteLease;
  readonly policy: () => MergePolicy;
  /** Task-file runs in flight, for the runs track (the dispatcher owns them; the loop counts its own runs). */
  readonly localRuns?: () => number;
  /** Which agent a promoted task, the gap analysis or a capability update goes to (`ato.loop.agent`, a task's `agent:`); absent: Copilot. */
  readonly chooser?: LoopAgentChooser;
  /** PRs the sessions of ATO's remote agents reported (number → head branch): trusted as its agents'. */
  readonly reportedPullRequests?: () => Promise<ReadonlyMap<number, string>>;
  /** `ato.maintenance.reviewEvery`: a review task after every N merged task PRs (0: off). */
  readonly reviewEvery?: () => number;
  /**
   * The process reads GitHub once and ends (`ato status`, `ato tick`): its first read is full anyway and no
   * later read compares the probe's ETag, so that read sends the snapshot without waiting for the probe.
   */
  readonly readsOnce?: boolean;
  /** `ato.maintenance.*` (issue 11); absent: the maintenance track is off. */
  readonly maintenanceSettings?: () => MaintenanceSettingsView;
  /** How follow-ups reach local agents, Jules and the draft analyser (absent: those wait as needs-you). */
  readonly maintenanceAgents?: MaintenanceAgents;
}

/**
 * The loop against GitHub (PRODUCT §3, §4): one conditional probe; when something changed (or the engine
 * asks for a full read) a `git fetch` of the planning branch and the batched GraphQL snapshot; the stage
 * classifier decides; guarded actions write through the GitHub port.
 */
export class GitHubLoopBackend implements LoopBackend {
  readonly mode = 'github' as const;
  private observed: { snapshot: RepoSnapshot; planning: PlanningRead } | undefined;
  /** Merges GitHub refused in this session, by PR. */
  private readonly refusals = new Map<number, MergeRefusal>();
  private readonly writers: WriteAccessCache;
  private readonly previousPaths: PreviousPaths;
  private readonly maintenanceReader: MaintenanceReader;
  private maintenance: MaintenanceObservation | undefined;

  constructor(private readonly options: GitHubLoopBackendOptions) {
    this.maintenanceReader = new MaintenanceReader(options.port, options.maintenanceAgents);
    this.writers = new WriteAccessCache(login => options.port.permissionOf(login), () => options.now().getTime(), options.writeAccessTtlMs);
    this.previousPaths = new PreviousPaths(pullNumber => options.port.renamedFiles(pullNumber));
  }

  async observe({ full }: { readonly full: boolean }): Promise<LoopObservation | 'unchanged'> {
    const { port } = this.options;
    // A process that reads once (`ato status`) sends its snapshot beside the probe: the probe's ETag would only
    // serve a later read, and the process only wants its core rate-limit budget. A loop that reads again sends
    // the snapshot after the probe's answer: it may be 'unchanged', and the ETag the next tick compares must be
    // older than the snapshot.
    const once = this.options.readsOnce === true && this.observed === undefined;
    // A full read fetches the planning branch whatever the probe says: the fetch (a git process) starts
    // first and runs while the probe's request is out (issue 14: `ato status` waited for one, then the other).
    const early = !once && (full || this.observed === undefined) ? this.options.planningSource.read({ fetch: true }) : undefined;
    early?.catch(() => undefined);
    const probe = port.probeChanges();
    if (once) probe.catch(() => undefined);
    else if (!await probe && !full && this.observed !== undefined) return 'unchanged';
    const snapshotRead = port.snapshot({ issueLabels: allAtoLabels.map(label => label.name) });
    const [planning, read] = await Promise.all([
      early ?? (once ? this.planningAsOf(snapshotRead) : this.options.planningSource.read({ fetch: true })),
      snapshotRead,
      once ? probe : undefined,
    ]);
    const trust = await this.trustFacts(read);
    const snapshot = await this.withPreviousPaths(read, trust);
    this.observed = { snapshot, planning };
    const localRuns = this.options.localAgents?.runs.activeTaskIds();
    const observation = { snapshot, queue: planning.entries, policy: this.options.policy(), now: this.options.now(), mergeRefusals: this.refusals, trust, reviewEvery: this.options.reviewEvery?.() ?? 0, ...(localRuns === undefined ? {} : { localRuns }) };
    // Linked from the trusted PRs only: a stranger's PR is never followed, counted or merged.
    const links = linkObservation(observation);
    const decision = await this.withAgent(classifyPlanning(observation, links), planning, snapshot);
    const followed = followedPullRequests(links, pullRequestCheck(observation));
    // CI results and re-runs do not show in the cheap probe: while a check is pending on a PR the loop
    // follows, or the planning track waits on a PR (1b, 2b, 3b), every tick reads everything. Other PRs'
    // CI does not count: in a busy repository some CI is always running.
    const maintenance = await this.observeMaintenance(snapshot, trust, followed);
    // A fix waits for CI on its new head (and a PR in scope for CI at all): ticks come at the active interval.
    const inFlight = waitingStages.has(decision.stage) || followed.some(pr => pr.ci === 'pending') || (localRuns?.size ?? 0) > 0 || maintenance.plan?.inFlight === true;
    const drafts = planning.drafts.map(entry => ({ path: entry.file, taskId: queueEntryId(entry), title: entry.result.task?.title ?? entry.fileName, valid: isValidQueueEntry(entry) }));
    const counts = loopCounts({ snapshot, queue: planning.entries, links, followedPullRequests: followed.length, localDrafts: drafts.length });
    const queue = { branch: `origin/${this.options.branch}`, revision: planning.revision, entries: planning.entries, ...(this.options.fileUrlBase === undefined ? {} : { fileUrlBase: this.options.fileUrlBase }) };
    const needsYou = maintenance.plan === undefined ? decision.needsYou : [...decision.needsYou, ...maintenance.plan.needsYou];
    const maintenanceTrack = await this.withEmergency(maintenance.plan?.track ?? { track: 'maintenance' as const, action: undefined, reason: maintenance.off ?? 'The maintenance track is off.' }, snapshot, planning);
    return { decision: { ...decision, needsYou }, otherTracks: [this.runsTrack(), maintenanceTrack], redPullRequests: redWithCare(redPullRequests(snapshot, new Map()), maintenance), followedPullRequests: followed, counts, drafts, queue, inFlight };
  }

  /**
   * The planning branch as of the snapshot, for a process that reads once: the remote-tracking ref is read
   * while the snapshot is out, and when it is at the head the snapshot names for the branch, that is what a
   * fetch would bring — no fetch (issue 14: the fetch was the longest part of `ato status`). Otherwise (moved,
   * another default branch, no tracking ref yet) it fetches and reads again.
   */
  private async planningAsOf(snapshot: Promise<RepoSnapshot>): Promise<PlanningRead> {
    const local = await this.options.planningSource.read({ fetch: false }).catch(() => undefined);
    const read = await snapshot;
    if (local !== undefined && read.defaultBranch === this.options.branch && read.defaultBranchSha !== '' && local.revision === read.defaultBranchSha) return local;
    return this.options.planningSource.read({ fetch: true });
  }

  async acquireLease(): Promise<LeaseAnswer> {
    const result = await this.options.lease.acquire(this.options.now());
    if (!result.held) return { held: false, holder: result.holder ?? 'another loop', expiresAt: result.expiresAt ?? 'unknown' };
    return { held: true, holder: result.holder, expiresAt: result.expiresAt, ...(result.takenOverFrom === undefined ? {} : { takenOverFrom: result.takenOverFrom }) };
  }

  async releaseLease(): Promise<void> {
    await this.options.lease.release(this.options.now());
  }

  async execute(action: PlannedAction): Promise<ExecutionResult> {
    const observed = this.observed;
    if (observed === undefined) return { result: 'failed', message: 'Nothing observed yet: the action was not taken.' };
    if (isMaintenanceAction(action)) return this.executeMaintenance(action, observed.snapshot.viewerLogin);
    if (action.kind === 'queueEmergencyTask') return executeEmergencyStep(this.emergencyOptions(''), action);
    const result = await executeGuardedAction({ ...this.options, mergeMethod: this.options.policy().method, observed }, action);
    if (result.refusal !== undefined) this.refusals.set(result.refusal.pullNumber, result.refusal);
    return result;
  }

  /** "Fix now" / "Send to…": the fix request for this PR now, or why there is none (from the last observation). */
  fixAction(pullNumber: number, agentId?: string): MaintenancePlannedAction | string {
    const maintenance = this.maintenance;
    if (maintenance?.plan === undefined) return maintenance?.off ?? 'The maintenance track has not observed GitHub yet.';
    return fixNowAction(maintenance.plan, maintenance.inScope, pullNumber, agentId, this.options.maintenanceAgents !== undefined);
  }

  private async observeMaintenance(snapshot: RepoSnapshot, trust: TrustFacts, followed: Parameters<MaintenanceReader['observe']>[2]): Promise<MaintenanceObservation> {
    const settings = this.options.maintenanceSettings?.();
    if (settings === undefined) {
      this.maintenance = { plan: undefined, off: 'The maintenance track is not wired in this loop.', inScope: [] };
      return this.maintenance;
    }
    let facts = trust;
    if (settings.enabled && settings.scope === 'writers') {
      // Every writer's PR is in scope: their authors' write access is asked (cached per login).
      const more = await this.writers.lookup(loginsToCheck(snapshot.openPullRequests, trust));
      facts = { ...trust, writeAccess: new Map([...trust.writeAccess, ...more]) };
    }
    this.maintenance = await this.maintenanceReader.observe(snapshot, facts, followed, settings);
    return this.maintenance;
  }

  /**
   * With no PR to act on this tick, the maintenance track's other half: a red default branch, a failed
   * deployment or deploy-log line becomes one emergency task (emergencyStep.ts).
   */
  private async withEmergency(track: TrackPlan, snapshot: RepoSnapshot, planning: PlanningRead): Promise<TrackPlan> {
    const settings = this.options.maintenanceSettings?.();
    if (settings?.enabled !== true || track.action !== undefined) return track;
    const step = await planEmergencyStep(this.emergencyOptions(settings.deployLog ?? ''), snapshot, planning);
    return step.action === undefined ? { ...track, reason: `${track.reason} No emergency task: ${step.reason}.` } : { track: 'maintenance', action: step.action, reason: step.action.reason };
  }

  private emergencyOptions(deployLog: string): EmergencyStepOptions {
    const { port, branch, planningPath, workspaceRoot, now, checkpoint } = this.options;
    return { port, branch, planningPath, workspaceRoot, deployLog: () => deployLog, now, checkpoint };
  }

  private async executeMaintenance(action: MaintenancePlannedAction, viewerLogin: string | undefined): Promise<ExecutionResult> {
    const maintenance = this.options.port.maintenance;
    if (maintenance === undefined) return { result: 'failed', message: 'This GitHub port has no maintenance API.' };
    try {
      return await executeMaintenanceAction({ port: this.options.port, maintenance, agents: this.options.maintenanceAgents, intents: this.options.intents, viewerLogin, checkpoint: this.options.checkpoint }, action);
    } finally {
      this.maintenanceReader.forget(action.pullNumber);
    }
  }

  async adoptIssues(dryRun: boolean): Promise<AdoptionReport> {
    const planning = await this.options.planningSource.read({ fetch: true });
    return adoptExistingIssues(this.options.port, planning, dryRun);
  }

  async queueDraft(path: string): Promise<ExecutionResult> {
    const draft = this.observed?.planning.drafts.find(entry => entry.file === path);
    if (draft === undefined) return { result: 'failed', message: `${path} is not a local draft (it may be on ${this.options.branch} already).` };
    if (!isValidQueueEntry(draft)) return { result: 'failed', message: `${path} has errors; fix them (see the Problems panel) before queueing it.` };
    const text = await readFile(join(this.options.workspaceRoot, path), 'utf8');
    const outcome = await queueDraft(this.options.port, { branch: this.options.branch, path, text, message: `ATO: queue ${queueEntryId(draft)}` });
    return outcome.status === 'alreadyDone'
      ? { result: 'skipped', message: `${path} is already on ${this.options.branch}.` }
      : { result: 'done', message: `Queued ${path} on ${this.options.branch}.` };
  }

  taskFolder(taskId: string): 'pending' | 'processed' | 'complete' | undefined {
    return this.observed?.planning.entries.find(entry => isValidQueueEntry(entry) && entry.result.task.id === taskId)?.folder;
  }

  usage(): BackendUsage {
    const usage = this.options.port.usage;
    // The lease writes through the same port, so its requests are in these counts.
    return { requests: usage.requests, points: usage.points, core: usage.core, graphql: usage.graphql };
  }

  /**
   * Whom to trust in this snapshot: the settings, the token's user, and write access of the people behind
   * PRs that claim ATO's work (cached per login; a stranger's PR costs no request).
   */
  private async trustFacts(snapshot: RepoSnapshot): Promise<TrustFacts> {
    const reported = await this.options.reportedPullRequests?.();
    const base = { ...this.options.trust(), viewerLogin: snapshot.viewerLogin, ...(reported === undefined ? {} : { agentPullRequests: reported }) };
    const claiming = [...snapshot.openPullRequests, ...snapshot.recentlyClosedPullRequests].filter(pr => claimsAtoWork(pr, snapshot));
    return { ...base, writeAccess: await this.writers.lookup(loginsToCheck(claiming, base)) };
  }

  /** The open PRs the loop may merge (trusted, claiming ATO's work) with where their renamed files came from. */
  private async withPreviousPaths(snapshot: RepoSnapshot, trust: TrustFacts): Promise<RepoSnapshot> {
    const openPullRequests = await this.previousPaths.fill(snapshot.openPullRequests, pr => claimsAtoWork(pr, snapshot) && authorTrust(pr, trust).trusted);
    return { ...snapshot, openPullRequests };
  }

  /**
   * A promotion, the gap analysis and a capability update name the agent the registry chose, and why; when no
   * agent can take the work now (or ever, until a setting changes) it waits and the stage says why.
   */
  private async withAgent(decision: StageDecision, planning: PlanningRead, snapshot: RepoSnapshot): Promise<StageDecision> {
    const { action } = decision;
    const chooser = this.options.chooser;
    if (chooser === undefined || action === undefined) return decision;
    let choice: LoopAgentChoice;
    if (action.kind === 'promoteTask') {
      const entry = planning.entries.find(candidate => candidate.file === action.path);
      if (entry === undefined || !isValidQueueEntry(entry)) return decision;
      choice = await chooser.choose(entry.result.task);
    } else if ((action.kind === 'ensureGapIssue' && action.repairIssue === undefined) || action.kind === 'openCapabilityIssue') {
      choice = await chooser.chooseIssueWork(action.kind === 'ensureGapIssue' ? 'gapAnalysis' : 'capabilityUpdate');
    } else if (action.kind === 'dispatchIssue') {
      // An issue of the gap analysis or a capability update that records no agent (assigned to nobody by a person, or older than the registry).
      const issue = snapshot.issues.find(candidate => candidate.number === action.issueNumber);
      const work = issue === undefined ? undefined : issueWorkOf(issue);
      if (issue === undefined || work === undefined || agentInBody(issue.body) !== undefined) return decision;
      choice = await chooser.chooseIssueWork(work.kind);
    } else {
      return decision;
    }
    if (choice.status !== 'selected') {
      return { ...decision, action: undefined, reason: `${decision.reason} It waits: ${choice.reason}.` };
    }
    const agent = { id: choice.agentId, local: choice.local, reason: choice.reason };
    return { ...decision, action: { ...action, agent, reason: `${action.reason} Agent: ${choice.agentId} (${choice.reason}).` } };
  }

  private runsTrack(): TrackPlan {
    const active = (this.options.localRuns?.() ?? 0) + (this.options.localAgents?.runs.activeTaskIds().size ?? 0);
    return { track: 'runs', action: undefined, reason: active === 0 ? 'No local agent run in flight.' : `${String(active)} agent run(s) in flight; the fleet watches them.` };
  }
}
