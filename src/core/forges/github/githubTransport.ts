import type { Logger } from '../../logging/logger';
import type { EtagCache } from './etagCache';
import type { UsageMeter } from './usageMeter';

/** Set on a response replayed from the ETag cache after a 304, so callers can tell "unchanged". */
export const notModifiedHeader = 'x-ato-not-modified';

/** The headers of an answer, as the transport and Octokit read them (names in lower case when iterated). */
export interface FetchHeaders extends Iterable<[string, string]> {
  get(name: string): string | null;
}

/** What the transport and Octokit read of an answer: Node's fetch Response has it, and so has nodeHttpFetch's. */
export interface FetchResponse {
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  readonly headers: FetchHeaders;
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** What Octokit and the transport pass to fetch. */
export interface FetchInit {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | null;
  readonly signal?: AbortSignal | null;
  readonly redirect?: 'follow' | 'error' | 'manual';
}

/** Node's global fetch, or nodeHttpFetch (the CLI: it never loads Node's fetch, issue 14). */
export type FetchFunction = (input: string, init?: FetchInit) => Promise<FetchResponse>;

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
  return async (url, init) => {
    const method = (init?.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(init?.headers ?? {})) headers[name.toLowerCase()] = value;
    const isGraphql = url.split('?')[0] === options.graphqlUrl;
    const cacheKey = method === 'GET' ? `${url}\n${headers['accept'] ?? ''}` : undefined;
    const cached = cacheKey === undefined ? undefined : cache.get(cacheKey);
    if (cached !== undefined) headers['if-none-match'] = cached.etag;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    meter.countRequest();
    const started = performance.now();
    let response: FetchResponse;
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
      await response.arrayBuffer().catch(() => undefined);
      const replay = new Map(Object.entries(cached.headers));
      for (const [name, value] of response.headers) if (name.startsWith('x-ratelimit-')) replay.set(name, value);
      replay.set(notModifiedHeader, '1');
      return bufferedResponse(200, 'OK', url, replay, cached.body);
    }
    if (!isGraphql) meter.addPoints(1);
    log.trace('%s %s → %d (%d ms)', method, pathOf(url), response.status, elapsed);
    const etag = response.headers.get('etag');
    if (cacheKey === undefined || response.status !== 200 || etag === null) {
      if (cacheKey !== undefined && response.status >= 400) cache.delete(cacheKey);
      return response;
    }
    const body = await response.text();
    const answered = new Map([...response.headers].map(([name, value]) => [name.toLowerCase(), value]));
    // A JSON body cut short (a dropped connection, a broken proxy) is not kept: every later 304 would replay it.
    if (/^application\/json\b/i.test(response.headers.get('content-type') ?? '') && !isJson(body)) {
      cache.delete(cacheKey);
      return bufferedResponse(response.status, response.statusText, url, answered, body);
    }
    const kept: Record<string, string> = {};
    for (const name of replayedHeaders) {
      const value = response.headers.get(name);
      if (value !== null) kept[name] = value;
    }
    cache.set(cacheKey, { etag, body, headers: kept });
    return bufferedResponse(response.status, response.statusText, url, answered, body);
  };
}

/** An answer whose body has been read: what the transport hands Octokit after reading it (or replaying it). */
export function bufferedResponse(status: number, statusText: string, url: string, headers: ReadonlyMap<string, string>, body: string | Uint8Array): FetchResponse {
  const lower = new Map([...headers].map(([name, value]) => [name.toLowerCase(), value]));
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  return {
    status,
    statusText,
    url,
    headers: { get: name => lower.get(name.toLowerCase()) ?? null, [Symbol.iterator]: () => lower.entries() },
    text: () => Promise.resolve(text),
    json: () => Promise.resolve(JSON.parse(text) as unknown),
    // A copy of exactly the body's bytes (a Buffer may be a view into a larger pool).
    arrayBuffer: () => Promise.resolve(new Uint8Array(bytes).buffer),
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
