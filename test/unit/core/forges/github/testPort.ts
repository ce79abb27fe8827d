import { createGitHubPort, type GitHubPortOptions } from '../../../../../src/core/forges/github/githubAdapter';
import type { GitHubPort } from '../../../../../src/core/forges/github/githubPort';
import { createLogger, type LogLevel } from '../../../../../src/core/logging/logger';
import { Redactor } from '../../../../../src/core/logging/redactor';
import { ScriptedFetch } from './scriptedFetch';

export const apiUrl = 'https://ghe.test/api/v3';
export const graphqlPath = '/api/graphql';
export const repoPath = '/api/v3/repos/octo/app';

export interface TestPort {
  readonly port: GitHubPort;
  readonly http: ScriptedFetch;
  readonly lines: { readonly level: LogLevel; readonly message: string }[];
}

/** The real adapter (Octokit and its plugins included) over a scripted fetch, every wait shrunk to ms. */
export async function createTestPort(options: Partial<GitHubPortOptions> = {}): Promise<TestPort> {
  const http = new ScriptedFetch();
  const lines: { level: LogLevel; message: string }[] = [];
  const port = await createGitHubPort({
    repo: { owner: 'octo', name: 'app', apiUrl },
    token: 'ghp_testtoken000000000000000000000000',
    timeoutMs: 5_000,
    log: createLogger({ write: (level, message) => lines.push({ level, message }) }, new Redactor()),
    redactor: new Redactor(),
    userAgent: 'ato-test',
    ...options,
    retry: { msPerSecond: 1, writeSpacingMs: 0, notificationSpacingMs: 0, ...options.retry },
    fetch: http.fetch,
  });
  return { port, http, lines };
}
