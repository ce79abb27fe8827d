import * as z from 'zod/mini';
import '../../../shared/zod';

/**
 * Parses the lines Claude Code prints with `-p --output-format stream-json --verbose` (and the single
 * object of `--output-format json`) into typed events. Shapes were read from the real CLI 2.1.330
 * (shared/specs/claude-code-samples). Every object is loose — newer CLIs add keys — and every field is
 * read on its own, so a field of an unexpected type is dropped instead of failing the line. Never throws.
 */

// A field of the wrong type reads as absent rather than rejecting the whole line.
const num = z.catch(z.optional(z.number()), undefined);
const str = z.catch(z.optional(z.string()), undefined);
const bool = z.catch(z.optional(z.boolean()), undefined);
const strings = z.catch(z.array(z.string()), []);

const usageSchema = z.catch(z.optional(z.looseObject({
  input_tokens: num,
  output_tokens: num,
  cache_creation_input_tokens: num,
  cache_read_input_tokens: num,
})), undefined);

const contentBlockSchema = z.looseObject({
  type: str,
  text: str,
  id: str,
  name: str,
  input: z.optional(z.unknown()),
  tool_use_id: str,
  is_error: bool,
});

const messageSchema = z.catch(z.optional(z.looseObject({
  id: str,
  model: str,
  content: z.catch(z.union([z.string(), z.array(z.catch(contentBlockSchema, {}))]), []),
  usage: usageSchema,
})), undefined);

const lineSchema = z.looseObject({
  type: z.string(),
  subtype: str,
  session_id: str,
  // system/init
  cwd: str,
  model: str,
  tools: strings,
  permissionMode: str,
  claude_code_version: str,
  apiKeySource: str,
  // system/api_retry
  attempt: num,
  max_retries: num,
  retry_delay_ms: num,
  error_status: z.catch(z.optional(z.nullable(z.number())), undefined),
  // assistant / user; `error` is a string on assistant and api_retry lines
  message: messageSchema,
  error: str,
  api_error_status: z.catch(z.optional(z.nullable(z.number())), undefined),
  api_error_type: str,
  is_api_error_message: bool,
  // rate_limit_event: `resetsAt` is unix seconds; `rejected` means requests are refused until then
  rate_limit_info: z.catch(z.optional(z.looseObject({ status: str, resetsAt: num, rateLimitType: str })), undefined),
  // stream_event
  event: z.catch(z.optional(z.looseObject({ type: str })), undefined),
  // result
  is_error: bool,
  num_turns: num,
  total_cost_usd: num,
  duration_ms: num,
  duration_api_ms: num,
  result: str,
  errors: strings,
  stop_reason: z.catch(z.optional(z.nullable(z.string())), undefined),
  terminal_reason: str,
  usage: usageSchema,
  permission_denials: z.catch(z.array(z.unknown()), []),
});
type Line = z.infer<typeof lineSchema>;

export interface ClaudeTokens {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadInputTokens: number;
  readonly cacheCreationInputTokens: number;
}

export interface ClaudeToolUse {
  readonly id: string | undefined;
  readonly name: string;
  readonly input: unknown;
}

export interface ClaudeApiError {
  /** HTTP status of the failed API request (401, 429, 529…), when the CLI reported one. */
  readonly status: number | undefined;
  /** Anthropic error type (`authentication_error`, `overloaded_error`…) or the CLI's own name (`authentication_failed`). */
  readonly type: string | undefined;
  readonly message: string | undefined;
}

/** The final line of a run. */
export interface ClaudeResult {
  readonly subtype: string;
  readonly isError: boolean;
  readonly sessionId: string | undefined;
  readonly turns: number | undefined;
  readonly costUsd: number | undefined;
  readonly durationMs: number | undefined;
  /** The final answer; absent on error subtypes. */
  readonly text: string | undefined;
  readonly errors: readonly string[];
  readonly apiErrorStatus: number | undefined;
  readonly apiErrorType: string | undefined;
  readonly terminalReason: string | undefined;
  readonly stopReason: string | undefined;
  readonly tokens: ClaudeTokens;
  readonly permissionDenials: number;
}

export type ClaudeStreamEvent =
  | { readonly kind: 'init'; readonly sessionId: string | undefined; readonly model: string | undefined; readonly cwd: string | undefined; readonly tools: readonly string[]; readonly permissionMode: string | undefined; readonly version: string | undefined }
  | { readonly kind: 'assistant'; readonly sessionId: string | undefined; readonly texts: readonly string[]; readonly toolUses: readonly ClaudeToolUse[]; readonly apiError: ClaudeApiError | undefined }
  | { readonly kind: 'user'; readonly sessionId: string | undefined; readonly toolResults: readonly { readonly toolUseId: string | undefined; readonly isError: boolean }[] }
  /** The CLI will retry a failed API request (`system/api_retry`). */
  | { readonly kind: 'apiRetry'; readonly sessionId: string | undefined; readonly attempt: number | undefined; readonly maxRetries: number | undefined; readonly delayMs: number | undefined; readonly errorStatus: number | undefined; readonly error: string | undefined }
  | { readonly kind: 'result'; readonly result: ClaudeResult }
  /** The subscription's rate-limit state changed (`rate_limit_event`): `rejected` until `resetsAt`. */
  | { readonly kind: 'rateLimit'; readonly sessionId: string | undefined; readonly status: string | undefined; readonly resetsAt: Date | undefined; readonly limitType: string | undefined }
  /** A raw Messages API event (`--include-partial-messages`). */
  | { readonly kind: 'streamEvent'; readonly sessionId: string | undefined; readonly eventType: string | undefined }
  /** Any other `system` line (`status`, `compact_boundary`, hooks…). */
  | { readonly kind: 'system'; readonly sessionId: string | undefined; readonly subtype: string | undefined }
  /** Valid JSON with a `type` this parser does not know. */
  | { readonly kind: 'other'; readonly sessionId: string | undefined; readonly type: string }
  /** Not a JSON object with a string `type`: a stray log line, a truncated write. */
  | { readonly kind: 'unparsed'; readonly line: string };

/** Parses one line; `undefined` for a blank line. */
export function parseClaudeStreamLine(line: string): ClaudeStreamEvent | undefined {
  const trimmed = line.trim();
  if (trimmed === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    return { kind: 'unparsed', line };
  }
  const parsed = lineSchema.safeParse(json);
  if (!parsed.success) return { kind: 'unparsed', line };
  return toEvent(parsed.data);
}

function toEvent(data: Line): ClaudeStreamEvent {
  const sessionId = data.session_id;
  switch (data.type) {
    case 'system':
      if (data.subtype === 'init') {
        return { kind: 'init', sessionId, model: data.model, cwd: data.cwd, tools: data.tools, permissionMode: data.permissionMode, version: data.claude_code_version };
      }
      if (data.subtype === 'api_retry') {
        return { kind: 'apiRetry', sessionId, attempt: data.attempt, maxRetries: data.max_retries, delayMs: data.retry_delay_ms, errorStatus: data.error_status ?? undefined, error: data.error };
      }
      return { kind: 'system', sessionId, subtype: data.subtype };
    case 'assistant': {
      const blocks = contentBlocks(data);
      const isApiError = data.is_api_error_message === true || (data.api_error_status ?? undefined) !== undefined || data.error !== undefined;
      return {
        kind: 'assistant',
        sessionId,
        texts: blocks.flatMap(block => (block.type === 'text' && block.text !== undefined ? [block.text] : [])),
        toolUses: blocks.flatMap(block => (block.type === 'tool_use' && block.name !== undefined ? [{ id: block.id, name: block.name, input: block.input }] : [])),
        apiError: isApiError ? { status: data.api_error_status ?? undefined, type: data.api_error_type ?? data.error, message: blocks.find(block => block.type === 'text')?.text } : undefined,
      };
    }
    case 'user':
      return {
        kind: 'user',
        sessionId,
        toolResults: contentBlocks(data).flatMap(block => (block.type === 'tool_result' ? [{ toolUseId: block.tool_use_id, isError: block.is_error === true }] : [])),
      };
    case 'result':
      return { kind: 'result', result: toResult(data) };
    case 'rate_limit_event': {
      const info = data.rate_limit_info;
      const resetsAt = info?.resetsAt !== undefined && Number.isFinite(info.resetsAt) ? new Date(info.resetsAt * 1000) : undefined;
      return { kind: 'rateLimit', sessionId, status: info?.status, resetsAt: resetsAt !== undefined && Number.isNaN(resetsAt.getTime()) ? undefined : resetsAt, limitType: info?.rateLimitType };
    }
    case 'stream_event':
      return { kind: 'streamEvent', sessionId, eventType: data.event?.type };
    default:
      return { kind: 'other', sessionId, type: data.type };
  }
}

function contentBlocks(data: Line): readonly z.infer<typeof contentBlockSchema>[] {
  const content = data.message?.content;
  if (content === undefined) return [];
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

function toResult(data: Line): ClaudeResult {
  return {
    subtype: data.subtype ?? 'unknown',
    isError: data.is_error ?? (data.subtype !== undefined && data.subtype !== 'success'),
    sessionId: data.session_id,
    turns: data.num_turns,
    costUsd: data.total_cost_usd,
    durationMs: data.duration_ms,
    text: data.result,
    errors: data.errors,
    apiErrorStatus: data.api_error_status ?? undefined,
    apiErrorType: data.api_error_type,
    terminalReason: data.terminal_reason,
    stopReason: data.stop_reason ?? undefined,
    tokens: {
      inputTokens: data.usage?.input_tokens ?? 0,
      outputTokens: data.usage?.output_tokens ?? 0,
      cacheReadInputTokens: data.usage?.cache_read_input_tokens ?? 0,
      cacheCreationInputTokens: data.usage?.cache_creation_input_tokens ?? 0,
    },
    permissionDenials: data.permission_denials.length,
  };
}
