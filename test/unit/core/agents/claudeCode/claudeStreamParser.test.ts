import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseClaudeStreamLine, type ClaudeResult, type ClaudeStreamEvent } from '../../../../../src/core/agents/claudeCode/claudeStreamParser';

const repoRoot = join(__dirname, '..', '..', '..', '..', '..');
/** Real CLI output recorded for the project (shared/ sits beside the checkout). */
const samplesDir = join(repoRoot, 'test', 'fixtures', 'claude-code', 'samples');
const fixturesDir = join(repoRoot, 'test', 'fixtures', 'claude-code');

function parseFile(path: string): ClaudeStreamEvent[] {
  return readFileSync(path, 'utf8').split('\n').flatMap(line => {
    const event = parseClaudeStreamLine(line);
    return event ? [event] : [];
  });
}

function resultOf(events: readonly ClaudeStreamEvent[]): ClaudeResult {
  const last = events.at(-1);
  assert.equal(last?.kind, 'result', 'the last line is the result');
  return last.result;
}

describe('parseClaudeStreamLine', () => {
  const sampleFiles = readdirSync(samplesDir).filter(name => /\.jsonl?$/.test(name));
  const fixtureFiles = readdirSync(fixturesDir).filter(name => name.endsWith('.jsonl'));

  it('finds the recorded samples', () => {
    assert.deepEqual(sampleFiles.sort(), ['result-error-max-turns.json', 'result-json-schema.json', 'result-success.json', 'stream-json-partial-messages.jsonl', 'stream-json-text.jsonl', 'stream-json-tool-use.jsonl']);
    assert.equal(fixtureFiles.length, 3);
  });

  for (const [dir, files] of [[samplesDir, sampleFiles], [fixturesDir, fixtureFiles]] as const) {
    for (const file of files) {
      it(`parses every line of ${file} into a known event, ending with a result`, () => {
        const events = parseFile(join(dir, file));
        assert.ok(events.length > 0);
        for (const event of events) {
          assert.notEqual(event.kind, 'unparsed');
          assert.notEqual(event.kind, 'other');
        }
        const result = resultOf(events);
        assert.match(result.sessionId ?? '', /^[0-9a-f-]{36}$/);
        assert.equal(typeof result.turns, 'number');
        assert.equal(typeof result.costUsd, 'number');
        const sessions = new Set(events.flatMap(event => {
          const id = event.kind === 'result' ? event.result.sessionId : 'sessionId' in event ? event.sessionId : undefined;
          return id === undefined ? [] : [id];
        }));
        assert.deepEqual([...sessions], [result.sessionId], 'one session per run');
      });
    }
  }

  it('reads a success result: text, turns, cost, tokens', () => {
    const result = resultOf(parseFile(join(samplesDir, 'result-success.json')));
    assert.deepEqual(result, {
      subtype: 'success', isError: false, sessionId: '4d648f61-8f21-43f2-b7cd-736ecf6111ff', turns: 1, costUsd: 0.00014800000000000002,
      durationMs: 100, text: 'Hello from fake', errors: [], apiErrorStatus: undefined, apiErrorType: undefined, terminalReason: 'completed',
      stopReason: 'end_turn', tokens: { inputTokens: 12, outputTokens: 5, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 }, permissionDenials: 0,
    });
  });

  it('reads a max-turns result: subtype, is_error, errors[], no text', () => {
    const result = resultOf(parseFile(join(samplesDir, 'result-error-max-turns.json')));
    assert.equal(result.subtype, 'error_max_turns');
    assert.equal(result.isError, true);
    assert.equal(result.turns, 3);
    assert.deepEqual(result.errors, ['Reached maximum number of turns (2)']);
    assert.equal(result.text, undefined);
    assert.equal(result.terminalReason, 'max_turns');
    assert.deepEqual(result.tokens, { inputTokens: 24, outputTokens: 10, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 });
  });

  it('follows a tool-use run: init, tool call, tool result, answer, result', () => {
    const events = parseFile(join(samplesDir, 'stream-json-tool-use.jsonl'));
    assert.deepEqual(events.map(event => event.kind), ['init', 'assistant', 'user', 'assistant', 'result']);
    const [init, call, toolResult, answer] = events;
    assert.ok(init?.kind === 'init');
    assert.equal(init.model, 'claude-opus-5-5');
    assert.equal(init.permissionMode, 'dontAsk');
    assert.equal(init.version, '2.1.330');
    assert.ok(init.tools.includes('Read') && init.tools.includes('Write'));
    assert.ok(call?.kind === 'assistant');
    assert.deepEqual(call.toolUses, [{ id: 'toolu_fake_1', name: 'Read', input: { file_path: '/srv/repo/hello.txt' } }]);
    assert.equal(call.apiError, undefined);
    assert.ok(toolResult?.kind === 'user');
    assert.deepEqual(toolResult.toolResults, [{ toolUseId: 'toolu_fake_1', isError: false }]);
    assert.ok(answer?.kind === 'assistant');
    assert.deepEqual(answer.texts, ['Hello from fake']);
    assert.equal(resultOf(events).turns, 2);
  });

  it('reads stream_event and system/status lines of --include-partial-messages', () => {
    const events = parseFile(join(samplesDir, 'stream-json-partial-messages.jsonl'));
    assert.deepEqual(events.filter(event => event.kind === 'streamEvent').map(event => event.eventType),
      ['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    assert.ok(events.some(event => event.kind === 'system' && event.subtype === 'status'));
  });

  it('reads the structured output run', () => {
    assert.equal(resultOf(parseFile(join(samplesDir, 'result-json-schema.json'))).text, '{"name":"fake"}');
  });

  it('reads API retries, the synthetic error message and the api_error_status of a 401', () => {
    const events = parseFile(join(fixturesDir, 'stream-json-401-default-retries.jsonl'));
    const retries = events.filter(event => event.kind === 'apiRetry');
    assert.equal(retries.length, 10);
    assert.deepEqual(retries.map(retry => retry.attempt), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const retry of retries) {
      assert.equal(retry.errorStatus, 401);
      assert.equal(retry.error, 'authentication_failed');
      assert.equal(retry.maxRetries, 10);
    }
    const message = events.find(event => event.kind === 'assistant');
    assert.ok(message?.kind === 'assistant');
    assert.deepEqual(message.apiError, { status: 401, type: 'authentication_error', message: 'Invalid API key · Fix external API key' });
    const result = resultOf(events);
    assert.equal(result.subtype, 'success');
    assert.equal(result.isError, true);
    assert.equal(result.apiErrorStatus, 401);
    assert.equal(result.apiErrorType, 'authentication_error');
    assert.equal(result.terminalReason, 'api_error');
  });

  it('reads a 529 overload', () => {
    const result = resultOf(parseFile(join(fixturesDir, 'stream-json-529.jsonl')));
    assert.equal(result.apiErrorStatus, 529);
    assert.equal(result.apiErrorType, 'overloaded_error');
    assert.match(result.text ?? '', /Repeated 529 Overloaded/);
  });

  it('ignores unknown keys and drops fields of the wrong type instead of the line', () => {
    const event = parseClaudeStreamLine(JSON.stringify({ type: 'result', subtype: 'success', is_error: false, num_turns: 'three', total_cost_usd: 0.5, errors: 'oops', usage: { input_tokens: '1', output_tokens: 7 }, brand_new_field: { x: 1 } }));
    assert.ok(event?.kind === 'result');
    assert.equal(event.result.turns, undefined);
    assert.equal(event.result.costUsd, 0.5);
    assert.deepEqual(event.result.errors, []);
    assert.deepEqual(event.result.tokens, { inputTokens: 0, outputTokens: 7, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 });
  });

  it('treats an error subtype without is_error as an error', () => {
    const event = parseClaudeStreamLine('{"type":"result","subtype":"error_during_execution","errors":["boom"]}');
    assert.ok(event?.kind === 'result');
    assert.equal(event.result.isError, true);
    assert.deepEqual(event.result.errors, ['boom']);
  });

  it('reads assistant content given as a plain string', () => {
    const event = parseClaudeStreamLine('{"type":"assistant","message":{"content":"plain"}}');
    assert.ok(event?.kind === 'assistant');
    assert.deepEqual(event.texts, ['plain']);
  });

  it('reports a JSON line of an unknown type as other', () => {
    assert.deepEqual(parseClaudeStreamLine('{"type":"tool_use_summary","session_id":"s"}'), { kind: 'other', sessionId: 's', type: 'tool_use_summary' });
  });

  it('reads a rate_limit_event (the shape of CLI 2.1.330): status, resetsAt (unix seconds) and the window type; bad fields read as absent', () => {
    const line = JSON.stringify({ type: 'rate_limit_event', rate_limit_info: { status: 'rejected', resetsAt: 1796680800, rateLimitType: 'five_hour', utilization: 1 }, uuid: 'u', session_id: 's' });
    assert.deepEqual(parseClaudeStreamLine(line), { kind: 'rateLimit', sessionId: 's', status: 'rejected', resetsAt: new Date(1796680800 * 1000), limitType: 'five_hour' });
    assert.deepEqual(parseClaudeStreamLine('{"type":"rate_limit_event","rate_limit_info":{"status":3,"resetsAt":"soon"},"session_id":"s"}'), { kind: 'rateLimit', sessionId: 's', status: undefined, resetsAt: undefined, limitType: undefined });
    assert.deepEqual(parseClaudeStreamLine('{"type":"rate_limit_event","rate_limit_info":{"status":"rejected","resetsAt":1e300}}'), { kind: 'rateLimit', sessionId: undefined, status: 'rejected', resetsAt: undefined, limitType: undefined });
  });

  it('returns undefined for blank lines and unparsed for garbage', () => {
    assert.equal(parseClaudeStreamLine(''), undefined);
    assert.equal(parseClaudeStreamLine('  \r'), undefined);
    for (const line of ['garbage', '{"type":', 'null', '42', '[{"type":"result"}]', '{"type":7}', '{"no":"type"}', '\u0000\uFFFF']) {
      assert.deepEqual(parseClaudeStreamLine(line), { kind: 'unparsed', line }, line);
    }
  });

  it('never throws, whatever the line', () => {
    const jsonish = fc.oneof(
      fc.string(),
      fc.json(),
      fc.jsonValue().map(value => JSON.stringify({ type: 'result', extra: value })),
      fc.record({ type: fc.constantFrom('system', 'assistant', 'user', 'result', 'stream_event'), subtype: fc.anything(), message: fc.anything(), usage: fc.anything(), errors: fc.anything() })
        .map(value => JSON.stringify(value) as string | undefined ?? '{}'),
    );
    fc.assert(fc.property(jsonish, line => {
      const event = parseClaudeStreamLine(line);
      assert.ok(event === undefined || typeof event.kind === 'string');
    }), { numRuns: 2000 });
  });
});
