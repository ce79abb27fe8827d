import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import * as z from 'zod/mini';
import { listenOnLoopback } from '../../support/httpServer';
import { FaultList, type FaultInjector } from '../github/faults';
import { JulesRpcError } from './errors';
import { JulesState, type SessionScript } from './julesState';
import { servedSession, terminalStates, type FakeActivity, type FakeSession } from './model';
import type { JulesScenario } from './scenario';

/** One request the fake answered (control calls under `/_fake/` are not recorded). */
export interface JulesRequest {
  readonly method: string;
  readonly path: string;
  /** The query string with its `?`, or ''. */
  readonly query: string;
  readonly status: number;
  /** The JSON body a POST sent, parsed; undefined when there was none. */
  readonly body: unknown;
  /** Whether `X-Goog-Api-Key` carried the right key. */
  readonly authorized: boolean;
}

export interface FakeJules {
  /** `http://127.0.0.1:<port>/v1alpha`: what clients take as their base URL. */
  readonly apiUrl: string;
  readonly apiKey: string;
  readonly requests: JulesRequest[];
  readonly faults: FaultInjector;
  /** Sessions, activities, the simulator's steps and scripts. */
  readonly state: JulesState;
  /** Scripts the next session created (fail, ask a question, output kind). */
  scriptNext(script: SessionScript): void;
  stop(): Promise<void>;
}

const createBody = z.object({
  prompt: z.string(),
  title: z.optional(z.string()),
  sourceContext: z.optional(z.object({
    source: z.string(),
    githubRepoContext: z.optional(z.object({ startingBranch: z.optional(z.string()) })),
    workingBranch: z.optional(z.string()),
    environmentVariablesEnabled: z.optional(z.boolean()),
  })),
  requirePlanApproval: z.optional(z.boolean()),
  automationMode: z.optional(z.enum(['AUTOMATION_MODE_UNSPECIFIED', 'AUTO_CREATE_PR'])),
});
const messageBody = z.object({ prompt: z.string() });

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A stateful Jules REST API (v1alpha) on 127.0.0.1 for tests and for trying ATO by hand: the documented
 * shapes of /work/shared/specs/jules-fake.md, `X-Goog-Api-Key` auth, google.rpc.Status errors, a
 * concurrency cap and a daily quota, faults per route, and a simulator tests drive step by step.
 */
export async function startFakeJules(scenario: JulesScenario = {}, port = 0): Promise<FakeJules> {
  const state = new JulesState(scenario);
  const faults = new FaultList();
  const requests: JulesRequest[] = [];
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, { status: 500, body: new JulesRpcError(500, `fake Jules internal error: ${error instanceof Error ? error.message : String(error)}`).body() });
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const method = (request.method ?? 'GET').toUpperCase();
    const raw = await readBody(request);
    if (url.pathname.startsWith('/_fake/')) {
      send(response, control(method, url.pathname, raw));
      return;
    }
    let body: unknown;
    let answer: Answer;
    const key = request.headers['x-goog-api-key'];
    const authorized = key === state.apiKey;
    const fault = faults.take(method, url.pathname);
    try {
      body = raw === '' ? undefined : parseJson(raw);
      if (fault?.delayMs !== undefined) await new Promise(resolve => setTimeout(resolve, fault.delayMs));
      if (fault?.status !== undefined) {
        const retryAfter: Record<string, string> = fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
        throw new JulesRpcError(fault.status, fault.status === 429 ? 'Resource has been exhausted (e.g. check quota).' : 'Internal error encountered.', undefined, undefined, retryAfter);
      }
      if (key === undefined || key === '') throw new JulesRpcError(401, 'Request is missing required authentication credential. Expected an API key.', 'UNAUTHENTICATED');
      if (!authorized) throw invalidKey(scenario.invalidKeyStatus ?? 400);
      answer = route(method, url, body);
    } catch (error) {
      if (!(error instanceof JulesRpcError)) throw error;
      answer = { status: error.code, body: error.body(), headers: error.headers };
    }
    requests.push({ method, path: url.pathname, query: url.search, status: answer.status, body, authorized });
    if (fault?.malformed === true && answer.status < 300) {
      const text = JSON.stringify(answer.body);
      response.writeHead(answer.status, { 'content-type': 'application/json; charset=UTF-8' });
      response.end(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
      return;
    }
    send(response, answer);
  }

  function route(method: string, url: URL, body: unknown): Answer {
    const path = url.pathname;
    const query = url.searchParams;
    if (path === '/v1alpha/sources' && method === 'GET') {
      const filter = query.get('filter');
      const names = filter === null ? undefined : [...filter.matchAll(/name\s*=\s*"?([^"\s)]+)"?/g)].map(match => match[1]);
      const sources = state.sources.filter(source => names === undefined || names.includes(source.name));
      return page('sources', sources, query, 30);
    }
    const source = /^\/v1alpha\/(sources\/.+)$/.exec(path);
    if (source?.[1] !== undefined && method === 'GET') return ok(state.source(decodeURIComponent(source[1])));
    if (path === '/v1alpha/sessions') {
      if (method === 'GET') return page('sessions', state.listSessions().map(servedSession), query, 30);
      if (method === 'POST') {
        const input = parseInput(createBody, body, 'session');
        return ok(servedSession(state.create({
          prompt: input.prompt,
          title: input.title,
          source: input.sourceContext?.source,
          startingBranch: input.sourceContext?.githubRepoContext?.startingBranch,
          requirePlanApproval: input.requirePlanApproval,
          automationMode: input.automationMode,
        })));
      }
    }
    const custom = /^\/v1alpha\/sessions\/([^/:]+):(approvePlan|sendMessage|archive|unarchive)$/.exec(path);
    if (custom?.[1] !== undefined && method === 'POST') {
      const id = custom[1];
      if (custom[2] === 'approvePlan') state.approvePlan(id);
      else if (custom[2] === 'sendMessage') state.sendMessage(id, parseInput(messageBody, body ?? {}, 'request').prompt);
      else state.setArchived(id, custom[2] === 'archive');
      return ok({});
    }
    const session = /^\/v1alpha\/sessions\/([^/:]+)$/.exec(path);
    if (session?.[1] !== undefined && method === 'GET') return ok(servedSession(state.session(session[1])));
    const activities = /^\/v1alpha\/sessions\/([^/:]+)\/activities$/.exec(path);
    if (activities?.[1] !== undefined && method === 'GET') {
      const after = parseCreateTimeFilter(query.get('filter'));
      const all = state.activities(activities[1]).filter(activity => after === undefined || Date.parse(activity.createTime) > after);
      return page('activities', all, query, 50);
    }
    const activity = /^\/v1alpha\/sessions\/([^/:]+)\/activities\/([^/]+)$/.exec(path);
    if (activity?.[1] !== undefined && activity[2] !== undefined && method === 'GET') {
      const found = state.activities(activity[1]).find((candidate: FakeActivity) => candidate.id === activity[2]);
      if (found === undefined) throw new JulesRpcError(404, 'Requested entity was not found.');
      return ok(found);
    }
    throw new JulesRpcError(404, `Method not found: ${method} ${path}`, 'NOT_FOUND');
  }

  function control(method: string, path: string, raw: string): Answer {
    try {
      const [, , action, id] = path.split('/');
      if (method === 'GET' && action === 'state') return ok({ sessions: state.listSessions().map(servedSession), sessionsInLastDay: state.sessionsInLastDay() });
      if (method === 'POST' && action === 'step' && id !== undefined) return ok(servedSession(state.step(id)));
      if (method === 'POST' && action === 'advance' && id !== undefined) return ok(servedSession(state.advance(id)));
      if (method === 'POST' && action === 'script' && id !== undefined) {
        const script = JSON.parse(raw === '' ? '{}' : raw) as SessionScript;
        if (id === 'next') state.nextScript = script;
        else state.script(id, script);
        return ok({});
      }
      if (method === 'POST' && action === 'fault') {
        faults.add(JSON.parse(raw) as Parameters<FaultList['add']>[0]);
        return ok({});
      }
      return { status: 404, body: { error: `unknown control ${method} ${path}` } };
    } catch (error) {
      return error instanceof JulesRpcError ? { status: error.code, body: error.body() } : { status: 400, body: { error: String(error) } };
    }
  }

  const base = await listenOnLoopback(server, port);
  const timer = scenario.autoStepMs === undefined ? undefined : setInterval(() => {
    for (const session of state.listSessions().filter((candidate: FakeSession) => !terminalStates.has(candidate.state))) state.step(session.id);
  }, scenario.autoStepMs);
  timer?.unref();
  let stopped: Promise<void> | undefined;
  return {
    apiUrl: `${base}/v1alpha`,
    apiKey: state.apiKey,
    requests,
    faults,
    state,
    scriptNext: script => { state.nextScript = script; },
    // Idempotent: a test that restarts the fake with another scenario stops it twice.
    stop: () => {
      stopped ??= new Promise<void>((resolve, reject) => {
        if (timer !== undefined) clearInterval(timer);
        server.closeAllConnections();
        server.close(error => { if (error) reject(error); else resolve(); });
      });
      return stopped;
    },
  };
}

function invalidKey(status: 400 | 401 | 403): JulesRpcError {
  if (status === 400) return new JulesRpcError(400, 'API key not valid. Please pass a valid API key.', 'INVALID_ARGUMENT', 'API_KEY_INVALID');
  if (status === 401) return new JulesRpcError(401, 'Request had invalid authentication credentials.', 'UNAUTHENTICATED', 'API_KEY_INVALID');
  return new JulesRpcError(403, 'The caller does not have permission.', 'PERMISSION_DENIED', 'API_KEY_INVALID');
}

/** `create_time>"2026-12-07T10:00:00Z"` (the SDK's cache sync); anything else is no filter. */
function parseCreateTimeFilter(filter: string | null): number | undefined {
  if (filter === null || filter.trim() === '') return undefined;
  const match = /^\s*create_?[tT]ime\s*>\s*"([^"]+)"\s*$/.exec(filter);
  const at = match?.[1] === undefined ? Number.NaN : Date.parse(match[1]);
  if (Number.isNaN(at)) throw new JulesRpcError(400, `Invalid filter: ${filter}`);
  return at;
}

/** A page of `items`: `pageSize` (1–100, larger coerced to 100), an opaque `pageToken`; the token is omitted on the last page, an empty list is `{}`. */
function page(field: string, items: readonly unknown[], query: URLSearchParams, defaultSize: number): Answer {
  const sizeText = query.get('pageSize');
  const size = sizeText === null ? defaultSize : Number(sizeText);
  if (!Number.isInteger(size) || size < 0) throw new JulesRpcError(400, `Invalid value for pageSize: ${sizeText ?? ''}`);
  const pageSize = Math.min(100, size === 0 ? defaultSize : size);
  const token = query.get('pageToken');
  const offset = token === null || token === '' ? 0 : decodeToken(token);
  const slice = items.slice(offset, offset + pageSize);
  const next = offset + pageSize < items.length ? { nextPageToken: Buffer.from(`o${offset + pageSize}`).toString('base64url') } : {};
  return ok(slice.length === 0 ? { ...next } : { [field]: slice, ...next });
}

function decodeToken(token: string): number {
  const match = /^o(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (match?.[1] === undefined) throw new JulesRpcError(400, 'Invalid page token.');
  return Number(match[1]);
}

function parseInput<S extends z.ZodMiniType>(schema: S, body: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new JulesRpcError(400, `Invalid value at '${what}.${parsed.error.issues[0]?.path.join('.') ?? ''}': ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new JulesRpcError(400, 'Invalid JSON payload received.');
  }
}

function ok(body: unknown): Answer {
  return { status: 200, body };
}

function send(response: ServerResponse, answer: Answer): void {
  response.writeHead(answer.status, { 'content-type': 'application/json; charset=UTF-8', ...answer.headers });
  response.end(JSON.stringify(answer.body));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => { resolve(Buffer.concat(chunks).toString('utf8')); });
    request.on('error', reject);
  });
}
