import type { AgentBackend, AgentUsage } from '../../agents/agentBackend';
import { budgetOf, type FleetRun, type FleetRuns, type RunEnding } from '../../dispatch/fleetRuns';
import { commitAgentChanges } from '../../dispatch/worktreeCommit';
import { runGit } from '../../git/git';
import { createWorktree, retireWorktree } from '../../git/worktrees';
import type { Logger } from '../../logging/logger';
import { describeError } from '../../logging/redactor';
import { commitShaPattern, isFinalRunState, newRunId, newRunRecord, type RunRecord } from '../../runs/runRecord';
import { transition } from '../../runs/runTransitions';
import type { FollowUpRequest, FollowUpRun } from '../tracks/maintenance/maintenanceAgents';
import { checkedBranch, commitsSince, fetchBranch, finishRebase, headContains, headSha, startRebase } from './followUpGit';
import { followUpId, followUpTask, followUpTaskFile, followUpTaskType, localFollowUpPrompt } from './followUpWork';

export interface LocalFollowUpsOptions {
  readonly workspaceRoot: string;
  /** The fleet the run takes its slot, record and cancel from (the loop's: one limit, one ledger). */
  readonly fleetRuns: () => Promise<FleetRuns>;
  /** The configured local agent by id (claude-code, a custom CLI); undefined when there is none such. */
  readonly agent: (agentId: string) => AgentBackend | undefined;
  /**
   * Pushes the worktree's HEAD to the branch on `origin` with the token, to the remote's own host only; not
   * forced, except with a lease on the commit the branch must still be at (a rebase).
   */
  readonly push: (cwd: string, branch: string, lease?: { readonly expectedSha: string }) => Promise<void>;
  /** Whether the PR's head branch is one of ATO's agents': the only branches a rebase force-pushes. */
  readonly mayForcePush: (request: FollowUpRequest) => Promise<boolean>;
  /** Whether text holds a secret ATO knows or a token-shaped string: such work is never pushed. */
  readonly holdsSecret: (text: string) => boolean;
  readonly timeoutMs: number;
  readonly defaultBudgetUsd?: number;
  readonly log: Logger;
  readonly now: () => Date;
  /** Named points between the steps; the crash tests throw there. */
  readonly checkpoint: (name: string) => void | Promise<void>;
  /** A follow-up run ended (the loop ticks again). */
  readonly onSettled?: (pullNumber: number) => void;
}

type Outcome =
  | { readonly kind: 'pushed'; readonly sha: string; readonly summary: string; readonly usage: AgentUsage }
  | { readonly kind: 'unchanged'; readonly summary: string; readonly usage: AgentUsage }
  | { readonly kind: 'failed'; readonly reason: string; readonly ending?: RunEnding };

interface Running {
  readonly runId: string;
  readonly pullNumber: number;
  readonly done: Promise<void>;
}

const pushedDetail = /^pushed ([0-9a-f]{40}(?:[0-9a-f]{24})?) to /;

/**
 * A local agent's follow-up on a PR's head branch (issue 11): a fix, a review follow-up or a rebase, in
 * its own worktree checked out at the head the track saw (refused if the remote head moved), then ATO
 * commits what the agent left and pushes it to that same branch — fast-forward only, or for a rebase with
 * `--force-with-lease` on the old head and only on an agent's branch. Idempotent by (PR, kind, attempt):
 * the run record (task `pr-<n>-<kind>-<attempt>`) is written before the call returns, so a second call —
 * in this process or after a restart — answers the same run and starts none (recovery fails an
 * interrupted one; the track decides the next attempt).
 */
export class LocalFollowUps {
  /** Shared by every loop built for the workspace, as LocalTaskRuns' runs are: a rebuilt loop starts no second run. */
  private static readonly running = new Map<string, Running>();
  private static readonly starting = new Map<string, Promise<{ readonly runId: string }>>();

  constructor(private readonly options: LocalFollowUpsOptions) {}

  /** PR numbers with a follow-up run in flight in this process. */
  activePullNumbers(): ReadonlySet<number> {
    const prefix = `${this.options.workspaceRoot}\0`;
    return new Set([...LocalFollowUps.running].filter(([key]) => key.startsWith(prefix)).map(([, run]) => run.pullNumber));
  }

  /** Starts the follow-up unless it was started before; resolves with its run id once its record is written. */
  start(request: FollowUpRequest, agentId: string): Promise<{ readonly runId: string }> {
    const key = `${this.options.workspaceRoot}\0${followUpId(request)}`;
    const running = LocalFollowUps.running.get(key);
    if (running !== undefined) return Promise.resolve({ runId: running.runId });
    const pending = LocalFollowUps.starting.get(key);
    if (pending !== undefined) return pending;
    const started = this.begin(key, request, agentId).finally(() => { LocalFollowUps.starting.delete(key); });
    LocalFollowUps.starting.set(key, started);
    return started;
  }

  /** Resolves when every follow-up in flight has ended (deactivate, tests). */
  async settled(): Promise<void> {
    const prefix = `${this.options.workspaceRoot}\0`;
    await Promise.allSettled([...LocalFollowUps.running].filter(([key]) => key.startsWith(prefix)).map(([, run]) => run.done));
  }

  /** The follow-up's run as its record says. */
  async runOf(request: Pick<FollowUpRequest, 'pullNumber' | 'kind' | 'attempt'>): Promise<FollowUpRun | undefined> {
    const record = await this.recordOf(followUpId(request), request.pullNumber);
    if (record === undefined) return undefined;
    const reason = record.failure?.message ?? record.summary ?? record.history.at(-1)?.reason ?? '';
    if (!isFinalRunState(record.state)) return { runId: record.runId, state: 'inProgress', reason };
    if (record.state === 'cancelled') return { runId: record.runId, state: 'cancelled', reason };
    if (record.state === 'failed') return { runId: record.runId, state: 'failed', reason };
    const pushed = pushedDetail.exec(record.landing?.detail ?? '')?.[1];
    return pushed === undefined ? { runId: record.runId, state: 'unchanged', reason } : { runId: record.runId, state: 'pushed', reason, pushedSha: pushed };
  }

  private async recordOf(id: string, pullNumber: number): Promise<RunRecord | undefined> {
    const { records } = await (await this.options.fleetRuns()).runs.list();
    return records.filter(record => record.taskId === id && record.loopLink?.issueNumber === pullNumber).at(-1);
  }

  private async begin(key: string, request: FollowUpRequest, agentId: string): Promise<{ readonly runId: string }> {
    const id = followUpId(request);
    const found = await this.recordOf(id, request.pullNumber);
    if (found !== undefined) return { runId: found.runId };
    const agent = this.options.agent(agentId);
    if (!agent?.needsWorktree) throw new Error(`${agentId} is not a configured local agent: ATO cannot run it in a worktree on PR #${String(request.pullNumber)}'s branch`);
    checkedBranch(request.headRef);
    checkedBranch(request.baseRef);
    if (!commitShaPattern.test(request.headSha)) throw new Error(`"${request.headSha}" is not a commit id`);
    const remote = await fetchBranch(this.options.workspaceRoot, request.headRef);
    if (remote === undefined) throw new Error(`the head branch ${request.headRef} of PR #${String(request.pullNumber)} is not on the remote any more: ATO starts no follow-up`);
    if (remote !== request.headSha) {
      throw new Error(`the head of PR #${String(request.pullNumber)} moved from ${request.headSha.slice(0, 7)} to ${remote.slice(0, 7)} since the track looked: ATO starts no follow-up on a head it did not see`);
    }
    const fleetRuns = await this.options.fleetRuns();
    const record: RunRecord = {
      ...newRunRecord({ runId: newRunId(this.options.now, Math.random), taskId: id, taskFile: followUpTaskFile(request.pullNumber), taskType: followUpTaskType(request.kind), agentId: agent.id, attempt: Math.max(1, request.attempt), reason: `the maintenance track: ${describeKind(request)} on PR #${String(request.pullNumber)}` }, this.options.now),
      loopLink: { issueNumber: request.pullNumber },
      baseSha: request.headSha,
    };
    await fleetRuns.runs.write(record);
    await this.options.checkpoint('followUp:recorded');
    const done = this.run(request, agent, record, fleetRuns).catch((error: unknown) => {
      this.options.log.error('follow-up %s on PR #%d with %s failed: %s', id, request.pullNumber, agent.id, describeError(error));
    }).finally(() => {
      LocalFollowUps.running.delete(key);
      this.options.onSettled?.(request.pullNumber);
    });
    LocalFollowUps.running.set(key, { runId: record.runId, pullNumber: request.pullNumber, done });
    return { runId: record.runId };
  }

  /** The run in the fleet: its slot, its record from preparing to its end, then the slot released. */
  private async run(request: FollowUpRequest, agent: AgentBackend, record: RunRecord, fleetRuns: FleetRuns): Promise<void> {
    const { log, now } = this.options;
    const slot = await fleetRuns.waitForSlot(agent.id, reason => { log.info('the follow-up on PR #%d waits for %s: %s', request.pullNumber, agent.id, reason); });
    let resolveDone: (record: RunRecord) => void = () => undefined;
    const run: FleetRun = { record, agent, slot, done: new Promise(resolve => { resolveDone = resolve; }) };
    fleetRuns.add(run);
    try {
      await fleetRuns.save(run, transition(run.record, 'preparing', `${describeKind(request)} on PR #${String(request.pullNumber)} for ${agent.id}`, now));
      const outcome = await this.inWorktree(request, agent, fleetRuns, run);
      if (isFinalRunState(run.record.state)) return;
      if (outcome.kind !== 'failed' && run.record.state === 'preparing') await fleetRuns.save(run, transition(run.record, 'running', 'ATO rebased the branch itself: no agent needed', now));
      if (outcome.kind === 'failed') {
        await fleetRuns.settle(run, outcome.ending === undefined ? { failure: 'fatal', message: outcome.reason, usage: run.usageSoFar ?? {} } : { ...outcome.ending, message: outcome.reason });
        return;
      }
      const settled = await fleetRuns.settle(run, { summary: outcome.summary, usage: outcome.usage });
      if (outcome.kind === 'pushed') {
        const landing = { kind: 'pullRequest' as const, at: now().toISOString(), detail: `pushed ${outcome.sha} to ${request.headRef}`, pullRequest: { number: request.pullNumber, url: request.pullUrl } };
        await fleetRuns.save(run, { ...settled, landing });
      }
    } catch (error) {
      if (!isFinalRunState(run.record.state)) {
        if (run.record.state === 'queued') await fleetRuns.save(run, transition(run.record, 'failed', describeError(error), now)).catch(() => undefined);
        else await fleetRuns.settle(run, { failure: 'fatal', message: describeError(error), usage: run.usageSoFar ?? {} }).catch(() => undefined);
      }
      throw error;
    } finally {
      fleetRuns.release(run);
      resolveDone(run.record);
    }
  }

  private async inWorktree(request: FollowUpRequest, agent: AgentBackend, fleetRuns: FleetRuns, run: FleetRun): Promise<Outcome> {
    const { workspaceRoot, log } = this.options;
    const id = run.record.taskId;
    const worktree = await createWorktree({ repoRoot: workspaceRoot, taskId: id, baseRef: request.headSha });
    try {
      await fleetRuns.save(run, { ...run.record, branch: worktree.branch, workdir: worktree.path });
      let conflicted: readonly string[] = [];
      let baseTip: string | undefined;
      if (request.kind === 'rebase') {
        if (!(await this.options.mayForcePush(request))) {
          return { kind: 'failed', reason: `${request.headRef} (PR #${String(request.pullNumber)}) is not a branch of one of ATO's agents: ATO force-pushes a rebase only there` };
        }
        baseTip = await fetchBranch(workspaceRoot, request.baseRef);
        if (baseTip === undefined) return { kind: 'failed', reason: `the base branch ${request.baseRef} is not on the remote` };
        const started = await startRebase(worktree.path, `refs/remotes/origin/${request.baseRef}`);
        if (started.kind === 'clean') return await this.pushed(request, worktree.path, baseTip, { summary: `rebased ${request.headRef} onto ${request.baseRef} without conflicts`, usage: {} });
        conflicted = started.files;
      }
      const task = followUpTask(id, followUpTaskType(request.kind), `${describeKind(request)}: PR #${String(request.pullNumber)}`, request.prompt);
      await fleetRuns.launch(run, { task, workdir: worktree.path, branch: worktree.branch, prompt: localFollowUpPrompt(request, conflicted), timeoutMs: this.options.timeoutMs, ...budgetOf(undefined, this.options.defaultBudgetUsd) });
      const status = await fleetRuns.wait(run);
      await this.options.checkpoint('followUp:afterAgent');
      if (status.state !== 'succeeded') {
        const ending = fleetRuns.endingOf(run, status);
        const why = ending.failure === 'cancelled' ? 'it was cancelled' : `${ending.failure}: ${ending.message}`;
        return { kind: 'failed', reason: `${agent.id} did not finish the ${describeKind(request)} on PR #${String(request.pullNumber)} (${why})`, ending };
      }
      if (baseTip !== undefined) {
        const finished = await finishRebase(worktree.path, conflicted);
        if (finished.kind === 'unfinished') return { kind: 'failed', reason: `${agent.id} could not finish the rebase of PR #${String(request.pullNumber)} onto ${request.baseRef}: ${finished.reason}` };
        if (!(await headContains(worktree.path, baseTip))) return { kind: 'failed', reason: `the rebase of PR #${String(request.pullNumber)} onto ${request.baseRef} was not completed: the branch does not contain ${baseTip.slice(0, 7)}` };
      }
      await commitAgentChanges(worktree.path, `${describeKind(request)} for PR #${String(request.pullNumber)}\n\nATO follow-up ${id}, run ${run.record.runId} by ${agent.id}.`);
      return await this.pushed(request, worktree.path, baseTip, { summary: status.summary, usage: status.usage });
    } finally {
      await retireWorktree({ repoRoot: workspaceRoot, path: worktree.path }).catch((error: unknown) => { log.warn('could not remove the worktree of %s: %s', id, describeError(error)); });
    }
  }

  /** The work checked (something new, no secret) and pushed: fast-forward, or a rebase with its lease. */
  private async pushed(request: FollowUpRequest, worktree: string, baseTip: string | undefined, done: { readonly summary: string; readonly usage: AgentUsage }): Promise<Outcome> {
    const head = await headSha(worktree);
    if (head === request.headSha || (baseTip === undefined && (await commitsSince(worktree, request.headSha)) === 0)) {
      return baseTip === undefined
        ? { kind: 'failed', reason: `the ${describeKind(request)} on PR #${String(request.pullNumber)} ended without changing anything` }
        : { kind: 'unchanged', summary: `${request.headRef} already contains ${request.baseRef}: nothing to push`, usage: done.usage };
    }
    // What the remote does not have yet: the new commits (for a rebase, every rewritten one).
    const work = await runGit(['log', '--patch', '--format=%an <%ae>%n%B', 'HEAD', '--not', request.headSha, ...(baseTip === undefined ? [] : [baseTip])], { cwd: worktree });
    if (this.options.holdsSecret(work.stdout)) {
      return { kind: 'failed', reason: `the work on PR #${String(request.pullNumber)} holds a secret ATO knows or a token-shaped string, so ATO did not push it` };
    }
    await this.options.push(worktree, request.headRef, baseTip === undefined ? undefined : { expectedSha: request.headSha });
    await this.options.checkpoint('followUp:afterPush');
    return { kind: 'pushed', sha: head, summary: `${done.summary.trim() === '' ? describeKind(request) : done.summary.trim()}\n\nATO pushed ${head.slice(0, 7)} to ${request.headRef}${baseTip === undefined ? '' : ` (rebased onto ${request.baseRef}, --force-with-lease on ${request.headSha.slice(0, 7)})`}.`, usage: done.usage };
  }
}

function describeKind(request: Pick<FollowUpRequest, 'kind' | 'attempt'>): string {
  switch (request.kind) {
    case 'fix':
      return `fix attempt ${String(request.attempt)}`;
    case 'rebase':
      return 'rebase';
    case 'reviewFollowUp':
      return 'review follow-up';
  }
}
