import type { EventInput } from '../../events/eventLog';
import { isGitHubError } from '../../forges/github/githubError';
import type { Logger } from '../../logging/logger';
import type { Disposable } from '../../util/disposable';
import type { BackendUsage, LeaseAnswer, LoopBackend, LoopObservation } from './loopBackend';
import { trackOfAction, type ActionOutcome, type LoopController, type LoopState, type PlannedAction, type RequeueTaskAction, type TickPlan, type TickReport } from './loopModel';
import { describeAction } from './describeAction';
import { summariseAdoption } from '../tracks/planning/issueAdoption';
import { planStillHolds } from './planBasis';
import { actionsToTake, planTracks, summaryOf } from './trackPlans';
import { describeFailure } from './describeFailure';

export interface LoopTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface LoopIntervals {
  /** Between ticks while something is in flight. */
  readonly activeMs: number;
  /** Between ticks when idle. */
  readonly idleMs: number;
  /** Read everything at least this often, whatever the cheap probe says. */
  readonly fullRefreshMs: number;
}

export interface LoopEngineOptions {
  readonly backend: LoopBackend;
  /** Applies a change to the store's `loop` slice. */
  readonly updateLoop: (recipe: (loop: LoopState) => LoopState) => void;
  readonly appendEvent: (event: EventInput) => void;
  readonly log: Logger;
  readonly now: () => Date;
  readonly timers: LoopTimers;
  readonly intervals: () => LoopIntervals;
  /** `ato.merge.auto`: when false a ready PR waits for the user's one-click merge. */
  readonly autoMerge: () => boolean;
  /** In an untrusted workspace the loop observes and plans but never acts. */
  readonly trusted: () => boolean;
}

/** After failures the next tick waits longer: active interval × 2^failures, capped at the idle interval. */
const maxBackoffExponent = 6;

/**
 * The tick engine (PRODUCT §4): observe → decide → at most one guarded action per track → record. Ticks never
 * overlap (a preview or a one-click merge waits for a running tick). Timing is adaptive: fast while something
 * is in flight, slow when idle, backing off after failures and as GitHub's `retry-after` says.
 */
export class LoopEngine implements LoopController, Disposable {
  private queue: Promise<unknown> = Promise.resolve();
  private last: LoopObservation | undefined;
  private lastFullReadAt = 0;
  /** This loop wrote something: the next observation must read everything again. */
  private dirty = true;
  private failures = 0;
  /** Rate-limit points the last tick spent, to pace the next one. */
  private lastTickPoints = 0;
  private retryAfterMs = 0;
  private timer: unknown;
  private running = false;
  private disposed = false;
  /** This loop took the remote lease and has not given it up since. */
  private leaseTaken = false;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: LoopEngineOptions) {
    options.updateLoop(loop => ({ ...loop, mode: options.backend.mode }));
  }

  start(): void {
    if (this.running || this.disposed) return;
    this.running = true;
    this.options.updateLoop(loop => ({ ...loop, running: true }));
    this.options.appendEvent({ kind: 'loop.started', mode: this.options.backend.mode });
    this.schedule(0);
  }

  pause(): void {
    if (!this.running) return;
    this.running = false;
    this.cancelTimer();
    this.options.updateLoop(loop => ({ ...loop, running: false, nextTickAt: undefined }));
    this.options.appendEvent({ kind: 'loop.paused' });
    // A paused loop holds no lease: another loop (a teammate, CI) may act at once.
    void this.serialised(() => this.releaseLease());
  }

  /** Something the loop follows changed outside GitHub's probe (a local agent's run ended): a running loop ticks now. */
  wake(): void {
    if (this.running && !this.disposed) this.schedule(0);
  }

  tickNow(): Promise<TickReport> {
    return this.serialised(() => this.tick(false));
  }

  async preview(): Promise<TickPlan> {
    const report = await this.serialised(() => this.tick(true));
    return report.plan;
  }

  mergeNow(pullNumber: number): Promise<ActionOutcome> {
    return this.serialised(async () => {
      const observation = await this.observe(true);
      const action = observation.decision.action;
      if (action?.kind !== 'mergePullRequest' || action.pullNumber !== pullNumber) {
        // The stage's reason names the PR when it is about it; say its number once.
        const focused = observation.decision.focus?.pullRequest?.number === pullNumber;
        const why = `${focused ? 'Not merged now' : `PR #${String(pullNumber)} is not ready to merge now`}: ${observation.decision.reason}`;
        const requested: PlannedAction = { kind: 'mergePullRequest', reason: why, pullNumber, headSha: '', markReady: false, closeIssues: [], stage: observation.decision.stage };
        const refused: ActionOutcome = { track: 'planning', action: requested, result: 'skipped', message: why };
        this.options.appendEvent({ kind: 'loop.merge', pullNumber, result: 'skipped', message: why });
        return refused;
      }
      const outcome = await this.act(action).finally(() => this.releaseUnlessRunning());
      this.options.appendEvent({ kind: 'loop.merge', pullNumber, result: outcome.result, message: outcome.message });
      // Show the world as it is after the merge.
      await this.observe(true).catch(() => undefined);
      if (this.last !== undefined) this.publish(this.last, undefined, undefined);
      return outcome;
    });
  }

  requeueTask(taskId: string): Promise<ActionOutcome> {
    return this.serialised(async () => {
      const observation = await this.observe(true);
      const action = observation.decision.needsYou.find(item => item.action === 'requeue' && item.requeue?.taskId === taskId)?.requeue;
      if (action === undefined) {
        // Not offered: already requeued (a second click), still running, merged, or not a task of the queue.
        const { pending, why } = this.whyNotRequeued(taskId);
        const message = `Task ${taskId} is not requeued: ${why}`;
        const requested: RequeueTaskAction = { kind: 'requeueTask', reason: message, taskId, path: '', closeIssues: [] };
        // In pending/ already is the idempotent no-op; anything else is a refusal.
        const result = pending ? 'skipped' : 'failed';
        this.options.appendEvent({ kind: 'loop.requeue', taskId, result, message });
        return { track: 'planning', action: requested, result, message };
      }
      const outcome = await this.act(action).finally(() => this.releaseUnlessRunning());
      this.options.appendEvent({ kind: 'loop.requeue', taskId, result: outcome.result, message: outcome.message });
      await this.observe(true).then(after => { this.publish(after, undefined, undefined); }, () => undefined);
      return outcome;
    });
  }

  fixPullRequest(pullNumber: number, agentId?: string): Promise<ActionOutcome> {
    return this.serialised(async () => {
      await this.observe(true);
      const planned = this.options.backend.fixAction?.(pullNumber, agentId) ?? 'There are no pull requests to fix in local mode.';
      if (typeof planned === 'string') {
        const message = `PR #${String(pullNumber)} is not fixed now: ${planned}`;
        this.options.appendEvent({ kind: 'loop.fix', pullNumber, result: 'skipped', message });
        // The fix request asked for, not taken (as mergeNow reports a merge it did not make).
        const requested: PlannedAction = { kind: 'requestFix', reason: message, pullNumber, headSha: '', attempt: 0, maxAttempts: 0, author: 'person', agentId };
        return { track: 'maintenance', action: requested, result: 'skipped', message };
      }
      const outcome = await this.act(planned).finally(() => this.releaseUnlessRunning());
      this.options.appendEvent({ kind: 'loop.fix', pullNumber, result: outcome.result, message: outcome.message });
      await this.observe(true).then(after => { this.publish(after, undefined, undefined); }, () => undefined);
      return outcome;
    });
  }

  /** Why the loop offers no requeue for a task: in pending/ already (nothing to do), or its work is not failed. */
  private whyNotRequeued(taskId: string): { readonly pending: boolean; readonly why: string } {
    const { backend } = this.options;
    if (!this.options.trusted()) return { pending: false, why: 'this workspace is not trusted: ATO takes no action.' };
    if (backend.taskFolder === undefined) return { pending: false, why: 'the loop requeues only in GitHub mode.' };
    switch (backend.taskFolder(taskId)) {
      case 'pending':
        return { pending: true, why: 'it is in pending/ already (nothing to do).' };
      case 'complete':
        return { pending: false, why: 'it is complete: there is nothing to run again.' };
      case undefined:
        return { pending: false, why: 'no valid task with this id is in the planning queue.' };
      case 'processed':
        return { pending: false, why: 'only a task in processed/ whose run failed, or whose issue was closed outside the loop, is requeued (not one whose run is in progress or merged).' };
    }
  }

  queueDraft(path: string): Promise<{ readonly result: 'done' | 'skipped' | 'failed'; readonly message: string }> {
    return this.serialised(async () => {
      const { backend } = this.options;
      if (!this.options.trusted()) return { result: 'skipped' as const, message: 'This workspace is not trusted: ATO takes no action.' };
      if (backend.queueDraft === undefined) return { result: 'skipped' as const, message: 'Local task files are the queue in local mode: nothing to commit.' };
      const lease = await this.takeLease();
      if (!lease.held) return { result: 'skipped' as const, message: `Another loop (${lease.holder}) holds the lease until ${lease.expiresAt}; try again then.` };
      const outcome = await backend.queueDraft(path).finally(() => this.releaseUnlessRunning());
      this.dirty = true;
      this.options.appendEvent({ kind: 'loop.queueDraft', path, result: outcome.result, message: outcome.message });
      await this.observe(true).then(observation => { this.publish(observation, undefined, undefined); }, () => undefined);
      return outcome;
    });
  }

  adoptIssues(dryRun: boolean): ReturnType<LoopController['adoptIssues']> {
    return this.serialised(async () => {
      const { backend } = this.options;
      if (backend.adoptIssues === undefined) return { result: 'skipped' as const, message: 'Issues live on GitHub: there is nothing to adopt in local mode.', report: undefined };
      if (dryRun) {
        const report = await backend.adoptIssues(true);
        return { result: 'done' as const, message: summariseAdoption(report), report };
      }
      if (!this.options.trusted()) return { result: 'skipped' as const, message: 'This workspace is not trusted: ATO takes no action.', report: undefined };
      const lease = await this.takeLease();
      if (!lease.held) return { result: 'skipped' as const, message: `Another loop (${lease.holder}) holds the lease until ${lease.expiresAt}; try again then.`, report: undefined };
      try {
        const report = await backend.adoptIssues(false);
        this.dirty = true;
        for (const record of report.adopted) this.options.appendEvent({ kind: 'loop.adopted', ...record, by: 'adopt' });
        return { result: report.adopted.length > 0 ? 'done' as const : 'skipped' as const, message: summariseAdoption(report), report };
      } finally {
        await this.releaseUnlessRunning();
      }
    });
  }

  dispose(): void {
    void this.close();
  }

  /** Stops the loop, gives the remote lease up and lets the backend go; resolves when all that is done. */
  close(): Promise<void> {
    if (this.closing === undefined) {
      this.disposed = true;
      this.pause();
      this.closing = this.serialised(async () => {
        await this.releaseLease();
        await this.options.backend.dispose?.();
      }).catch((error: unknown) => { this.options.log.warn('Closing the loop: %s', describeFailure(error)); });
    }
    return this.closing;
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async tick(dryRun: boolean): Promise<TickReport> {
    const { backend, now } = this.options;
    const before = backend.usage();
    this.options.updateLoop(loop => ({ ...loop, ticking: true }));
    try {
      const observation = await this.observe(false);
      const plan = this.plan(observation);
      const outcomes: ActionOutcome[] = [];
      if (!dryRun) for (const action of actionsToTake(plan)) outcomes.push(await this.act(action));
      const after = backend.usage();
      const report: TickReport = { plan, outcomes, requests: after.requests - before.requests, points: after.points - before.points };
      this.lastTickPoints = report.points;
      this.failures = 0;
      this.retryAfterMs = 0;
      this.publish(observation, dryRun ? undefined : report, plan, after);
      this.options.appendEvent({
        kind: dryRun ? 'loop.preview' : 'loop.tick',
        stage: plan.stage?.stage,
        reason: plan.stage?.reason,
        tracks: plan.tracks.map(track => ({ track: track.track, action: track.action?.kind, summary: summaryOf(track), waitsFor: track.held?.waitsFor, reason: track.reason })),
        outcomes: outcomes.map(o => ({ action: o.action.kind, result: o.result, message: o.message })),
        requests: report.requests,
        points: report.points,
      });
      return report;
    } catch (error) {
      this.failures += 1;
      this.retryAfterMs = isGitHubError(error, 'rateLimited') ? error.retryAfterMs ?? 0 : 0;
      const message = describeFailure(error);
      this.options.log.warn('Loop tick failed: %s', message);
      this.options.appendEvent({ kind: 'loop.tickFailed', dryRun, message });
      this.options.updateLoop(loop => ({ ...loop, error: message, lastTickAt: now().toISOString() }));
      throw error;
    } finally {
      if (!dryRun) await this.releaseUnlessRunning();
      this.options.updateLoop(loop => ({ ...loop, ticking: false }));
      if (!dryRun) this.schedule(this.nextDelay());
    }
  }

  /** Reads the world: everything when forced, stale or in flight; otherwise one cheap probe first. */
  private async observe(forceFull: boolean): Promise<LoopObservation> {
    const nowMs = this.options.now().getTime();
    const full = forceFull || this.dirty || this.last === undefined || this.last.inFlight || nowMs - this.lastFullReadAt >= this.options.intervals().fullRefreshMs;
    const observed = await this.options.backend.observe({ full });
    if (observed === 'unchanged' && this.last !== undefined) return this.last;
    if (observed === 'unchanged') return this.observe(true);
    this.last = observed;
    this.lastFullReadAt = nowMs;
    this.dirty = false;
    return observed;
  }

  private plan(observation: LoopObservation): TickPlan {
    return planTracks(observation, this.options.now().toISOString(), action => this.holdBack(action));
  }

  /** Whether a planned action waits (for the user's click, or for trust), and why. The plan still names it. */
  private holdBack(action: PlannedAction): { readonly waitsFor: 'you' | 'trust'; readonly reason: string } | undefined {
    if (!this.options.trusted()) return { waitsFor: 'trust', reason: 'Not taken: this workspace is not trusted, so ATO only observes.' };
    if (action.kind === 'mergePullRequest' && !this.options.autoMerge()) {
      return { waitsFor: 'you', reason: `${action.reason} Auto-merge is off (\`ato.merge.auto\`, headless \`ATO_MERGE_AUTO\`): it waits for your one-click merge under Needs you.` };
    }
    return undefined;
  }

  private async act(action: PlannedAction): Promise<ActionOutcome> {
    const { backend } = this.options;
    const track = trackOfAction(action);
    if (!this.options.trusted()) return { track, action, result: 'skipped', message: 'This workspace is not trusted: ATO takes no action.' };
    const lease = await this.takeLease();
    if (!lease.held) {
      return { track, action, result: 'skipped', message: `Another loop (${lease.holder}) holds the lease until ${lease.expiresAt}; it acts, this one waits.` };
    }
    this.options.appendEvent({ kind: 'loop.action', action: action.kind, summary: describeAction(action), reason: action.reason, phase: 'start' });
    try {
      const result = await backend.execute(action);
      this.dirty = true;
      for (const record of result.adopted ?? []) this.options.appendEvent({ kind: 'loop.adopted', ...record, by: action.kind });
      this.options.appendEvent({ kind: 'loop.action', action: action.kind, phase: 'end', result: result.result, message: result.message });
      return { track, action, result: result.result, message: result.message };
    } catch (error) {
      this.dirty = true;
      const message = describeFailure(error);
      this.options.appendEvent({ kind: 'loop.action', action: action.kind, phase: 'end', result: 'failed', message });
      if (isGitHubError(error, 'rateLimited')) throw error;
      return { track, action, result: 'failed', message };
    }
  }

  /** Takes (or renews) the remote lease for one action, and shows who holds it. */
  private async takeLease(): Promise<LeaseAnswer> {
    const lease = await this.options.backend.acquireLease();
    this.options.updateLoop(loop => ({ ...loop, lease: { holder: lease.holder, mine: lease.held, expiresAt: lease.expiresAt } }));
    if (lease.held) {
      this.leaseTaken = true;
      if (lease.takenOverFrom !== undefined) this.options.appendEvent({ kind: 'loop.leaseTakenOver', from: lease.takenOverFrom, reason: 'Its holder ran on this machine and workspace and is no longer running.' });
    }
    return lease;
  }

  /**
   * Gives the lease up when this loop holds it, so another loop need not wait for its expiry. The release
   * is a compare-and-swap: a lease someone else holds by now is left alone.
   */
  private async releaseLease(): Promise<void> {
    const { backend } = this.options;
    if (!this.leaseTaken || backend.releaseLease === undefined) return;
    this.leaseTaken = false;
    try {
      await backend.releaseLease();
      this.options.updateLoop(loop => ({ ...loop, lease: undefined }));
      this.options.appendEvent({ kind: 'loop.leaseReleased' });
    } catch (error) {
      this.options.log.warn('The remote lease could not be released (it expires on its own): %s', describeFailure(error));
    }
  }

  /** An action taken while the loop is not started (one tick, a merge, "Queue it", `ato tick`) keeps no lease. */
  private async releaseUnlessRunning(): Promise<void> {
    if (!this.running) await this.releaseLease();
  }

  private publish(observation: LoopObservation, report: TickReport | undefined, plan: TickPlan | undefined, usage: BackendUsage = this.options.backend.usage()): void {
    const at = this.options.now().toISOString();
    this.options.updateLoop(loop => ({
      ...loop,
      error: undefined,
      stage: observation.decision,
      redPullRequests: observation.redPullRequests,
      followedPullRequests: observation.followedPullRequests,
      counts: observation.counts,
      needsYou: observation.decision.needsYou,
      drafts: observation.drafts,
      queue: observation.queue === undefined || loop.queue?.revision === observation.queue.revision ? loop.queue : observation.queue,
      rateLimit: { core: usage.core, graphql: usage.graphql },
      // A new plan replaces the last; without one, the last stays only while the state it was planned from does.
      ...(plan !== undefined ? { plan } : loop.plan === undefined || planStillHolds(loop.plan, observation) ? {} : { plan: undefined }),
      ...(report === undefined ? {} : { lastReport: report, lastTickAt: at }),
    }));
  }

  private nextDelay(): number {
    const { activeMs, idleMs } = this.options.intervals();
    if (this.failures > 0) return Math.max(this.retryAfterMs, Math.min(idleMs, activeMs * 2 ** Math.min(this.failures, maxBackoffExponent)));
    const wanted = this.last?.inFlight === true || this.dirty ? activeMs : idleMs;
    return Math.max(wanted, this.pacedDelay());
  }

  /**
   * Never spend the GraphQL budget faster than it refills: at the last tick's cost, the remaining points
   * must last until the reset (a 500-PR repository costs ~85 points a full tick; every 30 s that would
   * spend 10,000 an hour against GitHub's 5,000).
   */
  private pacedDelay(): number {
    const usage = this.options.backend.usage();
    const budget = usage.graphql;
    const cost = this.lastTickPoints;
    if (budget === undefined || cost <= 0) return 0;
    const untilReset = Date.parse(budget.resetAt) - this.options.now().getTime();
    if (!Number.isFinite(untilReset) || untilReset <= 0) return 0;
    if (budget.remaining <= cost) return untilReset;
    return Math.ceil((untilReset * cost) / budget.remaining);
  }

  private schedule(delayMs: number): void {
    this.cancelTimer();
    if (!this.running || this.disposed) return;
    const at = new Date(this.options.now().getTime() + delayMs).toISOString();
    this.options.updateLoop(loop => ({ ...loop, nextTickAt: at }));
    this.timer = this.options.timers.setTimeout(() => {
      this.timer = undefined;
      this.tickNow().catch(() => undefined); // recorded in the state and the event log
    }, delayMs);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.options.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
