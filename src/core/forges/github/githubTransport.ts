import type { Logger } from '../../logging/logger';
import type { EtagCache } from './etagCache';
import type { UsageMeter } from './usageMeter';

/** Set on a response replayed from the ETag cache after a 304, so callers can tell "unchanged". */
export const notModifiedHeader = 'x-ato-not-modified';

export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface TransportOptions {
  readonly timeoutMs: number;
  readonly cache: EtagCache;
  readonly meter: UsageMeter;
  /** GraphQL requests are metered by their reported cost, not one point each. */
  readonly graphqlUrl: string;
  readonly log: Logger;
  /** The fetch to wrap; default the global one. */
  readonly fetch?: FetchFunction;
}

/** Headers a replayed 304 keeps from the original 200 (pagination needs `link`). */
const replayedHeaders = ['content-type', 'link', 'etag', 'last-modified'];

/**
 * The fetch Octokit uses. Below the plugins (so every retry passes through it), it adds a timeout per
 * request, makes every GET conditional (`If-None-Match` with the cached ETag; a 304 is answered with the
 * cached body as a 200 marked with `x-ato-not-modified`), and meters requests, 304s, points and budgets.
 */
export function createGitHubFetch(options: TransportOptions): FetchFunction {
  const baseFetch = options.fetch ?? globalThis.fetch;
  const { cache, meter, log, timeoutMs } = options;
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? 'GET').toUpperCase();
    const headers = new Headers(init?.headers);
    const isGraphql = url.split('?')[0] === options.graphqlUrl;
    const cacheKey = method === 'GET' ? `${url}\n${headers.get('accept') ?? ''}` : undefined;
    const cached = cacheKey === undefined ? undefined : cache.get(cacheKey);
    if (cached !== undefined) headers.set('if-none-match', cached.etag);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    meter.countRequest();
    const started = performance.now();
    let response: Response;
    try {
      response = await baseFetch(url, { ...init, method, headers, signal });
    } catch (error) {
      log.debug('%s %s failed: %s', method, pathOf(url), error instanceof Error ? error.message : String(error));
      throw error;
    }
    meter.recordHeaders(Object.fromEntries(response.headers), isGraphql ? 'graphql' : 'core');
    const elapsed = Math.round(performance.now() - started);
    if (response.status === 304) {
      meter.countNotModified();
      log.trace('%s %s → 304 (%d ms)', method, pathOf(url), elapsed);
      if (cached === undefined) return response;
      await response.body?.cancel();
      const replay = new Headers(cached.headers);
      for (const [name, value] of response.headers) if (name.startsWith('x-ratelimit-')) replay.set(name, value);
      replay.set(notModifiedHeader, '1');
      return new Response(cached.body, { status: 200, statusText: 'OK', headers: replay });
    }
    if (!isGraphql) meter.addPoints(1);
    log.trace('%s %s → %d (%d ms)', method, pathOf(url), response.status, elapsed);
    const etag = response.headers.get('etag');
    if (cacheKey === undefined || response.status !== 200 || etag === null) {
      if (cacheKey !== undefined && response.status >= 400) cache.delete(cacheKey);
      return response;
    }
    const body = await response.text();
    // A JSON body cut short (a dropped connection, a broken proxy) is not kept: every later 304 would replay it.
    if (/^application\/json\b/i.test(response.headers.get('content-type') ?? '') && !isJson(body)) {
      cache.delete(cacheKey);
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    }
    const kept: Record<string, string> = {};
    for (const name of replayedHeaders) {
      const value = response.headers.get(name);
      if (value !== null) kept[name] = value;
    }
    cache.set(cacheKey, { etag, body, headers: kept });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return url;
  }
}
