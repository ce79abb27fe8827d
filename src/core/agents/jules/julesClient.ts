import type * as z from 'zod/mini';
import { describeError } from '../../logging/redactor';
import { JulesApiError, julesFailureClass, parseRetryAfter } from './julesApiError';
import {
  julesActivityListSchema, julesEmptySchema, julesErrorBodySchema, julesSessionListSchema, julesSessionSchema, julesSourceListSchema, julesSourceSchema,
  type JulesActivity, type JulesSession, type JulesSource,
} from './julesSchemas';

/** The part of `fetch` the client uses, so tests can count or refuse requests. */
export type JulesFetch = (url: string, init: { method: string; headers: Record<string, string>; body?: string; redirect: 'error'; signal: AbortSignal }) => Promise<{
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

export interface JulesClientOptions {
  /** `ato.jules.apiUrl` (user-only setting): the one host the key is ever sent to. */
  readonly apiUrl: string;
  readonly apiKey: string;
  readonly timeoutMs: number;
  readonly fetch?: JulesFetch;
  readonly now?: () => number;
}

export interface CreateSessionInput {
  readonly prompt: string;
  readonly title: string;
  readonly source: string;
  /** Undefined: Jules starts from the repository's default branch. */
  readonly startingBranch: string | undefined;
  readonly requirePlanApproval: boolean;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextPageToken: string | undefined;
}

/**
 * The Jules REST API (v1alpha) over fetch. The key goes in `X-Goog-Api-Key` to `apiUrl` only: every URL is
 * built from it and a relative path, and a redirect is an error (fetch would carry the header elsewhere).
 * Every answer is parsed with its zod schema; errors become {@link JulesApiError} with a failure class.
 */
export class JulesClient {
  private readonly base: URL;

  constructor(private readonly options: JulesClientOptions) {
    this.base = new URL(`${options.apiUrl.replace(/\/+$/, '')}/`);
  }

  async listSources(pageToken?: string): Promise<Page<JulesSource>> {
    const page = await this.call('GET', 'sources', julesSourceListSchema, { pageSize: '100', ...(pageToken === undefined ? {} : { pageToken }) });
    return { items: page.sources, nextPageToken: page.nextPageToken };
  }

  /** The source, or undefined when Jules does not know it (404). */
  async getSource(name: string): Promise<JulesSource | undefined> {
    try {
      return await this.call('GET', name.split('/').map(encodeURIComponent).join('/'), julesSourceSchema);
    } catch (error) {
      if (JulesApiError.is(error) && error.status === 404) return undefined;
      throw error;
    }
  }

  createSession(input: CreateSessionInput): Promise<JulesSession> {
    return this.call('POST', 'sessions', julesSessionSchema, undefined, {
      prompt: input.prompt,
      title: input.title,
      sourceContext: { source: input.source, ...(input.startingBranch === undefined ? {} : { githubRepoContext: { startingBranch: input.startingBranch } }) },
      automationMode: 'AUTO_CREATE_PR',
      requirePlanApproval: input.requirePlanApproval,
    });
  }

  getSession(id: string): Promise<JulesSession> {
    return this.call('GET', `sessions/${encodeURIComponent(id)}`, julesSessionSchema);
  }

  async listSessions(pageToken?: string): Promise<Page<JulesSession>> {
    const page = await this.call('GET', 'sessions', julesSessionListSchema, { pageSize: '100', ...(pageToken === undefined ? {} : { pageToken }) });
    return { items: page.sessions, nextPageToken: page.nextPageToken };
  }

  /** One page of a session's activities; `after` (RFC 3339) asks only for newer ones (`create_time>"…"`). */
  async listActivities(id: string, options: { readonly after?: string | undefined; readonly pageToken?: string | undefined } = {}): Promise<Page<JulesActivity>> {
    const query: Record<string, string> = { pageSize: '100' };
    if (options.after !== undefined) query['filter'] = `create_time>"${options.after}"`;
    if (options.pageToken !== undefined) query['pageToken'] = options.pageToken;
    const page = await this.call('GET', `sessions/${encodeURIComponent(id)}/activities`, julesActivityListSchema, query);
    return { items: page.activities, nextPageToken: page.nextPageToken };
  }

  async approvePlan(id: string): Promise<void> {
    await this.call('POST', `sessions/${encodeURIComponent(id)}:approvePlan`, julesEmptySchema, undefined, {});
  }

  async sendMessage(id: string, prompt: string): Promise<void> {
    await this.call('POST', `sessions/${encodeURIComponent(id)}:sendMessage`, julesEmptySchema, undefined, { prompt });
  }

  /** `:archive` (an SDK method; the API has no cancel): the session leaves the list. */
  async archive(id: string): Promise<void> {
    await this.call('POST', `sessions/${encodeURIComponent(id)}:archive`, julesEmptySchema, undefined, {});
  }

  private async call<S extends z.ZodMiniType>(method: 'GET' | 'POST', path: string, schema: S, query?: Record<string, string>, body?: unknown): Promise<z.output<S>> {
    const url = new URL(path, this.base);
    // A path is relative by construction; this check keeps the key on its host whatever a caller passes.
    if (url.origin !== this.base.origin || !url.pathname.startsWith(this.base.pathname)) throw new Error(`refusing to send the Jules key outside ${this.base.href}: ${url.href}`);
    for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, value);
    const what = `${method} ${url.pathname}`;
    const fetcher: JulesFetch = this.options.fetch ?? fetch;
    let response: Awaited<ReturnType<JulesFetch>>;
    let text: string;
    try {
      response = await fetcher(url.href, {
        method,
        headers: { 'x-goog-api-key': this.options.apiKey, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new JulesApiError(`Jules ${what} ${timedOut ? `timed out after ${this.options.timeoutMs} ms` : `failed: ${describeError(error)}`}`, timedOut ? 'timeout' : 'network');
    }
    if (response.status < 200 || response.status > 299) throw this.httpError(what, response.status, text, response.headers.get('retry-after'));
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // A cut or garbled body is a transfer that went wrong: transient, like the network.
      throw new JulesApiError(`Jules ${what} answered HTTP ${response.status} with a body that is not JSON (${text.length} bytes: ${clip(text, 80)})`, 'network', response.status);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new JulesApiError(`Jules ${what} answered with an unexpected shape: ${issue === undefined ? 'invalid' : `${issue.path.join('.') || '(root)'}: ${issue.message}`}`, 'fatal', response.status);
    }
    return parsed.data;
  }

  private httpError(what: string, status: number, text: string, retryAfter: string | null): JulesApiError {
    let message = clip(text.replace(/\s+/g, ' ').trim(), 300);
    let rpcStatus: string | undefined;
    let reason: string | undefined;
    try {
      const body = julesErrorBodySchema.safeParse(JSON.parse(text));
      if (body.success) {
        message = body.data.error.message ?? message;
        rpcStatus = body.data.error.status;
        reason = body.data.error.details?.find(detail => detail.reason !== undefined)?.reason;
      }
    } catch {
      // Not JSON (a proxy's page): its text is the message.
    }
    const retryAfterMs = parseRetryAfter(retryAfter, (this.options.now ?? Date.now)());
    const failure = julesFailureClass(status, reason);
    const hint = failure === 'auth' ? ' — the Jules API key was refused; set it again with "ATO: Set Jules API Key" (headless ATO_JULES_API_KEY)' : '';
    const wait = retryAfterMs === undefined ? '' : ` (retry after ${Math.ceil(retryAfterMs / 1000)} s)`;
    return new JulesApiError(`Jules ${what}: HTTP ${status}${rpcStatus === undefined ? '' : ` ${rpcStatus}`}: ${message}${wait}${hint}`, failure, status, rpcStatus, reason, retryAfterMs);
  }
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
