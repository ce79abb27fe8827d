/** Why a GitHub call failed, in the terms the loop acts on. */
export type GitHubErrorKind =
  /** 404, or 410 for a deleted issue. */
  | 'notFound'
  /** A compare-and-swap lost: a ref update that is not a fast-forward, a merge whose head moved (409), a file's sha mismatch. */
  | 'conflict'
  /** 422 for anything else: GitHub understood and refused the request. */
  | 'invalid'
  /** 401, or a 403 that is not a rate limit: the token is missing, wrong or lacks a permission. */
  | 'auth'
  /** 429, or a 403 primary/secondary rate limit; `retryAfterMs` says when to come back. */
  | 'rateLimited'
  /** 5xx after the retries. */
  | 'server'
  /** No answer: refused, reset, timed out. */
  | 'network'
  /** An answer ATO cannot read (not JSON, or missing fields it relies on). */
  | 'malformed'
  /** 405 on merge and similar: the operation is not allowed in this state. */
  | 'notAllowed';

export class GitHubError extends Error {
  override readonly name = 'GitHubError';

  constructor(
    readonly kind: GitHubErrorKind,
    message: string,
    readonly status: number | undefined,
    /** For `rateLimited`: how long GitHub asked us to wait. */
    readonly retryAfterMs?: number,
    /** GitHub's structured reasons from a 422 body (`errors[].code`, e.g. `already_exists`). */
    readonly codes: readonly string[] = [],
    /** GitHub's own `message`, without ATO's context (e.g. a merge's "At least 1 approving review is required…"). */
    readonly githubMessage?: string,
  ) {
    super(message);
  }
}

export function isGitHubError(error: unknown, kind?: GitHubErrorKind): error is GitHubError {
  return error instanceof GitHubError && (kind === undefined || error.kind === kind);
}
