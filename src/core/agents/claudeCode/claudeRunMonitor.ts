import type { AgentOutput, AgentRunStatus, AgentUsage, VendorWindowNotice } from '../agentBackend';
import { anthropicFailureClass, isAnthropicOverload } from '../anthropic/anthropicFailureClass';
import { classifyFailure, processEvidence } from '../local/classifyFailure';
import type { ClaudeApiError, ClaudeResult, ClaudeStreamEvent } from './claudeStreamParser';
import type { ProcessResult } from '../local/processRunner';

/** Why the monitor wants the process stopped before it ends on its own. */
export interface AbortRequest {
  readonly message: string;
}

export interface ClaudeRunMonitorOptions {
  /** Stop at the first retry of a 401/403. */
  readonly stopOnAuthRetry: boolean;
  /** Stop after this many retries in a row of a 429/529; undefined leaves it to the CLI. */
  readonly stopAfterRateLimitRetries: number | undefined;
}

/** The longest summary kept from a run's final text. */
const maxSummaryLength = 20_000;

/**
 * Follows one Claude Code run through its stream-json events: session, turns, API errors and the final
 * result, and turns them into the run's status.
 *
 * An authentication failure is not worth waiting for: Claude Code 2.1.330 retries a 401 ten times with
 * exponential backoff (about three minutes) before it gives up, reporting each try as a `system/api_retry`
 * line. The monitor asks to stop the run at the first such line for 401/403, and the run fails as `auth`.
 */
export class ClaudeRunMonitor {
  private sessionId: string | undefined;
  private assistantMessages = 0;
  private lastText: string | undefined;
  private lastApiError: ClaudeApiError | undefined;
  private result: ClaudeResult | undefined;
  private rateLimitRetries = 0;
  /** When the vendor said to come back: the latest rate-limit retry's delay, or a rejected rate_limit_event's reset. */
  private vendorWindow: VendorWindowNotice | undefined;

  constructor(private readonly options: ClaudeRunMonitorOptions, private readonly now: () => Date = () => new Date()) {}

  /**
   * Takes one parsed event; returns an abort request when the run should be stopped now, and the human
   * line (if any) to show in the run log.
   */
  observe(event: ClaudeStreamEvent): { readonly abort?: AbortRequest; readonly output?: AgentOutput } {
    if ('sessionId' in event && event.sessionId !== undefined) this.sessionId ??= event.sessionId;
    switch (event.kind) {
      case 'init':
        return { output: { stream: 'event', text: `claude ${event.version ?? '?'} started: session ${event.sessionId ?? '?'}, model ${event.model ?? '?'}, permission mode ${event.permissionMode ?? '?'}` } };
      case 'assistant': {
        this.assistantMessages++;
        this.rateLimitRetries = 0;
        if (event.apiError) this.lastApiError = event.apiError;
        const text = event.texts.join('\n').trim();
        if (text !== '') this.lastText = text;
        const tools = event.toolUses.map(tool => `${tool.name}(${describeInput(tool.input)})`);
        return tools.length > 0 ? { output: { stream: 'event', text: `tool: ${tools.join(', ')}` } } : {};
      }
      case 'apiRetry': {
        const status = event.errorStatus;
        this.lastApiError = { status, type: event.error, message: undefined };
        const text = `API error ${status ?? '?'} (${event.error ?? 'unknown'}): retry ${event.attempt ?? '?'}/${event.maxRetries ?? '?'} in ${Math.round((event.delayMs ?? 0) / 100) / 10} s`;
        const isAuth = status === 401 || status === 403 || event.error === 'authentication_failed';
        if (isAuth && this.options.stopOnAuthRetry) {
          return { output: { stream: 'event', text }, abort: { message: `API authentication failed (HTTP ${status ?? '?'}): stopped instead of waiting for the CLI's retries` } };
        }
        const isRateLimit = anthropicFailureClass(status, event.error) === 'rateLimit';
        const isOverload = isAnthropicOverload(status, event.error);
        if (isRateLimit || isOverload) this.rateLimitRetries++;
        // The CLI waits the server's retry-after (or its own backoff) before the next try. Only the key's own
        // rate limit is a vendor window; an overloaded service (529) passes for everyone.
        if (isRateLimit && event.delayMs !== undefined && this.vendorWindow?.source !== 'rateLimitEvent') {
          this.vendorWindow = { until: new Date(this.now().getTime() + event.delayMs).toISOString(), source: 'retryAfter' };
        }
        const limit = this.options.stopAfterRateLimitRetries;
        if ((isRateLimit || isOverload) && limit !== undefined && this.rateLimitRetries >= limit) {
          return { output: { stream: 'event', text }, abort: { message: `API ${isOverload ? 'overloaded' : 'rate limited'} (HTTP ${status ?? '?'}): stopped after ${this.rateLimitRetries} retries` } };
        }
        return { output: { stream: 'event', text } };
      }
      case 'result': {
        this.result = event.result;
        this.sessionId ??= event.result.sessionId;
        const r = event.result;
        return { output: { stream: 'event', text: `result: ${r.subtype}${r.isError ? ' (error)' : ''}, ${r.turns ?? '?'} turns, $${r.costUsd ?? '?'}` } };
      }
      case 'rateLimit':
        if (event.status === 'rejected' && event.resetsAt !== undefined) this.vendorWindow = { until: event.resetsAt.toISOString(), source: 'rateLimitEvent' };
        return event.status === 'rejected' ? { output: { stream: 'event', text: `rate limit${event.limitType === undefined ? '' : ` (${event.limitType})`} reached${event.resetsAt === undefined ? '' : `: resets at ${event.resetsAt.toISOString()}`}` } } : {};
      case 'user':
      case 'streamEvent':
      case 'system':
      case 'other':
      case 'unparsed':
        return {};
    }
  }

  /** Usage so far (while running) or as the result reported it. */
  usage(): AgentUsage {
    const r = this.result;
    const sessionId = this.sessionId;
    if (!r) return { turns: this.assistantMessages, ...(sessionId !== undefined ? { sessionId } : {}) };
    return {
      ...(r.costUsd !== undefined ? { costUsd: r.costUsd } : {}),
      turns: r.turns ?? this.assistantMessages,
      // Every input token the model read, whether it came from the prompt cache or not.
      inputTokens: r.tokens.inputTokens + r.tokens.cacheReadInputTokens + r.tokens.cacheCreationInputTokens,
      outputTokens: r.tokens.outputTokens,
      ...(sessionId !== undefined ? { sessionId } : {}),
    };
  }

  /** The run's final status, from the process's end and what the stream said. */
  finish(process: ProcessResult): AgentRunStatus {
    const r = this.result;
    const usage = this.usage();
    const exitCode = process.exitCode ?? undefined;
    const withExit = exitCode === undefined ? {} : { exitCode };
    if (process.stopReason === undefined && process.spawnError === undefined && r && !r.isError && r.subtype === 'success' && process.exitCode === 0) {
      const summary = (r.text ?? this.lastText ?? '').trim();
      return { state: 'succeeded', summary: summary.length > maxSummaryLength ? `${summary.slice(0, maxSummaryLength - 1)}…` : summary, usage, ...withExit };
    }
    const apiError = r?.apiErrorStatus !== undefined || r?.apiErrorType !== undefined
      ? { status: r.apiErrorStatus, type: r.apiErrorType }
      : this.lastApiError;
    const stderrTail = process.stderrTail.slice(-20);
    const { failure, message } = classifyFailure({
      ...processEvidence(process),
      resultSubtype: r?.subtype,
      isError: r?.isError,
      errors: [...(r?.errors ?? []), ...(process.stopReason === 'aborted' && process.stopMessage !== undefined ? [process.stopMessage] : [])],
      apiErrorStatus: apiError?.status,
      apiErrorType: apiError?.type,
      resultText: r?.text ?? this.lastApiError?.message,
      outputTail: r || process.stopReason !== undefined ? stderrTail : [...stderrTail, 'the CLI ended without a result line'],
    });
    const extra = process.stopReason === 'timeout' && process.stopMessage !== undefined ? `: ${process.stopMessage}` : '';
    const window = failure === 'rateLimit' ? this.vendorWindow : undefined;
    return { state: 'failed', failure, message: `${message}${extra}`, usage, ...withExit, ...(window === undefined ? {} : { vendorWindow: window }) };
  }
}

/** A tool call's input for the run log: the path or command when there is one, else short JSON. */
function describeInput(input: unknown): string {
  if (typeof input === 'object' && input !== null) {
    const record = input as Record<string, unknown>;
    for (const key of ['file_path', 'path', 'command', 'pattern', 'url']) {
      const value = record[key];
      if (typeof value === 'string') return value.length > 200 ? `${value.slice(0, 199)}…` : value;
    }
  }
  const json = JSON.stringify(input) as string | undefined;
  if (json === undefined) return '';
  return json.length > 200 ? `${json.slice(0, 199)}…` : json;
}
