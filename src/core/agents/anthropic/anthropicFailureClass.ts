import type { FailureClass } from '../failureClass';

const authTypes = new Set(['authentication_error', 'permission_error', 'authentication_failed', 'oauth_org_not_allowed']);
const rateLimitTypes = new Set(['rate_limit_error', 'rate_limit']);
/** The API's own name, and Claude Code's `api_retry` name for it. */
const overloadTypes = new Set(['overloaded_error', 'overloaded']);
const serverTypes = new Set(['api_error', 'timeout_error']);

/**
 * HTTP 529 `overloaded_error`: Anthropic's service as a whole is busy for a moment. It is not this key's
 * rate limit, so it names no vendor window; it is retried with backoff like any passing failure.
 */
export function isAnthropicOverload(status: number | undefined, type: string | undefined): boolean {
  return status === 529 || (type !== undefined && overloadTypes.has(type));
}

/**
 * What an Anthropic API error's HTTP status and error type say, for every backend that talks to Anthropic
 * (the Messages API directly, Claude Code through its stream): 401/403 and the auth types `auth`, 402 and
 * `billing_error` `budget`, 429 and the rate-limit types `rateLimit` (the key's own limit: the vendor's
 * window closes), 529 overloaded and other 5xx `network` (transient: backoff, no window). Undefined when
 * neither says anything known (a 400, no status at all): the caller looks further.
 */
export function anthropicFailureClass(status: number | undefined, type: string | undefined): FailureClass | undefined {
  if (status === 401 || status === 403 || (type !== undefined && authTypes.has(type))) return 'auth';
  if (status === 402 || type === 'billing_error') return 'budget';
  if (status === 429 || (type !== undefined && rateLimitTypes.has(type))) return 'rateLimit';
  if (isAnthropicOverload(status, type)) return 'network';
  if ((status !== undefined && status >= 500 && status <= 599) || (type !== undefined && serverTypes.has(type))) return 'network';
  return undefined;
}
