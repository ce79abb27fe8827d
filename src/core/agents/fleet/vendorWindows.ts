import * as z from 'zod/mini';
import '../../../shared/zod';
import type { VendorWindow } from '../../../shared/agentsReport';

export const windowSources = ['retryAfter', 'rateLimitEvent'] as const;
export type WindowSource = (typeof windowSources)[number];

/** A vendor said "not before `until`": a 429's retry-after, or Claude Code's rejected rate_limit_event. */
export const windowClosureSchema = z.object({
  vendor: z.string().check(z.minLength(1)),
  until: z.iso.datetime(),
  source: z.enum(windowSources),
  /** The agent whose run heard it. */
  agentId: z.string(),
  runId: z.optional(z.string()),
});
export type WindowClosure = z.infer<typeof windowClosureSchema>;

const sourceWords: Readonly<Record<WindowSource, string>> = { retryAfter: '429 retry-after', rateLimitEvent: 'rate_limit_event' };

/**
 * Each vendor's own window (pure, clock passed in): closed until the latest `until` any closure named, open
 * after. A closure that ends earlier than the one in force does not shorten it. `close` says whether the
 * window was open before (the moment to log `fleet.windowClosed` and fail work over); `reopened` lists the
 * vendors whose window has passed since the last call (the moment to log `fleet.windowReopened`).
 */
export class VendorWindows {
  private readonly closures = new Map<string, WindowClosure>();
  private readonly announcedOpen = new Set<string>();

  /** Returns 'closed' when the window was open at `now`, 'extended' when it was closed and now ends later, 'unchanged' otherwise. */
  close(closure: WindowClosure, now: Date): 'closed' | 'extended' | 'unchanged' {
    const current = this.closures.get(closure.vendor);
    const wasOpen = current === undefined || Date.parse(current.until) <= now.getTime();
    if (!wasOpen && Date.parse(closure.until) <= Date.parse(current.until)) return 'unchanged';
    if (Date.parse(closure.until) <= now.getTime()) return 'unchanged';
    this.closures.set(closure.vendor, closure);
    this.announcedOpen.delete(closure.vendor);
    return wasOpen ? 'closed' : 'extended';
  }

  /** Replays closures read back from the window file (in any order); those already past at `now` are not announced as reopened. */
  restore(closures: Iterable<WindowClosure>, now: Date): void {
    for (const closure of closures) {
      const current = this.closures.get(closure.vendor);
      if (current === undefined || Date.parse(closure.until) > Date.parse(current.until)) this.closures.set(closure.vendor, closure);
    }
    for (const [vendor, closure] of this.closures) if (Date.parse(closure.until) <= now.getTime()) this.announcedOpen.add(vendor);
  }

  state(vendor: string, now: Date): VendorWindow {
    const closure = this.closures.get(vendor);
    if (closure === undefined || Date.parse(closure.until) <= now.getTime()) return { open: true, until: null, source: null, reason: null };
    return { open: false, until: closure.until, source: closure.source, reason: `${vendor} window closed until ${clockTime(new Date(closure.until), now)} (${sourceWords[closure.source]})` };
  }

  /** The earliest time a closed window reopens, if any is closed. */
  nextReopening(now: Date): Date | undefined {
    const times = [...this.closures.values()].map(closure => Date.parse(closure.until)).filter(time => time > now.getTime());
    return times.length === 0 ? undefined : new Date(Math.min(...times));
  }

  /** Vendors whose window was closed and has passed since the last call; each is reported once. */
  reopened(now: Date): WindowClosure[] {
    const passed: WindowClosure[] = [];
    for (const [vendor, closure] of this.closures) {
      if (Date.parse(closure.until) > now.getTime() || this.announcedOpen.has(vendor)) continue;
      this.announcedOpen.add(vendor);
      passed.push(closure);
    }
    return passed;
  }
}

/** `14:32` (UTC) when the time is today, else `2026-12-08 14:32` (UTC). */
function clockTime(at: Date, now: Date): string {
  const iso = at.toISOString();
  const time = `${iso.slice(11, 16)} UTC`;
  return iso.slice(0, 10) === now.toISOString().slice(0, 10) ? time : `${iso.slice(0, 10)} ${time}`;
}
