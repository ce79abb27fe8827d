import assert from 'node:assert/strict';
import type { LoopTimers } from '../../../../src/core/loop/loopEngine';
import { UnfocusedPause } from '../../../../src/core/loop/unfocusedPause';

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
