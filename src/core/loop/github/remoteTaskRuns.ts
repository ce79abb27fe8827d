import type { AgentBackend, AgentRunHandle } from '../../agents/agentBackend';
import type { FleetRun, FleetRuns } from '../../dispatch/fleetRuns';
import type { GitHubPort, PullRequestRef } from '../../forges/github/githubPort';
import type { Logger } from '../../logging/logger';
import { describeError } from '../../logging/redactor';
import { isFinalRunState, newRunId, newRunRecord, type RunRecord, type RunState } from '../../runs/runRecord';
import type { RunStore } from '../../runs/runStore';
import { transition } from '../../runs/runTransitions';
import { composePrompt } from '../../tasks/composePrompt';
import { bodyWithLoopLinks, checkReportedPullRequest, type LoopRepository, type ReportedPullRequest } from '../tracks/planning/reportedPullRequest';
import { InFlightTaskRuns, type StartedRun } from './inFlightTaskRuns';
import type { LocalTaskRequest, LocalTaskResult } from './localTaskRuns';
import { reportTaskRunFailure } from './taskRunFailure';

/** A remote agent that opens its own pull request (Jules) and says which one when its run completes. */
export interface PullRequestReporter {
  reportedPullRequest(handle: AgentRunHandle): Promise<{ readonly url: string; readonly headRef?: string | undefined } | undefined>;
}

/** Whether an agent serves the loop remotely: it opens the PR itself and reports it (Jules). */
export function isRemoteLoopAgent(agent: AgentBackend): agent is AgentBackend & PullRequestReporter {
  return !agent.needsWorktree && agent.kind !== 'copilot' && typeof (agent as Partial<PullRequestReporter>).reportedPullRequest === 'function';
}

export interface RemoteTaskRunsOptions {
  readonly workspaceRoot: string;
  /** `planning` (or the configured folder): where the task's file is, for its run record. */
  readonly planningPath: string;
  readonly port: Pick<GitHubPort, 'getPullRequest' | 'updateIssue' | 'listComments' | 'createComment'>;
  /** The loop's repository: the only one whose PRs a session may report. */
  readonly repo: LoopRepository;
  /**
   * The fleet the session's run takes its slot, start gate, stall watch and cancel from — the task-file
   * dispatcher's in this process — and whose run records (.ato/runs) it writes: a restart finds the session
   * and the PR there, and needs-you shows there.
   */
  readonly fleetRuns: () => Promise<FleetRuns>;
  readonly timeoutMs: number;
  readonly log: Logger;
  readonly now: () => Date;
  /** Named points between the steps; the crash tests throw there. */
  readonly checkpoint: (name: string) => void | Promise<void>;
  readonly onSettled?: (taskId: string) => void;
}

type RecordWithLink = RunRecord & { readonly loopLink: NonNullable<RunRecord['loopLink']> };

/**
 * A remote agent (Jules) serving a task of the GitHub loop: ATO creates its session with the task and the
 * issue's context, follows it (a plan to approve or a question makes the run record `needsYou`, as for a
 * dispatched task file, so the panel's Approve and `ato approve` work), and when it completes takes the PR
 * the session reported — only if it is a PR of the loop's repository on the head branch the session named —
 * and appends `Closes #<issue>` and ATO's marker to its body, so stages 2b/2c and the merge policy follow
 * it like Copilot's. The run record holds the session and then the PR before each write that depends on
 * them: a restart adopts the session (no second one), links the PR once, and edits its body at most once.
 */
export class RemoteTaskRuns {
  private static readonly inFlight = new InFlightTaskRuns<LocalTaskResult>();
  /** The reported PRs as of a revision of the run records: re-read only when a record was written. */
  private reported: { readonly revision: string; readonly pulls: ReadonlyMap<number, string> } | undefined;

  constructor(private readonly options: RemoteTaskRunsOptions) {}

  activeTaskIds(): ReadonlySet<string> {
    return RemoteTaskRuns.inFlight.activeTaskIds(this.options.workspaceRoot);
  }

  start(request: LocalTaskRequest): StartedRun<LocalTaskResult> {
    const taskId = request.task.id;
    return RemoteTaskRuns.inFlight.start(this.options.workspaceRoot, taskId, () => this.run(request), (error): LocalTaskResult => {
      const reason = describeError(error);
      this.options.log.error('%s run of %s failed: %s', request.agent.id, taskId, reason);
      return { kind: 'failed', reason };
    }, this.options.onSettled);
  }

  async settled(): Promise<void> {
    await RemoteTaskRuns.inFlight.settled(this.options.workspaceRoot);
  }

  /**
   * The PRs sessions ATO created reported (number → head branch): the loop trusts these as its agents'. Read
   * from the run records once per revision of them (every observe asks). A run whose PR was recorded before
   * ATO stopped, and that no run here follows, is finished (succeeded) on the way.
   */
  async reportedPullRequests(): Promise<ReadonlyMap<number, string>> {
    const runs = (await this.options.fleetRuns()).runs;
    const revision = await runs.revision();
    if (this.reported?.revision === revision) return this.reported.pulls;
    const { records } = await runs.list();
    await this.finishRecovered(records, runs);
    const pulls = new Map(records.flatMap(record => {
      const pull = record.loopLink?.pullRequest;
      return pull === undefined ? [] : [[pull.number, pull.headRef] as const];
    }));
    this.reported = { revision, pulls };
    return pulls;
  }

  /** Runs left in progress with their PR recorded (a crash after the PR was known): succeeded, as the run would have ended. */
  private async finishRecovered(records: readonly RunRecord[], runs: RunStore): Promise<void> {
    const following = this.activeTaskIds();
    const left = records.filter((record): record is RecordWithLink => record.loopLink?.pullRequest !== undefined && !isFinalRunState(record.state) && !following.has(record.taskId));
    for (const record of left) {
      const pull = record.loopLink.pullRequest;
      if (pull === undefined) continue;
      try {
        await runs.write(this.move(record, 'succeeded', `PR #${String(pull.number)} of its session was recorded before ATO stopped`));
      } catch (error) {
        this.options.log.warn('could not finish run %s: %s', record.runId, describeError(error));
      }
    }
  }

  private async run(request: LocalTaskRequest): Promise<LocalTaskResult> {
    const { agent, task, issue } = request;
    if (!isRemoteLoopAgent(agent)) throw new Error(`${agent.id} does not open and report its own pull requests`);
    const fleetRuns = await this.options.fleetRuns();
    const found = await this.recordFor(request, fleetRuns.runs);
    if (found.loopLink.pullRequest !== undefined) {
      // The session ended with its PR recorded (a restart): link it, no slot needed.
      return this.linked(request, found, async record => { await fleetRuns.runs.write(record); return record; });
    }
    const slot = await fleetRuns.waitForSlot(agent.id, reason => { this.options.log.info('task %s waits for %s: %s', task.id, agent.id, reason); });
    let resolveDone: (record: RunRecord) => void = () => undefined;
    const run: FleetRun = { record: found, agent, slot, done: new Promise(resolve => { resolveDone = resolve; }) };
    if (found.handle !== undefined) run.handle = { ...found.handle };
    fleetRuns.add(run);
    const save = async (record: RecordWithLink): Promise<RecordWithLink> => { await fleetRuns.save(run, record); return record; };
    try {
      const outcome = await this.follow(agent, request, fleetRuns, run, save);
      if (outcome.kind === 'failed') {
        await reportTaskRunFailure(this.options.port, issue.number, agent.id, `The ${agent.id} session of this task`, outcome.reason, outcome.cancelled ? 'was cancelled' : 'failed');
        return { kind: 'failed', reason: outcome.reason };
      }
      return await this.linked(request, outcome.record, save);
    } finally {
      // A run that stopped before its end (ATO shutting down, an error) stays in progress in its record: the
      // session goes on at the vendor, and the next start adopts it.
      fleetRuns.release(run);
      resolveDone(run.record);
    }
  }

  /** `Closes #<issue>` and the task's marker appended to the PR's body (once), and the run succeeded. */
  private async linked(request: LocalTaskRequest, record: RecordWithLink, save: (record: RecordWithLink) => Promise<RecordWithLink>): Promise<LocalTaskResult> {
    const { issue, task } = request;
    const pull = record.loopLink.pullRequest;
    if (pull === undefined) throw new Error('no pull request recorded');
    const current = await this.options.port.getPullRequest(pull.number);
    const body = bodyWithLoopLinks(current.body, issue.number, task.id);
    if (body !== undefined) {
      await this.options.port.updateIssue(pull.number, { body });
      await this.options.checkpoint('remoteRun:afterLink');
    }
    if (!isFinalRunState(record.state)) await save(this.move(record, 'succeeded', `PR #${String(pull.number)} linked to issue #${String(issue.number)}`));
    const ref: PullRequestRef = { number: pull.number, url: current.url };
    return { kind: 'pullRequest', pullRequest: ref, opened: false };
  }

  /**
   * The session's run to its PR, as a fleet run (its slot held, needs-you and spend recorded, the stall watch
   * and cancel on it): created (or adopted: the backend finds a live session by the task's marker in its
   * prompt) unless the record has it, followed to its end, its PR checked and recorded.
   */
  private async follow(agent: AgentBackend & PullRequestReporter, request: LocalTaskRequest, fleetRuns: FleetRuns, run: FleetRun, save: (record: RecordWithLink) => Promise<RecordWithLink>): Promise<{ readonly kind: 'linked'; readonly record: RecordWithLink } | { readonly kind: 'failed'; readonly reason: string; readonly cancelled: boolean }> {
    const { task } = request;
    const loopLink = (run.record as RecordWithLink).loopLink;
    const linkedRecord = (): RecordWithLink => ({ ...run.record, loopLink });
    if (run.handle === undefined) {
      if (run.record.state === 'queued') await save(this.move(linkedRecord(), 'preparing', `the loop hands issue #${String(request.issue.number)} to ${agent.id}`));
      await fleetRuns.launch(run, { task, workdir: this.options.workspaceRoot, branch: undefined, prompt: this.prompt(request), timeoutMs: task.timeoutMs ?? this.options.timeoutMs });
      await this.options.checkpoint('remoteRun:afterSession');
    }
    const status = await fleetRuns.wait(run);
    if (status.state !== 'succeeded') {
      const ending = fleetRuns.endingOf(run, status);
      await fleetRuns.settle(run, ending).catch((error: unknown) => { this.options.log.warn('run %s: %s', run.record.runId, describeError(error)); });
      const cancelled = ending.failure === 'cancelled';
      return { kind: 'failed', cancelled, reason: `${agent.id} did not finish task ${task.id}: ${cancelled ? 'it was cancelled' : ending.message}` };
    }
    const handle = run.handle;
    if (handle === undefined) throw new Error('the session has no handle');
    const reported = await agent.reportedPullRequest(handle);
    const checked = reported === undefined ? { ok: false as const, reason: 'its session completed without a pull request' } : checkReportedPullRequest(reported, this.options.repo);
    const pull = checked.ok ? await this.matchOnGitHub(checked.pullRequest) : checked;
    if (!pull.ok) {
      await fleetRuns.settle(run, { failure: 'fatal', message: pull.reason, usage: status.usage });
      return { kind: 'failed', cancelled: false, reason: `${agent.id} finished task ${task.id}, but ${pull.reason}` };
    }
    const record = await save({ ...linkedRecord(), summary: status.summary, usage: { ...status.usage }, loopLink: { ...loopLink, pullRequest: pull.pullRequest } });
    await this.options.checkpoint('remoteRun:afterPullRequest');
    return { kind: 'linked', record };
  }

  /** The reported PR as GitHub has it: the same head branch, from this repository (not a fork's branch of that name). */
  private async matchOnGitHub(reported: ReportedPullRequest): Promise<{ readonly ok: true; readonly pullRequest: ReportedPullRequest } | { readonly ok: false; readonly reason: string }> {
    const pr = await this.options.port.getPullRequest(reported.number);
    if (pr.isCrossRepository || pr.headRefName !== reported.headRef) {
      return { ok: false, reason: `PR #${String(reported.number)} on GitHub is not the one its session reported (head ${pr.headRefName}${pr.isCrossRepository ? ' of a fork' : ''}, reported ${reported.headRef})` };
    }
    return { ok: true, pullRequest: { number: pr.number, url: pr.url, headRef: reported.headRef } };
  }

  /** The task's run for this issue that has not ended, or that ended with its PR recorded; else a new one. */
  private async recordFor(request: LocalTaskRequest, runs: RunStore): Promise<RecordWithLink> {
    const { records } = await runs.list();
    const mine = records.filter((record): record is RecordWithLink => record.taskId === request.task.id && record.agentId === request.agent.id && record.loopLink?.issueNumber === request.issue.number);
    const found = mine.reverse().find(record => !isFinalRunState(record.state) || (record.state === 'succeeded' && record.loopLink.pullRequest !== undefined));
    if (found !== undefined) return found;
    const runId = newRunId(this.options.now, Math.random);
    const fresh = newRunRecord({
      runId,
      taskId: request.task.id,
      taskFile: `${this.options.planningPath}/issue_queue/processed/${request.task.id}.task.md`,
      taskType: request.task.type,
      agentId: request.agent.id,
      reason: `the loop promoted the task as issue #${String(request.issue.number)}`,
    }, this.options.now);
    const record: RecordWithLink = { ...fresh, loopLink: { issueNumber: request.issue.number } };
    await runs.write(record);
    return record;
  }

  /** The task's prompt, then where it lives on GitHub: the PR the agent opens is linked to that issue by ATO. */
  private prompt(request: LocalTaskRequest): string {
    const issue = `This task is GitHub issue #${String(request.issue.number)} (${request.issue.url}) of ${this.options.repo.owner}/${this.options.repo.name}. Open one pull request with the change; ATO links it to the issue.`;
    return `${composePrompt(request.task).trimEnd()}\n\n${issue}`;
  }

  /** The record after entering `state` (runTransitions), still linked to its issue. */
  private move(record: RecordWithLink, state: RunState, reason: string): RecordWithLink {
    return { ...transition(record, state, reason, this.options.now), loopLink: record.loopLink };
  }
}
