import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '../../support/httpServer';

/** One API request as the proxy saw it, before passing it on. */
export interface ProxiedRequest {
  readonly method: string;
  /** The raw path without the query, as the fake GitHub matches fault rules. */
  readonly path: string;
  /** The query string with its `?`, decoded, or ''. */
  readonly query: string;
  readonly body: string;
}

/**
 * An HTTP proxy in front of the fake GitHub (the loop's `github.apiUrl` and the clone's `origin` point at it, as
 * ATO trusts a configured API only for remotes on its host; git requests pass through like any other). It can
 * hold racers at a barrier, and lets a test see each request just before the fake does — e.g. to arm a fault
 * for exactly that request.
 */
export interface ApiProxy {
  readonly url: string;
  /**
   * Holds the next requests whose path matches `pattern` until `count` of them have arrived, then lets them
   * all through together: racers that reach the same point are released at once.
   */
  arm(pattern: RegExp, count: number): void;
  /** Lets every held request through and disarms the barrier (a racer ended before reaching it). */
  release(): void;
  /** How many requests the last barrier held when it opened. */
  readonly lastReleased: number;
  /** Called for every request before it is passed on (after the barrier, if it holds it). */
  onRequest: ((request: ProxiedRequest) => void) | undefined;
  close(): Promise<void>;
}

export async function startApiProxy(target: string): Promise<ApiProxy> {
  const upstream = new URL(target);
  let barrier: { pattern: RegExp; count: number; held: (() => void)[] } | undefined;
  let lastReleased = 0;
  let url = '';
  const release = (): void => {
    if (barrier === undefined) return;
    const { held } = barrier;
    barrier = undefined;
    lastReleased = held.length;
    for (const forward of held) forward();
  };
  const proxy: ApiProxy = {
    get url() { return url; },
    arm: (pattern, count) => { barrier = { pattern, count, held: [] }; },
    release,
    get lastReleased() { return lastReleased; },
    onRequest: undefined,
    close: () => new Promise<void>(resolve => {
      release();
      server.closeAllConnections();
      server.close(() => { resolve(); });
    }),
  };
  const server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => { chunks.push(chunk); });
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const [path = '', rawQuery] = (incoming.url ?? '').split('?', 2);
      const forward = (): void => {
        proxy.onRequest?.({ method: incoming.method ?? 'GET', path, query: rawQuery === undefined ? '' : `?${decodeURIComponent(rawQuery)}`, body: body.toString('utf8') });
        const outgoing = request({
          host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: upstream.host },
        }, answer => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        });
        outgoing.on('error', () => { response.destroy(); });
        outgoing.end(body);
      };
      if (!barrier?.pattern.test(path)) {
        forward();
        return;
      }
      barrier.held.push(forward);
      if (barrier.held.length >= barrier.count) release();
    });
  });
  url = await listenOnLoopback(server);
  return proxy;
}
