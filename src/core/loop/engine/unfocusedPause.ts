import type { Disposable } from '../../util/disposable';
import type { LoopTimers } from './loopEngine';

export interface UnfocusedPauseOptions {
  /** The real clock in the extension, a fake one in tests. */
  readonly clock: LoopTimers;
  /** `ato.loop.pauseWhenUnfocusedMinutes` in ms, read when the window loses focus; 0 never pauses. */
  readonly pauseAfterMs: () => number;
  /** Called when polling pauses (true) or resumes (false). */
  readonly onChange: (paused: boolean) => void;
}

interface PendingTimer {
  readonly callback: () => void;
  /** The clock's handle while scheduled; undefined while held by the pause. */
  handle: unknown;
}

/**
 * The loop's poll timer, paused when the window has been unfocused for long (PRODUCT §4): the engine schedules
 * its ticks through these timers. After `pauseAfterMs` without focus every pending tick is held instead of
 * fired, and ticks scheduled meanwhile are held too; when the window gets focus back a held tick runs at
 * once (one catch-up tick), and the engine's own timing takes over from there. A focus that comes back
 * before the pause does nothing but cancel the countdown.
 */
export class UnfocusedPause implements LoopTimers, Disposable {
  private readonly timers = new Set<PendingTimer>();
  private focused = true;
  private countdown: unknown;
  private pausedNow = false;

  constructor(private readonly options: UnfocusedPauseOptions) {}

  get paused(): boolean {
    return this.pausedNow;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const timer: PendingTimer = { callback, handle: undefined };
    this.timers.add(timer);
    if (!this.pausedNow) this.arm(timer, ms);
    return timer;
  }

  clearTimeout(handle: unknown): void {
    const timer = handle as PendingTimer;
    if (!this.timers.delete(timer)) return;
    if (timer.handle !== undefined) this.options.clock.clearTimeout(timer.handle);
    timer.handle = undefined;
  }

  /** The window's focus changed (or is known for the first time). */
  setFocused(focused: boolean): void {
    if (focused === this.focused) return;
    this.focused = focused;
    if (focused) this.resume();
    else this.startCountdown();
  }

  /** The setting changed: a pause the new value would not have made ends; an unfocused window counts again. */
  reconsider(): void {
    this.cancelCountdown();
    if (this.focused) return;
    if (this.pausedNow && this.options.pauseAfterMs() <= 0) this.resume();
    else if (!this.pausedNow) this.startCountdown();
  }

  dispose(): void {
    this.cancelCountdown();
    for (const timer of this.timers) if (timer.handle !== undefined) this.options.clock.clearTimeout(timer.handle);
    this.timers.clear();
  }

  private startCountdown(): void {
    this.cancelCountdown();
    const ms = this.options.pauseAfterMs();
    if (ms <= 0 || this.pausedNow) return;
    this.countdown = this.options.clock.setTimeout(() => {
      this.countdown = undefined;
      this.pause();
    }, ms);
  }

  private cancelCountdown(): void {
    if (this.countdown !== undefined) this.options.clock.clearTimeout(this.countdown);
    this.countdown = undefined;
  }

  private pause(): void {
    this.pausedNow = true;
    for (const timer of this.timers) {
      if (timer.handle !== undefined) this.options.clock.clearTimeout(timer.handle);
      timer.handle = undefined;
    }
    this.options.onChange(true);
  }

  private resume(): void {
    this.cancelCountdown();
    if (!this.pausedNow) return;
    this.pausedNow = false;
    this.options.onChange(false);
    // Catch up: what waited runs now (the engine keeps one tick pending, so this is one tick).
    for (const timer of this.timers) this.arm(timer, 0);
  }

  private arm(timer: PendingTimer, ms: number): void {
    timer.handle = this.options.clock.setTimeout(() => {
      if (!this.timers.delete(timer)) return;
      timer.handle = undefined;
      timer.callback();
    }, ms);
  }
}
