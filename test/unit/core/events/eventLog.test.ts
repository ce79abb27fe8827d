import assert from 'node:assert/strict';
import { appendFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EventLog, eventLogFileName, readEvents, type EventLogOptions } from '../../../../src/core/events/eventLog';
import { Redactor } from '../../../../src/core/logging/redactor';
import { useTempDir } from '../../../support/tempDir';

describe('EventLog', () => {
  const tempDir = useTempDir();

  function makeLog(overrides: Partial<EventLogOptions> = {}): EventLog {
    return new EventLog({ directory: join(tempDir(), '.ato'), maxFileBytes: 1024 * 1024, maxFiles: 5, redactor: new Redactor(), ...overrides });
  }

  async function lines(file: string): Promise<Record<string, unknown>[]> {
    const text = await readFile(file, 'utf8');
    assert.ok(text.endsWith('\n'), 'every line ends with a newline');
    return text.trimEnd().split('\n').map(line => JSON.parse(line) as Record<string, unknown>);
  }

  it('appends one JSON line per event, with version, time and kind', async () => {
    const log = makeLog({ now: () => new Date('2026-03-04T05:06:07.000Z') });
    await log.append({ kind: 'planning.initialized', created: ['vision/goal.md'] });
    assert.deepEqual(await lines(log.file), [{ v: 1, time: '2026-03-04T05:06:07.000Z', kind: 'planning.initialized', created: ['vision/goal.md'] }]);
    assert.equal(log.file, join(tempDir(), '.ato', eventLogFileName));
  });

  it('keeps the order of 200 appends that nobody awaited', async () => {
    const log = makeLog();
    for (let seq = 0; seq < 200; seq++) void log.append({ kind: 'test.seq', seq });
    await log.flush();
    const seqs = (await lines(log.file)).map(event => event['seq']);
    assert.deepEqual(seqs, Array.from({ length: 200 }, (_, i) => i));
  });

  it('creates the log file readable by the owner only', async function () {
    if (process.platform === 'win32') this.skip();
    const log = makeLog();
    await log.append({ kind: 'x' });
    assert.equal((await stat(log.file)).mode & 0o777, 0o600);
  });

  it('redacts secrets in values, keys and nested data before writing', async () => {
    const redactor = new Redactor();
    const secret = 'glpat-notARealTokenButLongEnough';
    redactor.addSecret('my-stored-key-123');
    const log = makeLog({ redactor });
    await log.append({ kind: 'run.failed', detail: `server said my-stored-key-123`, headers: { 'private-token': secret }, ['my-stored-key-123']: 1, list: [`token ${secret}`] });
    const text = await readFile(log.file, 'utf8');
    assert.ok(!text.includes('my-stored-key-123'), text);
    assert.ok(!text.includes('notARealTokenButLongEnough'), text);
    assert.ok(text.includes('run.failed'));
  });

  it('rotates by size, keeps at most maxFiles files and drops the oldest events', async () => {
    const log = makeLog({ maxFileBytes: 300, maxFiles: 3 });
    for (let seq = 0; seq < 60; seq++) await log.append({ kind: 'test.seq', seq, padding: 'x'.repeat(40) });
    const directory = join(tempDir(), '.ato');
    const files = (await readdir(directory)).sort();
    assert.deepEqual(files, ['events.1.ndjson', 'events.2.ndjson', 'events.ndjson']);
    for (const file of files) assert.ok((await stat(join(directory, file))).size <= 300, `${file} stays under the limit`);

    const { events, skipped } = await readEvents(directory, 3);
    assert.equal(skipped, 0);
    const seqs = events.map(event => event['seq'] as number);
    assert.equal(seqs.at(-1), 59, 'the newest event is kept');
    assert.ok((seqs[0] ?? 0) > 0, 'the oldest events were dropped');
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'oldest first, without gaps in order');
    assert.equal(seqs.length, (seqs.at(-1) ?? 0) - (seqs[0] ?? 0) + 1, 'no event is lost between the kept files');
  });

  it('never splits a line or exceeds maxFiles when a burst outgrows the size limit', async () => {
    const log = makeLog({ maxFileBytes: 300, maxFiles: 3 });
    for (let seq = 0; seq < 60; seq++) void log.append({ kind: 'test.seq', seq, padding: 'x'.repeat(40) });
    await log.flush();
    const directory = join(tempDir(), '.ato');
    assert.ok((await readdir(directory)).length <= 3);
    const { events, skipped } = await readEvents(directory, 3);
    assert.equal(skipped, 0, 'every line is whole');
    const seqs = events.map(event => event['seq'] as number);
    assert.equal(seqs.at(-1), 59);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
  });

  it('keeps only the live file when maxFiles is 1', async () => {
    const log = makeLog({ maxFileBytes: 200, maxFiles: 1 });
    for (let seq = 0; seq < 20; seq++) await log.append({ kind: 'test.seq', seq, padding: 'y'.repeat(40) });
    assert.deepEqual(await readdir(join(tempDir(), '.ato')), ['events.ndjson']);
    const seqs = (await lines(log.file)).map(event => event['seq']);
    assert.equal(seqs.at(-1), 19);
  });

  it('counts an existing file towards the size limit', async () => {
    const directory = join(tempDir(), '.ato');
    const first = makeLog({ maxFileBytes: 400, maxFiles: 2 });
    for (let seq = 0; seq < 3; seq++) await first.append({ kind: 'before', seq, padding: 'z'.repeat(40) });
    // A new EventLog (as after a restart) must not let the live file grow past the limit.
    const second = makeLog({ maxFileBytes: 400, maxFiles: 2 });
    for (let seq = 0; seq < 3; seq++) await second.append({ kind: 'after', seq, padding: 'z'.repeat(40) });
    assert.ok((await stat(join(directory, 'events.ndjson'))).size <= 400);
    assert.ok((await stat(join(directory, 'events.1.ndjson'))).size <= 400);
  });

  it('starts on a fresh line after a torn last line (a crash mid-write), and the reader skips only the torn one', async () => {
    const directory = join(tempDir(), '.ato');
    const before = makeLog();
    await before.append({ kind: 'before.crash' });
    // What a process killed in the middle of its append leaves: a line without its end.
    await appendFile(before.file, '{"v":1,"time":"2026-01-01T00:00:00.000Z","kind":"cut.sh');
    const after = makeLog();
    await after.append({ kind: 'after.restart', seq: 1 });
    const text = await readFile(after.file, 'utf8');
    assert.match(text, /"kind":"cut\.sh\n\{"v":1,"time":"[^"]+","kind":"after\.restart","seq":1\}\n$/, 'the new event starts its own line');
    const { events, skipped } = await readEvents(directory, 5);
    assert.deepEqual(events.map(event => event.kind), ['before.crash', 'after.restart']);
    assert.equal(skipped, 1, 'only the torn line is skipped');
  });

  it('starts on a fresh line when another process tore the last line while this log was open', async () => {
    const log = makeLog();
    await log.append({ kind: 'first' });
    await appendFile(log.file, '{"v":1,"kind":"torn by another writ');
    await log.append({ kind: 'second' });
    await log.append({ kind: 'third' });
    const { events, skipped } = await readEvents(join(tempDir(), '.ato'), 5);
    assert.deepEqual(events.map(event => event.kind), ['first', 'second', 'third']);
    assert.equal(skipped, 1);
  });

  it('rejects an append that cannot be written, and later appends still run', async () => {
    const blocker = join(tempDir(), 'not-a-folder');
    await writeFile(blocker, 'a file where the log folder should be');
    const log = makeLog({ directory: blocker });
    const failed = log.append({ kind: 'a' });
    await assert.rejects(failed);
    await log.flush(); // the queue is not stuck on the failure
    await assert.rejects(log.append({ kind: 'b' }));
  });
});

describe('readEvents', () => {
  const tempDir = useTempDir();

  it('skips and counts lines that are not events: truncated, garbage, wrong shape', async () => {
    const valid = (kind: string): string => JSON.stringify({ v: 1, time: '2026-01-01T00:00:00.000Z', kind });
    const text = [
      valid('one'),
      '{"v":1,"time":"2026-01-01T00:00:00.000Z","ki', // cut short by a crash
      'not json at all',
      JSON.stringify({ v: 2, time: '2026-01-01T00:00:00.000Z', kind: 'future' }),
      JSON.stringify({ v: 1, time: 'yesterday', kind: 'bad-time' }),
      JSON.stringify({ v: 1, time: '2026-01-01T00:00:00.000Z', kind: '' }),
      '',
      valid('two'),
      '{"v":1,"time":"2026-01-01T00:0',
    ].join('\n');
    await writeFile(join(tempDir(), eventLogFileName), text);
    const { events, skipped } = await readEvents(tempDir(), 5);
    assert.deepEqual(events.map(event => event.kind), ['one', 'two']);
    assert.equal(skipped, 6);
  });

  it('keeps the extra fields of an event', async () => {
    await writeFile(join(tempDir(), eventLogFileName), `${JSON.stringify({ v: 1, time: '2026-01-01T00:00:00.000Z', kind: 'k', data: { n: 1 } })}\n`);
    const { events } = await readEvents(tempDir(), 1);
    assert.deepEqual(events[0]?.['data'], { n: 1 });
  });

  it('returns nothing for a folder with no log, or no folder', async () => {
    assert.deepEqual(await readEvents(tempDir(), 5), { events: [], skipped: 0 });
    assert.deepEqual(await readEvents(join(tempDir(), 'absent'), 5), { events: [], skipped: 0 });
  });

  it('reads what EventLog wrote back, across rotated files, oldest first', async () => {
    const log = new EventLog({ directory: tempDir(), maxFileBytes: 150, maxFiles: 10, redactor: new Redactor() });
    for (let seq = 0; seq < 12; seq++) await log.append({ kind: 'round.trip', seq });
    const { events, skipped } = await readEvents(tempDir(), 10);
    assert.equal(skipped, 0);
    assert.deepEqual(events.map(event => event['seq']), Array.from({ length: 12 }, (_, i) => i));
  });
});
