import assert from 'node:assert/strict';
import { anthropicFailureClass, isAnthropicOverload } from '../../../../../src/core/agents/anthropic/anthropicFailureClass';
import type { FailureClass } from '../../../../../src/core/agents/failureClass';

describe('anthropicFailureClass', () => {
  const table: readonly (readonly [number | undefined, string | undefined, FailureClass | undefined])[] = [
    [401, 'authentication_error', 'auth'], [403, undefined, 'auth'], [undefined, 'permission_error', 'auth'], [undefined, 'authentication_failed', 'auth'],
    [402, undefined, 'budget'], [400, 'billing_error', 'budget'],
    [429, 'rate_limit_error', 'rateLimit'], [429, undefined, 'rateLimit'], [undefined, 'rate_limit', 'rateLimit'],
    // Anthropic documents 529 overloaded_error as a temporary overload of the service, not the key's rate limit.
    [529, 'overloaded_error', 'network'], [529, undefined, 'network'], [undefined, 'overloaded_error', 'network'], [undefined, 'overloaded', 'network'],
    [500, 'api_error', 'network'], [503, undefined, 'network'], [undefined, 'timeout_error', 'network'],
    [400, 'invalid_request_error', undefined], [404, 'not_found_error', undefined], [undefined, undefined, undefined],
  ];
  for (const [status, type, expected] of table) {
    it(`${String(status)} ${String(type)} → ${String(expected)}`, () => {
      assert.equal(anthropicFailureClass(status, type), expected);
    });
  }

  it('tells an overload from a rate limit', () => {
    assert.equal(isAnthropicOverload(529, undefined), true);
    assert.equal(isAnthropicOverload(undefined, 'overloaded'), true);
    assert.equal(isAnthropicOverload(429, 'rate_limit_error'), false);
    assert.equal(isAnthropicOverload(500, 'api_error'), false);
  });
});
