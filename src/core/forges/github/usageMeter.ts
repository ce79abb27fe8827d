import type { RateLimitBudget } from './githubModel';
import type { GitHubUsage } from './githubPort';

type HeaderValue = string | number | undefined;

/** Counts requests, 304s and rate-limit points, and keeps the last budgets GitHub reported. */
export class UsageMeter {
  private requests = 0;
  private notModified = 0;
  private points = 0;
  private core: RateLimitBudget | undefined;
  private graphql: RateLimitBudget | undefined;

  /** One HTTP request went out (retries count again: each costs GitHub a request). */
  countRequest(): void {
    this.requests++;
  }

  countNotModified(): void {
    this.notModified++;
  }

  addPoints(points: number): void {
    if (Number.isFinite(points) && points > 0) this.points += points;
  }

  /** Reads `x-ratelimit-*`; `fallbackResource` applies when GitHub did not name the resource. */
  recordHeaders(headers: Readonly<Record<string, HeaderValue>>, fallbackResource: 'core' | 'graphql'): void {
    const limit = toInteger(headers['x-ratelimit-limit']);
    const remaining = toInteger(headers['x-ratelimit-remaining']);
    const reset = toInteger(headers['x-ratelimit-reset']);
    if (limit === undefined || remaining === undefined || reset === undefined) return;
    const named = headers['x-ratelimit-resource'];
    const resource = named === 'core' || named === 'graphql' ? named : named === undefined ? fallbackResource : undefined;
    // search, code_search and the like have budgets of their own that ATO does not show.
    if (resource === undefined) return;
    this.recordBudget({ resource, limit, remaining, resetAt: new Date(reset * 1000).toISOString() });
  }

  recordBudget(budget: RateLimitBudget): void {
    if (budget.resource === 'core') this.core = budget;
    else this.graphql = budget;
  }

  snapshot(): GitHubUsage {
    return { requests: this.requests, notModified: this.notModified, points: this.points, core: this.core, graphql: this.graphql };
  }
}

function toInteger(value: HeaderValue): number | undefined {
  if (value === undefined) return undefined;
  const number = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(number) ? number : undefined;
}
