import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeApiError } from '../errors';
import type { FakeRequest } from '../fakeGitHub';
import type { FaultRule } from '../faults';
import { parseGitPath, serveGitHttp } from '../git/gitHttpBackend';
import { executeGraphql } from '../graphql/executeGraphql';
import { describeErrors, openApiValidator } from '../openapiValidator';
import type { RateResource } from '../rateLimit';
import type { FakeRuntime } from '../runtime';
import type { Router } from './router';

const restDocs = 'https://docs.github.com/rest';

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    request.on('error', reject);
  });
}

function requestId(): string {
  return randomBytes(8).toString('hex').toUpperCase().replace(/(.{4})(.{4})(.{4})(.{4})/, '$1:$2:$3:$4');
}

/** GitHub's error body: message, documentation_url and the status as a string. */
function errorBody(status: number, message: string, extra: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  return { message, ...extra, documentation_url: typeof extra['documentation_url'] === 'string' ? extra['documentation_url'] : restDocs, status: String(status) };
}

function sameEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const bare = (value: string): string => value.trim().replace(/^W\//, '');
  return header.split(',').some(candidate => candidate.trim() === '*' || bare(candidate) === bare(etag));
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  points: number;
  operationId?: string;
  graphqlOperationName?: string;
}

/** The HTTP pipeline: control API, git smart HTTP, faults, auth, rate limits, REST routes and GraphQL. */
export class ApiServer {
  constructor(private readonly rt: FakeRuntime, private readonly router: Router, private readonly control: (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void>) {}

  readonly handle = (request: IncomingMessage, response: ServerResponse): void => {
    this.dispatch(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(errorBody(500, `fake GitHub internal error: ${error instanceof Error ? error.message : String(error)}`)));
    });
  };

  private async dispatch(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.rt.urls.base);
    const method = (request.method ?? 'GET').toUpperCase();
    if (url.pathname.startsWith('/_fake/')) return this.control(request, response, url);
    const git = parseGitPath(url.pathname);
    const gitRepo = git === undefined ? undefined : this.rt.repo(git.owner, git.repo);
    const fault = this.rt.faults.take(method, url.pathname);
    if (fault?.delayMs !== undefined) await new Promise(resolve => setTimeout(resolve, fault.delayMs));
    if (git !== undefined && gitRepo !== undefined) {
      if (fault !== undefined && (fault.status !== undefined || fault.secondaryRateLimit === true)) {
        this.send(response, method, url, 'git', this.faultAnswer(fault));
        return;
      }
      const status = await serveGitHttp(request, response, {
        projectRoot: this.rt.gitRoot,
        pathInfo: `/${gitRepo.data.owner}/${gitRepo.data.name}.git/${git.service}`,
        query: url.search.replace(/^\?/, ''),
      });
      if (git.service === 'git-receive-pack') {
        gitRepo.invalidateRefs();
        gitRepo.data.pushedAt = this.rt.clock.now();
        await gitRepo.refs();
      }
      this.log({ method, path: url.pathname, query: url.search, status, points: 0, resource: 'git', gitCredentials: this.gitCredentials(request.headers.authorization) });
      return;
    }
    const raw = await readBody(request);
    const resource: RateResource = url.pathname === '/graphql' ? 'graphql' : 'core';
    let answer: Answer;
    if (fault !== undefined && (fault.status !== undefined || fault.secondaryRateLimit === true)) answer = this.faultAnswer(fault);
    else answer = await this.answer(request, method, url, resource, raw);
    if (fault?.malformed === true) answer = { ...answer, status: 200, body: answer.body.subarray(0, Math.max(1, Math.floor(answer.body.length / 2))) };
    this.send(response, method, url, resource, answer);
  }

  private async answer(request: IncomingMessage, method: string, url: URL, resource: RateResource, raw: Buffer): Promise<Answer> {
    const authorization = request.headers.authorization;
    const token = /^(?:token|bearer)\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim();
    if (token !== this.rt.token) {
      const message = authorization === undefined ? (resource === 'graphql' ? 'This endpoint requires you to be authenticated.' : 'Requires authentication') : 'Bad credentials';
      return this.json(401, errorBody(401, message), 0);
    }
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8')) as unknown;
      } catch {
        return this.json(400, errorBody(400, 'Problems parsing JSON'), 0);
      }
    }
    if (resource === 'graphql') {
      if (method !== 'POST') return this.json(404, errorBody(404, 'Not Found'), 0);
      const outcome = await executeGraphql(this.rt, this.rt.tokenUser, body);
      return { ...this.json(outcome.status, outcome.body, outcome.points), ...(outcome.operationName === undefined ? {} : { graphqlOperationName: outcome.operationName }) };
    }
    const free = url.pathname === '/rate_limit';
    if (!free && this.rt.limiter.budget('core').remaining <= 0) {
      return this.json(403, errorBody(403, `API rate limit exceeded for user ID ${this.rt.tokenUser.id}. If you reach out to GitHub Support for help, please include the request ID ${requestId()} and timestamp ${new Date().toISOString()}.`, {
        documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
      }), 0);
    }
    const matched = this.router.match(method, url.pathname);
    if (matched === undefined) return this.json(404, errorBody(404, 'Not Found'), free ? 0 : 1);
    const operationId = matched.route.operationId;
    try {
      if (this.rt.validateRequests && body !== undefined) {
        const validate = openApiValidator().requestBody(operationId);
        if (validate !== undefined && !validate(body)) throw new FakeApiError(422, `Invalid request.\n\n${describeErrors(validate.errors)}`);
      }
      const result = await matched.route.handler({ rt: this.rt, params: matched.params, query: url.searchParams, body, headers: request.headers, url });
      const text = result.raw?.text ?? (result.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(result.body)));
      const headers: Record<string, string> = { ...(result.headers ?? {}) };
      if (result.body !== undefined || result.raw !== undefined) headers['content-type'] = result.raw?.contentType ?? 'application/json; charset=utf-8';
      if (method === 'GET' && result.status === 200) {
        const etag = `W/"${createHash('sha256').update(text).digest('hex').slice(0, 40)}"`;
        headers['etag'] = etag;
        headers['cache-control'] = 'private, max-age=60, s-maxage=60';
        if (sameEtag(request.headers['if-none-match'], etag)) return { status: 304, headers, body: Buffer.alloc(0), points: 0, operationId };
      }
      return { status: result.status, headers, body: text, points: free ? 0 : 1, operationId };
    } catch (error) {
      if (!(error instanceof FakeApiError)) throw error;
      return { ...this.json(error.status, errorBody(error.status, error.message, error.extra), free ? 0 : 1), operationId };
    }
  }

  /** What GitHub sends for the injected failure (see README "Faults"). */
  private faultAnswer(fault: FaultRule): Answer {
    const headers: Record<string, string> = fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
    if (fault.secondaryRateLimit === true || fault.status === 429) {
      const status = fault.status === 429 ? 429 : 403;
      return this.json(status, errorBody(status, `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${requestId()}.`, {
        documentation_url: 'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
      }), 0, headers);
    }
    const status = fault.status ?? 500;
    const message = status === 403 ? 'Resource not accessible by personal access token' : status === 503 ? 'Service Unavailable' : 'Server Error';
    return this.json(status, status === 403 ? errorBody(403, message) : { message }, 0, headers);
  }

  private json(status: number, body: unknown, points: number, headers: Record<string, string> = {}): Answer {
    return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: Buffer.from(JSON.stringify(body)), points };
  }

  private send(response: ServerResponse, method: string, url: URL, resource: RateResource | 'git', answer: Answer): void {
    // GraphQL spends its cost before executing (so `rateLimit` reports it); REST spends here.
    if (resource === 'core' && answer.points > 0) this.rt.limiter.spend(resource, answer.points);
    const rateHeaders = resource === 'git' ? {} : this.rt.limiter.headers(resource);
    response.writeHead(answer.status, {
      ...rateHeaders,
      'x-github-media-type': 'github.v3; format=json',
      'x-github-api-version-selected': '2022-11-28',
      'x-github-request-id': requestId(),
      'x-oauth-scopes': 'repo, workflow',
      'vary': 'Accept, Authorization, Cookie, X-GitHub-OTP',
      ...answer.headers,
    });
    response.end(answer.status === 304 || answer.status === 204 ? undefined : answer.body);
    this.log({
      method, path: url.pathname, query: url.search, status: answer.status, points: answer.points, resource,
      ...(answer.operationId === undefined ? {} : { operationId: answer.operationId }),
      ...(answer.graphqlOperationName === undefined ? {} : { graphqlOperationName: answer.graphqlOperationName }),
    });
  }

  private gitCredentials(authorization: string | undefined): 'token' | 'other' | 'none' {
    if (authorization === undefined) return 'none';
    const basic = /^basic\s+(\S+)$/i.exec(authorization)?.[1];
    const password = basic === undefined ? undefined : Buffer.from(basic, 'base64').toString('utf8').split(':').slice(1).join(':');
    return password === this.rt.token ? 'token' : 'other';
  }

  private log(entry: FakeRequest): void {
    this.rt.requests.push(entry);
  }
}
