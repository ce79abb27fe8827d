import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type FakeGitHub, startFakeGitHub } from '../../fakes/github/fakeGitHub';
import { describeErrors, openApiValidator } from '../../fakes/github/openapiValidator';
import type { Scenario } from '../../fakes/github/scenario';

export const planningLoopScenario = join(__dirname, '..', '..', 'fakes', 'github', 'scenarios', 'planning-loop.yaml');

/** A small scenario: `octo/app` with Copilot on, `ci/build` required on main, and `alice` as a collaborator. */
export function smallScenario(overrides: Partial<Scenario> = {}): Scenario {
  return {
    token: 'test-token',
    user: { login: 'octocat', name: 'The Octocat' },
    repos: [{
      owner: 'octo',
      name: 'app',
      copilot: true,
      collaborators: ['alice'],
      branchProtection: { main: { requiredStatusChecks: ['ci/build'] } },
      labels: [{ name: 'ato', color: '5319e7', description: 'ATO' }],
      files: { 'README.md': '# app\n', 'src/index.ts': 'export const answer = 42;\n' },
    }],
    ...overrides,
  };
}

/** Starts a fake before each test of the suite and stops it afterwards. */
export function useFakeGitHub(scenario: () => Scenario | string = () => smallScenario()): () => FakeGitHub {
  let fake: FakeGitHub | undefined;
  beforeEach(async () => {
    fake = await startFakeGitHub({ scenario: scenario() });
  });
  afterEach(async () => {
    await fake?.stop();
    fake = undefined;
  });
  return () => {
    if (fake === undefined) throw new Error('the fake GitHub is not running');
    return fake;
  };
}

export interface ApiAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The JSON body, or undefined when the body is not JSON. */
  readonly body: unknown;
}

/** One authenticated request to the fake, as a client would send it. */
export async function api(fake: FakeGitHub, method: string, path: string, body?: unknown, headers: Readonly<Record<string, string>> = {}): Promise<ApiAnswer> {
  const response = await fetch(`${fake.apiUrl}${path}`, {
    method,
    headers: { authorization: `token ${fake.token}`, accept: 'application/vnd.github+json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text) as unknown;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

/** A GraphQL request; returns the whole JSON answer (`data`, `errors`). */
export async function graphql(fake: FakeGitHub, query: string, variables: Readonly<Record<string, unknown>> = {}): Promise<{ readonly data?: Record<string, unknown>; readonly errors?: readonly Record<string, unknown>[] }> {
  const answer = await api(fake, 'POST', '/graphql', { query, variables });
  assert.equal(answer.status, 200, answer.text);
  return answer.body as { data?: Record<string, unknown>; errors?: Record<string, unknown>[] };
}

/** Asserts a response body is valid for an operation and status in GitHub's OpenAPI description. */
export function assertValid(operationId: string, status: number, body: unknown): void {
  const validate = openApiValidator().response(operationId, status);
  assert.ok(validate(body), `${operationId} ${status} is not valid per GitHub's OpenAPI description:\n${describeErrors(validate.errors)}`);
}

export function assertValidComponent(name: string, body: unknown): void {
  const validate = openApiValidator().component(name);
  assert.ok(validate(body), `not a valid ${name}:\n${describeErrors(validate.errors)}`);
}

/** Reads a nested field by path (`a.b.0.c`), for terse assertions on GraphQL answers. */
export function pick(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || current === undefined) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const execFileAsync = promisify(execFile);

/**
 * The git CLI without blocking the event loop: the fake answers git's HTTP requests from this same
 * process, so the synchronous `git()` of test/support would deadlock against it.
 */
export async function gitAsync(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' },
  });
  return stdout.trim();
}
