import type { AgentBackend, AgentRunHandle, AgentRunStatus } from '../../agents/agentBackend';
import type { GitHubPort, PullRequestRef } from '../../forges/github/githubPort';
import type { Logger } from '../../logging/logger';
import { describeError } from '../../logging/redactor';
import { isFinalRunState, newRunId, newRunRecord, type RunRecord, type RunState } from '../../runs/runRecord';
import type { RunStore } from '../../runs/runStore';
import { transition } from '../../runs/runTransitions';
import { composePrompt } from '../../tasks/composePrompt';
import { bodyWithLoopLinks, checkReportedPullRequest, type LoopRepository, type ReportedPullRequest } from '../reportedPullRequest';
import type { WorkFailurePort } from '../loopWorkItem';
import { workOf, type LocalTaskRequest, type LocalTaskResult } from './localTaskRuns';

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
  readonly port: Pick<GitHubPort, 'getPullRequest'> & WorkFailurePort;
  /** The loop's repository: the only one whose PRs a session may report. */
  readonly repo: LoopRepository;
  /** The run records the dispatcher keeps (.ato/runs): a restart finds the session, the PR, and needs-you shows there. */
  readonly runs: RunStore;
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
  private static readonly inFlight = new Map<string, Promise<LocalTaskResult>>();

  constructor(private readonly options: RemoteTaskRunsOptions) {}

  activeTaskIds(): ReadonlySet<string> {
    const prefix = this.key('');
    return new Set([...RemoteTaskRuns.inFlight.keys()].filter(key => key.startsWith(prefix)).map(key => key.slice(prefix.length)));
  }

  start(request: LocalTaskRequest): { readonly started: boolean; readonly result: Promise<LocalTaskResult> } {
    const taskId = request.task.id;
    const key = this.key(taskId);
    const existing = RemoteTaskRuns.inFlight.get(key);
    if (existing !== undefined) return { started: false, result: existing };
    const result = this.run(request).catch((error: unknown): LocalTaskResult => {
      const reason = describeError(error);
      this.options.log.error('%s run of %s failed: %s', request.agent.id, taskId, reason);
      return { kind: 'failed', reason };
    }).finally(() => {
      RemoteTaskRuns.inFlight.delete(key);
      this.options.onSettled?.(taskId);
    });
    RemoteTaskRuns.inFlight.set(key, result);
    return { started: true, result };
  }

  async settled(): Promise<void> {
    const prefix = this.key('');
    await Promise.allSettled([...RemoteTaskRuns.inFlight].filter(([key]) => key.startsWith(prefix)).map(([, run]) => run));
  }

  /** The PRs sessions ATO created reported (number → head branch): the loop trusts these as its agents'. */
  async reportedPullRequests(): Promise<ReadonlyMap<number, string>> {
    const { records } = await this.options.runs.list();
    return new Map(records.flatMap(record => {
      const pull = record.loopLink?.pullRequest;
      return pull === undefined ? [] : [[pull.number, pull.headRef] as const];
    }));
  }

  private key(taskId: string): string {
    return `${this.options.workspaceRoot}\0${taskId}`;
  }

  private async run(request: LocalTaskRequest): Promise<LocalTaskResult> {
    const { agent, task, issue } = request;
    if (!isRemoteLoopAgent(agent)) throw new Error(`${agent.id} does not open and report its own pull requests`);
    let record = await this.recordFor(request);
    if (record.loopLink.pullRequest === undefined) {
      const outcome = await this.follow(agent, request, record);
      if (outcome.kind === 'failed') {
        await workOf(request, this.options.planningPath).reportFailure(this.options.port, agent.id, `The ${agent.id} session of this task`, outcome.reason, 'failed');
        return outcome;
      }
      record = outcome.record;
    }
    const pull = record.loopLink.pullRequest;
    if (pull === undefined) throw new Error('no pull request recorded');
    const current = await this.options.port.getPullRequest(pull.number);
    const body = bodyWithLoopLinks(current.body, issue.number, task.id, workOf(request, this.options.planningPath).marker);
    if (body !== undefined) {
      await this.options.port.updateIssue(pull.number, { body });
      await this.options.checkpoint('remoteRun:afterLink');
    }
    if (!isFinalRunState(record.state)) await this.save(this.move(record, 'succeeded', `PR #${String(pull.number)} linked to issue #${String(issue.number)}`));
    const ref: PullRequestRef = { number: pull.number, url: current.url };
    return { kind: 'pullRequest', pullRequest: ref, opened: false };
  }

  /**
   * The session's run to its PR: created (or adopted: the backend finds a live session by the task's marker
   * in its prompt) unless the record has it, followed to its end, its PR checked and recorded.
   */
  private async follow(agent: AgentBackend & PullRequestReporter, request: LocalTaskRequest, start: RecordWithLink): Promise<{ readonly kind: 'linked'; readonly record: RecordWithLink } | { readonly kind: 'failed'; readonly reason: string }> {
    const { task } = request;
    let record = start;
    let handle = record.handle;
    if (handle === undefined) {
      if (record.state === 'queued') record = await this.save(this.move(record, 'preparing', `the loop hands issue #${String(request.issue.number)} to ${agent.id}`));
      handle = await agent.dispatch({
        runId: record.runId,
        task,
        workdir: this.options.workspaceRoot,
        branch: undefined,
        prompt: this.prompt(request),
        timeoutMs: task.timeoutMs ?? this.options.timeoutMs,
        onOutput: output => { void this.options.runs.appendLog(record.runId, output.text); },
      });
      record = await this.save(this.move({ ...record, handle: { ...handle } }, 'running', `${agent.id} session ${handle.ref}`));
      await this.options.checkpoint('remoteRun:afterSession');
    }
    let noted = Promise.resolve();
    const status = await agent.wait(handle, seen => { noted = noted.then(async () => { record = await this.note(record, seen); }); });
    await noted;
    if (status.state !== 'succeeded') {
      const reason = status.state === 'failed' ? status.message : status.state === 'needsYou' ? status.reason : status.state === 'lost' ? 'the session was lost' : 'it was still running';
      await this.save(this.move(record, 'failed', reason)).catch((error: unknown) => { this.options.log.warn('run %s: %s', record.runId, describeError(error)); });
      return { kind: 'failed', reason: `${agent.id} did not finish task ${task.id}: ${reason}` };
    }
    const reported = await agent.reportedPullRequest(handle);
    const checked = reported === undefined ? { ok: false as const, reason: 'its session completed without a pull request' } : checkReportedPullRequest(reported, this.options.repo);
    const pull = checked.ok ? await this.matchOnGitHub(checked.pullRequest) : checked;
    if (!pull.ok) {
      await this.save(this.move(record, 'failed', pull.reason));
      return { kind: 'failed', reason: `${agent.id} finished task ${task.id}, but ${pull.reason}` };
    }
    record = await this.save({ ...record, summary: status.summary, usage: { ...status.usage }, loopLink: { ...record.loopLink, pullRequest: pull.pullRequest } });
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

  /** A plan to approve or a question: `needsYou` in the record until the session goes on (as the dispatcher does). */
  private async note(record: RecordWithLink, status: AgentRunStatus): Promise<RecordWithLink> {
    try {
      if (status.state === 'needsYou' && record.state === 'running') return await this.save(this.move(record, 'needsYou', status.reason));
      if (status.state === 'running' && record.state === 'needsYou') return await this.save(this.move(record, 'running', `${record.agentId} goes on`));
    } catch (error) {
      this.options.log.warn('could not record that run %s %s: %s', record.runId, status.state, describeError(error));
    }
    return record;
  }

  /** The task's run for this issue that has not ended, or that ended with its PR recorded; else a new one. */
  private async recordFor(request: LocalTaskRequest): Promise<RecordWithLink> {
    const { records } = await this.options.runs.list();
    const mine = records.filter((record): record is RecordWithLink => record.taskId === request.task.id && record.agentId === request.agent.id && record.loopLink?.issueNumber === request.issue.number);
    const found = mine.reverse().find(record => !isFinalRunState(record.state) || (record.state === 'succeeded' && record.loopLink.pullRequest !== undefined));
    if (found !== undefined) return found;
    const runId = newRunId(this.options.now, Math.random);
    const fresh = newRunRecord({
      runId,
      taskId: request.task.id,
      taskFile: workOf(request, this.options.planningPath).taskFile,
      taskType: request.task.type,
      agentId: request.agent.id,
      reason: `the loop promoted the task as issue #${String(request.issue.number)}`,
    }, this.options.now);
    return this.save({ ...fresh, loopLink: { issueNumber: request.issue.number } });
  }

  /** The task's prompt, then where it lives on GitHub: the PR the agent opens is linked to that issue by ATO. */
  private prompt(request: LocalTaskRequest): string {
    const issue = `This task is GitHub issue #${String(request.issue.number)} (${request.issue.url}) of ${this.options.repo.owner}/${this.options.repo.name}. Open one pull request with the change; ATO links it to the issue.`;
    return `${(workOf(request, this.options.planningPath).prompt ?? composePrompt(request.task)).trimEnd()}\n\n${issue}`;
  }

  /** The record after entering `state` (runTransitions), still linked to its issue. */
  private move(record: RecordWithLink, state: RunState, reason: string): RecordWithLink {
    return { ...transition(record, state, reason, this.options.now), loopLink: record.loopLink };
  }

  private async save<T extends RunRecord>(record: T): Promise<T> {
    await this.options.runs.write(record);
    return record;
  }
}
