import type { AgentBackend, AgentUsage } from '../../agents/agentBackend';
import { budgetOf, type FleetRun, type FleetRuns, type RunEnding } from '../../dispatch/fleetRuns';
import { resolveAgentWorkdir } from '../../dispatch/taskContainment';
import { commitAgentChanges } from '../../dispatch/worktreeCommit';
import { isGitHubError } from '../../forges/github/githubError';
import type { IssueSummary } from '../../forges/github/githubModel';
import type { GitHubPort, PullRequestRef } from '../../forges/github/githubPort';
import { runGit } from '../../git/git';
import { createWorktree, retireWorktree } from '../../git/worktrees';
import type { Logger } from '../../logging/logger';
import { describeError } from '../../logging/redactor';
import { isFinalRunState, newRunId, newRunRecord, type RunRecord } from '../../runs/runRecord';
import { transition } from '../../runs/runTransitions';
import { composePrompt } from '../../tasks/composePrompt';
import type { Task } from '../../tasks/task';
import { atoPullRequestText, taskBranch } from '../tracks/planning/atoPullRequest';
import { InFlightTaskRuns, type StartedRun } from './inFlightTaskRuns';
import { reportTaskRunFailure } from './taskRunFailure';

/** One task of the planning branch for a local agent, with its issue. */
export interface LocalTaskRequest {
  readonly task: Task;
  readonly issue: Pick<IssueSummary, 'number' | 'url'>;
  readonly agent: AgentBackend;
}

export interface LocalTaskRunsOptions {
  readonly workspaceRoot: string;
  readonly port: Pick<GitHubPort, 'getRef' | 'openPullRequest' | 'openPullRequestsFrom' | 'listComments' | 'createComment' | 'updateIssue'>;
  /** The planning branch: the run starts from `origin/<it>` and its PR goes into it. */
  readonly baseBranch: string;
  /** Pushes a commit-ish of a worktree to a branch of `origin` (with the token, for GitHub's host only). */
  readonly push: (cwd: string, source: string, branch: string) => Promise<void>;
  /** `ato.agents.worktreePoolSize`: finished runs' worktrees kept for the next (see worktreePool.ts); absent: none. */
  readonly worktreePoolSize?: number;
  readonly timeoutMs: number;
  /** `ato.runs.defaultBudgetUsd`: the spend cap of a task without `budget_usd` (0: none). */
  readonly defaultBudgetUsd?: number;
  /** The planning folder's path in the repository (`planning`), for the task file the run record names. */
  readonly planningPath: string;
  /**
   * The fleet the run takes its slot, start, record and cancel from — the task-file dispatcher's in this
   * process, so one concurrency limit, one ledger and one cancel cover both.
   */
  readonly fleetRuns: () => Promise<FleetRuns>;
  readonly log: Logger;
  readonly now: () => Date;
  /** Named points between the steps; the crash tests throw there. */
  readonly checkpoint: (name: string) => void | Promise<void>;
  /**
   * Whether text holds a secret ATO knows or a token-shaped string (the redactor would change it): the
   * agent's commits are pushed as they are, so work that carries one is never pushed.
   */
  readonly holdsSecret: (text: string) => boolean;
  /** Called when a run ends (the loop ticks again to follow its PR). */
  readonly onSettled?: (taskId: string) => void;
}

type WorkResult =
  | { readonly kind: 'pushed'; readonly summary: string; readonly usage: AgentUsage }
  /** `ending`: how the agent's run ended, when it was the agent that did not finish. */
  | { readonly kind: 'failed'; readonly reason: string; readonly ending?: RunEnding };

/** How a run ended. */
export type LocalTaskResult =
  | { readonly kind: 'pullRequest'; readonly pullRequest: PullRequestRef; readonly opened: boolean }
  | { readonly kind: 'failed'; readonly reason: string };

/**
 * A local agent (claude-code, a custom CLI) serving a task of the GitHub loop (PRODUCT §4–§5): it works in
 * its own worktree on `ato/<task-id>` from the planning branch; ATO commits what it left, pushes the branch
 * to `origin` and opens the PR with `Closes #<issue>` and its marker, so stages 2b/2c and the merge policy
 * follow it as they follow Copilot's. Every step looks before it writes: a restart after the push opens the
 * PR once (the branch is on the remote), after the PR finds it by its head branch. A run that fails says
 * why on the issue and closes it (one comment, by marker), which offers the requeue.
 */
export class LocalTaskRuns {
  /**
   * Runs in flight in this process, by workspace and task: shared by every loop built for the workspace
   * (a settings change rebuilds the loop while an agent works), so a task never gets two runs in one worktree.
   */
  private static readonly inFlight = new InFlightTaskRuns<LocalTaskResult>();

  constructor(private readonly options: LocalTaskRunsOptions) {}

  /** Task ids with a run in flight in this process. */
  activeTaskIds(): ReadonlySet<string> {
    return LocalTaskRuns.inFlight.activeTaskIds(this.options.workspaceRoot);
  }

  /** Starts the task's run unless one is under way; resolves with its result. */
  start(request: LocalTaskRequest): StartedRun<LocalTaskResult> {
    const taskId = request.task.id;
    return LocalTaskRuns.inFlight.start(this.options.workspaceRoot, taskId, () => this.run(request), (error): LocalTaskResult => {
      const reason = describeError(error);
      this.options.log.error('local run of %s with %s failed: %s', taskId, request.agent.id, reason);
      return { kind: 'failed', reason };
    }, this.options.onSettled);
  }

  /** Resolves when every run in flight has ended (deactivate, tests). */
  async settled(): Promise<void> {
    await LocalTaskRuns.inFlight.settled(this.options.workspaceRoot);
  }

  private async run(request: LocalTaskRequest): Promise<LocalTaskResult> {
    const { task } = request;
    const branch = taskBranch(task.id);
    const open = await this.options.port.openPullRequestsFrom(branch);
    if (open[0] !== undefined) return { kind: 'pullRequest', pullRequest: open[0], opened: false };
    let summary = '';
    if ((await this.options.port.getRef(`refs/heads/${branch}`)) === undefined) {
      const worked = await this.work(request, branch);
      if (worked.kind === 'failed') {
        await this.reportFailure(request, worked.reason, worked.ending?.failure === 'cancelled');
        return worked;
      }
      summary = worked.summary;
    }
    await this.options.checkpoint('localRun:beforePullRequest');
    const text = atoPullRequestText(task, request.issue.number, request.agent.id, summary);
    let pullRequest: PullRequestRef;
    try {
      pullRequest = await this.options.port.openPullRequest({ head: branch, base: this.options.baseBranch, title: text.title, body: text.body });
    } catch (error) {
      // 422: a PR from this branch exists already (opened by a run that crashed before it heard the answer).
      const found = isGitHubError(error, 'invalid') ? (await this.options.port.openPullRequestsFrom(branch))[0] : undefined;
      if (found === undefined) throw error;
      pullRequest = found;
    }
    await this.options.checkpoint('localRun:afterPullRequest');
    return { kind: 'pullRequest', pullRequest, opened: true };
  }

  /**
   * The agent's run in a fresh worktree, its work committed and pushed. It waits for the agent's slot and
   * start (as a task file's run does), and the fleet records it in `.ato/runs` from start to end, so the
   * ledger, `ato agents` and cancel see it.
   */
  private async work(request: LocalTaskRequest, branch: string): Promise<WorkResult> {
    const { task, agent, issue } = request;
    const { log, now } = this.options;
    const fleetRuns = await this.options.fleetRuns();
    const slot = await fleetRuns.waitForSlot(agent.id, reason => { log.info('task %s waits for %s: %s', task.id, agent.id, reason); });
    const runId = newRunId(now, Math.random);
    const reason = `the GitHub loop, issue #${String(issue.number)}`;
    let resolveDone: (record: RunRecord) => void = () => undefined;
    const run: FleetRun = {
      record: { ...newRunRecord({ runId, taskId: task.id, taskFile: `${this.options.planningPath}/issue_queue/processed/${task.id}.task.md`, taskType: task.type, agentId: agent.id, reason }, now), loopLink: { issueNumber: issue.number } },
      agent,
      slot,
      done: new Promise(resolve => { resolveDone = resolve; }),
    };
    fleetRuns.add(run);
    try {
      await fleetRuns.save(run, transition(run.record, 'preparing', `dispatching to ${agent.id} for ${reason}`, now));
      const worked = await this.inWorktree(request, branch, fleetRuns, run);
      if (!isFinalRunState(run.record.state)) {
        await fleetRuns.settle(run, worked.kind === 'pushed' ? { summary: worked.summary, usage: worked.usage } : worked.ending ?? { failure: 'fatal', message: worked.reason, usage: {} });
      }
      return worked;
    } catch (error) {
      if (!isFinalRunState(run.record.state)) await fleetRuns.settle(run, { failure: 'fatal', message: describeError(error), usage: run.usageSoFar ?? {} }).catch(() => undefined);
      throw error;
    } finally {
      fleetRuns.release(run);
      resolveDone(run.record);
    }
  }

  private async inWorktree(request: LocalTaskRequest, branch: string, fleetRuns: FleetRuns, run: FleetRun): Promise<WorkResult> {
    const { task, agent } = request;
    const { workspaceRoot, baseBranch, log } = this.options;
    await runGit(['fetch', '--quiet', 'origin', `refs/heads/${baseBranch}:refs/remotes/origin/${baseBranch}`], { cwd: workspaceRoot, timeoutMs: 120_000 });
    const pool = this.options.worktreePoolSize === undefined ? {} : { pool: { size: this.options.worktreePoolSize } };
    const worktree = await createWorktree({ repoRoot: workspaceRoot, taskId: task.id, baseRef: `refs/remotes/origin/${baseBranch}`, ...pool });
    try {
      const workdir = await resolveAgentWorkdir(task, worktree.path);
      await fleetRuns.save(run, { ...run.record, branch: worktree.branch, workdir });
      await fleetRuns.launch(run, {
        task,
        workdir,
        branch: worktree.branch,
        prompt: composePrompt(task),
        timeoutMs: task.timeoutMs ?? this.options.timeoutMs,
        ...budgetOf(task.budgetUsd, this.options.defaultBudgetUsd),
      });
      const status = await fleetRuns.wait(run);
      await this.options.checkpoint('localRun:afterAgent');
      if (status.state !== 'succeeded') {
        const ending = fleetRuns.endingOf(run, status);
        const why = ending.failure === 'cancelled' ? 'it was cancelled' : `${ending.failure}: ${ending.message}`;
        return { kind: 'failed', reason: `${agent.id} did not finish task ${task.id} (${why})`, ending };
      }
      await commitAgentChanges(worktree.path, `${task.title}\n\nATO task ${task.id}, run ${run.record.runId} by ${agent.id}.`);
      const ahead = await runGit(['rev-list', '--count', `${worktree.baseSha}..HEAD`], { cwd: worktree.path });
      if (Number(ahead.stdout.trim()) === 0) return { kind: 'failed', reason: `${agent.id} finished task ${task.id} without changing anything` };
      const work = await runGit(['log', '--patch', '--format=%an <%ae>%n%B', `${worktree.baseSha}..HEAD`], { cwd: worktree.path });
      if (this.options.holdsSecret(work.stdout)) {
        return { kind: 'failed', reason: `the work of ${agent.id} on task ${task.id} holds a secret ATO knows or a token-shaped string, so ATO did not push it; look at the local branch ${worktree.branch}` };
      }
      await this.options.push(worktree.path, 'HEAD', branch);
      await this.options.checkpoint('localRun:afterPush');
      return { kind: 'pushed', summary: status.summary, usage: status.usage };
    } finally {
      await retireWorktree({ repoRoot: workspaceRoot, path: worktree.path, ...pool }).catch((error: unknown) => { log.warn('could not remove the worktree of %s: %s', task.id, describeError(error)); });
    }
  }

  /** Says on the issue why the run failed or that it was cancelled, once, and closes it: the loop then offers the requeue. */
  private async reportFailure(request: LocalTaskRequest, reason: string, cancelled: boolean): Promise<void> {
    await reportTaskRunFailure(this.options.port, request.issue.number, request.agent.id, 'ATO\'s local run of this task', reason, cancelled ? 'was cancelled' : 'failed');
  }
}
