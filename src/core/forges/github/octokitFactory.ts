import type { Logger } from '../../logging/logger';
import type { FetchFunction } from './githubTransport';

/** How hard the adapter retries, and how long it waits; tests shrink every wait to milliseconds. */
export interface GitHubRetryOptions {
  /** Retries after a 5xx or a network failure (timeouts included). Default 3. */
  readonly serverRetries?: number;
  /** Retries after a rate limit whose wait ATO sits out. Default 2. */
  readonly rateLimitRetries?: number;
  /** A rate-limit wait longer than this is not sat out: the call throws `rateLimited` at once. Default 60 s. */
  readonly maxRateLimitWaitMs?: number;
  /**
   * Milliseconds per second of wait: GitHub's `retry-after`/reset and the 1 s, 4 s, 9 s backoff after a 5xx
   * are multiplied by this. Default 1000; tests pass 1.
   */
  readonly msPerSecond?: number;
  /** Spacing between mutating requests and GraphQL queries (GitHub asks for 1 s). Default 1000. */
  readonly writeSpacingMs?: number;
  /** Spacing between requests that notify people (new issues, comments; plugin-throttling uses 3 s). Default 3000. */
  readonly notificationSpacingMs?: number;
}

/** The slice of Octokit the adapter uses. */
export interface OctokitRequester {
  request(route: string, parameters: Readonly<Record<string, unknown>>): Promise<OctokitResponse>;
}

export interface OctokitResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | number | undefined>>;
  readonly data: unknown;
}

export interface OctokitSettings {
  readonly apiUrl: string;
  readonly token: string;
  readonly userAgent: string;
  readonly fetch: FetchFunction;
  readonly log: Logger;
  readonly retry: GitHubRetryOptions;
  /** Names the rate-limit queues (one per repository). */
  readonly id: string;
}

/** Statuses plugin-retry must leave alone: every 4xx (rate limits are plugin-throttling's). */
const clientErrorStatuses = Array.from({ length: 100 }, (_, i) => 400 + i);

/**
 * Loads Octokit on first use (dist/vendor/octokit.js in the bundle) and builds a client with the throttling
 * and retry plugins and the adapter's fetch.
 */
export async function createOctokit(settings: OctokitSettings): Promise<OctokitRequester> {
  const { Octokit, Bottleneck, retry, throttling } = await import('./octokitVendor');
  const { log } = settings;
  const options = settings.retry;
  const msPerSecond = options.msPerSecond ?? 1000;
  const rateLimitRetries = options.rateLimitRetries ?? 2;
  const maxWaitMs = options.maxRateLimitWaitMs ?? 60_000;
  const onLimit = (which: string) => (retryAfterSeconds: number, request: { readonly method: string; readonly url: string }, _octokit: unknown, retryCount: number): boolean => {
    const waitMs = retryAfterSeconds * 1000;
    const retrying = retryCount < rateLimitRetries && waitMs <= maxWaitMs;
    log.warn('%s rate limit on %s %s: GitHub asks to wait %d s; %s', which, request.method, request.url, retryAfterSeconds,
      retrying ? `retry ${retryCount + 1} of ${rateLimitRetries}` : 'giving up');
    return retrying;
  };
  const MyOctokit = Octokit.plugin(throttling, retry);
  const octokit = new MyOctokit({
    auth: settings.token,
    baseUrl: settings.apiUrl,
    userAgent: settings.userAgent,
    request: { fetch: settings.fetch },
    // The transport logs every request (trace); failures reach the caller as GitHubError, which decides
    // whether a 404 is news. Octokit's own warnings (deprecations, rate limits) stay warnings.
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: (message: string) => { log.warn('%s', message); },
      error: (message: string) => { log.debug('%s', message); },
    },
    throttle: {
      id: settings.id,
      retryAfterBaseValue: msPerSecond,
      fallbackSecondaryRateRetryAfter: 60,
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: options.writeSpacingMs ?? 1000 }),
      notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: options.notificationSpacingMs ?? 3000 }),
      onRateLimit: onLimit('Primary'),
      onSecondaryRateLimit: onLimit('Secondary'),
    },
    retry: {
      retries: options.serverRetries ?? 3,
      retryAfterBaseValue: msPerSecond,
      doNotRetry: clientErrorStatuses,
    },
  });
  return octokit;
}
