import { access, constants } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import type { AgentBackend, AgentHealth, AgentLimits, AgentRunHandle, AgentRunStatus, DispatchRequest } from '../agentBackend';
import { classifyFailure, processEvidence } from '../local/classifyFailure';
import type { CustomAgentSettings } from './customAgentSettings';
import { LocalProcessAgent } from '../local/localProcessAgent';
import { LocalRuns } from '../local/localRuns';
import { announceCommand } from '../local/announceCommand';
import { runIdVariable } from '../local/processGroup';
import { startProcess, type ProcessResult } from '../local/processRunner';
import type { TaskType } from '../../tasks/taskTypes';

/** Lines of stdout that make a successful run's summary. */
export const summaryLines = 40;

export interface CustomCliBackendOptions {
  /** Between SIGTERM and SIGKILL. Default 3 s. */
  readonly killGraceMs?: number;
  /** The environment the allowlist is copied from; `process.env` by default. */
  readonly parentEnv?: Readonly<Record<string, string | undefined>>;
}

/**
 * A user-defined CLI agent (PRODUCT §5, `custom`), declared in `ato.agents.custom`: its command runs in the
 * task's worktree with the prompt on stdin, a minimal environment plus the entry's `env` and
 * `inheritEnv`, and no terminal. Exit code 0 is success, with the last lines of stdout as the summary;
 * anything else is classified from the exit and the output.
 */
export class CustomCliBackend extends LocalProcessAgent implements AgentBackend {
  readonly id: string;
  readonly kind = 'custom' as const;
  readonly taskTypes: ReadonlySet<TaskType>;
  readonly limits: AgentLimits;
  readonly needsWorktree = true;
  protected readonly runs: LocalRuns;

  constructor(
    private readonly settings: CustomAgentSettings,
    private readonly options: CustomCliBackendOptions = {},
  ) {
    super();
    this.id = settings.id;
    this.taskTypes = new Set(settings.taskTypes);
    this.limits = { concurrent: settings.concurrent };
    this.runs = new LocalRuns(this.id, options.killGraceMs);
  }

  dispatch(request: DispatchRequest): Promise<AgentRunHandle> {
    if (this.runs.isRunning(request.runId)) return Promise.reject(new Error(`Run ${request.runId} is already running on ${this.id}`));
    if (this.runs.active >= this.limits.concurrent) {
      return Promise.reject(new Error(`${this.id} already runs ${this.runs.active} task(s), its limit (${this.limits.concurrent})`));
    }
    const emit = request.onOutput;
    announceCommand(request, [this.settings.command, ...this.settings.args]);
    const running = startProcess({
      command: this.settings.command,
      args: this.settings.args,
      cwd: request.workdir,
      env: { ...this.settings.env, [runIdVariable]: request.runId },
      inheritEnv: this.settings.inheritEnv,
      ...(this.options.parentEnv ? { parentEnv: this.options.parentEnv } : {}),
      stdin: request.prompt,
      timeoutMs: Math.min(request.timeoutMs, this.settings.timeoutMinutes * 60_000),
      ...(this.options.killGraceMs !== undefined ? { killGraceMs: this.options.killGraceMs } : {}),
      tailLines: 200,
      onLine: (stream, text) => {
        try {
          emit({ stream, text });
        } catch {
          // onOutput must not throw; if it does, the run goes on.
        }
      },
    });
    return Promise.resolve(this.runs.add(request.runId, running, finishCustomRun, () => undefined));
  }





  /** Whether the command can be started: it must exist and be executable (it is not run). */
  async health(): Promise<AgentHealth> {
    const command = this.settings.command;
    const parentPath = (this.options.parentEnv ?? process.env)['PATH'] ?? '';
    const candidates = isAbsolute(command) || command.includes('/') ? [command] : parentPath.split(delimiter).filter(dir => dir !== '').map(dir => join(dir, command));
    for (const candidate of candidates) {
      try {
        await access(candidate, constants.X_OK);
        return { ok: true, detail: `\`${command}\` found at ${candidate}` };
      } catch {
        // try the next directory
      }
    }
    return { ok: false, detail: isAbsolute(command) ? `\`${command}\` does not exist or is not executable` : `\`${command}\` not found on PATH` };
  }
}

/** A custom run's final status from its process result. */
export function finishCustomRun(result: ProcessResult): AgentRunStatus {
  const exitCode = result.exitCode ?? undefined;
  const withExit = exitCode === undefined ? {} : { exitCode };
  if (result.exitCode === 0 && result.stopReason === undefined && result.spawnError === undefined) {
    return { state: 'succeeded', summary: lastLines(result.stdoutTail, summaryLines), usage: {}, ...withExit };
  }
  const { failure, message } = classifyFailure({
    ...processEvidence(result),
    outputTail: [...result.stdoutTail.slice(-20), ...result.stderrTail.slice(-20)],
  });
  const extra = result.stopReason === 'timeout' && result.stopMessage !== undefined ? `: ${result.stopMessage}` : '';
  return { state: 'failed', failure, message: `${message}${extra}`, usage: {}, ...withExit };
}

/** The last `count` lines, without the blank lines around them. */
export function lastLines(lines: readonly string[], count: number): string {
  return lines.slice(-count).join('\n').trim();
}
