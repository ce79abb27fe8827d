import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentOutput } from '../../../../../src/core/agents/agentBackend';
import { ClaudeRunMonitor, type AbortRequest } from '../../../../../src/core/agents/claudeCode/claudeRunMonitor';
import { parseClaudeStreamLine } from '../../../../../src/core/agents/claudeCode/claudeStreamParser';
import type { ProcessResult } from '../../../../../src/core/agents/local/processRunner';

const repoRoot = join(__dirname, '..', '..', '..', '..', '..');
const samples = join(repoRoot, 'test', 'fixtures', 'claude-code', 'samples');
const fixtures = join(repoRoot, 'test', 'fixtures', 'claude-code');

function feed(monitor: ClaudeRunMonitor, file: string): { outputs: AgentOutput[]; aborts: AbortRequest[] } {
  const outputs: AgentOutput[] = [];
  const aborts: AbortRequest[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const event = parseClaudeStreamLine(line);
    if (!event) continue;
    const { output, abort } = monitor.observe(event);
    if (output) outputs.push(output);
    if (abort) aborts.push(abort);
  }
  return { outputs, aborts };
}

function exited(overrides: Partial<ProcessResult> = {}): ProcessResult {
  return { pid: 1234, exitCode: 0, signal: null, stopReason: undefined, stopMessage: undefined, spawnError: undefined, stdoutTail: [], stderrTail: [], durationMs: 100, ...overrides };
}

const monitor = (stopAfterRateLimitRetries?: number): ClaudeRunMonitor => new ClaudeRunMonitor({ stopOnAuthRetry: true, stopAfterRateLimitRetries });

describe('ClaudeRunMonitor', () => {
  it('turns a successful tool-use run into succeeded, with summary and usage, and logs the tool call', () => {
    const m = monitor();
    const { outputs, aborts } = feed(m, join(samples, 'stream-json-tool-use.jsonl'));
    assert.deepEqual(aborts, []);
    assert.deepEqual(outputs.map(output => output.text), [
      'claude 2.1.330 started: session 0f1bb3c0-5951-456a-a4b3-0881da9ef6f2, model claude-opus-5-5, permission mode dontAsk',
      'tool: Read(/srv/repo/hello.txt)',
      'result: success, 2 turns, $0.00029600000000000004',
    ]);
    assert.deepEqual(m.finish(exited()), {
      state: 'succeeded', summary: 'Hello from fake', exitCode: 0,
      usage: { costUsd: 0.00029600000000000004, turns: 2, inputTokens: 24, outputTokens: 10, sessionId: '0f1bb3c0-5951-456a-a4b3-0881da9ef6f2' },
    });
  });

  it('fails a run that hit max turns as maxTurns', () => {
    const m = monitor();
    feed(m, join(samples, 'result-error-max-turns.json'));
    const status = m.finish(exited({ exitCode: 1 }));
    assert.ok(status.state === 'failed');
    assert.equal(status.failure, 'maxTurns');
    assert.equal(status.message, 'error_max_turns: Reached maximum number of turns (2): exit code 1');
    assert.equal(status.usage.turns, 3);
  });

  it('asks to stop at the first 401 retry, and the stopped run fails as auth', () => {
    const m = monitor();
    const { aborts } = feed(m, join(fixtures, 'stream-json-401-default-retries.jsonl'));
    assert.equal(aborts.length, 10, 'every auth retry asks again; the runner acts on the first');
    const fresh = monitor();
    const lines = readFileSync(join(fixtures, 'stream-json-401-default-retries.jsonl'), 'utf8').split('\n').slice(0, 2);
    const abort = lines.map(line => fresh.observe(parseClaudeStreamLine(line)!).abort).find(request => request !== undefined);
    assert.equal(abort?.message, "API authentication failed (HTTP 401): stopped instead of waiting for the CLI's retries");
    const status = fresh.finish(exited({ exitCode: 143, stopReason: 'aborted', stopMessage: abort.message }));
    assert.ok(status.state === 'failed');
    assert.equal(status.failure, 'auth');
    assert.equal(status.usage.sessionId, '2d2270db-e612-4ca6-935c-34628dddf937');
  });

  it('classifies the CLI\'s own 401 and 529 results', () => {
    const auth = new ClaudeRunMonitor({ stopOnAuthRetry: false, stopAfterRateLimitRetries: undefined });
    assert.deepEqual(feed(auth, join(fixtures, 'stream-json-401-max-retries-2.jsonl')).aborts, []);
    const authStatus = auth.finish(exited({ exitCode: 1 }));
    assert.ok(authStatus.state === 'failed');
    assert.equal(authStatus.failure, 'auth');
    assert.equal(authStatus.message, 'API error 401 authentication_error: Invalid API key · Fix external API key: exit code 1');

    const overload = monitor();
    assert.deepEqual(feed(overload, join(fixtures, 'stream-json-529.jsonl')).aborts, []);
    const overloadStatus = overload.finish(exited({ exitCode: 1 }));
    assert.ok(overloadStatus.state === 'failed');
    // 529 overloaded is transient (the claude backend agrees: anthropicFailureClass), not a rate limit.
    assert.equal(overloadStatus.failure, 'network');
    assert.equal(overloadStatus.vendorWindow, undefined, 'an overloaded service closes no vendor window');
  });

  it('stops after the configured number of overload retries', () => {
    assert.equal(feed(monitor(2), join(fixtures, 'stream-json-529.jsonl')).aborts[0]?.message, 'API overloaded (HTTP 529): stopped after 2 retries');
  });

  it('fails a run without a result line, and one that exited 0 with an error result', () => {
    const silent = monitor().finish(exited({ exitCode: 1, stderrTail: ['Error: When using --print, --output-format=stream-json requires --verbose'] }));
    assert.ok(silent.state === 'failed');
    assert.equal(silent.failure, 'fatal');
    assert.match(silent.message, /requires --verbose/);

    const m = monitor();
    m.observe(parseClaudeStreamLine('{"type":"result","subtype":"error_during_execution","is_error":true,"errors":["fetch failed"],"session_id":"s"}')!);
    const status = m.finish(exited());
    assert.ok(status.state === 'failed');
    assert.equal(status.failure, 'network');
    assert.equal(status.usage.sessionId, 's');
  });

  it('reports timeout and cancel over anything the stream said', () => {
    for (const stopReason of ['timeout', 'cancelled'] as const) {
      const m = monitor();
      feed(m, join(fixtures, 'stream-json-529.jsonl'));
      const status = m.finish(exited({ exitCode: null, signal: 'SIGTERM', stopReason, stopMessage: stopReason === 'timeout' ? 'no result after 1 s' : 'by the user' }));
      assert.ok(status.state === 'failed');
      assert.equal(status.failure, stopReason);
    }
  });
  describe('the vendor window a rate-limited run reports', () => {
    const now = (): Date => new Date('2026-12-07T14:00:00.000Z');
    const observeLines = (m: ClaudeRunMonitor, lines: readonly unknown[]): AgentOutput[] => lines.flatMap(line => {
      const event = parseClaudeStreamLine(JSON.stringify(line));
      const output = event === undefined ? undefined : m.observe(event).output;
      return output === undefined ? [] : [output];
    });
    const retry429 = { type: 'system', subtype: 'api_retry', attempt: 1, max_retries: 10, retry_delay_ms: 30_000, error_status: 429, error: 'rate_limit', session_id: 's' };

    it('a 429 retry: the window closes for the delay the CLI waits (the server\'s retry-after)', () => {
      const m = new ClaudeRunMonitor({ stopOnAuthRetry: true, stopAfterRateLimitRetries: 1 }, now);
      observeLines(m, [retry429]);
      const status = m.finish(exited({ exitCode: null, signal: 'SIGTERM', stopReason: 'aborted', stopMessage: 'API rate limited (HTTP 429): stopped after 1 retries' }));
      assert.ok(status.state === 'failed');
      assert.equal(status.failure, 'rateLimit');
      assert.deepEqual(status.vendorWindow, { until: '2026-12-07T14:00:30.000Z', source: 'retryAfter' });
    });

    it('a rejected rate_limit_event: the window closes until its resetsAt, logged; an allowed one changes nothing', () => {
      const m = new ClaudeRunMonitor({ stopOnAuthRetry: true, stopAfterRateLimitRetries: 1 }, now);
      const resetsAt = Date.parse('2026-12-07T19:00:00.000Z') / 1000;
      const outputs = observeLines(m, [
        { type: 'rate_limit_event', rate_limit_info: { status: 'allowed', resetsAt, rateLimitType: 'five_hour' }, uuid: 'u1', session_id: 's' },
        { type: 'rate_limit_event', rate_limit_info: { status: 'rejected', resetsAt, rateLimitType: 'five_hour' }, uuid: 'u2', session_id: 's' },
        retry429,
      ]);
      assert.equal(outputs[0]?.text, 'rate limit (five_hour) reached: resets at 2026-12-07T19:00:00.000Z');
      const status = m.finish(exited({ exitCode: null, signal: 'SIGTERM', stopReason: 'aborted', stopMessage: 'API rate limited (HTTP 429): stopped after 1 retries' }));
      assert.ok(status.state === 'failed');
      assert.deepEqual(status.vendorWindow, { until: '2026-12-07T19:00:00.000Z', source: 'rateLimitEvent' }, 'the subscription\'s reset wins over the retry delay');
    });

    it('a run that failed for another reason reports no window, even after a rejected rate_limit_event', () => {
      const m = new ClaudeRunMonitor({ stopOnAuthRetry: true, stopAfterRateLimitRetries: undefined }, now);
      observeLines(m, [{ type: 'rate_limit_event', rate_limit_info: { status: 'rejected', resetsAt: Date.parse('2026-12-07T19:00:00.000Z') / 1000 }, session_id: 's' }]);
      feed(m, join(samples, 'result-error-max-turns.json'));
      const status = m.finish(exited({ exitCode: 1 }));
      assert.ok(status.state === 'failed');
      assert.equal(status.failure, 'maxTurns');
      assert.equal(status.vendorWindow, undefined);
    });
  });
});
