import { execFile, execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const repoRoot = resolve(__dirname, '../..');
let built = false;

/** Builds dist/cli.js from the sources once per test process (esbuild: about a second), so the tests run the CLI users run. */
export function buildCli(): string {
  if (!built) {
    execFileSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'ignore' });
    built = true;
  }
  return join(repoRoot, 'dist', 'cli.js');
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node dist/cli.js <args>` as a process with only the environment given (plus PATH and HOME, never
 * the machine's ATO_* variables or keys). Resolves with its exit code and output; never rejects on exit 1.
 */
export function runBuiltCli(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CliRun> {
  const cli = buildCli();
  return new Promise(done => {
    execFile(process.execPath, [cli, ...args], { env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env }, encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      done({ code, stdout, stderr });
    });
  });
}
