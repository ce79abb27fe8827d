import assert from 'node:assert/strict';
import * as sdk from '@anthropic-ai/sdk';
import { classifyClaudeError, retryAfter } from '../../../../../src/core/agents/claude/claudeFailure';

function apiError(status: number, type: string, headers: Record<string, string> = {}): sdk.APIError {
  return sdk.APIError.generate(status, { type: 'error', error: { type, message: `the ${type}` } }, undefined, new Headers({ 'request-id': 'req_1', ...headers }));
}

/** What the SDK throws for an `event: error` in a stream: an APIError with no status and no headers. */
function streamError(type: string): sdk.APIError {
  return new sdk.APIError(undefined, { type: 'error', error: { type, message: `the ${type}` } }, undefined, undefined);
}

describe('classifyClaudeError (SDK errors → failure classes)', () => {
  it('ATO\'s own cancel and timeout win over whatever the SDK threw', () => {
    assert.equal(classifyClaudeError(new sdk.APIUserAbortError(), sdk, 'cancelled').failure, 'cancelled');
    assert.equal(classifyClaudeError(new sdk.APIUserAbortError(), sdk, 'timeout').failure, 'timeout');
    assert.equal(classifyClaudeError(new sdk.APIUserAbortError(), sdk, undefined).failure, 'cancelled');
  });

  it('by HTTP status: 401/403 auth, 402 budget, 429 rate limit, 5xx and 529 transient, 400 fatal', () => {
    const cases: readonly [number, string, string][] = [
      [401, 'authentication_error', 'auth'], [403, 'permission_error', 'auth'], [402, 'billing_error', 'budget'],
      [429, 'rate_limit_error', 'rateLimit'], [500, 'api_error', 'network'], [504, 'timeout_error', 'network'],
      [529, 'overloaded_error', 'network'], [400, 'invalid_request_error', 'fatal'], [404, 'not_found_error', 'fatal'],
    ];
    for (const [status, type, expected] of cases) assert.equal(classifyClaudeError(apiError(status, type), sdk, undefined).failure, expected, `${String(status)} ${type}`);
  });

  it('the message names the status, the API\'s type and words, and the request id', () => {
    assert.equal(classifyClaudeError(apiError(400, 'invalid_request_error'), sdk, undefined).message, 'the Messages API refused the request: HTTP 400 invalid_request_error: the invalid_request_error (request req_1)');
  });

  it('an error event inside a stream (no status) is classified by its type', () => {
    assert.equal(classifyClaudeError(streamError('overloaded_error'), sdk, undefined).failure, 'network');
    assert.equal(classifyClaudeError(streamError('rate_limit_error'), sdk, undefined).failure, 'rateLimit');
    assert.equal(classifyClaudeError(streamError('invalid_request_error'), sdk, undefined).message, 'the Messages API refused the request: in the stream invalid_request_error: the invalid_request_error');
  });

  it('a 429 carries retry-after (retry-after-ms first); connection errors are network or timeout; anything else is fatal', () => {
    assert.equal(classifyClaudeError(apiError(429, 'rate_limit_error', { 'retry-after': '12' }), sdk, undefined).retryAfterMs, 12_000);
    assert.equal(classifyClaudeError(apiError(429, 'rate_limit_error', { 'retry-after': '12', 'retry-after-ms': '1500' }), sdk, undefined).retryAfterMs, 1500);
    assert.equal(classifyClaudeError(apiError(429, 'rate_limit_error'), sdk, undefined).retryAfterMs, undefined);
    assert.equal(classifyClaudeError(new sdk.APIConnectionError({ cause: Object.assign(new Error('connect refused'), { code: 'ECONNREFUSED' }) }), sdk, undefined).message, 'could not reach the Messages API: ECONNREFUSED (connect refused)');
    assert.equal(classifyClaudeError(new sdk.APIConnectionTimeoutError(), sdk, undefined).failure, 'timeout');
    assert.equal(classifyClaudeError(new SyntaxError('Unexpected token'), sdk, undefined).failure, 'fatal');
  });

  it('retry-after as an HTTP date is the time until then', () => {
    const now = Date.parse('2026-12-07T12:00:00Z');
    assert.equal(retryAfter(new Headers({ 'retry-after': 'Mon, 07 Dec 2026 12:00:30 GMT' }), () => now), 30_000);
    assert.equal(retryAfter(new Headers({ 'retry-after': 'soon' }), () => now), undefined);
  });
});
