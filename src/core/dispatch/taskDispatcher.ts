import { readFile, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type { AgentBackend, AgentHealth, AgentRunHandle, AgentRunStatus, VendorWindowNotice } from '../agents/agentBackend';
import type { AgentRegistry, SelectionDecision, SelectionInputs } from '../agents/fleet/agentRegistry';
import type { Fleet } from '../agents/fleet/fleet';
import { failoverEvent, failsOverNow } from '../agents/fleet/failover';
import type { ConcurrencyLimiter, ConcurrencySlot } from '../agents/fleet/concurrencyLimiter';
import { failureClassOf, retryAfterOf, type FailureClass } from '../agents/failureClass';
import { computeSuccessRates } from '../agents/fleet/successRates';
import { SuccessRateCache } from '../agents/fleet/successRateCache';
import type { EventInput } from '../events/eventLog';
import { changedFiles } from '../git/changedFiles';
import { createWorktree, removeWorktree } from '../git/worktrees';
import type { Logger } from '../logging/logger';
import type { PlanningWriter } from '../planning/planningWriter';
import { describeError } from '../logging/redactor';
import { moveTask } from '../queue/queueMoves';
import type { QueueIndex } from '../queue/queueIndex';
import { isValidQueueEntry, queueEntryId, type ValidQueueEntry } from '../queue/queueEntry';
import { orderPending } from '../queue/queueOrder';
import { decideRetry, type RetryDecision, type RetryPolicyOptions } from '../runs/retryPolicy';
import { newRunId, newRunRecord, type RunRecord } from '../runs/runRecord';
import type { RunStore } from '../runs/runStore';
import { transition } from '../runs/runTransitions';
import { composePrompt } from '../tasks/composePrompt';
import type { Task } from '../tasks/task';
import { appendResultSection } from '../tasks/taskResultSection';
import { Emitter, type Event } from '../util/emitter';
import { checkDispatchPreconditions } from './dispatchPreconditions';
import { escalateRun, type EscalationIssuePort } from './escalation';
import { dispatchPreviewOf, type DispatchPreview, type PreviewInput } from './dispatchPreview';
import { FollowUpTimers } from './followUpTimers';
import { requeueTask, type RequeueOutcome } from './requeueTask';
import { StallWatch, stallReasonPrefix, type StallSettings, type StallVerdict } from './stallWatch';
import type { DispatchStep, FailureStep } from './dispatchSteps';
import { entryAt } from './queueLocation';
import { writeRunReport } from './runReport';
import { checkTaskInWorkspace, resolveAgentWorkdir, TaskPathError } from './taskContainment';
import { commitAgentChanges } from './worktreeCommit';

export interface EventSink {
  append(event: EventInput): Promise<void>;
}

export interface TaskDispatcherOptions {
  readonly workspaceRoot: string;
  readonly index: QueueIndex;
  readonly registry: AgentRegistry;
  readonly limiter: ConcurrencyLimiter;
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
  /** Caps, budgets, vendor windows and burst-safe starts (issue 10); absent: none of them. */
  readonly fleet?: Fleet;
  /** The GitHub port for escalation issues (`ato.runs.escalationIssue` on, a GitHub remote and token); none: no issue. */
  readonly escalationIssues?: () => Promise<EscalationIssuePort | undefined>;
  /** The stall watch's settings (`ato.runs.stallMinutes`, `ato.runs.stallPolicy`), read at every check; no watch without. */
  readonly stall?: () => StallSettings;
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

interface ActiveRun {
  record: RunRecord;
  readonly agentTries: number;
  readonly exclude: ReadonlySet<string>;
  readonly agent: AgentBackend;
  readonly slot: ConcurrencySlot;
  readonly title: string;
  handle?: AgentRunHandle;
  /** Set when the stall watch cancelled the run to retry it: its end is a timeout, not a cancel. */
  stalled?: string;
  worktree?: { readonly path: string; readonly baseSha: string };
  readonly done: Promise<RunRecord>;
}

/**
 * Takes a task from the queue to a finished run (PRODUCT §3, §5, §8): select an agent, record the run
 * (write-ahead), move the file to `processed/`, prepare a worktree, start the agent, then on its end commit
 * its work to `ato/<id>`, append the result to the task file, move it to `complete/` and finalize the
 * record. Failures are classified and retried or escalated by the retry policy. Every step is recorded
 * before the next begins, so `recoverRuns` can finish or undo it after a crash.
 */
export class TaskDispatcher {
  private readonly active = new Map<string, ActiveRun>();
  /** Retries and hand-overs waiting to start. */
  private readonly followUps = new FollowUpTimers();
  private readonly changed = new Emitter<void>();
  readonly onDidChangeRuns: Event<void> = this.changed.event;
  private readonly now: () => Date;
  private readonly random: () => number;
  private disposed = false;
  private readonly stalls: StallWatch | undefined;
  /** Run records and success rates, read again only when a record was written since. */
  private readonly history: SuccessRateCache;

  constructor(private readonly options: TaskDispatcherOptions) {
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.history = new SuccessRateCache(options.runs);
    const stall = options.stall;
    if (stall !== undefined) {
      this.stalls = new StallWatch({
        settings: stall,
        runs: () => this.activeRuns().filter(record => record.state === 'running' || record.state === 'needsYou'),
        logChangedMs: runId => stat(options.runs.logFile(runId)).then(stats => stats.mtimeMs, () => undefined),
        onVerdict: (runId, verdict) => this.stalledOrResumed(runId, verdict),
        onError: error => { options.log.warn('the stall watch failed: %s', describeError(error)); },
        ...(options.now === undefined ? {} : { now: options.now }),
      });
      this.stalls.start();
    }
  }

  /** Records of the runs in progress in this process. */
  activeRuns(): RunRecord[] {
    return [...this.active.values()].map(run => run.record);
  }

  /** Resolves with the final record when the run ends (undefined for an unknown run). */
  whenDone(runId: string): Promise<RunRecord> | undefined {
    return this.active.get(runId)?.done;
  }

  async dispatch(taskId: string, options: DispatchOptions = {}): Promise<DispatchOutcome> {
    const chosen = await this.choose(taskId, options);
    if (chosen.outcome !== undefined) return chosen.outcome;
    const { entry, agent, decision, records, inputs } = chosen;
    const slot = this.options.limiter.tryAcquire(agent.id);
    if (slot === undefined) return { status: 'busy', reason: `${agent.id} is at its concurrency limit.` };
    const permit = this.options.fleet?.tryStart(agent.id) ?? { ok: true };
    if (!permit.ok) {
      slot.release();
      return { status: 'busy', reason: permit.reason, retryInMs: permit.waitMs };
    }
    await this.noteFailover(entry.result.task, inputs, agent.id);
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
    if (this.disposed || agent === undefined || handle === undefined || this.active.has(record.runId)) return false;
    const entry = this.options.index.byId(record.taskId).find(e => e.folder === 'processed');
    let resolveDone: (record: RunRecord) => void = () => undefined;
    const run: ActiveRun = {
      record,
      agent,
      // Counted even past the limits: it is running whether or not there is room.
      slot: this.options.limiter.adopt(agent.id),
      title: entry !== undefined && isValidQueueEntry(entry) ? entry.result.task.title : record.taskId,
      agentTries: 1,
      exclude: new Set(),
      handle,
      done: new Promise(resolve => { resolveDone = resolve; }),
    };
    this.active.set(record.runId, run);
    void this.finish(run, join(this.options.workspaceRoot, ...record.taskFile.split('/'))).then(resolveDone);
    this.changed.fire();
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
    const inputs = await this.selectionInputs(history.successRates, options.exclude);
    const decision = registry.select(task, inputs);
    if (decision.status === 'none') return { outcome: { status: 'noAgent', reason: decision.reason }, decision };
    if (decision.status === 'wait') return { outcome: { status: 'busy', reason: decision.reason, ...this.untilReopening() }, decision };
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
    this.active.set(runId, run);
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
        const worktree = await createWorktree({ repoRoot: this.options.workspaceRoot, taskId: task.id });
        run.worktree = { path: worktree.path, baseSha: worktree.baseSha };
        // The cwd is resolved inside this run's own worktree, now that it exists (committed symlinks too).
        workdir = await resolveAgentWorkdir(task, worktree.path);
        branch = worktree.branch;
        await this.save(run, { ...run.record, branch, workdir });
        await this.step('worktreeCreated', runId);
      }
      const handle = await agent.dispatch({
        runId,
        task,
        workdir,
        branch,
        taskFile: this.relativeToWorkspace(taskFile),
        prompt: composePrompt(task),
        timeoutMs: task.timeoutMs ?? this.options.defaultTimeoutMs,
        ...budgetOf(task.budgetUsd, this.options.defaultBudgetUsd),
        onOutput: output => { void this.options.runs.appendLog(runId, `[${output.stream}] ${output.text}\n`).catch(() => undefined); },
      });
      run.handle = handle;
      await this.save(run, { ...transition(run.record, 'running', `${agent.id} started`, this.now), handle });
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
      const handle = run.handle;
      if (handle === undefined) throw new Error('run has no handle');
      let noted = Promise.resolve();
      const status = await run.agent.wait(handle, seen => { noted = noted.then(() => this.noteStatus(run, seen)); });
      await noted;
      // A remote run this ATO stopped following (dispose) is the next start's to record (recoverRuns).
      if (this.disposed && run.agent.remoteRuns === true) return run.record;
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

  /** A remote run that waits for you (a plan to approve, a question) is `needsYou` in its record until it goes on. */
  private async noteStatus(run: ActiveRun, status: AgentRunStatus): Promise<void> {
    try {
      if (status.state === 'needsYou' && run.record.state === 'running') {
        await this.save(run, transition(run.record, 'needsYou', status.reason, this.now));
        await this.options.events.append({ kind: 'run.needsYou', runId: run.record.runId, taskId: run.record.taskId, reason: status.reason });
      } else if (status.state === 'running' && run.record.state === 'needsYou') {
        await this.save(run, transition(run.record, 'running', `${run.agent.id} goes on`, this.now));
      }
    } catch (error) {
      this.options.log.warn('could not record that run %s %s: %s', run.record.runId, status.state, describeError(error));
    }
  }

  private async succeed(run: ActiveRun, status: Extract<AgentRunStatus, { state: 'succeeded' }>, taskFile: string): Promise<RunRecord> {
    const { runId, taskId } = run.record;
    let filesChanged: readonly string[] = [];
    if (run.worktree !== undefined) {
      await commitAgentChanges(run.worktree.path, `ato(${taskId}): ${run.title}`);
      filesChanged = (await changedFiles(run.worktree.path, run.worktree.baseSha)).all;
    }
    // The report goes where the task will be, before the record says the agent finished (which recovery trusts).
    const report = status.report === undefined ? undefined
      : this.relativeToWorkspace(await writeRunReport({ workspaceRoot: this.options.workspaceRoot, planningRoot: this.planningRoot(), taskFile: this.relativeToWorkspace(taskFile), text: status.report, writer: this.options.planningWriter }));
    await this.save(run, { ...run.record, filesChanged: [...filesChanged], usage: { ...status.usage }, summary: status.summary, ...(report === undefined ? {} : { report }), ...(status.exitCode === undefined ? {} : { exitCode: status.exitCode }) });
    await this.step('changesCommitted', runId);
    const text = await readFile(taskFile, 'utf8');
    const appended = appendResultSection(text, {
      runId,
      agentId: run.agent.id,
      finishedAt: this.now().toISOString(),
      outcome: 'succeeded',
      summary: status.summary,
      ...(run.record.branch === undefined ? {} : { branch: run.record.branch }),
      ...(status.usage.costUsd === undefined ? {} : { costUsd: status.usage.costUsd }),
      ...(status.usage.turns === undefined ? {} : { turns: status.usage.turns }),
      ...(report === undefined ? {} : { report: basename(report) }),
      durationMs: this.now().getTime() - Date.parse(run.record.startedAt),
    });
    if (appended.changed) await this.options.planningWriter.replace(taskFile, appended.text);
    await this.step('resultAppended', runId);
    const moved = await moveTask(entryAt(this.planningRoot(), 'processed', taskFile), 'complete', { workspaceRoot: this.options.workspaceRoot });
    await this.options.index.applyChange({ kind: 'add', file: moved.to });
    await this.options.events.append({ kind: 'queue.moved', taskId, from: 'processed', to: 'complete', runId });
    await this.save(run, { ...run.record, taskFile: this.relativeToWorkspace(moved.to) });
    await this.step('movedToComplete', runId);
    const final = await this.save(run, { ...transition(run.record, 'succeeded', 'the agent finished', this.now), endedAt: this.now().toISOString() });
    await this.step('recordFinalized', runId);
    return final;
  }

  private async failFromStatus(run: ActiveRun, status: AgentRunStatus): Promise<RunRecord> {
    if (run.stalled !== undefined) return this.fail(run, 'timeout', `${stallReasonPrefix}${run.stalled}`, status.state === 'failed' ? status.usage : {});
    if (status.state === 'failed') return this.fail(run, status.failure, status.message, status.usage, { exitCode: status.exitCode, retryAfterMs: status.retryAfterMs, window: status.vendorWindow });
    if (status.state === 'lost') return this.fail(run, 'fatal', 'the agent lost track of the run', {});
    return this.fail(run, 'fatal', `the agent ended in state ${status.state}`, {});
  }

  /** Records the failure, then retries, hands over to the next agent, or asks a human. */
  /**
   * `taskProblem`: the task cannot run as written (no other agent helps). `retryAfterMs`: the vendor's
   * own wait (a 429's retry-after), which the retry policy never undercuts; with a rate limit it also closes
   * the vendor's window (as `window`, a Claude Code rate-limit notice, does), so queued work fails over.
   */
  private async fail(run: ActiveRun, failure: FailureClass, message: string, usage: RunRecord['usage'], extra: { readonly exitCode?: number | undefined; readonly taskProblem?: boolean; readonly retryAfterMs?: number | undefined; readonly window?: VendorWindowNotice | undefined } = {}): Promise<RunRecord> {
    const { exitCode, taskProblem = false } = extra;
    const window = extra.window ?? (failure === 'rateLimit' && extra.retryAfterMs !== undefined ? { until: new Date(this.now().getTime() + extra.retryAfterMs).toISOString(), source: 'retryAfter' as const } : undefined);
    const state = failure === 'cancelled' ? 'cancelled' : 'failed';
    const tried = new Set([...run.exclude, run.agent.id]);
    if (window !== undefined) await this.options.fleet?.closeWindow(run.agent.id, window, run.record.runId);
    const entry = this.options.index.byId(run.record.taskId).find(e => e.folder === 'processed');
    const task = !taskProblem && entry !== undefined && isValidQueueEntry(entry) ? entry.result.task : undefined;
    const others = task !== undefined && this.options.registry.select(task, await this.selectionInputs(computeSuccessRates([]), tried)).status !== 'none';
    const windowWaitMs = window === undefined ? undefined : Math.max(0, Date.parse(window.until) - this.now().getTime());
    const retryAfterMs = extra.retryAfterMs === undefined ? windowWaitMs : Math.max(extra.retryAfterMs, windowWaitMs ?? 0);
    let decision: RetryDecision = failure === 'budget'
      ? { retry: false, escalate: 'needsYou', reason: 'budget reached: raise the budget and resume (ato resume <id> --budget <usd>)' }
      : decideRetry({ failure, attempts: run.agentTries, nextAgentAvailable: others, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) }, this.random, this.options.retry);
    // Failover: the vendor closed its window and the task named no agent — the retry goes now, to the next
    // eligible agent, instead of waiting for the window (it returns to this agent once the window reopens).
    const fleet = this.options.fleet;
    if (decision.retry && task !== undefined && fleet !== undefined && failsOverNow(fleet, this.options.registry, task, run.agent.id, await this.selectionInputs(computeSuccessRates([]), run.exclude))) {
      decision = { ...decision, delayMs: 0, reason: `${decision.reason}; ${run.agent.id} has no headroom (${fleet.headroom(run.agent.id).reasons.join('; ')}), so it goes to the next eligible agent now` };
    }
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
    this.changed.fire();
    return run.record;
  }

  private async followUp(failed: RunRecord, options: DispatchOptions): Promise<DispatchOutcome> {
    const now = await this.options.runs.read(failed.runId);
    const due = now.ok && (now.record.followUp?.kind === 'retry' || now.record.followUp?.kind === 'nextAgent');
    return due ? this.dispatch(failed.taskId, options) : { status: 'notPending', reason: `run ${failed.runId} has no follow-up due any more (its task was requeued)` };
  }

  /** A stalled run needs you, or is cancelled to be retried (by policy); a stalled run that writes again is running again. */
  private async stalledOrResumed(runId: string, verdict: Exclude<StallVerdict, { kind: 'fine' }>): Promise<void> {
    const run = this.active.get(runId);
    if (run?.handle === undefined || run.stalled !== undefined) return;
    await this.options.events.append({ kind: verdict.kind === 'resumed' ? 'run.resumed' : 'run.stalled', runId, taskId: run.record.taskId, reason: verdict.reason, ...(verdict.kind === 'stalled' ? { policy: verdict.action } : {}) });
    if (verdict.kind === 'resumed') await this.save(run, transition(run.record, 'running', verdict.reason, this.now));
    else if (verdict.action === 'needsYou') {
      await this.save(run, transition(run.record, 'needsYou', `${stallReasonPrefix}${verdict.reason}`, this.now));
      await this.options.events.append({ kind: 'run.needsYou', runId, taskId: run.record.taskId, reason: verdict.reason });
    } else {
      run.stalled = verdict.reason;
      await run.agent.cancel(run.handle);
    }
  }

  /** Cancels a run of this process: kills the agent (its whole process group for local agents). */
  async cancel(runId: string): Promise<boolean> {
    const run = this.active.get(runId);
    if (run?.handle === undefined) return false;
    await run.agent.cancel(run.handle);
    return true;
  }

  /**
   * Requeue (see requeueTask): refused while a run of the task is in progress here; a retry this process
   * scheduled for it is dropped first, so it cannot start a second run after the task is dispatched again.
   */
  async requeue(taskId: string): Promise<RequeueOutcome> {
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
    this.changed.fire();
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

  private async save(run: ActiveRun, record: RunRecord): Promise<RunRecord> {
    const previous = run.record;
    run.record = record;
    await this.options.runs.write(record);
    this.options.fleet?.observe(record);
    if (previous.state !== record.state) {
      const reason = record.history.at(-1)?.reason ?? '';
      await this.options.events.append({ kind: 'run.transition', runId: record.runId, taskId: record.taskId, agentId: record.agentId, from: previous.state, to: record.state, reason });
    }
    this.changed.fire();
    return record;
  }

  private release(run: ActiveRun): void {
    run.slot.release();
    this.active.delete(run.record.runId);
    this.changed.fire();
  }

  /** The worktree goes; the branch, with the agent's commits, stays. */
  private async dropWorktree(run: ActiveRun): Promise<void> {
    if (run.worktree === undefined) return;
    try {
      await removeWorktree({ repoRoot: this.options.workspaceRoot, path: run.worktree.path });
    } catch (error) {
      this.options.log.warn('could not remove the worktree %s: %s', run.worktree.path, error);
    }
  }

  private async step(step: DispatchStep | FailureStep, runId: string): Promise<void> {
    await this.options.checkpoint?.(step, runId);
  }

  private async selectionInputs(successRates: SelectionInputs['successRates'], exclude: ReadonlySet<string> | undefined): Promise<SelectionInputs> {
    const fleet = this.options.fleet;
    await fleet?.ensureLoaded();
    await fleet?.announceReopened();
    return {
      health: await this.healthOf(this.options.registry.all()),
      load: agentId => this.options.limiter.load(agentId),
      successRates,
      ...(exclude === undefined ? {} : { exclude }),
      ...(fleet === undefined ? {} : { headroom: (agentId: string) => fleet.headroom(agentId) }),
    };
  }

  /** Logs `fleet.failover` when an `auto` task goes elsewhere because its preferred agent has no headroom. */
  private async noteFailover(task: Task, inputs: SelectionInputs, chosen: string): Promise<void> {
    const event = this.options.fleet === undefined ? undefined : failoverEvent(this.options.fleet, this.options.registry, task, inputs, chosen);
    if (event !== undefined) await this.options.events.append(event);
  }

  /** When the next closed vendor window reopens, as a `retryInMs` (nothing when none is closed). */
  private untilReopening(): { retryInMs?: number } {
    const at = this.options.fleet?.nextReopening();
    return at === undefined ? {} : { retryInMs: Math.max(1, at.getTime() - this.now().getTime()) };
  }

  private async healthOf(agents: readonly AgentBackend[]): Promise<ReadonlyMap<string, AgentHealth>> {
    const check = this.options.health ?? (agent => agent.health());
    return new Map(await Promise.all(agents.map(async agent => [agent.id, await check(agent).catch((error: unknown) => ({ ok: false, detail: describeError(error) }))] as const)));
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
    this.stalls?.dispose();
    this.followUps.dropAll();
    await Promise.all([...this.active.values()].filter(run => run.agent.remoteRuns !== true).map(run => this.cancel(run.record.runId)));
    this.changed.dispose();
  }
}

/** The task's `budget_usd` when it sets one above 0, else the default when above 0; else no cap. */
function budgetOf(taskBudget: number | undefined, defaultBudget: number | undefined): { budgetUsd?: number } {
  const budget = taskBudget !== undefined && taskBudget > 0 ? taskBudget : defaultBudget;
  return budget !== undefined && budget > 0 ? { budgetUsd: budget } : {};
}
