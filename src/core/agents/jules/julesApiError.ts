import type { FailureClass } from '../failureClass';

/** Why a Jules API call failed, in ATO's terms: the failure class decides retry, hand-over or asking you. */
export class JulesApiError extends Error {
  override readonly name = 'JulesApiError';

  constructor(
    message: string,
    readonly failure: FailureClass,
    /** HTTP status; undefined when no answer came (network) or the answer could not be read. */
    readonly status?: number,
    /** `google.rpc.Status.status` (`RESOURCE_EXHAUSTED`…) and `ErrorInfo.reason` (`API_KEY_INVALID`…). */
    readonly rpcStatus?: string,
    readonly reason?: string,
    /** From a `Retry-After` header, when the server sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  static is(error: unknown): error is JulesApiError {
    return error instanceof JulesApiError;
  }
}

/**
 * The failure class of an HTTP answer (pure): a refused key (401, 403, or Google's 400 `API_KEY_INVALID`) is
 * `auth`; 429 `rateLimit`; 5xx a transient `network` failure; anything else a request Jules will not take
 * (`fatal`).
 */
export function julesFailureClass(status: number, reason: string | undefined): FailureClass {
  if (status === 401 || status === 403 || reason === 'API_KEY_INVALID' || reason === 'API_KEY_EXPIRED') return 'auth';
  if (status === 429) return 'rateLimit';
  if (status >= 500) return 'network';
  return 'fatal';
}

/** `Retry-After` as seconds or an HTTP date, in ms from `nowMs`; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
