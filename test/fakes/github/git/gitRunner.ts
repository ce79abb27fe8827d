import { spawn } from 'node:child_process';
import { devNull } from 'node:os';

export interface GitResult {
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

export class GitCommandError extends Error {
  override readonly name = 'GitCommandError';
  readonly kind = 'gitCommand';

  constructor(readonly args: readonly string[], readonly code: number, readonly stderr: string) {
    super(`git ${args.join(' ')} exited with ${code}: ${stderr.trim()}`);
  }
}

/** The environment every git process of the fake gets: no user or system config, C locale, no prompts. */
export function gitEnvironment(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: process.env['HOME'] ?? '/tmp',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: devNull,
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
    ...extra,
  };
}

export interface GitRunOptions {
  readonly input?: string | Buffer;
  readonly env?: Readonly<Record<string, string>>;
}

/** Runs git against a bare repository and collects its output; never throws for a non-zero exit. */
export function runGit(gitDir: string, args: readonly string[], options: GitRunOptions = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-c', 'core.quotePath=false', ...args], {
      env: gitEnvironment({ GIT_DIR: gitDir, ...options.env }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', code => {
      resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') });
    });
    // A command that exits before reading its input (e.g. a failed update-index) closes the pipe.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** Runs git and returns its trimmed stdout; throws `GitCommandError` on a non-zero exit. */
export async function git(gitDir: string, args: readonly string[], options: GitRunOptions = {}): Promise<string> {
  const result = await runGit(gitDir, args, options);
  if (result.code !== 0) throw new GitCommandError(args, result.code, result.stderr);
  return result.stdout.toString('utf8').trim();
}
