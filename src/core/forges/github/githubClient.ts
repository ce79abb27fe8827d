import * as z from 'zod/mini';
import '../../../shared/zod';
import type { Redactor } from '../../logging/redactor';
import { GitHubError, type GitHubErrorKind } from './githubError';
import { retryAfterMs, toGitHubError } from './githubErrorMapping';
import type { RepoCoordinates } from './githubModel';
import type { GitHubUsage } from './githubPort';
import { notModifiedHeader } from './githubTransport';
import type { OctokitRequester, OctokitResponse } from './octokitFactory';
import type { UsageMeter } from './usageMeter';

/** The REST API version ATO is written against. */
export const githubApiVersion = '2022-11-28';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RestRequest {
  readonly method: HttpMethod;
  /** Path below the API root, each segment already encoded (see `pathOf`), or a full URL (pagination links). */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean>>;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * false for a write GitHub may have applied before a 5xx or a dropped connection, where a second try
   * would duplicate it or misreport it (a new issue or comment, a merge, a new ref): the caller re-reads
   * instead. Rate-limit waits still retry (GitHub did nothing). Default true.
   */
  readonly retryOnFailure?: boolean;
}

export interface RestResult<T> {
  readonly data: T;
  readonly status: number;
  /** Answered 304: `data` is the cached body. */
  readonly notModified: boolean;
  readonly headers: Readonly<Record<string, string | number | undefined>>;
}

export interface GraphqlResult<T> {
  readonly data: T;
  /** Errors GitHub returned alongside partial data (a SAML-protected or forbidden sub-field), as text. */
  readonly warnings: readonly string[];
  /** What those errors mean, for a caller whose root field came back null. */
  readonly errorKind: GitHubErrorKind | undefined;
}

const graphqlErrorSchema = z.object({
  message: z.string(),
  type: z.optional(z.string()),
  path: z.optional(z.array(z.union([z.string(), z.number()]))),
});

const graphqlEnvelopeSchema = z.object({
  data: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  errors: z.optional(z.array(graphqlErrorSchema)),
});

const rateLimitSchema = z.object({
  rateLimit: z.optional(z.nullable(z.object({
    cost: z.number(),
    limit: z.number(),
    remaining: z.number(),
    resetAt: z.string(),
  }))),
});

type GraphqlError = z.infer<typeof graphqlErrorSchema>;

/** Encodes each path segment: `pathOf('repos', owner, name, 'git/ref', ref)` keeps the slashes inside a ref. */
export function pathOf(...parts: readonly (string | number)[]): string {
  return '/' + parts.flatMap(part => String(part).split('/')).map(segment => encodeURIComponent(segment)).join('/');
}

/**
 * Octokit behind validation: every answer is checked against a zod schema (a mismatch is `malformed`),
 * every failure becomes a `GitHubError`, GraphQL costs and errors are accounted for. Every request body
 * passes the redactor on its way out: issue and pull request text, comments, commit messages and file
 * contents quote agents and pull requests, and nothing ATO writes to GitHub may carry a secret.
 */
export class GitHubClient {
  constructor(
    readonly repo: RepoCoordinates,
    private readonly octokit: OctokitRequester,
    private readonly meter: UsageMeter,
    readonly graphqlUrl: string,
    private readonly now: () => number,
    private readonly redactor: Redactor,
  ) {}

  get usage(): GitHubUsage {
    return this.meter.snapshot();
  }

  /** `/repos/{owner}/{name}` followed by `parts`, encoded. */
  repoPath(...parts: readonly (string | number)[]): string {
    return pathOf('repos', this.repo.owner, this.repo.name, ...parts);
  }

  async rest<S extends z.ZodMiniType>(request: RestRequest, schema: S): Promise<RestResult<z.infer<S>>> {
    const response = await this.send(request);
    return {
      data: parseOrThrow(schema, response.data, describe(request), response.status),
      status: response.status,
      notModified: response.headers[notModifiedHeader] === '1',
      headers: response.headers,
    };
  }

  /**
   * A GET GitHub answers with a redirect (a job's log: a short-lived signed URL on another host). The redirect is
   * not followed here, so the token never goes further than GitHub; the caller fetches the address without it.
   */
  async restRedirect(request: RestRequest): Promise<string> {
    const response = await this.send(request, 'manual');
    const location = response.headers['location'];
    if (response.status < 300 || response.status >= 400 || typeof location !== 'string') throw new GitHubError('malformed', `${describe(request)}: expected a redirect, got ${String(response.status)}`, response.status);
    return location;
  }

  /** A request whose answer ATO does not read (204s, deletes). */
  async restNoContent(request: RestRequest): Promise<number> {
    return (await this.send(request)).status;
  }

  /** Every page of a list (`per_page=100`, following `Link: rel="next"`); `notModified` when every page was a 304. */
  async restPages<S extends z.ZodMiniType>(request: RestRequest, itemSchema: S): Promise<{ readonly items: z.infer<S>[]; readonly notModified: boolean }> {
    const items: z.infer<S>[] = [];
    let notModified = true;
    let next: RestRequest | undefined = { ...request, query: { ...request.query, per_page: 100 } };
    for (let page = 0; next !== undefined; page++) {
      if (page >= 100) throw new GitHubError('malformed', `${describe(request)}: more than 100 pages`, undefined);
      const result: RestResult<z.infer<S>[]> = await this.rest(next, z.array(itemSchema));
      items.push(...result.data);
      notModified &&= result.notModified;
      const link = result.headers['link'];
      const nextUrl = typeof link === 'string' ? nextLink(link) : undefined;
      next = nextUrl === undefined ? undefined : { method: 'GET', path: nextUrl, ...(request.headers ? { headers: request.headers } : {}) };
    }
    return { items, notModified };
  }

  /**
   * One GraphQL request. Partial data with errors is returned with the errors as warnings; no data, or a
   * rate-limit error, throws. Points: the query's `rateLimit.cost` when it asks for it, else 1.
   */
  async graphql<S extends z.ZodMiniType>(query: string, variables: Readonly<Record<string, unknown>>, schema: S, headers: Readonly<Record<string, string>> = {}): Promise<GraphqlResult<z.infer<S>>> {
    const context = `POST ${new URL(this.graphqlUrl).pathname} (${operationName(query)})`;
    // Queries are safe to send again; a mutation may have been applied.
    const retryOnFailure = !/^\s*mutation\b/.test(query);
    const response = await this.send({ method: 'POST', path: this.graphqlUrl, body: { query, variables }, headers, retryOnFailure });
    const envelope = parseOrThrow(graphqlEnvelopeSchema, response.data, context, response.status);
    const errors = envelope.errors ?? [];
    const data = envelope.data ?? undefined;
    this.account(data);
    if (errors.some(error => error.type === 'RATE_LIMITED')) {
      throw new GitHubError('rateLimited', `${context}: ${errors[0]?.message ?? 'rate limited'}`, response.status, this.graphqlRetryAfterMs(response, data));
    }
    if (data === undefined) {
      throw new GitHubError(graphqlErrorKind(errors), `${context}: ${errors.map(e => e.message).join('; ') || 'no data'}`, response.status);
    }
    return {
      data: parseOrThrow(schema, data, context, response.status),
      warnings: errors.map(describeGraphqlError),
      errorKind: errors.length === 0 ? undefined : graphqlErrorKind(errors),
    };
  }

  private account(data: Readonly<Record<string, unknown>> | undefined): void {
    const parsed = rateLimitSchema.safeParse(data ?? {});
    const rateLimit = parsed.success ? parsed.data.rateLimit : undefined;
    if (rateLimit === null || rateLimit === undefined) {
      this.meter.addPoints(1);
      return;
    }
    this.meter.addPoints(rateLimit.cost);
    this.meter.recordBudget({ resource: 'graphql', limit: rateLimit.limit, remaining: rateLimit.remaining, resetAt: rateLimit.resetAt });
  }

  private graphqlRetryAfterMs(response: OctokitResponse, data: Readonly<Record<string, unknown>> | undefined): number {
    const parsed = rateLimitSchema.safeParse(data ?? {});
    const resetAt = parsed.success ? parsed.data.rateLimit?.resetAt : undefined;
    const reset = resetAt === undefined ? Number.NaN : Date.parse(resetAt);
    return Number.isNaN(reset) ? retryAfterMs(response.headers, this.now) : Math.max(0, reset - this.now()) + 1000;
  }

  private async send(request: RestRequest, redirect?: 'manual'): Promise<OctokitResponse> {
    const search = request.query === undefined ? '' : new URLSearchParams(Object.entries(request.query).map(([k, v]): [string, string] => [k, String(v)])).toString();
    const separator = request.path.includes('?') ? '&' : '?';
    const url = search === '' ? request.path : `${request.path}${separator}${search}`;
    // Octokit's constructor ignores a `headers` option: the API version goes on every request here.
    const parameters: Record<string, unknown> = { headers: { 'x-github-api-version': githubApiVersion, ...request.headers } };
    if (request.retryOnFailure === false || redirect !== undefined) parameters['request'] = { ...(request.retryOnFailure === false ? { retries: 0 } : {}), ...(redirect === undefined ? {} : { redirect }) };
    if (request.body !== undefined) parameters['data'] = this.redactor.redactValue(request.body);
    try {
      return await this.octokit.request(`${request.method} ${url}`, parameters);
    } catch (error) {
      throw toGitHubError(error, describe(request), this.now);
    }
  }
}

function describe(request: RestRequest): string {
  const path = /^https?:\/\//.test(request.path) ? new URL(request.path).pathname : request.path;
  return `${request.method} ${path}`;
}

export function parseOrThrow<S extends z.ZodMiniType>(schema: S, data: unknown, context: string, status: number | undefined): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const where = first === undefined ? '' : ` at ${first.path.map(String).join('.') || '(root)'}: ${first.message}`;
  throw new GitHubError('malformed', `${context}: unexpected answer${where}`, status);
}

/** GraphQL error types GitHub uses (`NOT_FOUND`, `FORBIDDEN`, …) as ATO's kinds. */
export function graphqlErrorKind(errors: readonly GraphqlError[]): GitHubErrorKind {
  const type = errors.find(error => error.type !== undefined)?.type;
  switch (type) {
    case 'NOT_FOUND': return 'notFound';
    case 'FORBIDDEN': return 'auth';
    case 'RATE_LIMITED': return 'rateLimited';
    case 'MAX_NODE_LIMIT_EXCEEDED':
    case 'UNPROCESSABLE':
    case undefined:
    default: return 'invalid';
  }
}

function describeGraphqlError(error: GraphqlError): string {
  const path = error.path === undefined ? '' : `${error.path.join('.')}: `;
  return `${path}${error.message}${error.type === undefined ? '' : ` (${error.type})`}`;
}

function operationName(query: string): string {
  return /\b(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? 'anonymous';
}

/** The `rel="next"` URL of a `Link` header. */
export function nextLink(link: string): string | undefined {
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (match?.[2]?.split(/\s+/).includes('next') === true) return match[1];
  }
  return undefined;
}
