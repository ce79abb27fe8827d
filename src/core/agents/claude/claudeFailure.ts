import type * as AnthropicSdk from '@anthropic-ai/sdk';
import { anthropicFailureClass } from '../anthropic/anthropicFailureClass';
import type { FailureClass } from '../failureClass';

/** The SDK's error classes the classifier tells apart (the lazily loaded module, or its test import). */
export type ClaudeSdkErrors = Pick<typeof AnthropicSdk, 'APIError' | 'APIUserAbortError' | 'APIConnectionError' | 'APIConnectionTimeoutError'>;

/** Why ATO itself stopped a request, when it did. */
export type ClaudeStopReason = 'cancelled' | 'timeout';

export interface ClaudeFailure {
  readonly failure: FailureClass;
  /** One line for people; it names the status, the API's error type and message, and the request id. */
  readonly message: string;
  /** The API's `retry-after` (`retry-after-ms` first), for a 429 or an overloaded answer that sends one. */
  readonly retryAfterMs?: number;
}

const maxMessageLength = 500;

/**
 * Maps what a Messages API request threw to a failure class (PRODUCT §5): ATO's own cancel and timeout
 * first, then the SDK's connection errors, then the HTTP status — 401/403 auth, 402 budget, 429 rate limit
 * (with its `retry-after`, which the retry policy never undercuts and the fleet takes as the vendor's
 * window), 5xx and 529 transient (`network`: the service failed to answer) — then an `error` event in the
 * stream by its type. Anything else — a 400, a body the SDK could not read — is `fatal`: the same request
 * would fail the same way.
 */
export function classifyClaudeError(error: unknown, sdk: ClaudeSdkErrors, stopped: ClaudeStopReason | undefined, now: () => number = Date.now): ClaudeFailure {
  if (stopped === 'cancelled') return { failure: 'cancelled', message: 'cancelled' };
  if (stopped === 'timeout') return { failure: 'timeout', message: 'timed out waiting for the Messages API' };
  if (error instanceof sdk.APIUserAbortError) return { failure: 'cancelled', message: 'the request was aborted' };
  if (error instanceof sdk.APIConnectionTimeoutError) return { failure: 'timeout', message: clip(`the Messages API did not answer in time: ${error.message}`) };
  if (error instanceof sdk.APIConnectionError) return { failure: 'network', message: clip(`could not reach the Messages API: ${causeOf(error)}`) };
  if (!(error instanceof sdk.APIError)) {
    const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { failure: 'fatal', message: clip(`the Messages API's answer could not be read: ${what}`) };
  }
  const apiError = error as AnthropicSdk.APIError;
  const status = apiError.status;
  const type = apiErrorType(apiError.error);
  const detail = describeApiError(apiError, type);
  const retryAfterMs = retryAfter(apiError.headers, now);
  const withRetry = retryAfterMs === undefined ? {} : { retryAfterMs };
  const failure = anthropicFailureClass(status, type);
  if (failure === 'auth') return { failure, message: clip(`the Anthropic API refused the key: ${detail} — set it with "ATO: Set Anthropic API Key" (headless: ATO_ANTHROPIC_API_KEY)`) };
  if (failure === 'budget') return { failure, message: clip(`billing: ${detail}`) };
  if (failure === 'rateLimit') return { failure, message: clip(`rate limited: ${detail}`), ...withRetry };
  if (failure === 'network') return { failure, message: clip(`the Messages API failed to answer: ${detail}`), ...withRetry };
  return { failure: 'fatal', message: clip(`the Messages API refused the request: ${detail}`) };
}

/** `overloaded_error` from `{ type: 'error', error: { type, message } }` (an HTTP body, or a stream's `error` event). */
function apiErrorType(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const inner = (body as { error?: unknown }).error;
  if (typeof inner === 'object' && inner !== null && typeof (inner as { type?: unknown }).type === 'string') return (inner as { type: string }).type;
  return undefined;
}

/** The API's own words from an error body, when it has any. */
function apiErrorMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const inner = (body as { error?: unknown }).error;
  const message = typeof inner === 'object' && inner !== null ? (inner as { message?: unknown }).message : undefined;
  return typeof message === 'string' && message.trim() !== '' ? message.trim() : undefined;
}

function describeApiError(error: AnthropicSdk.APIError, type: string | undefined): string {
  const parts = [error.status === undefined ? 'in the stream' : `HTTP ${String(error.status)}`];
  if (type !== undefined) parts.push(type);
  const text = apiErrorMessage(error.error);
  const id = error.requestID ?? undefined;
  return `${parts.join(' ')}${text === undefined ? '' : `: ${text}`}${id === undefined ? '' : ` (request ${id})`}`;
}

/** `retry-after-ms` (milliseconds), else `retry-after` (seconds, or an HTTP date). */
export function retryAfter(headers: Headers | undefined, now: () => number = Date.now): number | undefined {
  if (headers === undefined) return undefined;
  const ms = Number(headers.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now());
}

function causeOf(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? `${code} (${cause.message})` : cause.message;
  }
  return error.message;
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > maxMessageLength ? `${line.slice(0, maxMessageLength - 1)}…` : line;
}
