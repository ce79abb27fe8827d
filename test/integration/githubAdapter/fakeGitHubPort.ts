import { createGitHubPort, type GitHubPortOptions } from '../../../src/core/forges/github/githubAdapter';
import type { GitHubPort } from '../../../src/core/forges/github/githubPort';
import { createLogger, type LogLevel } from '../../../src/core/logging/logger';
import { Redactor } from '../../../src/core/logging/redactor';
import { startFakeGitHub, type FakeGitHub } from '../../fakes/github/fakeGitHub';

export const scenarioPath = 'test/fakes/github/scenarios/planning-loop.yaml';

export interface AdapterOnFake {
  readonly fake: FakeGitHub;
  readonly port: GitHubPort;
  readonly lines: { readonly level: LogLevel; readonly message: string }[];
  /** Another port on the same fake (a second ATO window, a different token). */
  connect(options?: Partial<GitHubPortOptions>): Promise<GitHubPort>;
  stop(): Promise<void>;
}

/**
 * The real adapter pointed at the fake GitHub over HTTP, the way ATO is configured for it: the remote is
 * `<fake>/octo/app.git` and `ato.github.apiUrl` is the fake's URL. Every wait is shrunk to milliseconds.
 */
export async function startAdapterOnFake(options: Partial<GitHubPortOptions> = {}): Promise<AdapterOnFake> {
  const fake = await startFakeGitHub({ scenario: scenarioPath });
  const lines: { level: LogLevel; message: string }[] = [];
  const connect = (overrides: Partial<GitHubPortOptions> = {}): Promise<GitHubPort> => createGitHubPort({
    repo: { owner: 'octo', name: 'app', apiUrl: fake.apiUrl },
    token: fake.token,
    timeoutMs: 10_000,
    userAgent: 'ato-integration-test',
    log: createLogger({ write: (level, message) => lines.push({ level, message }) }, new Redactor()),
    redactor: new Redactor(),
    ...options,
    ...overrides,
    retry: { msPerSecond: 1, writeSpacingMs: 0, notificationSpacingMs: 0, ...options.retry, ...overrides.retry },
  });
  try {
    return { fake, port: await connect(), lines, connect, stop: () => fake.stop() };
  } catch (error) {
    await fake.stop();
    throw error;
  }
}
