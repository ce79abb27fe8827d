import { spawn } from 'node:child_process';
import { childEnvironment } from './childEnvironment';
import { LineSplitter } from './lineSplitter';
import { isGroupAlive, signalProcessGroup } from './processGroup';

export type OutputStreamName = 'stdout' | 'stderr';

/** Why ATO ended a process before it exited on its own. */
export type StopReason = 'timeout' | 'cancelled' | 'aborted';

export interface ProcessSpec {
  readonly command: string;
  readonly args: readonly string[];
  /** Absolute working directory (the run's worktree). */
  readonly cwd: string;
  /**
   * Variables the caller adds to the minimal environment (see childEnvironment.ts): the one key the agent
   * needs, its base URL, its own settings. ATO's other variables never reach the child.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** Further variable names to copy from the parent environment when set. */
  readonly inheritEnv?: readonly string[];
  /** The parent environment to copy the allowlist from; `process.env` by default. */
  readonly parentEnv?: Readonly<Record<string, string | undefined>>;
  /** Written to the child's stdin, which is then closed. Without it stdin is closed at once. */
  readonly stdin?: string;
  /** Stops the process (reason `timeout`) after this long. */
  readonly timeoutMs?: number;
  /** Between SIGTERM and SIGKILL when stopping. Default 3 s. */
  readonly killGraceMs?: number;
  /** Lines of each stream kept for the result. Default 200. */
  readonly tailLines?: number;
  /** Every line of stdout and stderr as it arrives (without the newline). Errors it throws are ignored. */
  readonly onLine?: (stream: OutputStreamName, line: string) => void;
}

export interface ProcessResult {
  readonly pid: number | undefined;
  /** null when the process was ended by a signal or never started. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when ATO stopped the process; the first reason given wins. */
  readonly stopReason: StopReason | undefined;
  readonly stopMessage: string | undefined;
  /** The process could not be started (e.g. `spawn claude ENOENT`). */
  readonly spawnError: string | undefined;
  readonly stdoutTail: readonly string[];
  readonly stderrTail: readonly string[];
  readonly durationMs: number;
}

export interface RunningProcess {
  readonly pid: number | undefined;
  /** Resolves once the process has exited, its process group is gone and its output is read. Never rejects. */
  readonly done: Promise<ProcessResult>;
  /**
   * Ends the whole process group: SIGTERM, then SIGKILL after the grace period. Idempotent; the first
   * reason wins. Resolves like `done`.
   */
  stop(reason: StopReason, message?: string): Promise<ProcessResult>;
}

const defaultGraceMs = 3000;
const pollMs = 25;

/**
 * Starts a command in its own process group (detached: a new session, so it has no controlling terminal
 * either), in `cwd`, with a minimal environment, stdin written and closed, and stdout/stderr delivered
 * line by line. When the process exits, anything it left running in its group is killed too.
 */
export function startProcess(spec: ProcessSpec): RunningProcess {
  const started = Date.now();
  const graceMs = spec.killGraceMs ?? defaultGraceMs;
  const tailLines = spec.tailLines ?? 200;
  const tails: Record<OutputStreamName, string[]> = { stdout: [], stderr: [] };
  let stopReason: StopReason | undefined;
  let stopMessage: string | undefined;
  let spawnError: string | undefined;
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let killTimer: NodeJS.Timeout | undefined;

  const deliver = (stream: OutputStreamName, line: string): void => {
    const tail = tails[stream];
    tail.push(line);
    if (tail.length > tailLines) tail.shift();
    try {
      spec.onLine?.(stream, line);
    } catch {
      // A listener's failure must not take the run down.
    }
  };

  const child = spawn(spec.command, [...spec.args], {
    cwd: spec.cwd,
    env: childEnvironment({ parent: spec.parentEnv ?? process.env, ...(spec.env ? { extra: spec.env } : {}), ...(spec.inheritEnv ? { inherit: spec.inheritEnv } : {}) }),
    detached: process.platform !== 'win32',
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
  const pid = child.pid;

  const signalGroup = (signal: NodeJS.Signals): void => {
    if (pid === undefined) return;
    if (process.platform === 'win32') child.kill(signal);
    else signalProcessGroup(pid, signal);
  };

  const streamsClosed = Promise.all((['stdout', 'stderr'] as const).map(name => new Promise<void>(resolve => {
    const splitter = new LineSplitter(line => {
      deliver(name, line);
    });
    const stream = child[name];
    stream.on('data', (chunk: Buffer) => {
      splitter.push(chunk);
    });
    stream.on('error', () => undefined);
    stream.on('close', () => {
      splitter.end();
      resolve();
    });
  })));

  child.stdin.on('error', () => undefined); // EPIPE when the child exits without reading its input
  child.stdin.end(spec.stdin ?? '');

  const exited = new Promise<void>(resolve => {
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    });
    child.on('error', error => {
      if (pid === undefined) {
        spawnError = error.message;
        resolve();
      }
    });
  });

  const timeoutTimer = spec.timeoutMs === undefined ? undefined : setTimeout(() => {
    void stop('timeout', `no result after ${formatDuration(spec.timeoutMs ?? 0)}`);
  }, spec.timeoutMs);

  const done = (async (): Promise<ProcessResult> => {
    await exited;
    if (timeoutTimer) clearTimeout(timeoutTimer);
    await reapGroup(pid, stopReason === undefined ? 0 : graceMs, signalGroup);
    if (killTimer) clearTimeout(killTimer);
    // A descendant that escaped the group could hold the pipes open: stop reading after a while.
    const closedInTime = await Promise.race([streamsClosed.then(() => true), delay(2000).then(() => false)]);
    if (!closedInTime) {
      child.stdout.destroy();
      child.stderr.destroy();
    }
    return {
      pid,
      exitCode: exit?.code ?? null,
      signal: exit?.signal ?? null,
      stopReason,
      stopMessage,
      spawnError,
      stdoutTail: [...tails.stdout],
      stderrTail: [...tails.stderr],
      durationMs: Date.now() - started,
    };
  })();

  function stop(reason: StopReason, message?: string): Promise<ProcessResult> {
    if (pid !== undefined && stopReason === undefined && exit === undefined && spawnError === undefined) {
      stopReason = reason;
      stopMessage = message;
      signalGroup('SIGTERM');
      killTimer = setTimeout(() => {
        signalGroup('SIGKILL');
      }, graceMs);
    }
    return done;
  }

  return { pid, done, stop };
}

/**
 * After the group leader exited: waits up to `graceMs` for the rest of its group to go (it was sent
 * SIGTERM when stopping), then kills what is left and waits a little for it to disappear.
 */
async function reapGroup(pid: number | undefined, graceMs: number, signalGroup: (signal: NodeJS.Signals) => void): Promise<void> {
  if (pid === undefined || process.platform === 'win32') return;
  const deadline = Date.now() + graceMs;
  while ((await isGroupAlive(pid)) && Date.now() < deadline) await delay(pollMs);
  if (!(await isGroupAlive(pid))) return;
  signalGroup('SIGKILL');
  const killDeadline = Date.now() + 1000;
  while ((await isGroupAlive(pid)) && Date.now() < killDeadline) await delay(pollMs);
}

function delay(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.round(ms / 6000) / 10} min`;
}
