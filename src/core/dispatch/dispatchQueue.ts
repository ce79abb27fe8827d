import type { Logger } from '../logging/logger';
import { describeError } from '../logging/redactor';
import type { Disposable } from '../util/disposable';
import { Emitter, type Event } from '../util/emitter';
import type { DispatchOutcome, TaskDispatcher } from './taskDispatcher';

/** What a submitted task became: started, queued (waiting for a slot, a staggered start or a window), or refused. */
export type QueuedDispatchOutcome = Exclude<DispatchOutcome, { status: 'busy' }> | { readonly status: 'queued'; readonly reason: string };

export interface WaitingDispatch {
  readonly taskId: string;
  /** Why it cannot start yet, as the dispatcher last said. */
  readonly reason: string;
}

/**
 * Burst-safe dispatch (issue 10): tasks submitted together start as far as limits and the per-vendor stagger
 * allow; the rest wait here — queued, not failed — and start as slots free (the dispatcher's change
 * event), a stagger gap passes or a vendor window reopens (a timer at the earliest `retryInMs`). Each try
 * selects again, so waiting `auto` work goes to whichever agent has headroom. A task that can no longer
 * be dispatched (moved, invalid, no agent) leaves the queue with its outcome on `onDidSettle`.
 */
export class DispatchQueue implements Disposable {
  private readonly waiting = new Map<string, string>();
  private readonly settled = new Emitter<{ readonly taskId: string; readonly outcome: QueuedDispatchOutcome }>();
  readonly onDidSettle: Event<{ readonly taskId: string; readonly outcome: QueuedDispatchOutcome }> = this.settled.event;
  private pumping: Promise<void> | undefined;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscription: Disposable;
  private disposed = false;

  constructor(private readonly dispatcher: TaskDispatcher, private readonly log: Logger) {
    this.subscription = dispatcher.onDidChangeRuns(() => { if (this.waiting.size > 0) void this.pump(); });
  }

  /** Tries each task once, in order; those that cannot start now are queued. */
  async submit(taskIds: readonly string[]): Promise<QueuedDispatchOutcome[]> {
    const outcomes: QueuedDispatchOutcome[] = [];
    let soonest: number | undefined;
    for (const taskId of taskIds) {
      if (this.waiting.has(taskId)) {
        outcomes.push({ status: 'queued', reason: this.waiting.get(taskId) ?? '' });
        continue;
      }
      const outcome = await this.dispatcher.dispatch(taskId);
      if (outcome.status === 'busy') {
        this.waiting.set(taskId, outcome.reason);
        soonest = earliest(soonest, outcome.retryInMs);
        outcomes.push({ status: 'queued', reason: outcome.reason });
      } else {
        outcomes.push(outcome);
      }
    }
    this.wakeIn(soonest);
    return outcomes;
  }

  queued(): WaitingDispatch[] {
    return [...this.waiting].map(([taskId, reason]) => ({ taskId, reason }));
  }

  /** Drops a waiting task (a requeue, a cancel); true when it was waiting. */
  drop(taskId: string): boolean {
    return this.waiting.delete(taskId);
  }

  /** Tries the waiting tasks again, oldest first; overlapping calls run one pass more, never two at once. */
  pump(): Promise<void> {
    if (this.pumping !== undefined) {
      this.again = true;
      return this.pumping;
    }
    this.pumping = (async () => {
      do {
        this.again = false;
        await this.pass();
      } while (this.askedAgain());
    })().finally(() => { this.pumping = undefined; });
    return this.pumping;
  }

  /** A pump call came in during the pass (read through a method: the flag changes across the await). */
  private askedAgain(): boolean {
    return this.again;
  }

  private async pass(): Promise<void> {
    let soonest: number | undefined;
    for (const taskId of [...this.waiting.keys()]) {
      let outcome: DispatchOutcome;
      try {
        outcome = await this.dispatcher.dispatch(taskId);
      } catch (error) {
        outcome = { status: 'failed', reason: describeError(error) };
      }
      if (outcome.status === 'busy') {
        this.waiting.set(taskId, outcome.reason);
        soonest = earliest(soonest, outcome.retryInMs);
        continue;
      }
      this.waiting.delete(taskId);
      if (outcome.status !== 'started') this.log.warn('queued task %s left the queue: %s', taskId, outcome.reason);
      this.settled.fire({ taskId, outcome });
    }
    this.wakeIn(soonest);
  }

  private wakeIn(delayMs: number | undefined): void {
    if (delayMs === undefined || this.disposed || this.waiting.size === 0) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.pump();
    }, delayMs);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.waiting.clear();
    this.subscription.dispose();
    this.settled.dispose();
  }
}

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
