import assert from 'node:assert/strict';
import { createLogger } from '../../../../../src/core/logging/logger';
import { Redactor } from '../../../../../src/core/logging/redactor';
import type { LoopBackend, LoopObservation } from '../../../../../src/core/loop/engine/loopBackend';
import { LoopEngine, type LoopTimers } from '../../../../../src/core/loop/engine/loopEngine';
import { initialLoopState, type LoopState } from '../../../../../src/core/loop/engine/loopModel';
import { UnfocusedPause } from '../../../../../src/core/loop/engine/unfocusedPause';

/** A fake clock: timers fire when the test advances time past them, in order. */
class FakeClock implements LoopTimers {
  now = 0;
  private timers: { at: number; callback: () => void }[] = [];
  setTimeout(callback: () => void, ms: number): unknown {
    const timer = { at: this.now + ms, callback };
    this.timers.push(timer);
    return timer;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter(timer => timer !== handle);
  }
  get pending(): number {
    return this.timers.length;
  }
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = this.timers.filter(timer => timer.at <= until).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter(timer => timer !== due);
      this.now = due.at;
      due.callback();
    }
    this.now = until;
  }
}

const minute = 60_000;

function harness(pauseMinutes = 10) {
  const clock = new FakeClock();
  const changes: boolean[] = [];
  let minutes = pauseMinutes;
  const pause = new UnfocusedPause({ clock, pauseAfterMs: () => minutes * minute, onChange: paused => { changes.push(paused); } });
  // The loop's poll timer, as the engine uses it: a tick every 5 minutes, re-armed after each tick.
  const ticks: number[] = [];
  const poll = (): void => {
    ticks.push(clock.now);
    pause.setTimeout(poll, 5 * minute);
  };
  return { clock, pause, changes, ticks, poll, setMinutes(value: number) { minutes = value; } };
}

describe('UnfocusedPause (the loop timer policy when the window is unfocused)', () => {
  it('polls as usual while the window has focus', () => {
    const h = harness();
    h.pause.setTimeout(h.poll, 5 * minute);
    h.clock.advance(60 * minute);
    assert.equal(h.ticks.length, 12);
    assert.deepEqual(h.changes, []);
  });

  it('keeps polling for the configured minutes unfocused, then stops the timer and says so', () => {
    const h = harness(10);
    h.pause.setTimeout(h.poll, 5 * minute);
    h.pause.setFocused(false);
    h.clock.advance(10 * minute);
    // A tick at 5 minutes; the pause comes at 10 minutes, before the tick due then, which waits.
    assert.deepEqual(h.ticks, [5 * minute]);
    assert.deepEqual(h.changes, [true]);
    assert.equal(h.pause.paused, true);
    h.clock.advance(120 * minute);
    assert.equal(h.ticks.length, 1, 'no tick while paused');
    assert.equal(h.clock.pending, 0, 'no timer left on the clock while paused');
  });

  it('catches up with one tick at once on focus, then the usual timing resumes', () => {
    const h = harness(10);
    h.pause.setTimeout(h.poll, 5 * minute);
    h.pause.setFocused(false);
    h.clock.advance(90 * minute);
    const before = h.ticks.length;
    h.pause.setFocused(true);
    assert.deepEqual(h.changes, [true, false]);
    assert.equal(h.pause.paused, false);
    h.clock.advance(0);
    assert.deepEqual(h.ticks.slice(before), [90 * minute], 'one catch-up tick, at once');
    h.clock.advance(5 * minute);
    assert.deepEqual(h.ticks.slice(before), [90 * minute, 95 * minute]);
  });

  it('a focus back before the pause cancels the countdown: no pause, no extra tick', () => {
    const h = harness(10);
    h.pause.setTimeout(h.poll, 5 * minute);
    h.pause.setFocused(false);
    h.clock.advance(7 * minute);
    h.pause.setFocused(true);
    h.clock.advance(30 * minute);
    assert.deepEqual(h.changes, []);
    assert.deepEqual(h.ticks, [5, 10, 15, 20, 25, 30, 35].map(m => m * minute));
  });

  it('0 minutes never pauses', () => {
    const h = harness(0);
    h.pause.setTimeout(h.poll, 5 * minute);
    h.pause.setFocused(false);
    h.clock.advance(60 * minute);
    assert.equal(h.ticks.length, 12);
    assert.deepEqual(h.changes, []);
  });

  it('a loop the user paused (no pending tick) gets no tick on focus', () => {
    const h = harness(10);
    const handle = h.pause.setTimeout(h.poll, 5 * minute);
    h.pause.clearTimeout(handle);
    h.pause.setFocused(false);
    h.clock.advance(30 * minute);
    h.pause.setFocused(true);
    h.clock.advance(1 * minute);
    assert.deepEqual(h.ticks, []);
    assert.deepEqual(h.changes, [true, false]);
  });

  it('a tick cancelled while paused (the user paused the loop) does not run on focus', () => {
    const h = harness(10);
    const handle = h.pause.setTimeout(() => { h.ticks.push(h.clock.now); }, 30 * minute);
    h.pause.setFocused(false);
    h.clock.advance(20 * minute);
    h.pause.clearTimeout(handle);
    h.pause.setFocused(true);
    h.clock.advance(60 * minute);
    assert.deepEqual(h.ticks, []);
  });

  it('turning the setting to 0 while paused resumes with the catch-up tick; raising it restarts the count', () => {
    const h = harness(10);
    h.pause.setTimeout(h.poll, 5 * minute);
    h.pause.setFocused(false);
    h.clock.advance(15 * minute);
    assert.equal(h.pause.paused, true);
    h.setMinutes(0);
    h.pause.reconsider();
    assert.equal(h.pause.paused, false);
    h.clock.advance(0);
    assert.equal(h.ticks.at(-1), 15 * minute);

    const g = harness(10);
    g.pause.setTimeout(g.poll, 60 * minute);
    g.pause.setFocused(false);
    g.clock.advance(8 * minute);
    g.setMinutes(30);
    g.pause.reconsider();
    g.clock.advance(20 * minute);
    assert.equal(g.pause.paused, false, 'the count restarted at 30 minutes');
    g.clock.advance(10 * minute);
    assert.equal(g.pause.paused, true);
  });

  it('dispose leaves nothing on the clock', () => {
    const h = harness(10);
    h.pause.setTimeout(h.poll, 5 * minute);
    h.pause.setFocused(false);
    h.pause.dispose();
    assert.equal(h.clock.pending, 0);
  });
});

/** An idle GitHub loop: every observation says nothing is in flight; it counts them. */
class IdleBackend implements LoopBackend {
  readonly mode = 'github' as const;
  observed = 0;
  observe(): Promise<LoopObservation> {
    this.observed += 1;
    const counts = { pending: 0, processed: 0, complete: 0, invalid: 0, unpromoted: 0, openAtoIssues: 0, openPullRequests: 0, followedPullRequests: 0, localDrafts: 0 };
    return Promise.resolve({ decision: { stage: '1b', reason: 'Waiting.', focus: undefined, action: undefined, needsYou: [] }, otherTracks: [], redPullRequests: [], followedPullRequests: [], counts, drafts: [], inFlight: false });
  }
  acquireLease() {
    return Promise.resolve({ held: true, holder: 'me', expiresAt: '2026-11-21T10:05:00.000Z' });
  }
  execute() {
    return Promise.resolve({ result: 'done' as const, message: '' });
  }
  usage() {
    return { requests: this.observed, points: 0, core: undefined, graphql: undefined };
  }
}

describe('the loop engine on UnfocusedPause timers', () => {
  it('stops ticking after the window has been unfocused for the set minutes, and ticks once at once on focus', async () => {
    const clock = new FakeClock();
    let state: LoopState = initialLoopState;
    const pause = new UnfocusedPause({ clock, pauseAfterMs: () => 10 * minute, onChange: paused => { state = { ...state, pausedUnfocused: paused }; } });
    const backend = new IdleBackend();
    const engine = new LoopEngine({
      backend,
      updateLoop: recipe => { state = recipe(state); },
      appendEvent: () => undefined,
      log: createLogger({ write: () => undefined }, new Redactor()),
      now: () => new Date(clock.now),
      timers: pause,
      intervals: () => ({ activeMs: 30_000, idleMs: 5 * minute, fullRefreshMs: 10 * minute }),
      autoMerge: () => false,
      trusted: () => true,
    });
    const settle = () => new Promise(resolve => setImmediate(resolve));
    const advance = async (ms: number) => {
      // One minute at a time, letting each tick's promises settle before the next timer.
      for (let done = 0; done < ms; done += minute) {
        clock.advance(Math.min(minute, ms - done));
        for (let i = 0; i < 10; i++) await settle();
      }
    };
    engine.start();
    clock.advance(0);
    for (let i = 0; i < 10; i++) await settle();
    assert.equal(backend.observed, 1, 'the first tick at once');
    pause.setFocused(false);
    await advance(60 * minute);
    // Ticks at 5 and 10 minutes would be due; the pause comes at 10, before the second one.
    assert.equal(backend.observed, 2);
    assert.equal(state.pausedUnfocused, true);
    assert.equal(state.running, true, 'the loop is still started: only its timer waits');
    pause.setFocused(true);
    clock.advance(0);
    for (let i = 0; i < 10; i++) await settle();
    assert.equal(backend.observed, 3, 'one catch-up tick on focus');
    assert.equal(state.pausedUnfocused, false);
    await advance(5 * minute);
    assert.equal(backend.observed, 4, 'then the idle interval again');
    await engine.close();
    pause.dispose();
  });
});
