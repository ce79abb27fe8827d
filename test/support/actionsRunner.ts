import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';

/**
 * Runs a workflow's job the way GitHub Actions would, on this machine: each `run:` step with bash
 * (`bash --noprofile --norc -eo pipefail`, Actions' default for bash) in the job's workspace, with the
 * variables a runner sets (GITHUB_ACTIONS, GITHUB_REPOSITORY, GITHUB_EVENT_NAME, GITHUB_EVENT_PATH with the
 * event's payload, GITHUB_API_URL, RUNNER_TEMP…), the step's `env:` with `${{ secrets.X }}` filled in, and a
 * HOME with no git config. The `uses:` steps are replaced by local equivalents: actions/checkout → `git clone
 * --depth 1` of the ref into the workspace (no credentials kept), actions/setup-node → this Node on the PATH
 * (its version is reported, not installed), actions/upload-artifact → a copy of the matching files into an
 * artifacts folder. Steps after a failed one run only with `if: always()`. An expression it cannot evaluate,
 * or a `uses:` it has no equivalent for, is an error: the test then says so instead of passing.
 */

export interface ActionsEvent {
  readonly name: string;
  readonly payload: Record<string, unknown>;
}

export interface ActionsRunOptions {
  /** The workflow's YAML. */
  readonly workflow: string;
  readonly job: string;
  /** What actions/checkout clones: the repository's git URL. */
  readonly gitUrl: string;
  /** owner/name. */
  readonly repository: string;
  readonly apiUrl: string;
  readonly serverUrl: string;
  readonly event: ActionsEvent;
  /** The repository's secrets; Actions also always has GITHUB_TOKEN. */
  readonly secrets: Readonly<Record<string, string>>;
  /** Machine variables beyond the runner's (e.g. a fake's request spacing). */
  readonly machineEnv?: Readonly<Record<string, string>>;
  readonly runId?: number;
}

export interface ActionsStepResult {
  readonly name: string;
  readonly outcome: 'success' | 'failure' | 'skipped';
  readonly output: string;
}

export interface ActionsRunResult {
  readonly conclusion: 'success' | 'failure';
  readonly steps: readonly ActionsStepResult[];
  readonly workspace: string;
  /** The folder upload-artifact's equivalent copied into, one sub-folder per artifact name. */
  readonly artifacts: string;
  /** The runner's folders; remove it when done. */
  readonly root: string;
}

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly env?: Record<string, string>;
  readonly with?: Record<string, string | number | boolean>;
}

const execFileAsync = promisify(execFile);

export async function runWorkflowJob(options: ActionsRunOptions): Promise<ActionsRunResult> {
  const workflow = parse(options.workflow) as { jobs?: Record<string, { steps?: Step[] }> };
  const steps = workflow.jobs?.[options.job]?.steps;
  if (steps === undefined) throw new Error(`the workflow has no job "${options.job}" with steps`);
  const root = await mkdtemp(join(tmpdir(), 'ato-actions-'));
  const [owner = '', name = ''] = options.repository.split('/');
  const workspace = join(root, 'work', name, name);
  const runnerTemp = join(root, 'temp');
  const artifacts = join(root, 'artifacts');
  const home = join(root, 'home');
  for (const folder of [workspace, runnerTemp, artifacts, home]) await mkdir(folder, { recursive: true });
  const eventPath = join(root, 'event.json');
  await writeFile(eventPath, JSON.stringify(options.event.payload), 'utf8');
  const runId = options.runId ?? 4242;
  const context = {
    secrets: { GITHUB_TOKEN: 'ghs_builtinTokenNeverUsedByAto0000000000', ...options.secrets },
    github: { repository: options.repository, run_id: String(runId), run_attempt: '1', event_name: options.event.name, event: options.event.payload, api_url: options.apiUrl },
    runner: { temp: runnerTemp, os: 'Linux' },
  };
  const runnerEnv: Record<string, string> = {
    PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
    HOME: home,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: options.repository,
    GITHUB_REPOSITORY_OWNER: owner,
    GITHUB_EVENT_NAME: options.event.name,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_WORKSPACE: workspace,
    GITHUB_API_URL: options.apiUrl,
    GITHUB_GRAPHQL_URL: `${options.apiUrl}/graphql`,
    GITHUB_SERVER_URL: options.serverUrl,
    GITHUB_RUN_ID: String(runId),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: options.job,
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: runnerTemp,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    ...options.machineEnv,
  };
  const evaluate = (text: string): string => text.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expression: string) => evaluateExpression(expression, context));
  const results: ActionsStepResult[] = [];
  let failed = false;
  for (const [index, step] of steps.entries()) {
    const label = step.name ?? step.uses ?? `step ${String(index + 1)}`;
    const condition = step.if?.trim();
    if (condition !== undefined && condition !== 'always()' && condition !== '${{ always() }}') throw new Error(`${label}: the runner cannot evaluate if: ${condition}`);
    if (failed && condition === undefined) {
      results.push({ name: label, outcome: 'skipped', output: '' });
      continue;
    }
    const withValues = Object.fromEntries(Object.entries(step.with ?? {}).map(([key, value]) => [key, evaluate(String(value))]));
    try {
      let output: string;
      if (step.run !== undefined) {
        const script = join(runnerTemp, `step-${String(index)}.sh`);
        await writeFile(script, step.run, 'utf8');
        const env = { ...runnerEnv, ...Object.fromEntries(Object.entries(step.env ?? {}).map(([key, value]) => [key, evaluate(value)])) };
        const { stdout, stderr } = await execFileAsync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: workspace, env, timeout: 240_000, maxBuffer: 32 * 1024 * 1024 });
        output = stdout + stderr;
      } else {
        output = await usesEquivalent(step.uses ?? '', withValues, { gitUrl: options.gitUrl, workspace, artifacts, env: runnerEnv });
      }
      results.push({ name: label, outcome: 'success', output });
    } catch (error) {
      failed = true;
      const detail = error as { stdout?: string; stderr?: string; message?: string };
      results.push({ name: label, outcome: 'failure', output: `${detail.stdout ?? ''}${detail.stderr ?? ''}${detail.message ?? String(error)}` });
    }
  }
  return { conclusion: failed ? 'failure' : 'success', steps: results, workspace, artifacts, root };
}

/** `${{ a.b.c }}`: a property path into the run's contexts (a missing secret is '', as on Actions). */
function evaluateExpression(expression: string, context: Record<string, unknown>): string {
  if (!/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)+$/.test(expression)) throw new Error(`the runner cannot evaluate \${{ ${expression} }}`);
  const [head, ...rest] = expression.split('.');
  let value: unknown = context[head ?? ''];
  if (value === undefined) throw new Error(`unknown context in \${{ ${expression} }}`);
  for (const key of rest) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

interface Equivalents {
  readonly gitUrl: string;
  readonly workspace: string;
  readonly artifacts: string;
  readonly env: Record<string, string>;
}

async function usesEquivalent(uses: string, values: Record<string, string>, where: Equivalents): Promise<string> {
  const action = uses.replace(/@.*$/, '');
  switch (action) {
    case 'actions/checkout': {
      const args = ['clone', '--quiet', '--depth', '1', ...(values['ref'] === undefined ? [] : ['--branch', values['ref']]), where.gitUrl, where.workspace];
      await execFileAsync('git', args, { env: where.env });
      return `cloned ${values['ref'] ?? 'the default branch'} (depth 1)`;
    }
    case 'actions/setup-node':
      return `node ${process.version} on the PATH (the workflow asks for ${values['node-version'] ?? 'any'})`;
    case 'actions/upload-artifact': {
      const name = values['name'] ?? 'artifact';
      const target = join(where.artifacts, name);
      const copied: string[] = [];
      for (const pattern of (values['path'] ?? '').split('\n').map(line => line.trim()).filter(line => line !== '')) {
        for (const match of await matchPath(where.workspace, pattern)) {
          await cp(join(where.workspace, match), join(target, match), { recursive: true });
          copied.push(match);
        }
      }
      if (copied.length === 0 && values['if-no-files-found'] === 'error') throw new Error(`no files for ${name}`);
      return `uploaded ${name}: ${copied.join(', ')}`;
    }
    default:
      throw new Error(`the runner has no local equivalent for uses: ${uses}`);
  }
}

/** A pattern of upload-artifact's kind, as far as the workflow uses it: a path, a `*` in the last part, or a folder. */
async function matchPath(workspace: string, pattern: string): Promise<string[]> {
  const clean = pattern.replace(/\/$/, '');
  const folder = dirname(clean);
  const last = clean.slice(folder === '.' ? 0 : folder.length + 1);
  if (!last.includes('*')) return (await stat(join(workspace, clean)).then(() => true, () => false)) ? [clean] : [];
  const expression = new RegExp(`^${last.split('*').map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  const names = await readdir(join(workspace, folder)).catch(() => []);
  return names.filter(entry => expression.test(entry)).map(entry => (folder === '.' ? entry : `${folder}/${entry}`));
}
