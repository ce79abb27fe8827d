import type { FetchFunction } from '../../../../../src/core/forges/github/githubTransport';

export interface ScriptedAnswer {
  readonly status: number;
  readonly body?: unknown;
  /** Sent as is (not JSON) when set. */
  readonly rawBody?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

type Answer = ScriptedAnswer | Error | ((request: SeenRequest) => ScriptedAnswer);

/**
 * A fetch for unit tests: answers queued per `METHOD /path` (query ignored) are used in order, the last
 * one repeats. Records every request. No network: Octokit, its plugins and the adapter run for real above it.
 */
export class ScriptedFetch {
  readonly requests: SeenRequest[] = [];
  private readonly routes = new Map<string, Answer[]>();

  on(method: string, path: string, ...answers: Answer[]): this {
    this.routes.set(`${method} ${path}`, answers);
    return this;
  }

  readonly fetch: FetchFunction = async (input, init) => {
    const url = input;
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => { headers[name] = value; });
    const text = typeof init?.body === 'string' ? init.body : undefined;
    const request: SeenRequest = { method: init?.method ?? 'GET', url, headers, body: text === undefined || text === '' ? undefined : JSON.parse(text) as unknown };
    this.requests.push(request);
    const key = `${request.method} ${new URL(url).pathname}`;
    const queue = this.routes.get(key);
    if (queue === undefined || queue.length === 0) return Promise.resolve(json({ status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } }));
    const answer = queue.length > 1 ? queue.shift()! : queue[0]!;
    if (answer instanceof Error) return Promise.reject(answer);
    return Promise.resolve(json(typeof answer === 'function' ? answer(request) : answer));
  };
}

function json(answer: ScriptedAnswer): Response {
  const headers = new Headers({ 'content-type': 'application/json; charset=utf-8', ...answer.headers });
  if (answer.status === 304 || answer.status === 204) return new Response(null, { status: answer.status, headers });
  const body = answer.rawBody ?? JSON.stringify(answer.body ?? {});
  return new Response(body, { status: answer.status, headers });
}
