export type RateResource = 'core' | 'graphql';

export interface RateBudget {
  readonly limit: number;
  readonly remaining: number;
  readonly used: number;
  /** Epoch seconds. */
  readonly reset: number;
}

/** GitHub's primary rate limits: points per resource in a one-hour window that starts with the first use. */
export class RateLimiter {
  private readonly used = new Map<RateResource, number>();
  private readonly resets = new Map<RateResource, number>();

  constructor(private readonly limits: Readonly<Record<RateResource, number>>, private readonly nowMs: () => number = Date.now) {}

  budget(resource: RateResource): RateBudget {
    const now = Math.floor(this.nowMs() / 1000);
    let reset = this.resets.get(resource);
    if (reset === undefined || reset <= now) {
      reset = now + 3600;
      this.resets.set(resource, reset);
      this.used.set(resource, 0);
    }
    const used = this.used.get(resource) ?? 0;
    const limit = this.limits[resource];
    return { limit, used, remaining: Math.max(0, limit - used), reset };
  }

  /** Spends points; false (and nothing spent) when the budget cannot cover them. */
  spend(resource: RateResource, points: number): boolean {
    const budget = this.budget(resource);
    if (points > budget.remaining) return false;
    this.used.set(resource, budget.used + points);
    return true;
  }

  headers(resource: RateResource): Record<string, string> {
    const budget = this.budget(resource);
    return {
      'x-ratelimit-limit': String(budget.limit),
      'x-ratelimit-remaining': String(budget.remaining),
      'x-ratelimit-used': String(budget.used),
      'x-ratelimit-reset': String(budget.reset),
      'x-ratelimit-resource': resource,
    };
  }
}
