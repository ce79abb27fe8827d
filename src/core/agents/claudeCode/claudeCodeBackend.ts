import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentBackend, AgentHealth, AgentLimits, AgentRunHandle, DispatchRequest } from '../agentBackend';
import { claudeArgs, type ClaudeArgsOptions, type ClaudeRunContext } from './claudeCodeArgs';
import { ClaudeRunMonitor } from './claudeRunMonitor';
import { parseClaudeStreamLine } from './claudeStreamParser';
import { LocalProcessAgent } from '../local/localProcessAgent';
import { LocalRuns } from '../local/localRuns';
import { runIdVariable } from '../local/processGroup';
import { startProcess } from '../local/processRunner';
import { announceCommand } from '../local/announceCommand';
import { repositoryNotes } from './repositoryNotes';
import { readOnlyTaskTypes, taskTypes, type TaskType } from '../../tasks/taskTypes';

/** Set for every run unless `env` overrides them: no telemetry, no self-update in the middle of a task. */
export const defaultClaudeEnv: Readonly<Record<string, string>> = {
  DISABLE_TELEMETRY: '1',
  DISABLE_AUTOUPDATER: '1',
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
};

/**
 * `maxTurns` (`--max-turns`, default 40), `maxBudgetUsd`, `model`, the tools, `extraArgs` (appended) and
 * `permissionMode` for tasks that change the repository (default `dontAsk`: the allowed tools run without a
 * prompt and everything else is denied, so the run never waits for a human; read-only task types always
 * run with `dontAsk`).
 */
export interface ClaudeCodeBackendOptions extends ClaudeArgsOptions {
  /** Agent id; `claude-code` by default. */
  readonly id?: string;
  /** The `claude` executable: a name on PATH or an absolute path. Default `claude`. */
  readonly executable?: string;
  /**
   * The worktree's `.mcp.json` servers for tasks that may change the repository. Off by default: the user
   * turns it on per workspace (never the repository itself, which is what it would let run).
   */
  readonly projectMcpServers?: boolean;
  /**
   * Added to the process's minimal environment: `ANTHROPIC_API_KEY` (the one secret it gets),
   * `ANTHROPIC_BASE_URL`, `HOME`… ATO's other variables never reach it.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** Further variable names copied from ATO's environment (e.g. `HTTPS_PROXY`). */
  readonly inheritEnv?: readonly string[];
  /** Sets `CLAUDE_CODE_MAX_RETRIES` (the CLI's own retries of failed API requests; its default is 10). */
  readonly maxApiRetries?: number;
  /** Stop at the first 401/403 retry instead of waiting minutes for the CLI to give up. Default true. */
  readonly stopOnAuthRetry?: boolean;
  /**
   * Stop the run after this many retries in a row of a 429/529, so ATO's own backoff takes over; by default
   * the CLI decides (it gives up on 529 after 2 retries, and retries a 429 ten times, about three minutes).
   */
  readonly stopAfterRateLimitRetries?: number;
  /** Runs at once. Default 2. */
  readonly concurrent?: number;
  /** Task types this agent takes. Default: all. */
  readonly taskTypes?: readonly TaskType[];
  /** Between SIGTERM and SIGKILL. Default 3 s. */
  readonly killGraceMs?: number;
  /** The environment the allowlist is copied from; `process.env` by default. */
  readonly parentEnv?: Readonly<Record<string, string | undefined>>;
}

/**
 * The Claude Code CLI run locally (PRODUCT §5, `claude-code`): `claude -p` in the run's worktree (the
 * process cwd: the CLI has no `--cwd`), the composed prompt on stdin, stream-json output parsed line by
 * line, tools chosen by task type. Every stdout/stderr line goes to `onOutput`, with `event` lines for
 * tool calls, API retries and the result.
 */
export class ClaudeCodeBackend extends LocalProcessAgent implements AgentBackend {
  readonly id: string;
  readonly kind = 'claude-code' as const;
  readonly taskTypes: ReadonlySet<TaskType>;
  readonly limits: AgentLimits;
  readonly needsWorktree = true;
  protected readonly runs: LocalRuns;

  constructor(private readonly options: ClaudeCodeBackendOptions = {}) {
    super();
    this.id = options.id ?? 'claude-code';
    this.taskTypes = new Set(options.taskTypes ?? taskTypes);
    this.limits = { concurrent: options.concurrent ?? 2 };
    this.runs = new LocalRuns(this.id, options.killGraceMs);
  }

  get executable(): string {
    return this.options.executable ?? 'claude';
  }

  /** The command-line arguments for a task of `type` (the prompt goes to stdin); see {@link claudeArgs}. */
  argsFor(type: TaskType, run: ClaudeRunContext = {}): string[] {
    return claudeArgs(this.options, type, run);
  }

  /** The worktree's `.mcp.json`, when the user allowed project MCP servers and the task may use them. */
  private async projectMcpConfig(type: TaskType, workdir: string): Promise<string | undefined> {
    if (this.options.projectMcpServers !== true || readOnlyTaskTypes.has(type)) return undefined;
    const file = join(workdir, '.mcp.json');
    return access(file).then(() => file, () => undefined);
  }

  private environment(): Record<string, string> {
    return {
      ...defaultClaudeEnv,
      ...(this.options.maxApiRetries !== undefined ? { CLAUDE_CODE_MAX_RETRIES: String(this.options.maxApiRetries) } : {}),
      ...this.options.env,
    };
  }

  async dispatch(request: DispatchRequest): Promise<AgentRunHandle> {
    // Looked up first: the checks below and `runs.add` must run without an await in between.
    const [projectMcpConfig, notes] = await Promise.all([this.projectMcpConfig(request.task.type, request.workdir), repositoryNotes(request.workdir)]);
    const args = this.argsFor(request.task.type, { ...(projectMcpConfig === undefined ? {} : { projectMcpConfig }), ...(notes === undefined ? {} : { repositoryNotes: notes }), ...(request.budgetUsd === undefined ? {} : { budgetUsd: request.budgetUsd }) });
    if (this.runs.isRunning(request.runId)) throw new Error(`Run ${request.runId} is already running on ${this.id}`);
    if (this.runs.active >= this.limits.concurrent) throw new Error(`${this.id} already runs ${this.runs.active} task(s), its limit (${this.limits.concurrent})`);
    const monitor = new ClaudeRunMonitor({ stopOnAuthRetry: this.options.stopOnAuthRetry ?? true, stopAfterRateLimitRetries: this.options.stopAfterRateLimitRetries });
    const emit = request.onOutput;
    announceCommand(request, [this.executable, ...args]);
    const running = startProcess({
      command: this.executable,
      args,
      cwd: request.workdir,
      env: { ...this.environment(), [runIdVariable]: request.runId },
      ...(this.options.inheritEnv ? { inheritEnv: this.options.inheritEnv } : {}),
      ...(this.options.parentEnv ? { parentEnv: this.options.parentEnv } : {}),
      stdin: request.prompt,
      timeoutMs: request.timeoutMs,
      ...(this.options.killGraceMs !== undefined ? { killGraceMs: this.options.killGraceMs } : {}),
      onLine: (stream, line) => {
        safely(() => {
          emit({ stream, text: line });
        });
        if (stream !== 'stdout') return;
        const event = parseClaudeStreamLine(line);
        if (!event) return;
        const { abort, output } = monitor.observe(event);
        if (output) {
          safely(() => {
            emit(output);
          });
        }
        if (abort) void running.stop('aborted', abort.message);
      },
    });
    return this.runs.add(request.runId, running, result => monitor.finish(result), () => monitor.usage());
  }

  /** `claude --version`, and whether the CLI has a way to authenticate. */
  async health(): Promise<AgentHealth> {
    const result = await startProcess({
      command: this.executable,
      args: ['--version'],
      cwd: process.cwd(),
      env: this.environment(),
      ...(this.options.parentEnv ? { parentEnv: this.options.parentEnv } : {}),
      timeoutMs: 20_000,
      killGraceMs: 500,
    }).done;
    if (result.spawnError !== undefined) return { ok: false, detail: `\`${this.executable}\` could not be started (${result.spawnError}); install Claude Code or set its path` };
    const version = parseClaudeVersion(result.stdoutTail.join('\n'));
    if (result.exitCode !== 0 || version === undefined) {
      const why = result.stopReason === 'timeout' ? 'timed out' : `exit code ${result.exitCode ?? result.signal ?? '?'}`;
      return { ok: false, detail: `\`${this.executable} --version\` failed (${why}): ${[...result.stderrTail, ...result.stdoutTail].slice(-3).join(' | ')}` };
    }
    const auth = await this.authentication();
    return { ok: auth.ok, detail: `claude ${version}, ${auth.detail}` };
  }

  private async authentication(): Promise<{ ok: boolean; detail: string }> {
    const env = this.options.env ?? {};
    if (nonEmpty(env['ANTHROPIC_API_KEY'])) return { ok: true, detail: 'API key configured' };
    if (nonEmpty(env['ANTHROPIC_AUTH_TOKEN']) || nonEmpty(env['CLAUDE_CODE_OAUTH_TOKEN'])) return { ok: true, detail: 'auth token configured' };
    const home = env['HOME'] ?? (this.options.parentEnv ?? process.env)['HOME'];
    if (home !== undefined) {
      try {
        await access(join(home, '.claude', '.credentials.json'));
        return { ok: true, detail: 'signed in (`claude /login`)' };
      } catch {
        // not signed in through the CLI on this machine
      }
    }
    if (process.platform === 'darwin') return { ok: true, detail: 'no API key configured (a `claude /login` in the macOS keychain is not checked)' };
    return { ok: false, detail: 'no API key configured: set the Anthropic API key or run `claude /login`' };
  }
}

/** `2.1.330 (Claude Code)` → `2.1.330`. */
export function parseClaudeVersion(output: string): string | undefined {
  return /\b(\d+\.\d+\.\d+(?:[-+][\w.]+)?)\b/.exec(output)?.[1];
}

function nonEmpty(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}

function safely(action: () => void): void {
  try {
    action();
  } catch {
    // onOutput must not throw; if it does, the run goes on.
  }
}
