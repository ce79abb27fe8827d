import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { bufferedResponse, type FetchInit, type FetchResponse } from './githubTransport';

/** GitHub moves a renamed repository with a redirect; more than this is a loop. */
const maxRedirects = 5;

/**
 * The fetch the CLI gives the GitHub transport: plain `node:http(s)`. Node's own fetch loads and compiles its
 * HTTP client (undici, and llhttp in WebAssembly) on first use, the largest part of `ato status`'s CPU time
 * (issue 14); node:http is loaded already. It does what the transport and Octokit need: method, headers, a text
 * body, the abort signal, redirects followed as fetch follows them — and a token never follows a redirect to
 * another host (the `authorization` header is dropped when the origin changes, as fetch does).
 */
export async function nodeHttpFetch(input: string, init: FetchInit = {}): Promise<FetchResponse> {
  let url = new URL(input);
  let method = (init.method ?? 'GET').toUpperCase();
  let body = init.body ?? undefined;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(init.headers ?? {})) headers[name.toLowerCase()] = value;
  for (let redirects = 0; ; redirects++) {
    const answer = await send(url, method, headers, body, init.signal ?? undefined);
    const location = answer.headers.get('location');
    if (![301, 302, 303, 307, 308].includes(answer.status) || location === undefined || (init.redirect ?? 'follow') === 'manual') {
      return bufferedResponse(answer.status, answer.statusMessage, url.href, answer.headers, answer.body);
    }
    if (init.redirect === 'error') throw new TypeError(`fetch failed: redirected to ${location}`);
    if (redirects >= maxRedirects) throw new TypeError('fetch failed: too many redirects');
    const next = new URL(location, url);
    if (next.protocol !== 'https:' && next.protocol !== 'http:') throw new TypeError(`fetch failed: a redirect to ${next.protocol}`);
    if (next.origin !== url.origin) delete headers['authorization'];
    // As fetch: a 303, and a 301/302 after a POST, become a GET without a body.
    if (answer.status === 303 || ((answer.status === 301 || answer.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
      delete headers['content-type'];
      delete headers['content-length'];
    }
    url = next;
  }
}

interface RawAnswer {
  readonly status: number;
  readonly statusMessage: string;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Buffer;
}

function send(url: URL, method: string, headers: Readonly<Record<string, string>>, body: string | undefined, signal: AbortSignal | undefined): Promise<RawAnswer> {
  return new Promise<RawAnswer>((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason as Error);
      return;
    }
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, response => {
      readAnswer(response).then(resolve, reject);
    });
    const onAbort = (): void => { request.destroy(signal?.reason as Error); };
    signal?.addEventListener('abort', onAbort, { once: true });
    request.on('error', reject);
    request.on('close', () => { signal?.removeEventListener('abort', onAbort); });
    request.end(body);
  });
}

function readAnswer(response: IncomingMessage): Promise<RawAnswer> {
  return new Promise<RawAnswer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('error', reject);
    response.on('close', () => {
      if (!response.complete) reject(new TypeError('fetch failed: the connection closed mid-answer'));
    });
    response.on('end', () => {
      const headers = new Map<string, string>();
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      resolve({ status: response.statusCode ?? 0, statusMessage: response.statusMessage ?? '', headers, body: Buffer.concat(chunks) });
    });
  });
}
