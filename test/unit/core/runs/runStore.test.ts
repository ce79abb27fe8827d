import assert from 'node:assert/strict';
import { readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redactor } from '../../../../src/core/logging/redactor';
import type { RunRecord } from '../../../../src/core/runs/runRecord';
import { RunStore, RunStoreError, type RunStoreOptions } from '../../../../src/core/runs/runStore';
import { aRunRecord } from '../../../support/runRecords';
import { useTempDir } from '../../../support/tempDir';

describe('RunStore', () => {
  const tempDir = useTempDir();
  const makeStore = (overrides: Partial<RunStoreOptions> = {}) => new RunStore({ workspaceRoot: tempDir(), redactor: new Redactor(), ...overrides });
  const runsDir = () => join(tempDir(), '.ato', 'runs');

  it('writes <workspace>/.ato/runs/<runId>.json and reads it back', async () => {
    const store = makeStore();
    const record = aRunRecord({ summary: 'done', filesChanged: ['a.ts'] });
    await store.write(record);
    assert.equal(store.recordFile('run-1'), join(runsDir(), 'run-1.json'));
    assert.deepEqual(await store.read('run-1'), { ok: true, record });
    assert.deepEqual(JSON.parse(await readFile(store.recordFile('run-1'), 'utf8')), record);
    assert.match(await readFile(join(tempDir(), '.ato', '.gitignore'), 'utf8'), /^\*$/m, '.ato/ stays out of git');
    assert.deepEqual(await readdir(runsDir()), ['run-1.json'], 'no temporary file is left behind');
  });

  it('creates record files for the owner only', async function () {
    if (process.platform === 'win32') this.skip();
    const store = makeStore();
    await store.write(aRunRecord());
    assert.equal((await stat(store.recordFile('run-1'))).mode & 0o777, 0o600);
  });

  it('replaces a record whole: 20 concurrent writes leave one valid record and no temporary file', async () => {
    const store = makeStore();
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.write(aRunRecord({ summary: `version ${i}` }))));
    const result = await store.read('run-1');
    assert.ok(result.ok);
    assert.match(result.record.summary ?? '', /^version \d+$/);
    assert.deepEqual(await readdir(runsDir()), ['run-1.json']);
  });

  it('ignores a temporary file left by a crash mid-write, keeps the previous record, and cleans the file once stale', async () => {
    const store = makeStore();
    await store.write(aRunRecord({ summary: 'before the crash' }));
    const leftover = join(runsDir(), '.run-1.json.6f1c0d2e.tmp');
    await writeFile(leftover, '{"version":1,"runId":"run-1","sta');
    const fresh = join(runsDir(), '.run-2.json.0a0a0a0a.tmp');
    await writeFile(fresh, '{"ver');
    const old = new Date(Date.now() - 10 * 60_000);
    await utimes(leftover, old, old);

    const result = await store.read('run-1');
    assert.ok(result.ok && result.record.summary === 'before the crash');
    const list = await store.list();
    assert.deepEqual(list.records.map(record => record.summary), ['before the crash']);
    assert.deepEqual(list.problems, []);
    assert.deepEqual(list.removedTempFiles, ['.run-1.json.6f1c0d2e.tmp']);
    assert.deepEqual((await readdir(runsDir())).sort(), ['.run-2.json.0a0a0a0a.tmp', 'run-1.json'], 'a young temporary file may be another window writing');

    const later = makeStore({ now: () => new Date(Date.now() + 10 * 60_000) });
    assert.deepEqual((await later.list()).removedTempFiles, ['.run-2.json.0a0a0a0a.tmp']);
  });

  it('reports corrupt and invalid records without crashing or deleting them', async () => {
    const store = makeStore();
    await store.write(aRunRecord({ runId: 'good' }));
    await writeFile(join(runsDir(), 'broken.json'), '{ not json');
    await writeFile(join(runsDir(), 'wrong.json'), JSON.stringify({ ...aRunRecord({ runId: 'wrong' }), state: 'exploded' }));
    await writeFile(join(runsDir(), 'renamed.json'), JSON.stringify(aRunRecord({ runId: 'other' })));
    await writeFile(join(runsDir(), 'good.log'), 'log lines\n');
    await writeFile(join(runsDir(), 'notes.txt'), 'not a record');

    const list = await store.list();
    assert.deepEqual(list.records.map(record => record.runId), ['good']);
    assert.deepEqual(list.problems.map(problem => [problem.runId, problem.kind]), [['broken', 'invalidJson'], ['renamed', 'invalidRecord'], ['wrong', 'invalidRecord']]);
    assert.match(list.problems.find(problem => problem.runId === 'wrong')?.message ?? '', /state/);
    assert.equal(list.problems[0]?.file, join(runsDir(), 'broken.json'));
    for (const name of ['broken.json', 'wrong.json', 'renamed.json']) await stat(join(runsDir(), name));

    const read = await store.read('broken');
    assert.ok(!read.ok && !read.missing && read.problem.kind === 'invalidJson');
  });

  it('reads a missing record as missing, and lists nothing before the first write', async () => {
    const store = makeStore();
    assert.deepEqual(await store.read('nope'), { ok: false, missing: true });
    assert.deepEqual(await store.list(), { records: [], problems: [], removedTempFiles: [] });
  });

  it('lists records by start time', async () => {
    const store = makeStore();
    await store.write(aRunRecord({ runId: 'b', startedAt: '2026-11-21T12:00:00.000Z' }));
    await store.write(aRunRecord({ runId: 'a', startedAt: '2026-11-21T13:00:00.000Z' }));
    await store.write(aRunRecord({ runId: 'c', startedAt: '2026-11-21T11:00:00.000Z' }));
    assert.deepEqual((await store.list()).records.map(record => record.runId), ['c', 'b', 'a']);
  });

  it('refuses an invalid record or run id with a typed error, writing nothing', async () => {
    const store = makeStore();
    const invalid = { ...aRunRecord(), attempts: -1 } as RunRecord;
    await assert.rejects(store.write(invalid), (e: unknown) => RunStoreError.is(e, 'invalidRecord') && e.message.includes('attempts'));
    assert.throws(() => store.recordFile('../escape'), (e: unknown) => RunStoreError.is(e, 'invalidRunId'));
    assert.throws(() => store.logFile('a/b'), (e: unknown) => RunStoreError.is(e, 'invalidRunId'));
    await assert.rejects(store.read('..'), (e: unknown) => RunStoreError.is(e, 'invalidRunId'));
    assert.deepEqual((await store.list()).records, []);
  });

  it('never writes a secret into a record or a log', async () => {
    const redactor = new Redactor();
    redactor.addSecret('stored-jules-key-123456');
    const store = makeStore({ redactor });
    await store.write(aRunRecord({ summary: 'used stored-jules-key-123456 and ghp_abcdefghijklmnopqrstuvwxyz0123456789', failure: { class: 'auth', message: 'bad key stored-jules-key-123456' } }));
    await store.appendLog('run-1', 'echo stored-jules-key-123456');
    const text = await readFile(store.recordFile('run-1'), 'utf8') + await readFile(store.logFile('run-1'), 'utf8');
    assert.ok(!text.includes('stored-jules-key-123456'), text);
    assert.ok(!text.includes('abcdefghijklmnopqrstuvwxyz0123456789'), text);
  });

  it('appends log lines in order, even when nobody awaits, ending each with a newline', async () => {
    const store = makeStore();
    for (let i = 0; i < 100; i++) void store.appendLog('run-1', `line ${i}`);
    await store.appendLog('run-1', 'last\n');
    assert.equal(store.logFile('run-1'), join(runsDir(), 'run-1.log'));
    const lines = (await readFile(store.logFile('run-1'), 'utf8')).split('\n');
    assert.deepEqual(lines, [...Array.from({ length: 100 }, (_, i) => `line ${i}`), 'last', '']);
  });
});
