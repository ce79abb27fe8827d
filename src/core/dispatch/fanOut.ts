import type { QueueFolder } from '../planning/planningLayout';
import type { QueueEntry } from '../queue/queueEntry';
import { isValidQueueEntry, queueEntryId, type ValidQueueEntry } from '../queue/queueEntry';
import { compareDispatchOrder } from '../queue/queueOrder';
import type { RunRecord, RunState } from '../runs/runRecord';
import type { Disposable } from '../util/disposable';
import { Emitter, type Event } from '../util/emitter';
import { describeOverlap, findTargetOverlap } from './targetOverlap';
import type { DispatchOutcome } from './taskDispatcher';

/** Where one task of a fan-out stands. */
export type FanOutReport =
  | { readonly taskId: string; readonly status: 'started'; readonly agentId: string; readonly runId: string }
  | { readonly taskId: string; readonly status: 'waiting'; readonly reason: string }
  | { readonly taskId: string; readonly status: 'refused'; readonly reason: string }
  | { readonly taskId: string; readonly status: 'finished'; readonly agentId: string; readonly runId: string; readonly state: RunState; readonly detail: string };

/** What a fan-out needs of the dispatcher (TaskDispatcher has it). */
export interface FanOutDispatcher {
  dispatch(taskId: string): Promise<DispatchOutcome>;
  whenDone(runId: string): Promise<RunRecord> | undefined;
  activeRuns(): RunRecord[];
  readonly onDidChangeRuns: Event<void>;
}

/** What a fan-out reads of the queue (QueueIndex has it). */
export interface FanOutQueue {
  byId(id: string): QueueEntry[];
  entries(folder?: QueueFolder): Iterable<QueueEntry>;
}

export interface FanOutOptions {
  readonly dispatcher: FanOutDispatcher;
  readonly queue: FanOutQueue;
}

interface Member {
  readonly taskId: string;
  report: FanOutReport;
  /** The targets of its run while it runs. */
  targets?: readonly string[];
}

/**
 * Dispatches several pending tasks at once (PRODUCT §5, issue 10 "Fan-out"): each goes to an agent as soon as
 * the limits allow, in the queue's dispatch order, except that a task
 * - waits for its `depends_on` to complete — tasks of the same batch, or a run in progress — and is refused
 *   when a dependency is neither complete nor coming (not in the batch and not running), or when one fails;
 * - waits while a running task (of this batch or any other) has a target that may name the same file
 *   (see targetOverlap), and starts when that run ends;
 * - waits while every agent that could take it is at its limit, and, when the dispatcher says when one may
 *   start (the fleet spaces starts to a vendor out, a window reopens), tries again then;
 * Every change of a task's report fires `onDidChange`; `done` resolves when every task was refused or its
 * run ended. A task that waits when nothing is running anywhere would wait forever: it is refused instead.
 * A failed run's retry, when the dispatcher schedules one, happens outside the batch.
 */
export class FanOut implements Disposable {
  private readonly members: Member[];
  private readonly changed = new Emitter<readonly FanOutReport[]>();
  readonly onDidChange: Event<readonly FanOutReport[]> = this.changed.event;
  readonly done: Promise<readonly FanOutReport[]>;
  private resolveDone: (reports: readonly FanOutReport[]) => void = () => undefined;
  private readonly subscription: Disposable;
  private turning = false;
  private again = false;
  private activeCount: number;
  private finished = false;
  /** The next try the dispatcher asked for (`retryInMs` of a busy answer), while one is due. */
  private retry: { readonly at: number; readonly timer: ReturnType<typeof setTimeout> } | undefined;

  private constructor(taskIds: readonly string[], private readonly options: FanOutOptions) {
    this.members = [...new Set(taskIds)].map(taskId => ({ taskId, report: { taskId, status: 'waiting', reason: 'not looked at yet' } }));
    this.done = new Promise(resolve => { this.resolveDone = resolve; });
    this.activeCount = options.dispatcher.activeRuns().length;
    // A run outside the batch that ends may free a slot or a target.
    this.subscription = options.dispatcher.onDidChangeRuns(() => {
      const count = this.options.dispatcher.activeRuns().length;
      const fewer = count < this.activeCount;
      this.activeCount = count;
      if (fewer) void this.turn();
    });
  }

  /** Starts what can start now; resolves with the fan-out once every task has its first report. */
  static async start(taskIds: readonly string[], options: FanOutOptions): Promise<FanOut> {
    const fanOut = new FanOut(taskIds, options);
    await fanOut.turn();
    return fanOut;
  }

  /** Every task's report, in the order they were given. */
  reports(): FanOutReport[] {
    return this.members.map(member => member.report);
  }

  dispose(): void {
    this.cancelRetry();
    this.subscription.dispose();
    this.changed.dispose();
  }

  private async turn(): Promise<void> {
    if (this.turning) {
      this.again = true;
      return;
    }
    this.turning = true;
    try {
      do await this.startWhatCan();
      while (this.takeAgain());
    } finally {
      this.turning = false;
    }
    this.refuseTheStuck();
    this.changed.fire(this.reports());
    this.settle();
  }

  /** Whether a turn was asked for while this one ran (a run ended meanwhile). */
  private takeAgain(): boolean {
    const again = this.again;
    this.again = false;
    return again;
  }

  private async startWhatCan(): Promise<void> {
    const waiting = this.members.filter(member => member.report.status === 'waiting');
    const entries = new Map(waiting.map(member => [member, this.pendingEntry(member.taskId)] as const));
    // Valid pending tasks in the queue's dispatch order; the others first (they are only refused).
    waiting.sort((a, b) => {
      const x = entries.get(a);
      const y = entries.get(b);
      if (x === undefined || y === undefined) return x === undefined ? (y === undefined ? 0 : -1) : 1;
      return compareDispatchOrder(x, y);
    });
    for (const member of waiting) {
      const entry = entries.get(member);
      const held = entry === undefined ? undefined : this.holdBack(entry);
      if (held !== undefined) {
        this.update(member, held);
        continue;
      }
      const outcome = await this.options.dispatcher.dispatch(member.taskId);
      if (outcome.status === 'started') {
        member.targets = entry?.result.task.targetFiles ?? [];
        this.update(member, { taskId: member.taskId, status: 'started', agentId: outcome.agentId, runId: outcome.runId });
        void this.options.dispatcher.whenDone(outcome.runId)?.then(record => { this.ended(member, record); });
      } else if (outcome.status === 'busy') {
        this.update(member, { taskId: member.taskId, status: 'waiting', reason: `waits: ${outcome.reason}` });
        if (outcome.retryInMs !== undefined) this.retryIn(outcome.retryInMs);
      } else {
        this.update(member, { taskId: member.taskId, status: 'refused', reason: outcome.reason });
      }
    }
  }

  /** Why the task cannot start yet (waiting) or at all (refused), or undefined when it may go. */
  private holdBack(entry: ValidQueueEntry): FanOutReport | undefined {
    const task = entry.result.task;
    const complete = new Set([...this.options.queue.entries('complete')].map(queueEntryId));
    const running = this.options.dispatcher.activeRuns();
    for (const dependency of task.dependsOn) {
      if (complete.has(dependency)) continue;
      const member = this.members.find(other => other.taskId === dependency);
      const report = member?.report;
      if (report?.status === 'refused') return { taskId: task.id, status: 'refused', reason: `its dependency ${dependency} was refused (${report.reason})` };
      if (report?.status === 'finished') return { taskId: task.id, status: 'refused', reason: `its dependency ${dependency} ended ${report.state}${report.detail === '' ? '' : ` (${report.detail})`}` };
      if (member !== undefined) return { taskId: task.id, status: 'waiting', reason: `waits: depends on ${dependency}` };
      if (running.some(run => run.taskId === dependency)) return { taskId: task.id, status: 'waiting', reason: `waits: depends on ${dependency} (running)` };
      return { taskId: task.id, status: 'refused', reason: `depends on ${dependency}, which is not complete, not running and not in this batch` };
    }
    for (const other of this.runningTargets(running)) {
      if (other.taskId === task.id) continue;
      const overlap = findTargetOverlap(task.targetFiles, other.targets);
      if (overlap !== undefined) return { taskId: task.id, status: 'waiting', reason: `waits: targets overlap with ${other.taskId} (${describeOverlap(overlap)})` };
    }
    return undefined;
  }

  /** The targets of every run in progress: this batch's, and those of runs started elsewhere. */
  private runningTargets(running: readonly RunRecord[]): { readonly taskId: string; readonly targets: readonly string[] }[] {
    const ours = this.members.filter(member => member.report.status === 'started').map(member => ({ taskId: member.taskId, targets: member.targets ?? [] }));
    const others = running.filter(run => !ours.some(member => member.taskId === run.taskId)).map(run => {
      const entry = this.options.queue.byId(run.taskId).find(isValidQueueEntry);
      return { taskId: run.taskId, targets: entry?.result.task.targetFiles ?? [] };
    });
    return [...ours, ...others];
  }

  private ended(member: Member, record: RunRecord): void {
    const report = member.report;
    if (report.status !== 'started') return;
    const detail = record.state === 'succeeded' ? record.summary ?? '' : [record.failure?.message, record.followUp?.reason].filter(text => text !== undefined && text !== '').join('; ');
    this.update(member, { taskId: member.taskId, status: 'finished', agentId: report.agentId, runId: report.runId, state: record.state, detail });
    void this.turn();
  }

  /** Turns again after `ms` (the earliest of the tries asked for): no run may end to wake a spaced-out start. */
  private retryIn(ms: number): void {
    const at = Date.now() + Math.max(0, ms);
    if (this.retry !== undefined && this.retry.at <= at) return;
    this.cancelRetry();
    const timer = setTimeout(() => {
      this.retry = undefined;
      void this.turn();
    }, Math.max(0, ms));
    this.retry = { at, timer };
  }

  private cancelRetry(): void {
    if (this.retry !== undefined) clearTimeout(this.retry.timer);
    this.retry = undefined;
  }

  /** Waiting with nothing running anywhere and no try due: nothing will ever wake the task. */
  private refuseTheStuck(): void {
    const anythingRunning = this.options.dispatcher.activeRuns().length > 0 || this.members.some(member => member.report.status === 'started');
    if (anythingRunning || this.retry !== undefined) return;
    for (const member of this.members) {
      if (member.report.status === 'waiting') this.update(member, { taskId: member.taskId, status: 'refused', reason: `nothing is running that could end its wait (${member.report.reason.replace(/^waits: /, '')})` });
    }
  }

  private settle(): void {
    if (this.finished || this.members.some(member => member.report.status === 'waiting' || member.report.status === 'started')) return;
    this.finished = true;
    this.cancelRetry();
    this.subscription.dispose();
    this.resolveDone(this.reports());
  }

  private update(member: Member, report: FanOutReport): void {
    member.report = report;
  }

  private pendingEntry(taskId: string): ValidQueueEntry | undefined {
    const entries = this.options.queue.byId(taskId);
    const pending = entries.find(entry => entry.folder === 'pending');
    // A duplicate id or an invalid file: the dispatcher refuses it with its own reason.
    return entries.length === 1 && pending !== undefined && isValidQueueEntry(pending) ? pending : undefined;
  }
}

/** Fan-out of several pending tasks (see {@link FanOut}); resolves once each has its first report. */
export function dispatchMany(taskIds: readonly string[], options: FanOutOptions): Promise<FanOut> {
  return FanOut.start(taskIds, options);
}

/** "a: started on claude-code (run …)", "b: waits: depends on a", "c: refused: …", "a: succeeded on … (run …)". */
export function describeFanOutReport(report: FanOutReport): string {
  switch (report.status) {
    case 'started':
      return `${report.taskId}: started on ${report.agentId} (run ${report.runId})`;
    case 'waiting':
      return `${report.taskId}: ${report.reason}`;
    case 'refused':
      return `${report.taskId}: refused: ${report.reason}`;
    case 'finished':
      return `${report.taskId}: ${report.state} on ${report.agentId} (run ${report.runId})${report.detail === '' ? '' : `: ${report.detail}`}`;
  }
}
