import assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';
import { childEnvironment, nonInteractiveVariables } from '../../../../../src/core/agents/local/childEnvironment';
import { liveGroupMembers } from '../../../../../src/core/agents/local/processGroup';
import { startProcess, type OutputStreamName, type ProcessSpec } from '../../../../../src/core/agents/local/processRunner';
import { useTempDir } from '../../../../support/tempDir';

const node = process.execPath;

/** A pid that still runs (a zombie, which nobody may reap here, does not count). */
async function isRunning(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const { readFile } = await import('node:fs/promises');
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat === undefined ? process.platform !== 'linux' : stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/** A node script as a command: `node -e <source> ...args`. */
function script(source: string, extra: Partial<ProcessSpec> & { cwd: string }): ProcessSpec {
  return { command: node, args: ['-e', source], ...extra };
}

/**
 * Starts a grandchild (same process group) that ignores SIGTERM, prints its pid once it does, and runs
 * forever; then runs forever itself, ignoring SIGTERM too when `stubborn`.
 */
function parentOfGrandchild(stubborn: boolean): string {
  return `
    const { spawn } = require('node:child_process');
    spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); console.log('grandchild ' + process.pid); setInterval(() => {}, 1000)"], { stdio: ['ignore', 'inherit', 'ignore'] });
    ${stubborn ? "process.on('SIGTERM', () => {});" : ''}
    setInterval(() => {}, 1000);`;
}

describe('startProcess', function () {
  if (process.platform === 'win32') return;
  const tempDir = useTempDir('ato-process-');

  it('runs in cwd and delivers stdout and stderr line by line, the last line too', async () => {
    const lines: [OutputStreamName, string][] = [];
    const result = await startProcess(script(`
      process.stdout.write(process.cwd() + '\\nA1\\r\\nA');
      setTimeout(() => { process.stdout.write('2\\nA3'); process.stderr.write('E1\\nE2\\n'); process.exitCode = 3; }, 50);`,
    { cwd: tempDir(), onLine: (stream, line) => lines.push([stream, line]) })).done;
    assert.equal(result.exitCode, 3);
    assert.equal(result.signal, null);
    assert.equal(result.stopReason, undefined);
    assert.deepEqual(lines.filter(([stream]) => stream === 'stdout').map(([, line]) => line), [realpathSync(tempDir()), 'A1', 'A2', 'A3']);
    assert.deepEqual(lines.filter(([stream]) => stream === 'stderr').map(([, line]) => line), ['E1', 'E2']);
    assert.deepEqual(result.stderrTail, ['E1', 'E2']);
  });

  it('writes the prompt to stdin and closes it', async () => {
    const prompt = 'Add a login form\nwith ünïcödé\n'.repeat(20_000); // larger than a pipe buffer
    const result = await startProcess(script(`
      let text = ''; process.stdin.setEncoding('utf8');
      process.stdin.on('data', d => { text += d; });
      process.stdin.on('end', () => { console.log(text.length + ' ' + text.split('\\n')[1]); });`,
    { cwd: tempDir(), stdin: prompt })).done;
    assert.equal(result.exitCode, 0);
    assert.deepEqual(result.stdoutTail, [`${prompt.length} with ünïcödé`]);
  });

  it('closes stdin at once without a prompt, and gives the child no terminal, so nothing waits for input', async () => {
    const result = await startProcess(script(`
      const fs = require('node:fs');
      let tty; try { fs.openSync('/dev/tty', 'r'); tty = 'yes'; } catch (e) { tty = e.code; }
      process.stdin.resume();
      process.stdin.on('end', () => { console.log('stdin ended; tty ' + tty + '; isTTY ' + Boolean(process.stdin.isTTY)); });`,
    { cwd: tempDir(), timeoutMs: 10_000 })).done;
    assert.equal(result.stopReason, undefined, 'it did not wait for input');
    assert.match(result.stdoutTail.join(), /^stdin ended; tty (ENXIO|ENOENT|ENODEV); isTTY false$/);
  });

  it('gives the child the allowlisted environment and what the caller adds, never the parent\'s secrets', async () => {
    const parentEnv = {
      PATH: process.env['PATH'], HOME: '/home/someone', LANG: 'C.UTF-8', TERM: 'xterm-256color',
      GITHUB_TOKEN: 'ghp_canary1', ATO_GITHUB_TOKEN: 'canary2', GITLAB_TOKEN: 'canary3', ATO_GITLAB_TOKEN: 'canary4', JULES_API_KEY: 'canary5',
      ATO_JULES_API_KEY: 'canary6', ANTHROPIC_API_KEY: 'canary7', ATO_ANTHROPIC_API_KEY: 'canary8', AWS_SECRET_ACCESS_KEY: 'canary9',
      NPM_TOKEN: 'canary10', SSH_AUTH_SOCK: '/tmp/agent.sock', NODE_OPTIONS: '--require /tmp/evil.js',
    };
    const result = await startProcess(script('console.log(JSON.stringify(process.env))', {
      cwd: tempDir(), parentEnv, env: { ANTHROPIC_API_KEY: 'the-one-it-needs', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' }, inheritEnv: ['SSH_AUTH_SOCK'],
    })).done;
    const env = JSON.parse(result.stdoutTail.join('')) as Record<string, string>;
    assert.doesNotMatch(JSON.stringify(env), /canary|evil/);
    assert.deepEqual(env, {
      PATH: process.env['PATH'], HOME: '/home/someone', LANG: 'C.UTF-8', SSH_AUTH_SOCK: '/tmp/agent.sock', ...nonInteractiveVariables,
      ANTHROPIC_API_KEY: 'the-one-it-needs', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
    });
    assert.equal(env['TERM'], 'dumb');
    assert.equal(env['CI'], 'true');
  });

  it('does not pass on a secret of its own process environment', async () => {
    const saved = process.env['GITHUB_TOKEN'];
    process.env['GITHUB_TOKEN'] = 'ghp_parentCanaryToken000000000000';
    try {
      const result = await startProcess(script('console.log(String(process.env.GITHUB_TOKEN) + " " + String(process.env.PATH === undefined))', { cwd: tempDir() })).done;
      assert.deepEqual(result.stdoutTail, ['undefined false']);
    } finally {
      if (saved === undefined) delete process.env['GITHUB_TOKEN'];
      else process.env['GITHUB_TOKEN'] = saved;
    }
  });

  it('times out: SIGTERM, then SIGKILL for what ignores it, grandchildren included', async () => {
    let grandchild: number | undefined;
    const started = Date.now();
    const running = startProcess(script(parentOfGrandchild(true), {
      cwd: tempDir(), timeoutMs: 700, killGraceMs: 500,
      onLine: (_stream, line) => {
        const match = /^grandchild (\d+)$/.exec(line);
        if (match) grandchild = Number(match[1]);
      },
    }));
    const result = await running.done;
    const elapsed = Date.now() - started;
    assert.equal(result.stopReason, 'timeout');
    assert.equal(result.stopMessage, 'no result after 700 ms');
    assert.equal(result.signal, 'SIGKILL');
    assert.ok(elapsed >= 1100 && elapsed < 5000, `took ${elapsed} ms`);
    assert.ok(grandchild !== undefined);
    assert.equal(await isRunning(grandchild), false, 'the grandchild was killed');
    assert.deepEqual(await liveGroupMembers(running.pid!), [], 'the process group is gone');
  });

  it('cancels: the whole group goes, and a second cancel changes nothing', async () => {
    let grandchild: number | undefined;
    let resolveStarted: () => void = () => undefined;
    const started = new Promise<void>(resolve => { resolveStarted = resolve; });
    const running = startProcess(script(parentOfGrandchild(false), {
      cwd: tempDir(), killGraceMs: 300,
      onLine: (_stream, line) => {
        const match = /^grandchild (\d+)$/.exec(line);
        if (match) {
          grandchild = Number(match[1]);
          resolveStarted();
        }
      },
    }));
    await started;
    assert.deepEqual((await liveGroupMembers(running.pid!)).sort(), [running.pid!, grandchild!].sort());
    const [first, second] = await Promise.all([running.stop('cancelled', 'by the user'), running.stop('timeout', 'ignored')]);
    assert.equal(first, second);
    assert.equal(first.stopReason, 'cancelled');
    assert.equal(first.stopMessage, 'by the user');
    assert.equal(first.signal, 'SIGTERM', 'the child itself obeyed SIGTERM');
    assert.ok(first.durationMs >= 300, 'the grandchild outlived SIGTERM until the grace period ended');
    assert.equal(await isRunning(grandchild!), false, 'the grandchild, which ignores SIGTERM, was killed after the grace period');
    assert.deepEqual(await liveGroupMembers(running.pid!), []);
    assert.equal(await running.stop('cancelled'), first, 'cancel after the end is a no-op');
  });

  it('kills what a process left running in its group when it exits on its own', async () => {
    let grandchild: number | undefined;
    const result = await startProcess(script(`
      const { spawn } = require('node:child_process');
      const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      console.log('grandchild ' + g.pid); g.unref();`,
    { cwd: tempDir(), onLine: (_stream, line) => { grandchild = Number(/(\d+)$/.exec(line)?.[1]); } })).done;
    assert.equal(result.exitCode, 0);
    assert.equal(result.stopReason, undefined);
    assert.equal(await isRunning(grandchild!), false);
  });

  it('reports a process killed by a signal ATO did not send', async () => {
    const result = await startProcess(script("process.kill(process.pid, 'SIGKILL')", { cwd: tempDir() })).done;
    assert.equal(result.exitCode, null);
    assert.equal(result.signal, 'SIGKILL');
    assert.equal(result.stopReason, undefined);
  });

  it('reports a command that cannot start, and stopping it is harmless', async () => {
    const running = startProcess({ command: 'ato-no-such-agent-cli', args: [], cwd: tempDir(), timeoutMs: 5000 });
    const result = await running.stop('cancelled');
    assert.match(result.spawnError ?? '', /ENOENT/);
    assert.equal(result.exitCode, null);
    assert.equal(result.stopReason, undefined);
    assert.equal(running.pid, undefined);
  });

  it('survives a throwing listener and keeps only the tail', async () => {
    const result = await startProcess(script('for (let i = 0; i < 1000; i++) console.log("line " + i)', {
      cwd: tempDir(), tailLines: 5, onLine: () => { throw new Error('listener bug'); },
    })).done;
    assert.equal(result.exitCode, 0);
    assert.deepEqual(result.stdoutTail, ['line 995', 'line 996', 'line 997', 'line 998', 'line 999']);
  });
});

describe('childEnvironment', () => {
  it('copies only the allowlist, adds the non-interactive variables, and lets the caller win', () => {
    assert.deepEqual(childEnvironment({ parent: { PATH: '/bin', SECRET: 'x', TERM: 'xterm', CI: 'false' }, extra: { CI: '1', KEY: 'k' } }), {
      PATH: '/bin', ...nonInteractiveVariables, CI: '1', KEY: 'k',
    });
  });
});
