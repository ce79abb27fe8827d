/** Whether a start may happen now, or how long until it may. */
export type StartPermit = { readonly ok: true } | { readonly ok: false; readonly waitMs: number; readonly reason: string };

export interface StartGateOptions {
  /** At most this many starts per vendor in any 60 s. */
  readonly startsPerMinute: number;
  readonly now: () => Date;
  /** Values in [0, 1) for the jitter (tests pin it). */
  readonly random: () => number;
}

const minuteMs = 60_000;

/**
 * Burst-safe starts (issue 10): starts to one vendor are spread out. At most `startsPerMinute` in any
 * sliding minute, and after each start the next one to that vendor waits a jittered gap of
 * (½ + random ÷ 2) × (60 s ÷ startsPerMinute) — 5 to 10 s for 6 a minute — so a burst of dispatches
 * never hits the vendor in the same second, nor in lockstep. `tryStart` both checks and, when it says yes, counts the start.
 */
export class StartGate {
  private readonly starts = new Map<string, number[]>();
  private readonly notBefore = new Map<string, number>();

  constructor(private readonly options: StartGateOptions) {}

  tryStart(vendor: string): StartPermit {
    const now = this.options.now().getTime();
    const recent = (this.starts.get(vendor) ?? []).filter(at => at > now - minuteMs);
    const limit = Math.max(1, Math.floor(this.options.startsPerMinute));
    const gapEnds = this.notBefore.get(vendor) ?? 0;
    if (recent.length >= limit) {
      const waitMs = (recent[0] ?? now) + minuteMs - now;
      this.starts.set(vendor, recent);
      return { ok: false, waitMs: Math.max(1, waitMs), reason: `${vendor}: ${recent.length} starts in the last minute (at most ${limit})` };
    }
    // No countdown in the reason: it stays on screen while the task waits (a frozen "next in 5.8 s"); `waitMs` has the time.
    if (gapEnds > now) return { ok: false, waitMs: gapEnds - now, reason: `${vendor}: starts are spaced out (at most ${limit} a minute): waiting for the gap after the last start` };
    recent.push(now);
    this.starts.set(vendor, recent);
    this.notBefore.set(vendor, now + Math.floor((0.5 + clampUnit(this.options.random()) / 2) * (minuteMs / limit)));
    return { ok: true };
  }
}

function clampUnit(value: number): number {
  if (!Number.isFinite(value) || value < 0) return 0;
  return value >= 1 ? 1 - Number.EPSILON : value;
}
