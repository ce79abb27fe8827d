import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const repoRoot = join(__dirname, '../../..');

/** The result of a finished `ato` process. */
export interface AtoResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running `ato` process: its output so far, and its end. */
export interface AtoProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  readonly exited: Promise<AtoResult>;
}

/**
 * The machine's environment without anything that would point the CLI elsewhere (ATO_* settings, tokens),
 * plus `env`: a test sees only what it sets.
 */
export function atoEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(ATO_|GITHUB_TOKEN$|GH_TOKEN$)/.test(name)));
  return { ...clean, GIT_TERMINAL_PROMPT: '0', ...env };
}

/**
 * Starts the real `ato` CLI in its own process, from its sources (`src/cli/ato.ts` through tsx, with the
 * version esbuild would define), so a test never runs a stale bundle.
 */
export function startAto(args: readonly string[], env: NodeJS.ProcessEnv): AtoProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', join(repoRoot, 'test/integration/loop/cliVersion.ts'), join(repoRoot, 'src/cli/ato.ts'), ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: atoEnvironment(env),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const exited = new Promise<AtoResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => { resolve({ code, signal, stdout, stderr }); });
  });
  if (child.pid === undefined) throw new Error('ato did not start');
  return { child, pid: child.pid, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Runs `ato` to its end. */
export function runAto(args: readonly string[], env: NodeJS.ProcessEnv): Promise<AtoResult> {
  return startAto(args, env).exited;
}
