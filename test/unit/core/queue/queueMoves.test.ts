import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rename, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { planningLayout, queueFolders, type QueueFolder } from '../../../../src/core/planning/planningLayout';
import type { QueueEntry } from '../../../../src/core/queue/queueEntry';
import { QueueIndex } from '../../../../src/core/queue/queueIndex';
import { moveTask, QueueMoveError, recoverInFlight } from '../../../../src/core/queue/queueMoves';
import { simpleTaskParser, taskFileText } from '../../../support/simpleTaskParser';
import { useTempDir } from '../../../support/tempDir';

describe('queue moves', () => {
  const tempDir = useTempDir('ato-queue-move-');
  const root = (): string => join(tempDir(), 'planning');
  const path = (folder: QueueFolder, name: string): string => join(root(), planningLayout[folder], name);
  let index: QueueIndex;

  beforeEach(async () => {
    for (const folder of queueFolders) await mkdir(join(root(), planningLayout[folder]), { recursive: true });
    index = new QueueIndex({ planningRoot: root(), parse: simpleTaskParser });
  });
  afterEach(() => {
    index.dispose();
  });

  async function entryFor(folder: QueueFolder, name: string, text = taskFileText({ id: name.replace(/\.task\.md$/, '') })): Promise<QueueEntry> {
    await writeFile(path(folder, name), text);
    await index.applyChange({ kind: 'add', file: path(folder, name) });
    const entry = index.entry(path(folder, name));
    assert.ok(entry);
    return entry;
  }

  const list = async (folder: QueueFolder): Promise<string[]> => (await readdir(join(root(), planningLayout[folder]))).sort();
  const inWorkspace = (): { workspaceRoot: string } => ({ workspaceRoot: tempDir() });

  it('renames the file into the other folder, keeping its content', async () => {
    const entry = await entryFor('pending', 'a.task.md');
    const move = await moveTask(entry, 'processed', inWorkspace());
    assert.deepEqual(move, { from: path('pending', 'a.task.md'), to: path('processed', 'a.task.md'), folder: 'processed', alreadyMoved: false });
    assert.deepEqual([await list('pending'), await list('processed')], [[], ['a.task.md']]);
    assert.equal(await readFile(move.to, 'utf8'), taskFileText({ id: 'a' }));
  });

  it('refuses to overwrite a file of the same name in the destination', async () => {
    const entry = await entryFor('pending', 'a.task.md');
    await writeFile(path('complete', 'a.task.md'), 'the earlier one');
    await assert.rejects(moveTask(entry, 'complete', inWorkspace()), (error: unknown) => {
      assert.ok(QueueMoveError.is(error, 'destinationExists'));
      assert.equal(QueueMoveError.is(error, 'sourceMissing'), false);
      assert.match(error.message, /already there/);
      return true;
    });
    assert.equal(await readFile(path('complete', 'a.task.md'), 'utf8'), 'the earlier one');
    assert.deepEqual(await list('pending'), ['a.task.md']);
  });

  it('is idempotent: repeating a move that happened (a crash before bookkeeping) is a no-op', async () => {
    const entry = await entryFor('pending', 'a.task.md');
    await moveTask(entry, 'processed', inWorkspace());
    const again = await moveTask(entry, 'processed', inWorkspace());
    assert.equal(again.alreadyMoved, true);
    assert.equal(again.to, path('processed', 'a.task.md'));
    assert.deepEqual([await list('pending'), await list('processed')], [[], ['a.task.md']]);
  });

  it('treats a move to the folder the file is in as done', async () => {
    const entry = await entryFor('processed', 'a.task.md');
    assert.equal((await moveTask(entry, 'processed', inWorkspace())).alreadyMoved, true);
  });

  it('says so when the file is in neither folder', async () => {
    const entry = await entryFor('pending', 'a.task.md');
    await rename(path('pending', 'a.task.md'), path('complete', 'a.task.md'));
    await assert.rejects(moveTask(entry, 'processed', inWorkspace()), (error: unknown) => QueueMoveError.is(error, 'sourceMissing'));
  });

  it('refuses an entry that is not in a queue folder', async () => {
    const entry = await entryFor('pending', 'a.task.md');
    const forged = { ...entry, relativePath: '../../etc/a.task.md' };
    await assert.rejects(moveTask(forged, 'processed', inWorkspace()), (error: unknown) => QueueMoveError.is(error, 'notInQueue'));
    await assert.rejects(moveTask({ ...entry, folder: 'complete' }, 'processed', inWorkspace()), (error: unknown) => QueueMoveError.is(error, 'notInQueue'));
  });

  it('creates a missing destination folder', async () => {
    const entry = await entryFor('pending', 'a.task.md');
    await rename(join(root(), planningLayout.complete), join(tempDir(), 'gone'));
    await moveTask(entry, 'complete', inWorkspace());
    assert.deepEqual(await list('complete'), ['a.task.md']);
  });

  it('keeps a sub-folder across the move, creating it in the destination', async () => {
    await mkdir(join(root(), planningLayout.pending, 'web', 'forms'), { recursive: true });
    const entry = await entryFor('pending', 'web/forms/a.task.md', taskFileText({ id: 'a' }));
    assert.equal(entry.relativePath, 'issue_queue/pending/web/forms/a.task.md');
    const move = await moveTask(entry, 'processed', inWorkspace());
    assert.equal(move.to, path('processed', 'web/forms/a.task.md'));
    assert.equal(await readFile(move.to, 'utf8'), taskFileText({ id: 'a' }));
    assert.deepEqual(await readdir(join(root(), planningLayout.pending, 'web', 'forms')), []);
    assert.equal((await moveTask(entry, 'processed', inWorkspace())).alreadyMoved, true);
  });

  it('refuses to move into or out of a queue folder that leads outside the workspace, and moves nothing', async () => {
    const outside = join(tempDir(), '..', `${tempDir().split('/').at(-1) ?? 'x'}-outside`);
    await mkdir(outside, { recursive: true });
    try {
      const entry = await entryFor('pending', 'a.task.md');
      await rename(join(root(), planningLayout.complete), join(tempDir(), 'complete-real'));
      await symlink(outside, join(root(), planningLayout.complete), 'dir');
      await assert.rejects(moveTask(entry, 'complete', inWorkspace()), (error: unknown) => QueueMoveError.is(error, 'outsideWorkspace') && error.message.includes('leads outside the workspace'));
      assert.deepEqual([await list('pending'), await readdir(outside)], [['a.task.md'], []]);

      await rename(join(root(), planningLayout.pending), join(tempDir(), 'pending-real'));
      await symlink(join(tempDir(), 'pending-real'), join(root(), planningLayout.pending), 'dir');
      await writeFile(join(outside, 'b.task.md'), 'outside');
      await rm(join(root(), planningLayout.processed), { recursive: true });
      await symlink(outside, join(root(), planningLayout.processed), 'dir');
      const fromOutside = { ...entry, file: path('processed', 'b.task.md'), relativePath: 'issue_queue/processed/b.task.md', folder: 'processed' as const, fileName: 'b.task.md' };
      await assert.rejects(moveTask(fromOutside, 'pending', inWorkspace()), (error: unknown) => QueueMoveError.is(error, 'outsideWorkspace'));
      assert.deepEqual(await readdir(outside), ['b.task.md']);
      // A queue folder that is a symlink to a folder inside the workspace is fine.
      assert.equal((await moveTask(entry, 'pending', inWorkspace())).alreadyMoved, true);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('is atomic: another thread never sees the file in no folder or in two', async function () {
    this.timeout(20_000);
    const count = 150;
    const entries: QueueEntry[] = [];
    for (let i = 0; i < count; i++) entries.push(await entryFor('pending', `t${i}.task.md`));
    // The observer checks the source then the destination to catch "in none", and the destination then
    // the source to catch "in both": each order is immune to a rename that falls between its two checks.
    const shared = new Int32Array(new SharedArrayBuffer(8));
    const observer = new Worker(`
      const { existsSync } = require('node:fs');
      const { join } = require('node:path');
      const { workerData } = require('node:worker_threads');
      const shared = workerData.shared;
      const violations = [];
      let checks = 0;
      while (Atomics.load(shared, 1) === 0) {
        const i = Atomics.load(shared, 0);
        const from = join(workerData.pending, 't' + i + '.task.md');
        const to = join(workerData.processed, 't' + i + '.task.md');
        if (!existsSync(from) && !existsSync(to)) violations.push('none ' + i);
        if (existsSync(to) && existsSync(from)) violations.push('both ' + i);
        checks++;
      }
      require('node:worker_threads').parentPort.postMessage({ violations, checks });
    `, { eval: true, workerData: { shared, pending: join(root(), planningLayout.pending), processed: join(root(), planningLayout.processed) } });
    const report = new Promise<{ violations: string[]; checks: number }>((resolve, reject) => {
      observer.once('message', resolve);
      observer.once('error', reject);
    });
    for (let i = 0; i < count; i++) {
      Atomics.store(shared, 0, i);
      await new Promise(resolve => setTimeout(resolve, 2));
      await moveTask(entries[i]!, 'processed', inWorkspace());
    }
    Atomics.store(shared, 1, 1);
    const { violations, checks } = await report;
    await observer.terminate();
    assert.deepEqual(violations, []);
    assert.ok(checks > count, `the observer looked ${checks} times`);
    assert.equal((await list('processed')).length, count);
  });

  it('recoverInFlight lists what is in processed/, oldest first, invalid files included', async () => {
    await entryFor('pending', 'waiting.task.md');
    await entryFor('processed', 'newer.task.md');
    await entryFor('processed', 'older.task.md');
    await entryFor('processed', 'broken.task.md', '# INVALID\n');
    await utimes(path('processed', 'older.task.md'), new Date('2026-01-01'), new Date('2026-01-01'));
    await utimes(path('processed', 'newer.task.md'), new Date('2026-02-01'), new Date('2026-02-01'));
    await utimes(path('processed', 'broken.task.md'), new Date('2026-03-01'), new Date('2026-03-01'));
    await index.coldIndex();
    const inFlight = recoverInFlight(index);
    assert.deepEqual(inFlight.map(e => e.fileName), ['older.task.md', 'newer.task.md', 'broken.task.md']);
    assert.equal(inFlight[2]?.result.task, undefined);
    assert.deepEqual(recoverInFlight(new QueueIndex({ planningRoot: tempDir(), parse: simpleTaskParser })), []);
  });
});
