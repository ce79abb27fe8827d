import type { IncomingHttpHeaders } from 'node:http';
import { notFound } from '../errors';
import type { FakeRuntime, RepoRuntime } from '../runtime';

export interface RouteContext {
  readonly rt: FakeRuntime;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The parsed JSON body, or undefined. */
  readonly body: unknown;
  readonly headers: IncomingHttpHeaders;
  readonly url: URL;
}

export interface RepoRouteContext extends RouteContext {
  readonly repo: RepoRuntime;
}

export interface RestResult {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** A non-JSON body (raw file contents). */
  readonly raw?: { readonly contentType: string; readonly text: Buffer };
}

export interface Route {
  readonly method: string;
  /** OpenAPI path, e.g. `/repos/{owner}/{repo}/issues/{issue_number}`. */
  readonly pattern: string;
  readonly operationId: string;
  readonly handler: (context: RouteContext) => Promise<RestResult>;
}

/** A route under `/repos/{owner}/{repo}`: the repository is looked up first (404 when unknown). */
export function repoRoute(method: string, pattern: string, operationId: string, handler: (context: RepoRouteContext) => Promise<RestResult>): Route {
  return {
    method, pattern, operationId,
    handler: async context => {
      const repo = context.rt.repo(context.params['owner'] ?? '', context.params['repo'] ?? '');
      if (repo === undefined) throw notFound();
      await repo.refs();
      return handler({ ...context, repo });
    },
  };
}

// Parameters that may contain slashes: git refs and file paths.
const greedy = new Set(['ref', 'path']);

interface CompiledRoute {
  readonly route: Route;
  readonly regex: RegExp;
  readonly names: readonly string[];
}

export class Router {
  private readonly compiled: CompiledRoute[];

  constructor(routes: readonly Route[]) {
    this.compiled = routes.map(route => {
      const names: string[] = [];
      const source = route.pattern.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_match, name: string) => {
        names.push(name);
        return greedy.has(name) ? '(.+)' : '([^/]+)';
      });
      return { route, regex: new RegExp(`^${source}/?$`), names };
    });
  }

  match(method: string, path: string): { readonly route: Route; readonly params: Record<string, string> } | undefined {
    for (const { route, regex, names } of this.compiled) {
      if (route.method !== method) continue;
      const match = regex.exec(path);
      if (match === null) continue;
      const params: Record<string, string> = {};
      names.forEach((name, index) => {
        params[name] = decodeURIComponent(match[index + 1] ?? '');
      });
      return { route, params };
    }
    return undefined;
  }
}
