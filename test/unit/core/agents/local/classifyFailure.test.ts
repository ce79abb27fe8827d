import assert from 'node:assert/strict';
import { classifyFailure, type FailureEvidence } from '../../../../../src/core/agents/local/classifyFailure';
import type { FailureClass } from '../../../../../src/core/agents/failureClass';

const table: readonly (readonly [string, FailureEvidence, FailureClass])[] = [
  // How ATO stopped the process comes first, whatever else was seen.
  ['cancelled by the user', { cancelled: true, signal: 'SIGTERM', outputTail: ['429 Too Many Requests'] }, 'cancelled'],
  ['cancel wins over timeout', { cancelled: true, timedOut: true }, 'cancelled'],
  ['timed out', { timedOut: true, exitCode: 143 }, 'timeout'],
  ['timed out while the API said 401', { timedOut: true, apiErrorStatus: 401 }, 'timeout'],
  // Claude Code result subtypes
  ['error_max_turns', { resultSubtype: 'error_max_turns', isError: true, errors: ['Reached maximum number of turns (2)'], exitCode: 1 }, 'maxTurns'],
  ['error_max_budget_usd', { resultSubtype: 'error_max_budget_usd', isError: true, exitCode: 1 }, 'budget'],
  ['error_during_execution with no clue', { resultSubtype: 'error_during_execution', isError: true, errors: ['Something broke'], exitCode: 1 }, 'fatal'],
  // API status and error type
  ['401 api_error_status', { resultSubtype: 'success', isError: true, apiErrorStatus: 401, resultText: 'Invalid API key · Fix external API key' }, 'auth'],
  ['403', { apiErrorStatus: 403 }, 'auth'],
  ['authentication_error type', { apiErrorType: 'authentication_error' }, 'auth'],
  ['authentication_failed (api_retry name)', { apiErrorType: 'authentication_failed' }, 'auth'],
  ['permission_error type', { apiErrorType: 'permission_error' }, 'auth'],
  ['429', { apiErrorStatus: 429, apiErrorType: 'rate_limit_error' }, 'rateLimit'],
  // 529 overloaded: the service is busy for everyone, not this key's limit — transient, as the claude backend says.
  ['529', { apiErrorStatus: 529 }, 'network'],
  ['overloaded_error type', { apiErrorType: 'overloaded_error' }, 'network'],
  ['rate_limit_error type', { apiErrorType: 'rate_limit_error' }, 'rateLimit'],
  ['overloaded (api_retry name)', { apiErrorType: 'overloaded' }, 'network'],
  ['billing_error type', { apiErrorType: 'billing_error', apiErrorStatus: 400 }, 'budget'],
  ['500 api_error', { apiErrorStatus: 500, apiErrorType: 'api_error' }, 'network'],
  ['503', { apiErrorStatus: 503 }, 'network'],
  ['400 invalid_request_error', { apiErrorStatus: 400, apiErrorType: 'invalid_request_error', resultText: 'prompt is too long' }, 'fatal'],
  // Words of the agent's output
  ['Invalid API key in stderr', { exitCode: 1, outputTail: ['Invalid API key · Please run /login'] }, 'auth'],
  ['Please run /login', { exitCode: 1, outputTail: ['Not logged in · Please run /login'] }, 'auth'],
  ['HTTP 401 in stderr', { exitCode: 1, outputTail: ['Error: request failed with HTTP 401'] }, 'auth'],
  ['401 Unauthorized', { exitCode: 1, outputTail: ['401 Unauthorized'] }, 'auth'],
  ['status 403', { exitCode: 1, outputTail: ['status: 403'] }, 'auth'],
  ['rate limit in stderr', { exitCode: 1, outputTail: ['Error: rate limit exceeded, try later'] }, 'rateLimit'],
  ['Rate-limited', { exitCode: 1, outputTail: ['Rate-limited by upstream'] }, 'rateLimit'],
  ['429 Too Many Requests', { exitCode: 1, outputTail: ['429 Too Many Requests'] }, 'rateLimit'],
  ['overloaded in the result text', { isError: true, resultText: 'API Error: Repeated 529 Overloaded errors.' }, 'network'],
  ['HTTP 529 in stderr', { exitCode: 1, outputTail: ['Error: request failed with HTTP 529'] }, 'network'],
  ['quota exceeded', { exitCode: 2, outputTail: ['Quota exceeded for model'] }, 'rateLimit'],
  ['ENOTFOUND', { exitCode: 1, outputTail: ['getaddrinfo ENOTFOUND api.example.invalid'] }, 'network'],
  ['ECONNREFUSED', { exitCode: 1, outputTail: ['connect ECONNREFUSED 127.0.0.1:9'] }, 'network'],
  ['ECONNRESET', { exitCode: 1, errors: ['read ECONNRESET'] }, 'network'],
  ['fetch failed', { exitCode: 1, outputTail: ['TypeError: fetch failed'] }, 'network'],
  ['permission prompt', { exitCode: 1, outputTail: ['This command requires approval'] }, 'interactivePrompt'],
  ['waiting for input', { exitCode: 1, outputTail: ['Waiting for user input...'] }, 'interactivePrompt'],
  ['(y/n)', { exitCode: 1, outputTail: ['Overwrite existing file? (y/N)'] }, 'interactivePrompt'],
  ['not a TTY', { exitCode: 1, outputTail: ['Error: stdin is not a TTY'] }, 'interactivePrompt'],
  ['raw mode', { exitCode: 1, outputTail: ['Raw mode is not supported on the current process.stdin'] }, 'interactivePrompt'],
  ['inappropriate ioctl', { exitCode: 1, outputTail: ['stty: Inappropriate ioctl for device'] }, 'interactivePrompt'],
  ['max turns in words', { exitCode: 1, outputTail: ['Error: Reached maximum number of turns (40)'] }, 'maxTurns'],
  // Nothing recognisable
  ['exit 1, plain error', { exitCode: 1, outputTail: ['TypeError: cannot read properties of undefined'] }, 'fatal'],
  ['killed by a signal ATO did not send', { signal: 'SIGKILL' }, 'fatal'],
  ['could not start', { spawnError: 'spawn codex ENOENT' }, 'fatal'],
  ['nothing at all', {}, 'fatal'],
  ['a 401 line number is not an auth error', { exitCode: 1, outputTail: ['SyntaxError at line 401'] }, 'fatal'],
];

describe('classifyFailure', () => {
  for (const [name, evidence, expected] of table) {
    it(`${name} → ${expected}`, () => {
      assert.equal(classifyFailure(evidence).failure, expected);
    });
  }

  it('describes the failure in the agent\'s words', () => {
    assert.equal(classifyFailure({ resultSubtype: 'error_max_turns', isError: true, errors: ['Reached maximum number of turns (2)'], exitCode: 1 }).message,
      'error_max_turns: Reached maximum number of turns (2): exit code 1');
    assert.equal(classifyFailure({ isError: true, resultSubtype: 'success', apiErrorStatus: 401, apiErrorType: 'authentication_error', resultText: 'Invalid API key', exitCode: 1 }).message,
      'API error 401 authentication_error: Invalid API key: exit code 1');
    assert.equal(classifyFailure({ exitCode: 1, outputTail: ['', 'first', 'second', 'third', 'fourth', '  '] }).message, 'second | third | fourth: exit code 1');
    assert.equal(classifyFailure({ spawnError: 'spawn nope ENOENT' }).message, 'could not start: spawn nope ENOENT');
    assert.equal(classifyFailure({ cancelled: true, signal: 'SIGTERM', outputTail: ['noise'] }).message, 'cancelled');
    assert.equal(classifyFailure({ stoppedByAto: true, exitCode: 143, errors: ['API authentication failed (HTTP 401)'] }).message, 'API authentication failed (HTTP 401)');
    assert.equal(classifyFailure({ signal: 'SIGKILL' }).message, 'killed by SIGKILL');
    assert.equal(classifyFailure({}).message, 'the agent failed without a message');
  });

  it('keeps the message short', () => {
    const { message } = classifyFailure({ exitCode: 1, outputTail: ['x'.repeat(5000)] });
    assert.equal(message.length, 500);
    assert.ok(message.endsWith('…'));
  });
});
