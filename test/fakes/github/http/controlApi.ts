import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultRule } from '../faults';
import type { FakeRuntime } from '../runtime';
import { FakeSimulator, type Simulator } from '../simulator';

/** Simulator actions reachable as `POST /_fake/<action>` with `{ "args": [...], "repo"?: "owner/name" }`. */
export const simulatorActions = [
  'copilotOpensPullRequest', 'copilotFinishes', 'copilotFails', 'setCheckRuns', 'addStatus', 'workflowAwaitingApproval', 'setMergeable',
  'closeIssue', 'comment', 'approve', 'review', 'pushFiles', 'openPullRequest', 'grantWriteAccess',
  'setCi', 'copilotAnswersMentions', 'deploy', 'requestChanges',
] as const satisfies readonly (keyof Simulator)[];

function readJson(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text === '' ? {} : JSON.parse(text) as unknown);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

/** A fault rule from JSON: `pathPattern` (a RegExp source) stands for a RegExp `path`. */
export function faultFromJson(value: Readonly<Record<string, unknown>>): FaultRule {
  const { pathPattern, path, ...rest } = value;
  if (typeof pathPattern === 'string') return { ...rest, path: new RegExp(pathPattern) };
  if (typeof path !== 'string') throw new Error('a fault needs `path` (exact) or `pathPattern` (a regular expression)');
  return { ...rest, path };
}

type Reply = readonly [status: number, body: unknown];

async function reply(rt: FakeRuntime, action: string, method: string, body: Readonly<Record<string, unknown>>): Promise<Reply> {
  if (action === 'requests' && method === 'GET') return [200, rt.requests];
  if (action === 'resetRequests' && method === 'POST') {
    rt.requests.length = 0;
    return [200, { result: null }];
  }
  if (action === 'faults' && method === 'POST') {
    rt.faults.add(faultFromJson(body));
    return [200, { result: null }];
  }
  if (action === 'faults' && method === 'DELETE') {
    rt.faults.clear();
    return [200, { result: null }];
  }
  if (action === 'state' && method === 'GET') {
    return [200, [...rt.repos.values()].map(repo => ({
      repo: repo.fullName, issues: [...repo.data.issues.values()], comments: repo.data.comments, events: repo.data.events, reviews: repo.data.reviews,
      checkRuns: repo.data.checkRuns, statuses: repo.data.statuses, labels: [...repo.data.labels.values()],
    }))];
  }
  const name = simulatorActions.find(candidate => candidate === action);
  if (name === undefined || method !== 'POST') return [404, { message: `No control action ${method} /_fake/${action}` }];
  const [owner, repoName] = typeof body['repo'] === 'string' ? body['repo'].split('/') : [];
  const base = new FakeSimulator(rt, rt.defaultRepo);
  const simulator = owner !== undefined && repoName !== undefined ? base.inRepo(owner, repoName) : base;
  const args = Array.isArray(body['args']) ? body['args'] as unknown[] : [];
  const run = simulator[name].bind(simulator) as (...values: unknown[]) => Promise<unknown>;
  const result = await run(...args);
  return [200, { result: result ?? null }];
}

/** The control API for a server started from the CLI: requests, faults, a state summary and the simulator. */
export function controlApi(rt: FakeRuntime): (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void> {
  return async (request, response, url) => {
    const method = request.method ?? 'GET';
    if (url.pathname.startsWith('/_fake/job-logs/')) {
      jobLog(rt, request, response, url);
      return;
    }
    try {
      const body = (method === 'GET' ? {} : await readJson(request)) as Readonly<Record<string, unknown>>;
      const [status, answer] = await reply(rt, url.pathname.slice('/_fake/'.length), method, body);
      send(response, status, answer);
    } catch (error) {
      send(response, 400, { message: error instanceof Error ? error.message : String(error) });
    }
  };
}

/**
 * A job's log, where `actions/download-job-logs-for-workflow-run` redirects (another origin, as GitHub's signed
 * blob URLs are). Like that storage, it refuses a request that carries an Authorization header: a client that
 * forwards its GitHub token across the redirect is caught here (and recorded in `rt.leakedTokenRequests`).
 */
function jobLog(rt: FakeRuntime, request: IncomingMessage, response: ServerResponse, url: URL): void {
  const [owner = '', name = '', id = ''] = url.pathname.slice('/_fake/job-logs/'.length).split('/').map(decodeURIComponent);
  if (request.headers.authorization !== undefined) {
    rt.leakedTokenRequests.push(url.pathname);
    send(response, 400, { message: 'Authorization header sent to the log storage host' });
    return;
  }
  const job = rt.repo(owner, name)?.data.checkRuns.find(run => run.id === Number(id));
  if (job === undefined) {
    send(response, 404, { message: 'BlobNotFound' });
    return;
  }
  response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(job.log);
}
