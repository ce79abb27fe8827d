import assert from 'node:assert/strict';
import { createLogger, isLogLevel, streamLogSink, type LogLevel, type LogSink } from '../../../../src/core/logging/logger';
import { redactedMarker as R, Redactor } from '../../../../src/core/logging/redactor';

interface Line {
  readonly level: LogLevel;
  readonly message: string;
}

function arraySink(): LogSink & { readonly lines: Line[] } {
  const lines: Line[] = [];
  return { lines, write: (level, message) => lines.push({ level, message }) };
}

const secret = 'correct-horse-battery';

function setup(): { sink: ReturnType<typeof arraySink>; redactor: Redactor } {
  const redactor = new Redactor();
  redactor.addSecret(secret);
  return { sink: arraySink(), redactor };
}

describe('createLogger', () => {
  it('writes each level to the sink', () => {
    const { sink, redactor } = setup();
    const log = createLogger(sink, redactor);
    log.trace('t');
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    assert.deepEqual(sink.lines, [
      { level: 'trace', message: 't' },
      { level: 'debug', message: 'd' },
      { level: 'info', message: 'i' },
      { level: 'warn', message: 'w' },
      { level: 'error', message: 'e' },
    ]);
  });

  it('formats arguments like util.format', () => {
    const { sink, redactor } = setup();
    createLogger(sink, redactor).info('%s has %d tasks, %j', 'repo', 3, { a: 1 });
    assert.equal(sink.lines[0]?.message, 'repo has 3 tasks, {"a":1}');
  });

  it('leaves a message without arguments as it is (a lone % is not a directive)', () => {
    const { sink, redactor } = setup();
    createLogger(sink, redactor).info('100% done %s');
    assert.equal(sink.lines[0]?.message, '100% done %s');
  });

  it('redacts secrets in the message and in every kind of argument', () => {
    const { sink, redactor } = setup();
    const log = createLogger(sink, redactor);
    log.info(`message ${secret}`);
    log.info('string %s', secret);
    log.info('json %j', { nested: { key: secret } });
    log.info('object %o', { key: secret });
    log.info('appended', { key: `Authorization: Bearer ${secret}` });
    log.warn('token %s', `ghp_${'a'.repeat(36)}`);
    assert.equal(sink.lines.length, 6);
    for (const { message } of sink.lines) {
      assert.ok(!message.includes(secret), message);
      assert.ok(!message.includes('a'.repeat(36)), message);
      assert.ok(message.includes(R), message);
    }
  });

  it('renders an Error argument as name, message and cause, redacted, without its stack', () => {
    const { sink, redactor } = setup();
    const error = new Error(`GET failed for ${secret}`, { cause: new Error(`x-api-key: ${secret}`) });
    createLogger(sink, redactor).error('request failed: %s', error);
    createLogger(sink, redactor).error('no directive', error);
    for (const { message } of sink.lines) {
      assert.ok(!message.includes(secret), message);
      assert.ok(message.includes(`Error: GET failed for ${R}`), message);
      assert.ok(message.includes(`caused by Error: x-api-key: ${R}`), message);
      assert.ok(!message.includes('    at '), `no stack frames: ${message}`);
    }
  });

  it('prefixes scoped loggers, nesting scopes', () => {
    const { sink, redactor } = setup();
    const root = createLogger(sink, redactor);
    root.scoped('planning').info('a');
    root.scoped('planning').scoped('init').warn('b %s', secret);
    root.info('c');
    assert.deepEqual(sink.lines, [
      { level: 'info', message: '[planning] a' },
      { level: 'warn', message: `[planning:init] b ${R}` },
      { level: 'info', message: 'c' },
    ]);
  });

  it('redacts a secret added to the redactor after the logger was made', () => {
    const sink = arraySink();
    const redactor = new Redactor();
    const log = createLogger(sink, redactor);
    redactor.addSecret('late-secret-value');
    log.info('late-secret-value');
    assert.equal(sink.lines[0]?.message, R);
  });
});

describe('streamLogSink', () => {
  const now = (): Date => new Date('2026-01-02T03:04:05.000Z');

  function collect(minimum?: LogLevel): { text: () => string; sink: LogSink } {
    const chunks: string[] = [];
    const stream = { write: (text: string) => chunks.push(text) };
    return { text: () => chunks.join(''), sink: minimum === undefined ? streamLogSink(stream, undefined, now) : streamLogSink(stream, minimum, now) };
  }

  it('writes timestamped lines from the minimum level up', () => {
    const { text, sink } = collect('warn');
    for (const level of ['trace', 'debug', 'info', 'warn', 'error'] as const) sink.write(level, `${level} line`);
    assert.equal(text(), '2026-01-02T03:04:05.000Z [warn] warn line\n2026-01-02T03:04:05.000Z [error] error line\n');
  });

  it('defaults to info', () => {
    const { text, sink } = collect();
    sink.write('debug', 'hidden');
    sink.write('info', 'shown');
    assert.equal(text(), '2026-01-02T03:04:05.000Z [info] shown\n');
  });

  it('passes everything at trace', () => {
    const { text, sink } = collect('trace');
    sink.write('trace', 'x');
    assert.equal(text(), '2026-01-02T03:04:05.000Z [trace] x\n');
  });
});

describe('isLogLevel', () => {
  it('accepts the five levels and nothing else', () => {
    for (const level of ['trace', 'debug', 'info', 'warn', 'error']) assert.ok(isLogLevel(level), level);
    for (const other of ['', 'INFO', 'verbose', 'toString', '__proto__']) assert.ok(!isLogLevel(other), other);
  });
});
