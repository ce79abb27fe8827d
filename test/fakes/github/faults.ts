/** A failure to inject on matching requests (see README "Faults"). */
export interface FaultRule {
  /** HTTP method; any when absent. */
  readonly method?: string;
  /** The request path without the query: equal to a string, or matching a RegExp. */
  readonly path: string | RegExp;
  /** How many matching requests it affects (default 1). */
  readonly times?: number;
  readonly status?: 500 | 502 | 503 | 429 | 403;
  /** A 403 (or `status` 429) with GitHub's "You have exceeded a secondary rate limit" body. */
  readonly secondaryRateLimit?: boolean;
  /** Sets a `retry-after` header. */
  readonly retryAfterSeconds?: number;
  /** Waits this long before answering (then answers normally unless a status or `malformed` is set). */
  readonly delayMs?: number;
  /** Answers 200 with the real body cut in half (invalid JSON). */
  readonly malformed?: boolean;
}

export interface FaultInjector {
  add(rule: FaultRule): void;
  clear(): void;
  /** Rules still waiting for requests, with their remaining counts. */
  readonly active: readonly { readonly rule: FaultRule; readonly remaining: number }[];
}

export class FaultList implements FaultInjector {
  private rules: { rule: FaultRule; remaining: number }[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ rule, remaining: rule.times ?? 1 });
  }

  clear(): void {
    this.rules = [];
  }

  get active(): readonly { readonly rule: FaultRule; readonly remaining: number }[] {
    return this.rules.map(entry => ({ ...entry }));
  }

  /** The first rule matching this request, counted as used. */
  take(method: string, path: string): FaultRule | undefined {
    const index = this.rules.findIndex(({ rule }) =>
      (rule.method === undefined || rule.method.toUpperCase() === method.toUpperCase()) &&
      (typeof rule.path === 'string' ? rule.path === path : rule.path.test(path)));
    const entry = this.rules[index];
    if (entry === undefined) return undefined;
    entry.remaining--;
    if (entry.remaining <= 0) this.rules.splice(index, 1);
    return entry.rule;
  }
}
