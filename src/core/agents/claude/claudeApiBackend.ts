import type * as AnthropicSdk from '@anthropic-ai/sdk';
import type { TaskType } from '../../tasks/taskTypes';
import type { AgentBackend, AgentHealth, AgentLimits, AgentOutput, AgentRunHandle, AgentRunStatus, AgentUsage, DispatchRequest } from '../agentBackend';
import { LineSplitter } from '../local/lineSplitter';
import { claudeUsage, readClaudeAnswer, stopReasonProblem } from './claudeAnswer';
import { classifyClaudeError, type ClaudeStopReason } from './claudeFailure';
import { priceOf, type ClaudeTokenUsage } from './claudePrices';
import { renderClaudeReport } from './claudeReport';
import { claudeRequestBody } from './claudeRequest';
import { summarizeReport } from './reportSummary';
import { readTargetFiles, type TargetFileLimits } from './targetFileContents';

export type ClaudeSdk = typeof AnthropicSdk;

/**
 * The task types the Messages API takes: work that reads and reports. A type that changes the repository is
 * not listed, so the registry never selects `claude` for it (an explicit `agent: claude` is refused).
 */
export const claudeApiTaskTypes: readonly TaskType[] = ['review', 'code_review', 'analyze', 'summarize', 'gap_analysis'];

export interface ClaudeApiBackendOptions {
  /** Default `claude`. */
  readonly id?: string;
  /** The Anthropic key (SecretStorage, or the environment headless); without one the agent is unhealthy. */
  readonly apiKey: string | undefined;
  /** `ato.anthropic.apiUrl` (machine-scoped): the one host the key is sent to. */
  readonly apiUrl: string;
  readonly model: string;
  readonly maxTokens: number;
  /** Requests at once. Default 2. */
  readonly concurrent?: number;
  readonly fileLimits?: TargetFileLimits;
  /** Loads the SDK; by default `import('@anthropic-ai/sdk')`, which the build turns into dist/vendor/anthropic.js. */
  readonly loadSdk?: () => Promise<ClaudeSdk>;
}

interface ApiRun {
  readonly controller: AbortController;
  /** Who `wait`s with `onStatus`: told the spend so far as the answer streams (the fleet's spend cap stops the run). */
  readonly listeners: Set<(status: AgentRunStatus) => void>;
  /** The usage so far, from `message_start` and each `message_delta`. */
  spent: AgentUsage | undefined;
  stopped: ClaudeStopReason | undefined;
  settled: AgentRunStatus | undefined;
  final: Promise<AgentRunStatus>;
}

/** Finished runs remembered for `poll`/`wait`; older ones read as `lost`. */
const maxFinishedRuns = 200;

/**
 * `claude` (PRODUCT §5): one Messages API request per run, for read-only work. The task's prompt and its
 * target files (read from the workspace, bounded, fenced as the repository's text) go to the model; its
 * answer is the run's report, summarised in `## Result`; tokens and cost come from `usage`.
 *
 * - Streaming: the answer is streamed, so the run log shows it line by line as it comes (a long review is
 *   visibly alive, and a stall shows as silence), and `max_tokens` is never limited by the SDK's
 *   "streaming is required" rule for long non-streamed answers.
 * - Retries: the SDK's are off (`maxRetries: 0`). ATO's retry policy owns retrying: it releases the
 *   concurrency slot while it waits, never undercuts a 429's `retry-after`, records each try, and a retried
 *   POST after a connection cut (which the SDK would repeat) could be billed twice.
 * - The key goes only to `apiUrl`: passed explicitly (so the SDK reads no key or base URL from the
 *   environment), redirects refused, the SDK's own logging off.
 */
export class ClaudeApiBackend implements AgentBackend {
  readonly id: string;
  readonly kind = 'claude' as const;
  readonly taskTypes: ReadonlySet<TaskType> = new Set(claudeApiTaskTypes);
  readonly limits: AgentLimits;
  readonly needsWorktree = false;
  private readonly runs = new Map<string, ApiRun>();
  private readonly loadSdk: () => Promise<ClaudeSdk>;

  constructor(private readonly options: ClaudeApiBackendOptions) {
    this.id = options.id ?? 'claude';
    this.limits = { concurrent: options.concurrent ?? 2 };
    this.loadSdk = options.loadSdk ?? (() => import('@anthropic-ai/sdk'));
  }

  /** No request: a key and valid settings are all that can be known for free; the first run tries the key. */
  health(): Promise<AgentHealth> {
    if (this.options.apiKey === undefined || this.options.apiKey === '') {
      return Promise.resolve({ ok: false, detail: 'no Anthropic API key: set one with "ATO: Set Anthropic API Key" (headless: ATO_ANTHROPIC_API_KEY)' });
    }
    const priced = priceOf(this.options.model) === undefined ? ', no price known for it (tokens only)' : '';
    return Promise.resolve({ ok: true, detail: `Messages API at ${hostOf(this.options.apiUrl)}, model ${this.options.model}${priced}, up to ${String(this.options.maxTokens)} output tokens; key set (tried by the first run)` });
  }

  dispatch(request: DispatchRequest): Promise<AgentRunHandle> {
    const apiKey = this.options.apiKey;
    if (apiKey === undefined || apiKey === '') return Promise.reject(new Error('no Anthropic API key: set one with "ATO: Set Anthropic API Key"'));
    if (!this.taskTypes.has(request.task.type)) return Promise.reject(new Error(`${this.id} does not take ${request.task.type} tasks (it cannot change the repository)`));
    const existing = this.runs.get(request.runId);
    if (existing !== undefined && existing.settled === undefined) return Promise.reject(new Error(`Run ${request.runId} is already running on ${this.id}`));
    if (this.active >= this.limits.concurrent) return Promise.reject(new Error(`${this.id} already runs ${String(this.active)} task(s), its limit (${String(this.limits.concurrent)})`));
    const run: ApiRun = { controller: new AbortController(), listeners: new Set(), spent: undefined, stopped: undefined, settled: undefined, final: Promise.resolve({ state: 'lost' }) };
    run.final = this.execute(request, apiKey, run).then(status => {
      run.settled = status;
      run.listeners.clear();
      this.prune();
      return status;
    });
    this.runs.delete(request.runId);
    this.runs.set(request.runId, run);
    return Promise.resolve({ runId: request.runId, agentId: this.id, ref: request.runId });
  }

  poll(handle: AgentRunHandle): Promise<AgentRunStatus> {
    const run = this.runs.get(handle.runId);
    return Promise.resolve(run === undefined ? { state: 'lost' } : run.settled ?? { state: 'running' });
  }

  /** `onStatus` hears the spend so far as the answer streams in (`running`, with usage and cost). */
  wait(handle: AgentRunHandle, onStatus?: (status: AgentRunStatus) => void): Promise<AgentRunStatus> {
    const run = this.runs.get(handle.runId);
    if (run === undefined) return Promise.resolve({ state: 'lost' });
    if (onStatus !== undefined && run.settled === undefined) {
      run.listeners.add(onStatus);
      if (run.spent !== undefined) onStatus({ state: 'running', usage: run.spent });
    }
    return run.final;
  }

  /** Aborts the request (the connection is closed; the API stops generating). Idempotent. */
  async cancel(handle: AgentRunHandle): Promise<void> {
    const run = this.runs.get(handle.runId);
    if (run === undefined || run.settled !== undefined) return;
    run.stopped ??= 'cancelled';
    run.controller.abort();
    await run.final;
  }

  private get active(): number {
    let count = 0;
    for (const run of this.runs.values()) if (run.settled === undefined) count++;
    return count;
  }

  private async execute(request: DispatchRequest, apiKey: string, run: ApiRun): Promise<AgentRunStatus> {
    const emit = (output: AgentOutput): void => {
      try {
        request.onOutput(output);
      } catch {
        // onOutput must not throw; if it does, the run goes on.
      }
    };
    const timer = setTimeout(() => {
      run.stopped ??= 'timeout';
      run.controller.abort();
    }, request.timeoutMs);
    let sdk: ClaudeSdk | undefined;
    try {
      sdk = await this.loadSdk();
      const files = await readTargetFiles(request.workdir, request.task.targetFiles, this.options.fileLimits);
      const sent = files.filter(file => file.bytesSent > 0);
      const body = claudeRequestBody({ model: this.options.model, maxTokens: this.options.maxTokens, prompt: request.prompt, files });
      emit({ stream: 'event', text: `sending the task and ${String(sent.length)} of ${String(files.length)} target files (${String(sent.reduce((sum, file) => sum + file.bytesSent, 0))} bytes) to ${hostOf(this.options.apiUrl)}, model ${this.options.model}` });
      if (run.stopped !== undefined) return stoppedStatus(run.stopped);
      const client = new sdk.Anthropic({ apiKey, baseURL: this.options.apiUrl, maxRetries: 0, timeout: request.timeoutMs, logLevel: 'off', fetchOptions: { redirect: 'error' } });
      const stream = client.messages.stream(body, { signal: run.controller.signal });
      const lines = new LineSplitter(line => { emit({ stream: 'stdout', text: line }); }, 64 * 1024);
      let model = this.options.model;
      let tokens: ClaudeTokenUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
      stream.on('streamEvent', event => {
        if (event.type === 'message_start') {
          emit({ stream: 'event', text: `the model started answering (${event.message.model}, ${String(event.message.usage.input_tokens)} input tokens)` });
          const usage = event.message.usage;
          model = event.message.model;
          tokens = { inputTokens: usage.input_tokens, outputTokens: usage.output_tokens, cacheReadTokens: usage.cache_read_input_tokens ?? 0, cacheWriteTokens: usage.cache_creation_input_tokens ?? 0 };
          spentSoFar(run, claudeUsage(model, tokens));
        } else if (event.type === 'message_delta') {
          tokens = { ...tokens, outputTokens: event.usage.output_tokens };
          spentSoFar(run, claudeUsage(model, tokens));
        }
      });
      stream.on('text', delta => { lines.push(delta); });
      const message = await stream.finalMessage();
      lines.end();
      return this.finished(request, readClaudeAnswer(message), files.filter(file => file.bytesSent === 0).map(file => file.section));
    } catch (error) {
      if (sdk === undefined) return { state: 'failed', failure: 'fatal', message: `could not load the Anthropic SDK: ${error instanceof Error ? error.message : String(error)}`, usage: {} };
      const failure = classifyClaudeError(error, sdk, run.stopped);
      emit({ stream: 'event', text: `failed (${failure.failure}): ${failure.message}` });
      return { state: 'failed', failure: failure.failure, message: failure.message, usage: {}, ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }) };
    } finally {
      clearTimeout(timer);
    }
  }

  private finished(request: DispatchRequest, answer: ReturnType<typeof readClaudeAnswer>, filesNotSent: readonly string[]): AgentRunStatus {
    if (!answer.ok) return { state: 'failed', failure: 'fatal', message: answer.problem, usage: {} };
    const usage = claudeUsage(answer.model, answer.tokens);
    request.onOutput({ stream: 'event', text: `answer complete: ${String(answer.tokens.inputTokens)} input, ${String(answer.tokens.outputTokens)} output tokens; ${usage.costUsd === undefined ? `cost unknown (${usage.costNote ?? ''})` : `$${usage.costUsd.toFixed(4)}`}` });
    const problem = stopReasonProblem(answer.stopReason, this.options.maxTokens);
    if (problem !== undefined) return { state: 'failed', failure: 'fatal', message: problem, usage };
    const headline = summarizeReport(answer.text);
    if (headline === undefined) return { state: 'failed', failure: 'fatal', message: 'the model answered with no text: no report', usage };
    const costLine = usage.costUsd === undefined ? ` Cost unknown: ${usage.costNote ?? 'no price for the model'}.` : '';
    const report = renderClaudeReport({ taskId: request.task.id, title: request.task.title, runId: request.runId, usage, answer: answer.text, filesNotSent });
    return { state: 'succeeded', summary: `${headline}${costLine}`, usage, report };
  }

  private prune(): void {
    const finished = [...this.runs.entries()].filter(([, run]) => run.settled !== undefined);
    for (const [runId] of finished.slice(0, Math.max(0, finished.length - maxFinishedRuns))) this.runs.delete(runId);
  }
}

/** Tells the run's waiters what it has spent so far. */
function spentSoFar(run: ApiRun, usage: AgentUsage): void {
  run.spent = usage;
  for (const listener of run.listeners) {
    try {
      listener({ state: 'running', usage });
    } catch {
      // a waiter's error is its own; the run goes on
    }
  }
}

function stoppedStatus(stopped: ClaudeStopReason): AgentRunStatus {
  return stopped === 'cancelled'
    ? { state: 'failed', failure: 'cancelled', message: 'cancelled', usage: {} }
    : { state: 'failed', failure: 'timeout', message: 'timed out before the request was sent', usage: {} };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
