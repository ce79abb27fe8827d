import { codeSpan, fenced, singleLine } from './thirdPartyText';

export interface FailedCheck {
  readonly name: string;
  readonly conclusion: string;
  readonly url?: string;
}

export interface JobLogQuote {
  readonly job: string;
  readonly excerpt: string;
  readonly shortened: boolean;
}

export interface FixRequest {
  /** `@copilot` when the request is a comment for the Copilot coding agent; absent for a prompt ATO runs itself. */
  readonly mention?: string;
  readonly pullNumber: number;
  readonly headSha: string;
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly checks: readonly FailedCheck[];
  readonly logs: readonly JobLogQuote[];
  /** ATO's marker line that makes the request findable again (one request per attempt). */
  readonly marker?: string;
}

/**
 * What ATO asks of the authoring agent when CI is red on its PR (issue 11): which checks failed on which head,
 * the lines around the first errors of each failed job's log — quoted as third-party text it cannot break out
 * of —, and what "done" means (CI green on the new head).
 */
export function fixRequestText(request: FixRequest): string {
  const head = request.headSha.slice(0, 7);
  const lines = [
    `${request.mention === undefined ? '' : `${request.mention} `}CI is red on this pull request at ${head} (fix attempt ${String(request.attempt)} of ${String(request.maxAttempts)}). Please make the failing checks pass; keep the change to what they need.`,
    '',
    '**Failing checks**',
    ...request.checks.map(check => `- ${codeSpan(singleLine(check.name, 100))}: ${singleLine(check.conclusion, 40)}${check.url === undefined ? '' : ` (${singleLine(check.url, 300)})`}`),
  ];
  for (const log of request.logs) {
    lines.push('', `**Log of ${codeSpan(singleLine(log.job, 100))}**${log.shortened ? ' (excerpt: the lines around the first errors)' : ''}`, '', fenced(log.excerpt));
  }
  lines.push('', 'ATO counts this as fixed only when CI is green on the new head.');
  if (request.marker !== undefined) lines.push('', request.marker);
  return lines.join('\n');
}
