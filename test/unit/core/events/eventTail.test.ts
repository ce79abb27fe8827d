import assert from 'node:assert/strict';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EventLog } from '../../../../src/core/events/eventLog';
import { EventTail } from '../../../../src/core/events/eventTail';
import { Redactor } from '../../../../src/core/logging/redactor';
import { useTempDir } from '../../../support/tempDir';

describe('following the event log (EventTail)', () => {
  const tempDir = useTempDir('ato-event-tail-');
  const kinds = async (tail: EventTail): Promise<string[]> => (await tail.read()).events.map(event => event.kind);

  it('reads what is there, then only what was appended since; nothing before the log exists', async () => {
    const tail = new EventTail(tempDir(), 3);
    assert.deepEqual(await kinds(tail), []);
    const log = new EventLog({ directory: tempDir(), maxFileBytes: 1_000_000, maxFiles: 3, redactor: new Redactor() });
    await log.append({ kind: 'a.one' });
    await log.append({ kind: 'a.two' });
    assert.deepEqual(await kinds(tail), ['a.one', 'a.two']);
    assert.deepEqual(await kinds(tail), []);
    await log.append({ kind: 'a.three' });
    assert.deepEqual(await kinds(tail), ['a.three']);
  });

  it('a line still being written waits for its newline', async () => {
    const tail = new EventTail(tempDir(), 3);
    const file = join(tempDir(), 'events.ndjson');
    await appendFile(file, '{"v":1,"time":"2026-12-07T20:41:00.000Z","kind":"b.wh');
    assert.deepEqual(await kinds(tail), []);
    await appendFile(file, 'ole"}\n');
    assert.deepEqual(await kinds(tail), ['b.whole']);
  });

  it('across a rotation: the rest of the old file, then the new one, none lost or repeated', async () => {
    const log = new EventLog({ directory: tempDir(), maxFileBytes: 200, maxFiles: 3, redactor: new Redactor() });
    const tail = new EventTail(tempDir(), 3);
    await log.append({ kind: 'c.first', pad: 'x'.repeat(60) });
    assert.deepEqual(await kinds(tail), ['c.first']);
    for (const kind of ['c.second', 'c.third', 'c.fourth']) await log.append({ kind, pad: 'x'.repeat(60) });
    assert.deepEqual(await kinds(tail), ['c.second', 'c.third', 'c.fourth']);
  });
});
