import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startFakeGitHub, type FakeGitHub } from '../../fakes/github/fakeGitHub';
import { loadScenario, type Scenario, type ScenarioRepo } from '../../fakes/github/scenario';

export const scenarioFile = join(__dirname, '../../fakes/github/scenarios/planning-loop.yaml');

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

export { startFakeGitHub };

/** The planning-loop scenario with its repository changed, e.g. more collaborators or stricter branch protection. */
export async function planningScenario(repo: Partial<ScenarioRepo>): Promise<Scenario> {
  const base = await loadScenario(scenarioFile);
  const [first, ...rest] = base.repos;
  if (first === undefined) throw new Error('the planning-loop scenario has no repository');
  return { ...base, repos: [{ ...first, ...repo }, ...rest] };
}

/**
 * Points the clone's `origin` at another server in front of the fake (the API proxy): ATO talks to a
 * configured GitHub Enterprise only for remotes on that same host, so git goes through the proxy too.
 */
export async function useOriginVia(workspaceRoot: string, baseUrl: string): Promise<void> {
  await gitAsync(workspaceRoot, 'remote', 'set-url', 'origin', `${baseUrl}/octo/app.git`);
}

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
