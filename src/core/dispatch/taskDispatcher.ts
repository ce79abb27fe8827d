import { join, relative, sep } from 'node:path';
import type { AgentBackend, AgentHealth, AgentRunStatus, VendorWindowNotice } from '../agents/agentBackend';
import type { AgentRegistry, SelectionDecision, SelectionInputs } from '../agents/fleet/agentRegistry';
import type { ConcurrencySlot } from '../agents/fleet/concurrencyLimiter';
import { failureClassOf, retryAfterOf, type FailureClass } from '../agents/failureClass';
import { SuccessRateCache } from '../agents/fleet/successRateCache';
import { createWorktree, retireWorktree } from '../git/worktrees';
import type { WorktreePoolOptions } from '../git/worktreePool';
import type { WorktreePoolWarmer } from '../git/worktreePoolWarmer';
import type { Logger } from '../logging/logger';
import type { PlanningWriter } from '../planning/planningWriter';
import { describeError } from '../logging/redactor';
import { moveTask } from '../queue/queueMoves';
import type { QueueIndex } from '../queue/queueIndex';
import { isValidQueueEntry, queueEntryId, type ValidQueueEntry } from '../queue/queueEntry';
import { orderPending } from '../queue/queueOrder';
import { decideRetry, type RetryDecision, type RetryPolicyOptions } from '../runs/retryPolicy';
import { isFinalRunState, newRunId, newRunRecord, type RunRecord } from '../runs/runRecord';
import type { RunStore } from '../runs/runStore';
import { transition } from '../runs/runTransitions';
import { composePrompt } from '../tasks/composePrompt';
import type { Event } from '../util/emitter';
import { checkDispatchPreconditions } from './dispatchPreconditions';
import { escalateRun, type EscalationIssuePort } from './escalation';
import { dispatchPreviewOf, type DispatchPreview, type PreviewInput } from './dispatchPreview';
import { FollowUpTimers } from './followUpTimers';
import { requeueTask, type RequeueOutcome } from './requeueTask';
import { budgetOf, type EventSink, type FleetRun, type FleetRuns } from './fleetRuns';
import { FleetSelection } from './fleetSelection';
import type { DispatchStep, FailureStep } from './dispatchSteps';
import { completeSucceededRun } from './succeededRun';
import { checkTaskInWorkspace, resolveAgentWorkdir, TaskPathError } from './taskContainment';

export type { EventSink } from './fleetRuns';

export interface TaskDispatcherOptions {
  readonly workspaceRoot: string;
  readonly index: QueueIndex;
  readonly registry: AgentRegistry;
  /** Slots, start gate, run records, stall watch, spend cap and cancel: shared with the loop's local runs. */
  readonly fleetRuns: FleetRuns;
  readonly runs: RunStore;
  readonly events: EventSink;
  readonly log: Logger;
  /** Writes the `## Result` section (redacted: it quotes the agent). */
  readonly planningWriter: PlanningWriter;
  readonly defaultTimeoutMs: number;
  /** `ato.runs.defaultBudgetUsd`: the spend cap of a task without `budget_usd` (0: none). */
  readonly defaultBudgetUsd?: number;
  readonly retry?: RetryPolicyOptions;
  readonly now?: () => Date;
  readonly random?: () => number;
  /** Called after each step of a dispatch; the crash tests stop the process here. */
  readonly checkpoint?: (step: DispatchStep | FailureStep, runId: string) => void | Promise<void>;
  /** Agent health, cached by the caller (a health check can spawn a process). */
  readonly health?: (agent: AgentBackend) => Promise<AgentHealth>;
  /** The GitHub port for escalation issues (`ato.runs.escalationIssue` on, a GitHub remote and token); none: no issue. */
  readonly escalationIssues?: () => Promise<EscalationIssuePort | undefined>;
  /** Worktrees kept for the next runs (`ato.agents.worktreePoolSize`, see worktreePool.ts); absent: none. */
  readonly worktreePoolSize?: () => number;
  /** Fills the pool ahead (worktreePoolWarmer.ts); a dispatch holds it while preparing its worktree, and waits for its entry. */
  readonly poolWarmer?: WorktreePoolWarmer;
}

export type DispatchOutcome =
  | { readonly status: 'started'; readonly runId: string; readonly agentId: string }
  /** No agent can start it now; `retryInMs`, when known, is when one may (a staggered start, a window that reopens). */
  | { readonly status: 'busy'; readonly reason: string; readonly retryInMs?: number }
  | { readonly status: 'notFound' | 'invalid' | 'blocked' | 'notPending' | 'noAgent' | 'unmet' | 'failed'; readonly reason: string };

export interface DispatchOptions {
  /** Dispatch a task already in `processed/` (a retry, or a resume after a restart). */
  readonly resume?: boolean;
  readonly attempt?: number;
  /** Agents not to choose (they failed this task already). */
  readonly exclude?: ReadonlySet<string>;
  /** Tries of this task on the agent that ran it last (for the retry policy); 1 for a first try. */
  readonly agentTries?: number;
}

/** A refusal (with the registry's decision when it got that far), or the agent a dispatch would start. */
type Chosen =
  | { readonly outcome: DispatchOutcome; readonly decision?: SelectionDecision }
  | { readonly outcome: undefined; readonly entry: ValidQueueEntry; readonly agent: AgentBackend; readonly decision: Extract<SelectionDecision, { status: 'selected' }>; readonly records: readonly RunRecord[]; readonly inputs: SelectionInputs };

interface ActiveRun extends FleetRun {
  readonly agentTries: number;
  readonly exclude: ReadonlySet<string>;
  readonly title: string;
  worktree?: { readonly path: string; readonly baseSha: string };
}

/**
 * Takes a task from the queue to a finished run (PRODUCT §3, §5, §8): select an agent, record the run
 * (write-ahead), move the file to `processed/`, prepare a worktree, start the agent, then on its end commit
 * its work to `ato/<id>`, append the result to the task file, move it to `complete/` and finalize the
 * record. Failures are classified and retried or escalated by the retry policy. Every step is recorded
 * before the next begins, so `recoverRuns` can finish or undo it after a crash.
 */
export class TaskDispatcher {
  /** Retries and hand-overs waiting to start. */
  private readonly followUps = new FollowUpTimers();
  readonly onDidChangeRuns: Event<void>;
  private readonly now: () => Date;
  private readonly random: () => number;
  private disposed = false;
  private readonly inFlight: FleetRuns;
  private readonly selection: FleetSelection;
  /** Run records and success rates, read again only when a record was written since. */
  private readonly history: SuccessRateCache;

  constructor(private readonly options: TaskDispatcherOptions) {
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.history = new SuccessRateCache(options.runs);
    this.inFlight = options.fleetRuns;
    this.onDidChangeRuns = this.inFlight.onDidChange;
    this.selection = new FleetSelection({ registry: options.registry, fleetRuns: options.fleetRuns, events: options.events, now: this.now, ...(options.health === undefined ? {} : { health: options.health }) });
  }

  /** Records of the runs in progress in this process (the loop's local runs too). */
  activeRuns(): RunRecord[] {
    return this.inFlight.activeRuns();
  }

  /** Resolves with the final record when the run ends (undefined for an unknown run). */
  whenDone(runId: string): Promise<RunRecord> | undefined {
    return this.inFlight.whenDone(runId);
  }

  async dispatch(taskId: string, options: DispatchOptions = {}): Promise<DispatchOutcome> {
    const chosen = await this.choose(taskId, options);
    if (chosen.outcome !== undefined) return chosen.outcome;
    const { entry, agent, decision, records, inputs } = chosen;
    const taken = this.inFlight.trySlot(agent.id);
    if (!taken.ok) return { status: 'busy', reason: taken.reason, ...(taken.retryInMs === undefined ? {} : { retryInMs: taken.retryInMs }) };
    const slot = taken.slot;
    await this.selection.noteFailover(entry.result.task, inputs, agent.id);
    // A task dispatched again (after a requeue) numbers its run after the ones it had.
    const attempt = options.attempt ?? 1 + Math.max(0, ...records.filter(record => record.taskId === entry.result.task.id).map(record => record.attempt));
    return this.start(entry, agent, slot, decision.reason, { ...options, attempt });
  }

  /**
   * Follows a remote run again after a restart (recoverRuns' `reattach`: its record in progress, its task in
   * `processed/`): waits on its handle and records its end as for any run. False when its agent is gone.
   */
  reattach(record: RunRecord): boolean {
    const agent = this.options.registry.get(record.agentId);
    const handle = record.handle;
    if (this.disposed || agent === undefined || handle === undefined || this.inFlight.whenDone(record.runId) !== undefined) return false;
    const entry = this.options.index.byId(record.taskId).find(e => e.folder === 'processed');
    let resolveDone: (record: RunRecord) => void = () => undefined;
    const run: ActiveRun = {
      record,
      agent,
      // Counted even past the limits: it is running whether or not there is room.
      slot: this.inFlight.limiter.adopt(agent.id),
      title: entry !== undefined && isValidQueueEntry(entry) ? entry.result.task.title : record.taskId,
      agentTries: 1,
      exclude: new Set(),
      handle,
      done: new Promise(resolve => { resolveDone = resolve; }),
    };
    this.inFlight.add(run);
    void this.finish(run, join(this.options.workspaceRoot, ...record.taskFile.split('/'))).then(resolveDone);
    return true;
  }

  /** What `dispatch` would do now, and why (the registry's ranking of every agent), without moving anything. */
  async preview(taskId: string, options: DispatchOptions = {}): Promise<DispatchPreview> {
    const chosen = await this.choose(taskId, options);
    const verdict: PreviewInput = chosen.outcome === undefined ? { status: 'start', agentId: chosen.agent.id } : chosen.outcome.status === 'started' ? { status: 'start', agentId: chosen.outcome.agentId } : chosen.outcome;
    return dispatchPreviewOf(taskId, verdict, chosen.decision);
  }

  /** Everything `dispatch` checks before a slot is taken: the task, its place, its dependencies, the agent, the preconditions. */
  private async choose(taskId: string, options: DispatchOptions): Promise<Chosen> {
    if (this.disposed) return { outcome: { status: 'failed', reason: 'the dispatcher is shut down' } };
    const { index, registry } = this.options;
    const entries = index.byId(taskId);
    const wanted = options.resume === true ? 'processed' : 'pending';
    const entry = entries.find(e => e.folder === wanted);
    if (entry === undefined) {
      return { outcome: entries.length === 0 ? { status: 'notFound', reason: `No task "${taskId}" in the queue.` } : { status: 'notPending', reason: `Task "${taskId}" is in ${entries.map(e => e.folder).join(', ')}, not ${wanted}.` } };
    }
    if (!isValidQueueEntry(entry)) return { outcome: { status: 'invalid', reason: `Task "${taskId}" has errors: ${entry.result.diagnostics.filter(d => d.severity === 'error').map(d => d.message).join('; ')}` } };
    // As the queue does: a duplicate id is ambiguous (which file, which branch ato/<id>?), so neither runs.
    if (entries.length > 1) return { outcome: { status: 'blocked', reason: `Task "${taskId}" has the same id as ${entries.filter(other => other !== entry).map(other => other.relativePath).join(', ')}: give each task its own id.` } };
    try {
      await checkTaskInWorkspace(entry.result.task, this.options.workspaceRoot);
    } catch (error) {
      if (!TaskPathError.is(error)) throw error;
      return { outcome: { status: 'invalid', reason: error.message } };
    }
    if (entry.folder === 'pending') {
      const completed = new Set([...index.entries('complete')].map(queueEntryId));
      const blocked = orderPending([entry], completed).blocked[0];
      if (blocked !== undefined) return { outcome: { status: 'blocked', reason: `Task "${taskId}" waits for ${JSON.stringify(blocked.reason)}.` } };
    }
    const task = entry.result.task;
    const history = await this.history.current();
    const inputs = await this.selection.inputs(history.successRates, options.exclude);
    const decision = registry.select(task, inputs);
    if (decision.status === 'none') return { outcome: { status: 'noAgent', reason: decision.reason }, decision };
    if (decision.status === 'wait') return { outcome: { status: 'busy', reason: decision.reason, ...this.selection.untilReopening() }, decision };
    const agent = registry.get(decision.agentId);
    if (agent === undefined) return { outcome: { status: 'noAgent', reason: `No agent "${decision.agentId}" is configured.` }, decision };
    // Before anything moves: an unmet precondition leaves the task where it is, with the reason.
    const unmet = await checkDispatchPreconditions({ workspaceRoot: this.options.workspaceRoot, planningRoot: this.planningRoot(), entry, agent });
    if (!unmet.ok) return { outcome: { status: 'unmet', reason: `${unmet.reason} The task stays in ${entry.folder}/.` }, decision };
    return { outcome: undefined, entry, agent, decision, records: history.records, inputs };
  }

  private async start(entry: ValidQueueEntry, agent: AgentBackend, slot: ConcurrencySlot, why: string, options: DispatchOptions): Promise<DispatchOutcome> {
    const task = entry.result.task;
    const runId = newRunId(this.now, this.random);
    let record = newRunRecord({ runId, taskId: task.id, taskFile: this.relativeToWorkspace(entry.file), taskType: task.type, agentId: agent.id, attempt: options.attempt ?? 1, reason: why }, this.now);
    let resolveDone: (record: RunRecord) => void = () => undefined;
    const run: ActiveRun = {
      record,
      agent,
      slot,
      title: task.title,
      agentTries: options.agentTries ?? 1,
      exclude: options.exclude ?? new Set(),
      done: new Promise(resolve => { resolveDone = resolve; }),
    };
    this.inFlight.add(run);
    try {
      record = transition(record, 'preparing', `dispatching to ${agent.id}`, this.now);
      await this.save(run, record);
      await this.step('recordWritten', runId);
      let taskFile = entry.file;
      if (entry.folder === 'pending') {
        taskFile = (await moveTask(entry, 'processed', { workspaceRoot: this.options.workspaceRoot })).to;
        // Tell the index now rather than when the watcher notices (the CLI has no watcher at all).
        await this.options.index.applyChange({ kind: 'add', file: taskFile });
        await this.save(run, { ...run.record, taskFile: this.relativeToWorkspace(taskFile) });
        await this.options.events.append({ kind: 'queue.moved', taskId: task.id, from: 'pending', to: 'processed', runId });
      }
      await this.step('movedToProcessed', runId);
      let workdir = this.options.workspaceRoot;
      let branch: string | undefined;
      if (agent.needsWorktree) {
        const release = this.options.poolWarmer?.hold();
        const worktree = await createWorktree({ repoRoot: this.options.workspaceRoot, taskId: task.id, ...this.pool() }).finally(release);
        run.worktree = { path: worktree.path, baseSha: worktree.baseSha };
        // The cwd is resolved inside this run's own worktree, now that it exists (committed symlinks too).
        workdir = await resolveAgentWorkdir(task, worktree.path);
        branch = worktree.branch;
        await this.save(run, { ...run.record, branch, workdir, baseSha: worktree.baseSha });
        await this.step('worktreeCreated', runId);
      }
      await this.inFlight.launch(run, {
        task,
        workdir,
        branch,
        taskFile: this.relativeToWorkspace(taskFile),
        prompt: composePrompt(task),
        timeoutMs: task.timeoutMs ?? this.options.defaultTimeoutMs,
        ...budgetOf(task.budgetUsd, this.options.defaultBudgetUsd),
      });
      await this.step('agentStarted', runId);
      void this.finish(run, taskFile).then(resolveDone);
      return { status: 'started', runId, agentId: agent.id };
    } catch (error) {
      const message = TaskPathError.is(error) ? error.message : describeError(error);
      this.options.log.error('dispatching %s to %s failed: %s', task.id, agent.id, message);
      // A task that cannot run as written fails the same on every agent: a person fixes it. An agent's error
      // may name its class and the vendor's wait (a 429 at start is retried like one met later).
      const failure = TaskPathError.is(error) ? 'fatal' : failureClassOf(error) ?? 'fatal';
      const failed = await this.fail(run, failure, `could not start: ${message}`, {}, { taskProblem: TaskPathError.is(error), retryAfterMs: retryAfterOf(error) });
      this.release(run);
      await this.dropWorktree(run);
      resolveDone(failed);
      return { status: 'failed', reason: message };
    }
  }

  private async finish(run: ActiveRun, taskFile: string): Promise<RunRecord> {
    const runId = run.record.runId;
    try {
      const status = await this.inFlight.wait(run);
      // A remote run this ATO stopped following (dispose) is the next start's to record (recoverRuns).
      if (this.disposed && run.agent.remoteRuns === true) return run.record;
      // Ended already (cancelled while its process exited): that end is the record's, not a second one.
      if (isFinalRunState(run.record.state)) return run.record;
      await this.step('agentFinished', runId);
      return status.state === 'succeeded' ? await this.succeed(run, status, taskFile) : await this.failFromStatus(run, status);
    } catch (error) {
      if (this.disposed && run.agent.remoteRuns === true) return run.record;
      return await this.fail(run, 'fatal', describeError(error), {});
    } finally {
      this.release(run);
      await this.dropWorktree(run);
    }
  }

  private succeed(run: ActiveRun, status: Extract<AgentRunStatus, { state: 'succeeded' }>, taskFile: string): Promise<RunRecord> {
    const { workspaceRoot, planningWriter, index, events } = this.options;
    return completeSucceededRun({ record: () => run.record, agentId: run.agent.id, title: run.title, ...(run.worktree === undefined ? {} : { worktree: run.worktree }) }, status, taskFile, {
      workspaceRoot, planningRoot: this.planningRoot(), planningWriter, index, events, now: this.now,
      save: record => this.save(run, record),
      step: step => this.step(step, run.record.runId),
    });
  }

  private async failFromStatus(run: ActiveRun, status: Exclude<AgentRunStatus, { state: 'succeeded' }>): Promise<RunRecord> {
    const ending = this.inFlight.endingOf(run, status);
    return this.fail(run, ending.failure, ending.message, ending.usage, { exitCode: ending.exitCode, retryAfterMs: ending.retryAfterMs, window: ending.window });
  }

  /** Records the failure, then retries, hands over to the next agent, or asks a human. */
  /**
   * `taskProblem`: the task cannot run as written (no other agent helps). `retryAfterMs`: the vendor's
   * own wait (a 429's retry-after), which the retry policy never undercuts; with a rate limit it also closes
   * the vendor's window (as `window`, a Claude Code rate-limit notice, does), so queued work fails over.
   */
  private async fail(run: ActiveRun, failure: FailureClass, message: string, usage: RunRecord['usage'], extra: { readonly exitCode?: number | undefined; readonly taskProblem?: boolean; readonly retryAfterMs?: number | undefined; readonly window?: VendorWindowNotice | undefined } = {}): Promise<RunRecord> {
    // A run whose end is recorded (a cancel that raced its process's exit) keeps it: a final state never moves.
    if (isFinalRunState(run.record.state)) return run.record;
    const { exitCode, taskProblem = false } = extra;
    const window = extra.window ?? (failure === 'rateLimit' && extra.retryAfterMs !== undefined ? { until: new Date(this.now().getTime() + extra.retryAfterMs).toISOString(), source: 'retryAfter' as const } : undefined);
    const state = failure === 'cancelled' ? 'cancelled' : 'failed';
    const tried = new Set([...run.exclude, run.agent.id]);
    if (window !== undefined) await this.inFlight.fleet?.closeWindow(run.agent.id, window, run.record.runId);
    const entry = this.options.index.byId(run.record.taskId).find(e => e.folder === 'processed');
    const task = !taskProblem && entry !== undefined && isValidQueueEntry(entry) ? entry.result.task : undefined;
    const others = task !== undefined && await this.selection.othersTake(task, tried);
    const windowWaitMs = window === undefined ? undefined : Math.max(0, Date.parse(window.until) - this.now().getTime());
    const retryAfterMs = extra.retryAfterMs === undefined ? windowWaitMs : Math.max(extra.retryAfterMs, windowWaitMs ?? 0);
    let decision: RetryDecision = failure === 'budget'
      ? { retry: false, escalate: 'needsYou', reason: 'budget reached: raise the budget and resume (ato resume <id> --budget <usd>)' }
      : decideRetry({ failure, attempts: run.agentTries, nextAgentAvailable: others, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) }, this.random, this.options.retry);
    // Failover: the vendor closed its window and the task named no agent — the retry goes now, to the next
    // eligible agent, instead of waiting for the window (it returns to this agent once the window reopens).
    const failover = decision.retry && task !== undefined ? await this.selection.failoverNow(task, run.agent.id, run.exclude) : undefined;
    if (decision.retry && failover !== undefined) decision = { ...decision, delayMs: 0, reason: `${decision.reason}; ${failover}` };
    const ended = this.now();
    const followUp = decision.retry
      ? { kind: 'retry' as const, at: new Date(ended.getTime() + decision.delayMs).toISOString(), reason: decision.reason }
      : { kind: decision.escalate, reason: decision.reason };
    // A task that cannot run as written, or one that reached its budget (a person decides about money),
    // is not a run that ran out of tries: nothing to escalate.
    const escalates = !decision.retry && decision.escalate === 'needsYou' && !taskProblem && failure !== 'budget';
    // The failure and what follows it (with the escalation still to do) land in one write: no reader (or
    // crash) ever sees one without the other.
    const record = await this.save(run, {
      ...transition(run.record, state, message, this.now),
      endedAt: ended.toISOString(),
      failure: { class: failure, message },
      usage: { ...run.record.usage, ...usage },
      ...(exitCode === undefined ? {} : { exitCode }),
      followUp,
      ...(escalates ? { escalationDue: true as const } : {}),
    });
    await this.options.events.append({ kind: 'run.failed', runId: record.runId, taskId: record.taskId, failure, message, decision, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
    await this.step('failureRecorded', record.runId);
    if (decision.retry) {
      this.schedule(record, decision.delayMs, { resume: true, attempt: record.attempt + 1, agentTries: run.agentTries + 1, exclude: run.exclude });
    } else if (decision.escalate === 'nextAgent') {
      this.schedule(record, 0, { resume: true, attempt: record.attempt + 1, agentTries: 1, exclude: tried });
    } else if (decision.escalate === 'needsYou') {
      await this.options.events.append({ kind: 'run.needsYou', runId: record.runId, taskId: record.taskId, reason: decision.reason });
      return escalates ? this.escalate(run, record) : record;
    }
    return record;
  }

  /** Out of retries and agents: priority up, the needs-you item says so, and the optional issue (escalation.ts). */
  private async escalate(run: ActiveRun, failed: RunRecord): Promise<RunRecord> {
    const { workspaceRoot, runs, planningWriter, events, log, escalationIssues } = this.options;
    run.record = await escalateRun(failed, { workspaceRoot, runs, planningWriter, events, log, ...(escalationIssues === undefined ? {} : { issues: escalationIssues }) });
    this.inFlight.notify();
    return run.record;
  }

  private async followUp(failed: RunRecord, options: DispatchOptions): Promise<DispatchOutcome> {
    const now = await this.options.runs.read(failed.runId);
    const due = now.ok && (now.record.followUp?.kind === 'retry' || now.record.followUp?.kind === 'nextAgent');
    return due ? this.dispatch(failed.taskId, options) : { status: 'notPending', reason: `run ${failed.runId} has no follow-up due any more (its task was requeued)` };
  }

  /** Cancels a run of this process: kills the agent (its whole process group for local agents). */
  cancel(runId: string): Promise<boolean> {
    return this.inFlight.cancel(runId);
  }

  /**
   * Requeue (see requeueTask): refused while a run of the task is in progress here; a retry this process
   * scheduled for it is dropped first, so it cannot start a second run after the task is dispatched again.
   */
  async requeue(taskId: string): Promise<RequeueOutcome> {
    // A run whose failure is recorded may still be finishing (its escalation, its worktree): the needs-you item
    // offers Requeue from that moment, so wait for it (bounded) rather than refuse it as "still failed".
    const finishing = this.activeRuns().filter(run => run.taskId === taskId && isFinalRunState(run.state)).flatMap(run => this.whenDone(run.runId) ?? []);
    if (finishing.length > 0) await Promise.race([Promise.allSettled(finishing), new Promise(resolve => { setTimeout(resolve, 10_000).unref(); })]);
    const outcome = await requeueTask(taskId, {
      workspaceRoot: this.options.workspaceRoot,
      planningRoot: this.planningRoot(),
      index: this.options.index,
      runs: this.options.runs,
      events: this.options.events,
      activeRuns: () => this.activeRuns(),
      now: this.now,
      beforeMove: () => { this.followUps.drop(taskId); },
    });
    this.inFlight.notify();
    return outcome;
  }

  /** The follow-up of a failed run, after a delay — unless its record no longer says one is due (requeued meanwhile, from any process). */
  private schedule(failed: RunRecord, delayMs: number, options: DispatchOptions): void {
    if (this.disposed) return;
    this.followUps.schedule(failed.taskId, delayMs, () => {
      this.followUp(failed, options).then(outcome => {
        if (outcome.status !== 'started') this.options.log.warn('a scheduled dispatch did not start: %s', outcome.reason);
      }, (error: unknown) => { this.options.log.error('a scheduled dispatch of %s failed: %s', failed.taskId, describeError(error)); });
    });
  }

  private save(run: ActiveRun, record: RunRecord): Promise<RunRecord> {
    return this.inFlight.save(run, record);
  }

  private release(run: ActiveRun): void {
    this.inFlight.release(run);
  }

  /** The worktree goes (to the pool, or removed); the branch, with the agent's commits, stays. */
  private async dropWorktree(run: ActiveRun): Promise<void> {
    if (run.worktree === undefined) return;
    try {
      await retireWorktree({ repoRoot: this.options.workspaceRoot, path: run.worktree.path, ...this.pool() });
    } catch (error) {
      this.options.log.warn('could not remove the worktree %s: %s', run.worktree.path, error);
    }
  }

  private pool(): { pool?: WorktreePoolOptions } {
    const size = this.options.worktreePoolSize?.();
    const warmer = this.options.poolWarmer;
    return size === undefined ? {} : { pool: { size, ...(warmer === undefined ? {} : { writing: () => warmer.writing }) } };
  }

  private async step(step: DispatchStep | FailureStep, runId: string): Promise<void> {
    await this.options.checkpoint?.(step, runId);
  }

  private planningRoot(): string {
    return this.options.index.planningRoot;
  }

  private relativeToWorkspace(file: string): string {
    return relative(this.options.workspaceRoot, file).split(sep).join('/');
  }

  /**
   * Stops scheduling; cancels the runs still going whose processes die with ATO anyway. A remote run (Jules,
   * Copilot) goes on at its vendor: its record stays in progress and the next start re-attaches to it.
   */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.followUps.dropAll();
    await Promise.all([this.inFlight.dispose(), this.options.poolWarmer?.dispose()]);
  }
}
