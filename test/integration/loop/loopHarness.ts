import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createLogger } from '../../../src/core/logging/logger';
import { Redactor } from '../../../src/core/logging/redactor';
import { createGitHubLoop, type GitHubLoopResult } from '../../../src/core/loop/github/createGitHubLoop';
import type { LoopTimers } from '../../../src/core/loop/loopEngine';
import { initialLoopState, type LoopState } from '../../../src/core/loop/loopModel';
import type { EventInput } from '../../../src/core/events/eventLog';
import { readSettings, type SettingKey } from '../../../src/core/settings/settings';
import { startFakeGitHub, type FakeGitHub } from '../../fakes/github/fakeGitHub';

export const scenarioFile = join(__dirname, '../../fakes/github/scenarios/planning-loop.yaml');

/** A loop's timers that never fire on their own: tests tick by hand. */
export const manualTimers: LoopTimers = { setTimeout: () => undefined, clearTimeout: () => undefined };

export interface TestLoop {
  readonly result: Extract<GitHubLoopResult, { kind: 'ready' }>;
  readonly events: EventInput[];
  state(): LoopState;
}

const execFileAsync = promisify(execFile);

/** git, asynchronously: the fake serves git from this same process, so a synchronous call would deadlock. */
export async function gitAsync(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', ...args], {
    cwd,
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' },
  });
  return stdout.trim();
}

/** Clones the fake's `octo/app` into `directory` (a real clone over git smart HTTP). Returns the workspace root. */
export async function cloneApp(fake: FakeGitHub, directory: string): Promise<string> {
  const root = join(directory, 'app');
  await gitAsync(directory, 'clone', '--quiet', fake.gitUrl('octo', 'app'), root);
  return root;
}

/** The GitHub loop for a workspace cloned from the fake, with settings overrides and optional crash points. */
export async function openTestLoop(fake: FakeGitHub, workspaceRoot: string, options: {
  readonly settings?: Partial<Record<SettingKey, unknown>>;
  readonly holder?: string;
  readonly checkpoint?: (name: string) => void | Promise<void>;
} = {}): Promise<TestLoop> {
  const overrides: Partial<Record<SettingKey, unknown>> = { 'github.apiUrl': fake.apiUrl, ...options.settings };
  const { settings } = readSettings(key => overrides[key]);
  let state: LoopState = initialLoopState;
  const events: EventInput[] = [];
  const result = await createGitHubLoop({
    workspaceRoot,
    settings,
    token: fake.token,
    log: createLogger({ write: () => undefined }, new Redactor()),
    appendEvent: event => { events.push(event); },
    updateLoop: recipe => { state = recipe(state); },
    trusted: () => true,
    userAgent: 'ato-test',
    timers: manualTimers,
    ...(options.holder === undefined ? {} : { holder: options.holder }),
    ...(options.checkpoint === undefined ? {} : { checkpoint: options.checkpoint }),
  });
  if (result.kind !== 'ready') throw new Error(`no loop: ${result.reason}`);
  return { result, events, state: () => state };
}

export { startFakeGitHub };

/** Text of a file on the fake's `main`, read through git (fetch + show), or undefined. */
export async function fileOnMain(workspaceRoot: string, path: string): Promise<string | undefined> {
  await gitAsync(workspaceRoot, 'fetch', '--quiet', 'origin', 'main');
  try {
    return await gitAsync(workspaceRoot, 'show', `origin/main:${path}`);
  } catch {
    return undefined;
  }
}

/** Paths under `planning/issue_queue` on the fake's `main`. */
export async function queueOnMain(workspaceRoot: string): Promise<string[]> {
  await gitAsync(workspaceRoot, 'fetch', '--quiet', 'origin', 'main');
  return (await gitAsync(workspaceRoot, 'ls-tree', '-r', '--name-only', 'origin/main', '--', 'planning/issue_queue')).split('\n').filter(p => p !== '' && !p.endsWith('.gitkeep'));
}

export const taskFile = `---
id: add-login
type: feature
priority: high
---
# Add a login form

**Prompt:**
Add a login form with e-mail and password.

**Success Criteria:**
- [ ] The form validates e-mail addresses
`;
