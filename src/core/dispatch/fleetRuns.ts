import { stat } from 'node:fs/promises';
import type { AgentBackend, AgentRunHandle, AgentRunStatus, AgentUsage, DispatchRequest, VendorWindowNotice } from '../agents/agentBackend';
import type { FailureClass } from '../agents/failureClass';
import type { ConcurrencyLimiter, ConcurrencySlot } from '../agents/fleet/concurrencyLimiter';
import type { Fleet } from '../agents/fleet/fleet';
import type { EventInput } from '../events/eventLog';
import type { Logger } from '../logging/logger';
import { describeError } from '../logging/redactor';
import { isFinalRunState, type RunRecord } from '../runs/runRecord';
import { runLogFooter, runLogHeader } from '../runs/runLogFrame';
import type { RunStore } from '../runs/runStore';
import { transition } from '../runs/runTransitions';
import { Emitter, type Event } from '../util/emitter';
import { StallWatch, stallReasonPrefix, type StallSettings, type StallVerdict } from './stallWatch';

export interface EventSink {
  append(event: EventInput): Promise<void>;
}

/** One agent run in progress in this process, whatever sent it (a task file, the GitHub loop). */
export interface FleetRun {
  record: RunRecord;
  readonly agent: AgentBackend;
  readonly slot: ConcurrencySlot;
  handle?: AgentRunHandle;
  /** The spend cap the run was started with (its task's `budget_usd`, else the default). */
  budgetUsd?: number;
  /** ATO stopped the run itself (a stall to retry, a spend cap reached): its end is this, not a cancel. */
  stoppedBy?: { readonly failure: Extract<FailureClass, 'timeout' | 'budget'>; readonly message: string };
  /** The last usage the agent reported while it ran (what a stopped run had spent). */
  usageSoFar?: AgentUsage;
  /** Another process cancelled the run through its record (`ato cancel`): its end is a cancel, whatever the agent says. */
  cancelledElsewhere?: string;
  readonly done: Promise<RunRecord>;
}

/** Why a run that did not succeed ended, as the run record and the retry policy take it. */
export interface RunEnding {
  readonly failure: FailureClass;
  readonly message: string;
  readonly usage: AgentUsage;
  readonly exitCode?: number | undefined;
  readonly retryAfterMs?: number | undefined;
  readonly window?: VendorWindowNotice | undefined;
}

export type SlotAttempt =
  | { readonly ok: true; readonly slot: ConcurrencySlot }
  /** `retryInMs`, when known, is when a start may be allowed (a staggered start). */
  | { readonly ok: false; readonly reason: string; readonly retryInMs?: number };

export interface FleetRunsOptions {
  readonly limiter: ConcurrencyLimiter;
  readonly runs: RunStore;
  readonly events: EventSink;
  readonly log: Logger;
  /** Caps, budgets, vendor windows and burst-safe starts (issue 10); absent: none of them. */
  readonly fleet?: Fleet;
  /** The stall watch's settings (`ato.runs.stallMinutes`, `ato.runs.stallPolicy`), read at every check; no watch without. */
  readonly stall?: () => StallSettings;
  readonly now?: () => Date;
  /** How often the records of the runs in progress are read for a cancel made from another process (`ato cancel`). Default 2 s. */
  readonly cancelCheckMs?: number;
}

/**
 * The fleet's side of every agent run (issue 10, "one fleet"): the concurrency slot and the vendor's start
 * gate, the run record in `.ato/runs` (each state written, seen by the ledger, logged as an event), the run
 * log, the stall watch, the spend cap, and cancel. The task-file dispatcher and the GitHub loop's runs (local
 * agents' and remote sessions') all start their runs here, so limits, the ledger, `ato agents` and cancel see them all; each keeps what
 * is its own (queue moves and retries; push and PR).
 */
export class FleetRuns {
  private readonly active = new Map<string, FleetRun>();
  private readonly changed = new Emitter<void>();
  readonly onDidChange: Event<void> = this.changed.event;
  readonly now: () => Date;
  private readonly stalls: StallWatch | undefined;
  private cancelWatch: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(private readonly options: FleetRunsOptions) {
    this.now = options.now ?? (() => new Date());
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

  get fleet(): Fleet | undefined {
    return this.options.fleet;
  }

  get limiter(): ConcurrencyLimiter {
    return this.options.limiter;
  }

  /** The run records of the workspace (`.ato/runs`): the one store every run of this fleet is written to. */
  get runs(): RunStore {
    return this.options.runs;
  }

  /** Records of the runs in progress in this process. */
  activeRuns(): RunRecord[] {
    return [...this.active.values()].map(run => run.record);
  }

  /** Resolves with the final record when the run ends (undefined for an unknown run). */
  whenDone(runId: string): Promise<RunRecord> | undefined {
    return this.active.get(runId)?.done;
  }

  /** The agent's concurrency slot and a start from its vendor's gate, or why not now. */
  trySlot(agentId: string): SlotAttempt {
    const slot = this.options.limiter.tryAcquire(agentId);
    if (slot === undefined) return { ok: false, reason: `${agentId} is at its concurrency limit.` };
    const permit = this.options.fleet?.tryStart(agentId) ?? { ok: true };
    if (!permit.ok) {
      slot.release();
      return { ok: false, reason: permit.reason, retryInMs: permit.waitMs };
    }
    return { ok: true, slot };
  }

  /**
   * Waits for a slot (a run ending here frees one; a staggered start waits its gap), saying why once while it
   * waits. Rejects when this is disposed.
   */
  async waitForSlot(agentId: string, onWait: (reason: string) => void): Promise<ConcurrencySlot> {
    let said = false;
    for (;;) {
      if (this.disposed) throw new Error('ATO is shutting down');
      const attempt = this.trySlot(agentId);
      if (attempt.ok) return attempt.slot;
      if (!said) onWait(attempt.reason);
      said = true;
      await new Promise<void>(resolve => {
        const timer = setTimeout(done, attempt.retryInMs ?? 30_000);
        const subscription = this.changed.event(done);
        function done(): void {
          clearTimeout(timer);
          subscription.dispose();
          resolve();
        }
      });
    }
  }

  /** Counts the run as in progress here (activeRuns, cancel, the stall watch). */
  add(run: FleetRun): void {
    this.active.set(run.record.runId, run);
    this.cancelWatch ??= setInterval(() => { void this.cancelsFromRecords(); }, this.options.cancelCheckMs ?? 2_000).unref();
    this.changed.fire();
  }

  /** Writes the record (the ledger sees it; a state change is logged as `run.transition`). */
  async save(run: FleetRun, record: RunRecord): Promise<RunRecord> {
    const previous = run.record;
    run.record = record;
    await this.options.runs.write(record);
    // The log ends with how the run ended (once: a final state has no way out).
    if (isFinalRunState(record.state) && !isFinalRunState(previous.state) && previous.state !== 'queued') {
      await this.options.runs.appendLog(record.runId, runLogFooter(record)).catch((error: unknown) => { this.options.log.warn('could not end the log of run %s: %s', record.runId, describeError(error)); });
    }
    this.options.fleet?.observe(record);
    if (previous.state !== record.state) {
      const reason = record.history.at(-1)?.reason ?? '';
      await this.options.events.append({ kind: 'run.transition', runId: record.runId, taskId: record.taskId, agentId: record.agentId, from: previous.state, to: record.state, reason });
    }
    this.changed.fire();
    return record;
  }

  /** Something about the runs changed that no record write announced (a requeue, an escalation). */
  notify(): void {
    this.changed.fire();
  }

  /** Starts the agent with the run's log and spend cap; the record goes to `running` with the agent's handle. */
  async launch(run: FleetRun, request: Omit<DispatchRequest, 'runId' | 'onOutput'>): Promise<void> {
    const runId = run.record.runId;
    if (request.budgetUsd !== undefined) run.budgetUsd = request.budgetUsd;
    const startedAt = this.now();
    const handle = await run.agent.dispatch({
      ...request,
      runId,
      onOutput: output => { void this.options.runs.appendLog(runId, `[${output.stream}] ${output.text}\n`).catch(() => undefined); },
      onCommand: argv => {
        const header = runLogHeader({ runId, taskId: run.record.taskId, agentId: run.agent.id, argv, branch: request.branch, workdir: request.workdir, startedAt });
        void this.options.runs.appendLog(runId, header).catch(() => undefined);
      },
    });
    run.handle = handle;
    await this.save(run, { ...transition(run.record, 'running', `${run.agent.id} started`, this.now), handle });
  }

  /**
   * Waits for the agent's end. What it reports meanwhile is recorded: needing you and going on again, and
   * the spend so far — a run that reaches its cap is stopped and ends as `budget` (any backend that reports
   * its cost as it goes; Claude Code also stops itself with `--max-budget-usd`).
   */
  async wait(run: FleetRun): Promise<AgentRunStatus> {
    const handle = run.handle;
    if (handle === undefined) throw new Error('run has no handle');
    let noted = Promise.resolve();
    const status = await run.agent.wait(handle, seen => { noted = noted.then(() => this.noteStatus(run, seen)); });
    await noted;
    if (status.state !== 'succeeded' && run.stoppedBy === undefined && run.cancelledElsewhere === undefined) await this.cancelledInRecord(run);
    return status;
  }

  /** How a run that did not succeed ended: a stop ATO made itself wins over the cancel the agent saw. */
  endingOf(run: FleetRun, status: Exclude<AgentRunStatus, { state: 'succeeded' }>): RunEnding {
    const reported = status.state === 'failed' ? status.usage : {};
    const usage = { ...run.usageSoFar, ...reported };
    if (run.stoppedBy !== undefined) return { failure: run.stoppedBy.failure, message: run.stoppedBy.message, usage };
    if (run.cancelledElsewhere !== undefined) return { failure: 'cancelled', message: run.cancelledElsewhere, usage };
    if (status.state === 'failed') return { failure: status.failure, message: status.message, usage, exitCode: status.exitCode, retryAfterMs: status.retryAfterMs, window: status.vendorWindow };
    if (status.state === 'lost') return { failure: 'fatal', message: 'the agent lost track of the run', usage };
    return { failure: 'fatal', message: `the agent ended in state ${status.state}`, usage };
  }

  /**
   * Ends a run that needs no retry decision here (the loop's runs: their issue says what happened): the
   * record's final state, with the usage and, for a failure, its class and message.
   */
  async settle(run: FleetRun, end: { readonly summary: string; readonly usage: AgentUsage; readonly filesChanged?: readonly string[] } | RunEnding): Promise<RunRecord> {
    const endedAt = this.now().toISOString();
    if (!('failure' in end)) {
      return this.save(run, { ...transition(run.record, 'succeeded', 'the agent finished', this.now), endedAt, summary: end.summary, usage: { ...run.record.usage, ...end.usage }, filesChanged: [...(end.filesChanged ?? [])] });
    }
    return this.save(run, {
      ...transition(run.record, end.failure === 'cancelled' ? 'cancelled' : 'failed', end.message, this.now),
      endedAt,
      failure: { class: end.failure, message: end.message },
      usage: { ...run.record.usage, ...end.usage },
      ...(end.exitCode === undefined ? {} : { exitCode: end.exitCode }),
    });
  }

  /** The run is over here: its slot is free. */
  release(run: FleetRun): void {
    run.slot.release();
    this.active.delete(run.record.runId);
    if (this.active.size === 0) this.stopCancelWatch();
    this.changed.fire();
  }

  /** Cancels a run of this process: kills the agent (its whole process group for local agents). */
  async cancel(runId: string): Promise<boolean> {
    const run = this.active.get(runId);
    if (run?.handle === undefined) return false;
    await run.agent.cancel(run.handle);
    return true;
  }

  /**
   * A run another process cancelled through its record (`ato cancel`): this process stops its agent too (a
   * Jules session is no longer followed, a local process group is gone) and the run ends as cancelled.
   */
  private async cancelsFromRecords(): Promise<void> {
    for (const run of [...this.active.values()]) {
      if (run.handle === undefined || run.stoppedBy !== undefined || run.cancelledElsewhere !== undefined) continue;
      if (!(await this.cancelledInRecord(run))) continue;
      await run.agent.cancel(run.handle).catch((error: unknown) => { this.options.log.warn('could not stop run %s, cancelled from another process: %s', run.record.runId, describeError(error)); });
    }
  }

  /** Whether the run's stored record says another process cancelled it (noted on the run when it does). */
  private async cancelledInRecord(run: FleetRun): Promise<boolean> {
    const stored = await this.options.runs.read(run.record.runId).catch(() => undefined);
    if (stored?.ok !== true || stored.record.state !== 'cancelled' || run.record.state === 'cancelled') return false;
    run.cancelledElsewhere = stored.record.history.at(-1)?.reason ?? 'cancelled from another process';
    return true;
  }

  private stopCancelWatch(): void {
    if (this.cancelWatch !== undefined) clearInterval(this.cancelWatch);
    this.cancelWatch = undefined;
  }

  private async noteStatus(run: FleetRun, status: AgentRunStatus): Promise<void> {
    try {
      if (status.state === 'running' || status.state === 'needsYou') await this.noteSpend(run, status.usage);
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

  /** The spend so far, kept for the record; at or past the cap the run is stopped (once). */
  private async noteSpend(run: FleetRun, usage: AgentUsage | undefined): Promise<void> {
    if (usage === undefined) return;
    run.usageSoFar = usage;
    const spent = usage.costUsd;
    const cap = run.budgetUsd;
    if (spent === undefined || cap === undefined || spent < cap || run.stoppedBy !== undefined || run.handle === undefined) return;
    run.stoppedBy = { failure: 'budget', message: `budget reached: $${spent.toFixed(4)} spent of the task's $${String(cap)} budget (budget_usd), so ATO stopped ${run.agent.id}` };
    await run.agent.cancel(run.handle);
  }

  /** A stalled run needs you, or is cancelled to be retried (by policy); a stalled run that writes again is running again. */
  private async stalledOrResumed(runId: string, verdict: Exclude<StallVerdict, { kind: 'fine' }>): Promise<void> {
    const run = this.active.get(runId);
    if (run?.handle === undefined || run.stoppedBy !== undefined) return;
    await this.options.events.append({ kind: verdict.kind === 'resumed' ? 'run.resumed' : 'run.stalled', runId, taskId: run.record.taskId, reason: verdict.reason, ...(verdict.kind === 'stalled' ? { policy: verdict.action } : {}) });
    if (verdict.kind === 'resumed') await this.save(run, transition(run.record, 'running', verdict.reason, this.now));
    else if (verdict.action === 'needsYou') {
      await this.save(run, transition(run.record, 'needsYou', `${stallReasonPrefix}${verdict.reason}`, this.now));
      await this.options.events.append({ kind: 'run.needsYou', runId, taskId: run.record.taskId, reason: verdict.reason });
    } else {
      run.stoppedBy = { failure: 'timeout', message: `${stallReasonPrefix}${verdict.reason}` };
      await run.agent.cancel(run.handle);
    }
  }

  /**
   * Stops the stall watch and cancels the runs still going whose processes die with ATO anyway. A remote run
   * (Jules, Copilot) goes on at its vendor: its record stays in progress and the next start re-attaches to it.
   */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.stalls?.dispose();
    this.stopCancelWatch();
    const local = [...this.active.values()].filter(run => run.agent.remoteRuns !== true);
    await Promise.all(local.map(run => this.cancel(run.record.runId)));
    // A run's end is written after its process exits (its record, the task's move, an escalation): wait for
    // that, bounded, so nothing writes into .ato/ after dispose resolves (a test's clean-up, a folder removed).
    await settledWithin(local.map(run => run.done), disposeWaitMs);
    this.changed.dispose();
  }
}

/** The task's `budget_usd` when it sets one above 0, else the default when above 0; else no cap. */
export function budgetOf(taskBudget: number | undefined, defaultBudget: number | undefined): { budgetUsd?: number } {
  const budget = taskBudget !== undefined && taskBudget > 0 ? taskBudget : defaultBudget;
  return budget !== undefined && budget > 0 ? { budgetUsd: budget } : {};
}

/** How long dispose waits for the runs it stopped to record their end. */
const disposeWaitMs = 10_000;

async function settledWithin(promises: readonly Promise<unknown>[], ms: number): Promise<void> {
  if (promises.length === 0) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>(resolve => { timer = setTimeout(resolve, ms); });
  await Promise.race([Promise.allSettled(promises), timeout]);
  clearTimeout(timer);
}
