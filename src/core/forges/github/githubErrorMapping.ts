import * as z from 'zod/mini';
import '../../../shared/zod';
import { GitHubError, type GitHubErrorKind } from './githubError';

/** GitHub's advice for a secondary rate limit without `retry-after`: wait at least a minute. */
export const defaultRateLimitWaitMs = 60_000;

// Octokit's RequestError, read structurally: the class lives in the lazily loaded vendor bundle.
const requestErrorShape = z.object({
  status: z.optional(z.number()),
  message: z.string(),
  response: z.optional(z.object({
    status: z.number(),
    headers: z.record(z.string(), z.unknown()),
    data: z.optional(z.unknown()),
  })),
});

const errorBodyShape = z.object({
  message: z.optional(z.string()),
  errors: z.optional(z.array(z.unknown())),
});

/**
 * GitHub's body for a secondary rate limit says so in words (its documented shape); with no
 * `retry-after` and a remaining budget that is the only sign, and plugin-throttling reads it the same way.
 */
const rateLimitWording = /\b(secondary rate limit|rate limit exceeded|abuse detection)\b/i;

/**
 * Turns whatever a request threw into a `GitHubError`: Octokit's RequestError by status, aborts and
 * socket failures into `network`. `context` names the call (`GET /repos/o/r/issues`) for the message.
 */
export function toGitHubError(error: unknown, context: string, now: () => number = Date.now): GitHubError {
  if (error instanceof GitHubError) return error;
  const parsed = requestErrorShape.safeParse(error);
  if (!parsed.success) {
    const name = error instanceof Error ? error.name : typeof error;
    const detail = error instanceof Error ? error.message : String(error);
    return new GitHubError('network', `${context}: ${name === 'TimeoutError' ? 'timed out' : detail}`, undefined);
  }
  const { message, response } = parsed.data;
  // No response: fetch failed (refused, reset, timed out); Octokit reports those as status 500.
  if (response === undefined) return new GitHubError('network', `${context}: ${message}`, undefined);
  const { headers, status } = response;
  // plugin-throttling rethrows a GraphQL RATE_LIMITED answer (a 200) as a plain error carrying the response.
  const kind = isGraphqlRateLimit(response.data) ? 'rateLimited' : kindForStatus(status, headers, response.data);
  const githubMessage = bodyMessage(response.data);
  const text = `${context}: ${status} ${githubMessage ?? message}`;
  if (kind === 'rateLimited') return new GitHubError(kind, text, status, retryAfterMs(headers, now));
  return new GitHubError(kind, text, status, undefined, validationErrorCodes(response.data), githubMessage);
}

export function kindForStatus(status: number, headers: Readonly<Record<string, unknown>>, body: unknown): GitHubErrorKind {
  if (status === 429) return 'rateLimited';
  if (status === 403) return isRateLimit(headers, body) ? 'rateLimited' : 'auth';
  if (status === 401) return 'auth';
  if (status === 404 || status === 410) return 'notFound';
  if (status === 409) return 'conflict';
  if (status === 405) return 'notAllowed';
  if (status >= 500) return 'server';
  if (status >= 400) return 'invalid';
  // A 2xx/3xx that reached error handling was an answer ATO could not use.
  return 'malformed';
}

const graphqlRateLimitShape = z.object({ errors: z.array(z.object({ type: z.optional(z.string()) })) });

function isGraphqlRateLimit(body: unknown): boolean {
  const parsed = graphqlRateLimitShape.safeParse(body);
  return parsed.success && parsed.data.errors.some(error => error.type === 'RATE_LIMITED');
}

function isRateLimit(headers: Readonly<Record<string, unknown>>, body: unknown): boolean {
  if (headers['retry-after'] !== undefined) return true;
  if (headers['x-ratelimit-remaining'] === '0' || headers['x-ratelimit-remaining'] === 0) return true;
  const text = bodyMessage(body);
  return text !== undefined && rateLimitWording.test(text);
}

/** How long GitHub asked us to wait: `retry-after`, else until `x-ratelimit-reset`, else a minute. */
export function retryAfterMs(headers: Readonly<Record<string, unknown>>, now: () => number = Date.now): number {
  const retryAfter = numberHeader(headers['retry-after']);
  if (retryAfter !== undefined) return retryAfter * 1000;
  const reset = numberHeader(headers['x-ratelimit-reset']);
  if (reset !== undefined && headers['x-ratelimit-remaining'] !== undefined && numberHeader(headers['x-ratelimit-remaining']) === 0) {
    return Math.max(0, reset * 1000 - now()) + 1000;
  }
  return defaultRateLimitWaitMs;
}

function numberHeader(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string' || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}

/** GitHub's `message`, or the body itself when it is short text. */
export function bodyMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.length > 0 && body.length <= 300 ? body : undefined;
  const parsed = errorBodyShape.safeParse(body);
  return parsed.success ? parsed.data.message : undefined;
}

/** `errors[].code` of an error body (e.g. `already_exists` in a 422), GitHub's structured reason. */
export function validationErrorCodes(data: unknown): readonly string[] {
  const body = errorBodyShape.safeParse(data);
  if (!body.success) return [];
  const codes: string[] = [];
  for (const entry of body.data.errors ?? []) {
    const code = z.object({ code: z.string() }).safeParse(entry);
    if (code.success) codes.push(code.data.code);
  }
  return codes;
}
