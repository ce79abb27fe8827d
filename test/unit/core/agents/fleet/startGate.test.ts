import assert from 'node:assert/strict';
import { StartGate } from '../../../../../src/core/agents/fleet/startGate';

describe('StartGate: burst-safe starts per vendor', () => {
  function clock(start: string): { now: () => Date; advance: (ms: number) => void } {
    let time = Date.parse(start);
    return { now: () => new Date(time), advance: ms => { time += ms; } };
  }

  it('spaces starts to one vendor by (½ + random ÷ 2) × (60 s ÷ N)', () => {
    const time = clock('2026-12-07T14:00:00.000Z');
    const gate = new StartGate({ startsPerMinute: 6, now: time.now, random: () => 0.5 });
    assert.deepEqual(gate.tryStart('anthropic'), { ok: true });
    const spaced = gate.tryStart('anthropic');
    assert.ok(!spaced.ok);
    assert.equal(spaced.waitMs, 7500, 'three quarters of the 10 s interval with random 0.5');
    // The reason is shown as long as the task waits (the panel's fan-out line): no number that would freeze (issue 14).
    assert.equal(spaced.reason, 'anthropic: starts are spaced out (at most 6 a minute): waiting for the gap after the last start');
    assert.deepEqual(gate.tryStart('github'), { ok: true }, 'another vendor is not held up');
    time.advance(7499);
    assert.ok(!gate.tryStart('anthropic').ok);
    time.advance(1);
    assert.deepEqual(gate.tryStart('anthropic'), { ok: true });
  });

  it('the per-minute cap holds even at the shortest gaps: the 7th start in a minute waits for the first to age out', () => {
    const time = clock('2026-12-07T14:00:00.000Z');
    const gate = new StartGate({ startsPerMinute: 6, now: time.now, random: () => 0 });
    for (let i = 0; i < 6; i++) {
      assert.deepEqual(gate.tryStart('anthropic'), { ok: true }, `start ${i + 1}`);
      time.advance(5000);
    }
    const seventh = gate.tryStart('anthropic');
    assert.ok(!seventh.ok);
    assert.equal(seventh.waitMs, 30_000, 'the first start (30 s ago) leaves the window in 30 s');
    assert.match(seventh.reason, /6 starts in the last minute \(at most 6\)/);
    time.advance(30_000);
    assert.deepEqual(gate.tryStart('anthropic'), { ok: true });
  });

  it('a burst of 10 at the same instant: one starts, the rest are told how long to wait (none refused for good)', () => {
    const time = clock('2026-12-07T14:00:00.000Z');
    let seed = 1;
    const random = (): number => { seed = (seed * 16807) % 2147483647; return (seed - 1) / 2147483646; };
    const gate = new StartGate({ startsPerMinute: 6, now: time.now, random });
    const permits = Array.from({ length: 10 }, () => gate.tryStart('anthropic'));
    assert.equal(permits.filter(permit => permit.ok).length, 1);
    for (const permit of permits) {
      if (!permit.ok) assert.ok(permit.waitMs >= 5000 && permit.waitMs <= 10_000, String(permit.waitMs));
    }
  });
});
