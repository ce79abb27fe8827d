/** GitHub's timestamp format: ISO 8601 in UTC with whole seconds. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * The fake's time. With a start time every reading is one second after the previous one, so a scenario
 * produces the same timestamps (and the same commit shas) on every run; without one it is the real time.
 */
export class FakeClock {
  private last: number;

  constructor(private readonly fixedStart?: string) {
    this.last = fixedStart === undefined ? 0 : Date.parse(fixedStart) - 1000;
  }

  nowMs(): number {
    if (this.fixedStart === undefined) return Date.now();
    this.last += 1000;
    return this.last;
  }

  now(): string {
    return isoSeconds(this.nowMs());
  }
}
