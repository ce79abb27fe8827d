import { isGitHubError } from '../../forges/github/githubError';
import { describeError } from '../../logging/redactor';

/** A failure as the loop reports it: GitHub's message (with its wait when rate-limited), else the redacted error. */
export function describeFailure(error: unknown): string {
  if (isGitHubError(error)) {
    const wait = error.kind === 'rateLimited' && error.retryAfterMs !== undefined ? ` (GitHub asks to wait ${String(Math.ceil(error.retryAfterMs / 1000))} s)` : '';
    return `GitHub: ${error.message}${wait}`;
  }
  return describeError(error);
}
