import assert from 'node:assert/strict';
import { startFakeAnthropic, workingDirectoryOf, type FakeAnthropic } from '../../fakes/fakeAnthropicServer';

const headers = { 'x-api-key': 'dummy', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' };
const aRequest = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ model: 'claude-opus-5-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }], ...extra });

/** Splits an SSE body into its events, checking that each `event:` name matches its data's `type`. */
function sseEvents(body: string): Record<string, unknown>[] {
  return body.trim().split('\n\n').map(block => {
    const [eventLine, dataLine, ...rest] = block.split('\n');
    assert.deepEqual(rest, []);
    const name = /^event: (\w+)$/.exec(eventLine ?? '')?.[1];
    const data = JSON.parse((dataLine ?? '').replace(/^data: /, '')) as Record<string, unknown>;
    assert.equal(data['type'], name);
    return data;
  });
}

describe('fake Anthropic Messages API', () => {
  let fake: FakeAnthropic | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  async function post(path: string, body: unknown, extraHeaders: Record<string, string> = headers): Promise<Response> {
    fake ??= await startFakeAnthropic({ scenario: { kind: 'text', text: 'Hello there' } });
    return fetch(`${fake.url}${path}`, { method: 'POST', headers: extraHeaders, body: typeof body === 'string' ? body : JSON.stringify(body) });
  }

  it('streams a text answer as SSE in the documented order, with the configured usage', async () => {
    fake = await startFakeAnthropic({ scenario: { kind: 'text', text: 'Hello there' }, usage: { inputTokens: 40, outputTokens: 9 } });
    const response = await post('/v1/messages?beta=true', aRequest({ stream: true }));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    const events = sseEvents(await response.text());
    assert.deepEqual(events.map(e => e['type']), ['message_start', 'ping', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    const text = events.filter(e => e['type'] === 'content_block_delta').map(e => (e['delta'] as { text: string }).text).join('');
    assert.equal(text, 'Hello there');
    assert.deepEqual(events[6], { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { input_tokens: 40, output_tokens: 9, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } });
    assert.equal(fake.messageRequests().length, 1);
  });

  it('answers a non-streaming request with one JSON Message', async () => {
    const response = await post('/v1/messages', aRequest());
    assert.equal(response.headers.get('content-type'), 'application/json');
    const message = await response.json() as Record<string, unknown>;
    assert.equal(message['type'], 'message');
    assert.equal(message['role'], 'assistant');
    assert.equal(message['model'], 'claude-opus-5-5');
    assert.deepEqual(message['content'], [{ type: 'text', text: 'Hello there' }]);
    assert.equal(message['stop_reason'], 'end_turn');
  });

  it('calls Write with a path in the working directory first, then answers Done', async () => {
    fake = await startFakeAnthropic({ scenario: { kind: 'editFile', path: 'a/b.txt', content: 'x' } });
    const system = [{ type: 'text', text: 'Env:\n - Primary working directory: /work/tree\n - Platform: linux' }];
    const first = await (await post('/v1/messages', aRequest({ system, tools: [{ name: 'Read' }, { name: 'Write' }] }))).json() as { content: unknown[]; stop_reason: string };
    assert.equal(first.stop_reason, 'tool_use');
    assert.deepEqual(first.content, [{ type: 'tool_use', id: 'toolu_fake_1', name: 'Write', input: { file_path: '/work/tree/a/b.txt', content: 'x' } }]);
    const messages = [{ role: 'user', content: 'go' }, { role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_fake_1', content: 'ok' }] }];
    const second = await (await post('/v1/messages', aRequest({ system, messages }))).json() as { content: unknown[] };
    assert.deepEqual(second.content, [{ type: 'text', text: 'Done' }]);
    assert.equal(workingDirectoryOf({ system }), '/work/tree');
    assert.deepEqual(fake.requests.map(r => r.tools), [['Read', 'Write'], []]);
  });

  it('falls back to Edit when the CLI offers no Write', async () => {
    fake = await startFakeAnthropic({ scenario: { kind: 'editFile', path: '/abs/f.txt', content: 'new', oldString: 'old' } });
    const answer = await (await post('/v1/messages', aRequest({ tools: [{ name: 'Edit' }] }))).json() as { content: unknown[] };
    assert.deepEqual(answer.content, [{ type: 'tool_use', id: 'toolu_fake_1', name: 'Edit', input: { file_path: '/abs/f.txt', old_string: 'old', new_string: 'new' } }]);
  });

  it('answers every request with the status scenario\'s error and retry-after', async () => {
    fake = await startFakeAnthropic({ scenario: { kind: 'status', status: 529, errorType: 'overloaded_error', retryAfterSeconds: 7 } });
    const response = await post('/v1/messages', aRequest({ stream: true }));
    assert.equal(response.status, 529);
    assert.equal(response.headers.get('retry-after'), '7');
    assert.deepEqual(await response.json(), { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_fake_1' });
    fake.scenario = { kind: 'text' };
    assert.equal((await post('/v1/messages', aRequest())).status, 200, 'the scenario can change between requests');
  });

  it('rejects what the real API would: 400 without model, max_tokens or messages, 401 without a key, 404 elsewhere', async () => {
    for (const [body, message] of [
      [{ max_tokens: 1, messages: [{ role: 'user', content: 'x' }] }, 'model: Field required'],
      [{ model: 'm', messages: [{ role: 'user', content: 'x' }] }, 'max_tokens: Field required'],
      [{ model: 'm', max_tokens: 1, messages: [] }, 'messages: Field required'],
      ['{not json', 'body: not a JSON object'],
    ] as const) {
      const response = await post('/v1/messages', body);
      assert.equal(response.status, 400);
      assert.deepEqual(((await response.json()) as { error: unknown }).error, { type: 'invalid_request_error', message });
    }
    assert.equal((await post('/v1/messages', aRequest(), { 'content-type': 'application/json' })).status, 401);
    assert.equal((await post('/v1/nope', aRequest())).status, 404);
  });

  it('counts tokens and lists models', async () => {
    const counted = await post('/v1/messages/count_tokens', { model: 'm', messages: [{ role: 'user', content: 'hello' }] });
    assert.equal(counted.status, 200);
    assert.ok(((await counted.json()) as { input_tokens: number }).input_tokens > 0);
    const models = await fetch(`${fake?.url ?? ''}/v1/models`, { headers });
    const list = await models.json() as { data: { id: string }[]; has_more: boolean };
    assert.deepEqual(list.data.map(m => m.id), ['claude-opus-5-5', 'claude-sonnet-5-5', 'claude-haiku-5-5']);
    assert.equal(list.has_more, false);
  });

  it('never answers in the hang scenario', async () => {
    fake = await startFakeAnthropic({ scenario: { kind: 'hang' } });
    const outcome = await Promise.race([post('/v1/messages', aRequest()).then(() => 'answered', () => 'closed'), new Promise(resolve => setTimeout(() => { resolve('waiting'); }, 500))]);
    assert.equal(outcome, 'waiting');
    assert.equal(fake.messageRequests()[0]?.status, undefined);
  });
});
