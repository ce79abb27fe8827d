import { anthropicFailureClass } from '../anthropic/anthropicFailureClass';
import type { FailureClass } from '../failureClass';
import type { ProcessResult } from './processRunner';

/** What is known about a local agent run that did not succeed. Every field is optional. */
/** What the end of a process says about a failure, whatever agent ran it. */
export function processEvidence(result: ProcessResult): FailureEvidence {
  return {
    exitCode: result.exitCode,
    signal: result.signal,
    timedOut: result.stopReason === 'timeout',
    cancelled: result.stopReason === 'cancelled',
    stoppedByAto: result.stopReason !== undefined,
    spawnError: result.spawnError,
  };
}

export interface FailureEvidence {
  readonly exitCode?: number | null | undefined;
  readonly signal?: string | null | undefined;
  readonly timedOut?: boolean | undefined;
  readonly cancelled?: boolean | undefined;
  /** ATO stopped the process itself (cancel, timeout, or an error it would not wait out): its exit code says nothing. */
  readonly stoppedByAto?: boolean | undefined;
  /** The process could not be started (`spawn claude ENOENT`). */
  readonly spawnError?: string | undefined;
  /** Claude Code's result line: `success`, `error_max_turns`, `error_max_budget_usd`, `error_during_execution`… */
  readonly resultSubtype?: string | undefined;
  readonly isError?: boolean | undefined;
  readonly errors?: readonly string[] | undefined;
  /** HTTP status of the API request that failed (Claude Code's `api_error_status`, `api_retry.error_status`). */
  readonly apiErrorStatus?: number | undefined;
  /** `authentication_error`, `overloaded_error`…, or Claude Code's own names (`authentication_failed`, `overloaded`). */
  readonly apiErrorType?: string | undefined;
  /** The final text, which carries the error message when a run ends with `is_error`. */
  readonly resultText?: string | undefined;
  /** The last lines of stderr (and, for CLIs that report errors there, stdout). */
  readonly outputTail?: readonly string[] | undefined;
}

export interface ClassifiedFailure {
  readonly failure: FailureClass;
  /** One line for people: what went wrong, in the agent's words where it gave any. */
  readonly message: string;
}

/** Text patterns, tried in this order on the messages, the result text and the output tail. */
const textRules: readonly (readonly [FailureClass, RegExp])[] = [
  ['maxTurns', /reached maximum number of turns|max(imum)?[ _-]turns (exceeded|reached)/i],
  ['budget', /max(imum)?[ _-]budget|budget (exceeded|reached)|credit balance is too low|billing_error/i],
  ['auth', /authentication_error|authentication_failed|permission_error|invalid (x-)?api[ -]key|please run \/login|not logged in|\blogin required|unauthori[sz]ed|\b(http|status|code|error)[ :]*40[13]\b|\b40[13] (unauthori[sz]ed|forbidden)|oauth token (has )?expired|missing api key|no api key/i],
  ['rateLimit', /rate[ _-]?limit|too many requests|\b(http|status|code|error)[ :]*429\b|\b429\b.*(error|too many)|quota (exceeded|exhausted)|usage limit (reached|exceeded)/i],
  // An overloaded service (Anthropic's 529) passes for everyone: transient, not this key's rate limit.
  ['network', /overloaded|\b(http|status|code|error)[ :]*529\b|\b(ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE)\b|fetch failed|socket hang up|network error|getaddrinfo|connection (error|refused|reset)|unable to connect|could not resolve host/i],
  ['interactivePrompt', /requires? (your |user |human )?approval|permission (prompt|request)|waiting for (user |human )?(input|confirmation|response)|\((y\/n|yes\/no)\)|\[y\/n\]|press (enter|any key|return)|not a tty|stdin is not a (tty|terminal)|raw mode is not supported|inappropriate ioctl for device|input (is )?required|cannot prompt|interactive (prompt|mode|input) (is )?(required|needed|not (available|supported))/i],
];

/**
 * Maps what a local agent run left behind to a failure class (PRODUCT §5): how ATO stopped it first
 * (cancel, timeout), then Claude Code's structured result (subtype, API status and error type), then the
 * words of its messages and output. Pure; anything unrecognised is `fatal`.
 */
export function classifyFailure(evidence: FailureEvidence): ClassifiedFailure {
  const message = describeFailure(evidence);
  if (evidence.cancelled === true) return { failure: 'cancelled', message };
  if (evidence.timedOut === true) return { failure: 'timeout', message };

  if (evidence.resultSubtype === 'error_max_turns') return { failure: 'maxTurns', message };
  if (evidence.resultSubtype === 'error_max_budget_usd') return { failure: 'budget', message };

  // The API's status and error type (Claude Code reports Anthropic's), read as the Messages API backend reads them.
  const api = anthropicFailureClass(evidence.apiErrorStatus, evidence.apiErrorType);
  if (api !== undefined) return { failure: api, message };

  const texts = [...(evidence.errors ?? []), evidence.resultText ?? '', evidence.spawnError ?? '', ...(evidence.outputTail ?? [])];
  for (const [failure, pattern] of textRules) {
    if (texts.some(text => pattern.test(text))) return { failure, message };
  }
  return { failure: 'fatal', message };
}

const maxMessageLength = 500;

function describeFailure(evidence: FailureEvidence): string {
  const parts: string[] = [];
  if (evidence.cancelled === true) parts.push('cancelled');
  if (evidence.timedOut === true) parts.push('timed out');
  if (evidence.spawnError !== undefined) parts.push(`could not start: ${evidence.spawnError}`);
  if (evidence.resultSubtype !== undefined && evidence.resultSubtype !== 'success') parts.push(evidence.resultSubtype);
  if (evidence.apiErrorStatus !== undefined || evidence.apiErrorType !== undefined) {
    parts.push(`API error ${[evidence.apiErrorStatus, evidence.apiErrorType].filter(part => part !== undefined).join(' ')}`);
  }
  const errors = (evidence.errors ?? []).filter(error => error.trim() !== '');
  if (errors.length > 0) parts.push(errors.join('; '));
  else if (evidence.isError === true && evidence.resultText !== undefined && evidence.resultText.trim() !== '') parts.push(evidence.resultText.trim());
  else if (evidence.cancelled !== true && evidence.timedOut !== true) {
    const tail = (evidence.outputTail ?? []).map(line => line.trim()).filter(line => line !== '').slice(-3);
    if (tail.length > 0) parts.push(tail.join(' | '));
  }
  // When ATO stopped the process, its exit code or signal is the one ATO caused: not worth saying.
  const stopped = evidence.stoppedByAto === true || evidence.cancelled === true || evidence.timedOut === true;
  if (!stopped && evidence.signal !== undefined && evidence.signal !== null) parts.push(`killed by ${evidence.signal}`);
  else if (!stopped && evidence.exitCode !== undefined && evidence.exitCode !== null && evidence.exitCode !== 0) parts.push(`exit code ${evidence.exitCode}`);
  const message = parts.length > 0 ? parts.join(': ') : 'the agent failed without a message';
  return message.length > maxMessageLength ? `${message.slice(0, maxMessageLength - 1)}…` : message;
}
