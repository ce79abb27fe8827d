import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { isAbsolute, join } from 'node:path';
import { listenOnLoopback } from '../support/httpServer';

/**
 * A stateful fake of the Anthropic Messages API on 127.0.0.1, for driving the real Claude Code CLI (and
 * any Messages client) in tests. Streams SSE exactly as shared/specs/anthropic-and-claude-code.md §A
 * describes (message_start → content_block_start/delta/stop per block → message_delta → message_stop),
 * answers non-streaming requests with one JSON Message, and answers what the CLI calls besides
 * (`/v1/messages/count_tokens`, `GET /v1/models`).
 */

export type FakeAnthropicScenario =
  /**
   * Answers every request with `text` and `end_turn` (or `stopReason`: `max_tokens`, `refusal`…). With
   * `hangAfterStart`, a streamed answer stops after `message_start` and the first text delta and never ends.
   */
  | { readonly kind: 'text'; readonly text?: string; readonly stopReason?: string; readonly hangAfterStart?: boolean }
  /**
   * A 200 whose body the client cannot read: broken JSON for a plain request; for a streamed one, a
   * `message_start` event whose data is broken JSON.
   */
  | { readonly kind: 'malformed' }
  /**
   * First turn: a `Write` tool call (or `Edit` with `oldString`, when the CLI offers no `Write` or `tool`
   * says so) that puts `content` in `path` — relative to the CLI's working directory, which the fake
   * reads from the request's environment section, or absolute. Next turn: `finalText` with `end_turn`.
   */
  | { readonly kind: 'editFile'; readonly path: string; readonly content: string; readonly tool?: 'Write' | 'Edit'; readonly oldString?: string; readonly finalText?: string }
  /**
   * One tool call per turn, in order (`input` as given: use absolute paths), then `finalText` with
   * `end_turn`. Each call is made whether or not the request offered the tool: what the CLI does with it
   * is the test's question.
   */
  | { readonly kind: 'toolCalls'; readonly calls: readonly FakeToolCall[]; readonly finalText?: string }
  /** Always calls `Read` on `path` (default the working directory's README.md): the CLI runs out of turns. */
  | { readonly kind: 'loop'; readonly path?: string }
  /** Answers every Messages request with this HTTP status and an Anthropic error body. */
  | { readonly kind: 'status'; readonly status: number; readonly errorType: string; readonly message?: string; readonly retryAfterSeconds?: number }
  /** Accepts the request and never answers. */
  | { readonly kind: 'hang' };

export interface FakeToolCall {
  readonly name: string;
  readonly input: Readonly<Record<string, unknown>>;
}

/** Token counts reported in each response. The CLI computes its cost from them. */
export interface FakeUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadInputTokens?: number;
  readonly cacheCreationInputTokens?: number;
}

export interface FakeAnthropicOptions {
  readonly scenario: FakeAnthropicScenario;
  readonly usage?: FakeUsage;
  /**
   * The one key the fake accepts (`x-api-key`, or `Authorization: Bearer` as the SDK ≥ 1.0 sends it): any
   * other answers 401 `authentication_error`. Unset: any key is accepted.
   */
  readonly apiKey?: string;
}

export interface RecordedAnthropicRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body, or undefined. */
  readonly body: Record<string, unknown> | undefined;
  /** Names of the tools the request offered. */
  readonly tools: readonly string[];
  /** The response status the fake chose (undefined while hanging). */
  status: number | undefined;
}

export interface FakeAnthropic {
  /** `http://127.0.0.1:<port>`: the value for ANTHROPIC_BASE_URL. */
  readonly url: string;
  readonly requests: RecordedAnthropicRequest[];
  /** Messages requests only (`POST /v1/messages`). */
  messageRequests(): RecordedAnthropicRequest[];
  scenario: FakeAnthropicScenario;
  usage: FakeUsage;
  close(): Promise<void>;
}

export const fakeModels = ['claude-opus-5-5', 'claude-sonnet-5-5', 'claude-haiku-5-5'] as const;

type Block =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'tool_use'; readonly id: string; readonly name: string; readonly input: Record<string, unknown> };

export async function startFakeAnthropic(options: FakeAnthropicOptions): Promise<FakeAnthropic> {
  const requests: RecordedAnthropicRequest[] = [];
  let counter = 0;
  const state = { scenario: options.scenario, usage: options.usage ?? { inputTokens: 12, outputTokens: 5 } };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> | undefined;
      try {
        const parsed: unknown = JSON.parse(text);
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
      } catch {
        body = undefined;
      }
      const tools = Array.isArray(body?.['tools']) ? (body['tools'] as unknown[]).flatMap(tool => (isRecord(tool) && typeof tool['name'] === 'string' ? [tool['name']] : [])) : [];
      const recorded: RecordedAnthropicRequest = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body, tools, status: undefined };
      requests.push(recorded);
      counter++;
      try {
        handle(request, response, recorded, counter);
      } catch (cause) {
        error(response, recorded, 500, 'api_error', `fake Anthropic: ${cause instanceof Error ? cause.message : String(cause)}`);
      }
    });
  });

  function reply(response: ServerResponse, recorded: RecordedAnthropicRequest, status: number, json: unknown, headers: Record<string, string> = {}): void {
    recorded.status = status;
    response.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_fake_${counter}`, ...headers });
    response.end(JSON.stringify(json));
  }

  function error(response: ServerResponse, recorded: RecordedAnthropicRequest, status: number, type: string, message: string, headers: Record<string, string> = {}): void {
    reply(response, recorded, status, { type: 'error', error: { type, message }, request_id: `req_fake_${counter}` }, headers);
  }

  function handle(request: IncomingMessage, response: ServerResponse, recorded: RecordedAnthropicRequest, n: number): void {
    const path = (request.url ?? '').split('?')[0] ?? '';
    if (request.headers['x-api-key'] === undefined && request.headers.authorization === undefined) {
      error(response, recorded, 401, 'authentication_error', 'x-api-key header is required');
      return;
    }
    if (options.apiKey !== undefined && keyOf(request.headers) !== options.apiKey) {
      error(response, recorded, 401, 'authentication_error', 'invalid x-api-key');
      return;
    }
    if (request.method === 'GET' && path === '/v1/models') {
      const data = fakeModels.map(id => ({ type: 'model', id, display_name: id, created_at: '2026-01-01T00:00:00Z' }));
      reply(response, recorded, 200, { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
      return;
    }
    if (request.method === 'POST' && path === '/v1/messages/count_tokens') {
      if (!recorded.body || !Array.isArray(recorded.body['messages'])) {
        error(response, recorded, 400, 'invalid_request_error', 'messages: Field required');
        return;
      }
      reply(response, recorded, 200, { input_tokens: Math.max(1, Math.round(JSON.stringify(recorded.body).length / 4)) });
      return;
    }
    if (request.method !== 'POST' || path !== '/v1/messages') {
      error(response, recorded, 404, 'not_found_error', `Not found: ${request.method ?? ''} ${path}`);
      return;
    }
    const body = recorded.body;
    const problem = !body ? 'body: not a JSON object'
      : typeof body['model'] !== 'string' || body['model'] === '' ? 'model: Field required'
      : typeof body['max_tokens'] !== 'number' ? 'max_tokens: Field required'
      : !Array.isArray(body['messages']) || body['messages'].length === 0 ? 'messages: Field required'
      : undefined;
    if (problem !== undefined || !body) {
      error(response, recorded, 400, 'invalid_request_error', problem ?? 'invalid request');
      return;
    }
    const scenario = state.scenario;
    if (scenario.kind === 'hang') return;
    if (scenario.kind === 'malformed') {
      recorded.status = 200;
      if (body['stream'] !== true) {
        response.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_fake_${n}` });
        response.end('{"id": "msg_fake", "type": "message", "content": [');
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': `req_fake_${n}` });
      response.end('event: message_start\ndata: {"type": "message_start", "message": {\n\n');
      return;
    }
    if (scenario.kind === 'status') {
      const headers: Record<string, string> = scenario.retryAfterSeconds === undefined ? {} : { 'retry-after': String(scenario.retryAfterSeconds) };
      error(response, recorded, scenario.status, scenario.errorType, scenario.message ?? defaultErrorMessage(scenario.errorType), headers);
      return;
    }
    const blocks = answer(scenario, body, recorded.tools, n);
    const model = body['model'] as string;
    const stopReason = scenario.kind === 'text' && scenario.stopReason !== undefined ? scenario.stopReason : blocks.some(b => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
    const message = { id: `msg_fake_${n}`, type: 'message', role: 'assistant', model, content: blocks, stop_reason: stopReason, stop_sequence: null, usage: usageJson(state.usage) };
    recorded.status = 200;
    if (body['stream'] !== true) {
      reply(response, recorded, 200, message);
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': `req_fake_${n}` });
    const send = (type: string, data: Record<string, unknown>): void => {
      response.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
    };
    send('message_start', { message: { ...message, content: [], stop_reason: null, usage: { ...usageJson(state.usage), output_tokens: 1 } } });
    send('ping', {});
    if (scenario.kind === 'text' && scenario.hangAfterStart === true) {
      send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
      send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: (blocks[0]?.type === 'text' ? blocks[0].text : '').slice(0, 10) } });
      return;
    }
    blocks.forEach((block, index) => {
      if (block.type === 'text') {
        send('content_block_start', { index, content_block: { type: 'text', text: '' } });
        const half = Math.ceil(block.text.length / 2);
        for (const piece of [block.text.slice(0, half), block.text.slice(half)]) {
          if (piece !== '') send('content_block_delta', { index, delta: { type: 'text_delta', text: piece } });
        }
      } else {
        send('content_block_start', { index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } });
        const json = JSON.stringify(block.input);
        const cut = Math.min(5, json.length);
        send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: json.slice(0, cut) } });
        send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: json.slice(cut) } });
      }
      send('content_block_stop', { index });
    });
    send('message_delta', { delta: { stop_reason: message.stop_reason, stop_sequence: null }, usage: usageJson(state.usage) });
    send('message_stop', {});
    response.end();
  }

  return {
    url: await listenOnLoopback(server),
    requests,
    messageRequests: () => requests.filter(r => r.method === 'POST' && r.url.split('?')[0] === '/v1/messages'),
    get scenario() {
      return state.scenario;
    },
    set scenario(value: FakeAnthropicScenario) {
      state.scenario = value;
    },
    get usage() {
      return state.usage;
    },
    set usage(value: FakeUsage) {
      state.usage = value;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close(err => {
          if (err) reject(err);
          else resolve();
        });
      }),
  };
}

/** What the model "says" for a scenario, given the conversation so far. */
function answer(scenario: Exclude<FakeAnthropicScenario, { kind: 'status' | 'hang' | 'malformed' }>, body: Record<string, unknown>, tools: readonly string[], n: number): Block[] {
  const turn = assistantTurns(body);
  switch (scenario.kind) {
    case 'text':
      return [{ type: 'text', text: scenario.text ?? 'Hello from the fake Anthropic API' }];
    case 'toolCalls': {
      const call = scenario.calls[turn];
      return call === undefined ? [{ type: 'text', text: scenario.finalText ?? 'Done' }] : [{ type: 'tool_use', id: `toolu_fake_${n}`, name: call.name, input: { ...call.input } }];
    }
    case 'loop':
      return [{ type: 'tool_use', id: `toolu_fake_${n}`, name: 'Read', input: { file_path: resolvePath(body, scenario.path ?? 'README.md') } }];
    case 'editFile': {
      if (turn > 0) return [{ type: 'text', text: scenario.finalText ?? 'Done' }];
      const file = resolvePath(body, scenario.path);
      const useEdit = scenario.tool === 'Edit' || (scenario.tool === undefined && !tools.includes('Write') && tools.includes('Edit'));
      const input = useEdit ? { file_path: file, old_string: scenario.oldString ?? '', new_string: scenario.content } : { file_path: file, content: scenario.content };
      return [{ type: 'tool_use', id: `toolu_fake_${n}`, name: useEdit ? 'Edit' : 'Write', input }];
    }
  }
}

/** How many times the assistant has spoken in the conversation sent. */
function assistantTurns(body: Record<string, unknown>): number {
  const messages = body['messages'];
  return Array.isArray(messages) ? messages.filter(m => isRecord(m) && m['role'] === 'assistant').length : 0;
}

/** The CLI's working directory, from the environment section it sends ("Primary working directory: …"). */
export function workingDirectoryOf(body: Record<string, unknown>): string | undefined {
  return /Primary working directory: ([^\n"\\]+)/.exec(JSON.stringify(body))?.[1]?.trim();
}

function resolvePath(body: Record<string, unknown>, path: string): string {
  if (isAbsolute(path)) return path;
  const cwd = workingDirectoryOf(body);
  if (cwd === undefined) throw new Error('fake Anthropic: the request names no working directory; give an absolute path');
  return join(cwd, path);
}

function usageJson(usage: FakeUsage): Record<string, number> {
  return {
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    cache_creation_input_tokens: usage.cacheCreationInputTokens ?? 0,
    cache_read_input_tokens: usage.cacheReadInputTokens ?? 0,
  };
}

function defaultErrorMessage(type: string): string {
  switch (type) {
    case 'authentication_error':
      return 'invalid x-api-key';
    case 'overloaded_error':
      return 'Overloaded';
    case 'rate_limit_error':
      return 'Number of request tokens has exceeded your per-minute rate limit';
    default:
      return type;
  }
}

/** The key a request carries: `x-api-key` (Claude Code), else the bearer token (the SDK since 1.0). */
function keyOf(headers: IncomingHttpHeaders): string | undefined {
  const key = headers['x-api-key'];
  if (typeof key === 'string') return key;
  return /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
