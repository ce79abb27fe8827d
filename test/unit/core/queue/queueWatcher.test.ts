import assert from 'node:assert/strict';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { planningLayout, queueFolders, type QueueFolder } from '../../../../src/core/planning/planningLayout';
import { QueueIndex, type QueueDelta } from '../../../../src/core/queue/queueIndex';
import { watchQueue, type QueueWatcher } from '../../../../src/core/queue/queueWatcher';
import { simpleTaskParser, taskFileText } from '../../../support/simpleTaskParser';
import { useTempDir } from '../../../support/tempDir';

describe('watchQueue (real chokidar)', function () {
  this.timeout(10_000);
  const tempDir = useTempDir('ato-queue-watch-');
  const root = (): string => join(tempDir(), 'planning');
  const path = (folder: QueueFolder, name: string): string => join(root(), planningLayout[folder], name);
  let index: QueueIndex;
  let watcher: QueueWatcher | undefined;
  let errors: unknown[];

  beforeEach(async () => {
    errors = [];
    for (const folder of queueFolders) await mkdir(join(root(), planningLayout[folder]), { recursive: true });
    index = new QueueIndex({ planningRoot: root(), parse: simpleTaskParser });
  });

  afterEach(async () => {
    await watcher?.close();
    watcher = undefined;
    index.dispose();
    assert.deepEqual(errors, []);
  });

  async function start(batchMs?: number): Promise<QueueWatcher> {
    watcher = await watchQueue(index, { onError: error => errors.push(error), ...(batchMs === undefined ? {} : { batchMs }) });
    return watcher;
  }

  /** Resolves with the first delta that `matches`, or rejects after `timeoutMs`. */
  function nextDelta(matches: (delta: QueueDelta) => boolean = () => true, timeoutMs = 3000): Promise<QueueDelta> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        subscription.dispose();
        reject(new Error(`no matching change within ${timeoutMs} ms`));
      }, timeoutMs);
      const subscription = index.onDidChange(delta => {
        if (!matches(delta)) return;
        clearTimeout(timer);
        subscription.dispose();
        resolve(delta);
      });
    });
  }

  const titleOf = (id: string): string | undefined => index.byId(id)[0]?.result.task?.title;

  it('indexes what is already there once it is ready', async () => {
    await writeFile(path('pending', 'a.task.md'), taskFileText({ id: 'a' }));
    await writeFile(path('complete', 'b.task.md'), taskFileText({ id: 'b' }));
    await start();
    assert.deepEqual(index.snapshot().counts, { pending: 1, processed: 0, complete: 1 });
  });

  it('reflects creates, edits and deletes', async () => {
    await start();
    const file = path('pending', 'live.task.md');
    let change = nextDelta();
    await writeFile(file, taskFileText({ id: 'live', title: 'Created' }));
    assert.deepEqual((await change).added.map(e => e.fileName), ['live.task.md']);
    assert.equal(titleOf('live'), 'Created');

    change = nextDelta(delta => delta.changed.length > 0);
    await writeFile(file, taskFileText({ id: 'live', title: 'Edited' }));
    await change;
    assert.equal(titleOf('live'), 'Edited');

    change = nextDelta(delta => delta.removed.length > 0);
    await rm(file);
    assert.deepEqual((await change).removed.map(e => e.fileName), ['live.task.md']);
    assert.equal(index.size, 0);
  });

  it('indexes an invalid file with its diagnostics, and revalidates it when fixed', async () => {
    await start();
    const file = path('pending', 'bad.task.md');
    let change = nextDelta();
    await writeFile(file, '# INVALID on purpose\n');
    await change;
    assert.deepEqual(index.snapshot().invalid.map(e => e.result.diagnostics[0]?.code), ['test-invalid']);
    change = nextDelta();
    await writeFile(file, taskFileText({ id: 'bad', title: 'Fixed' }));
    await change;
    assert.deepEqual(index.snapshot().invalid, []);
    assert.equal(titleOf('bad'), 'Fixed');
  });

  it('sees a move pending → processed as one move, never in no folder and never in two', async () => {
    for (let i = 0; i < 50; i++) await writeFile(path('pending', `filler-${i}.task.md`), taskFileText({ id: `filler-${i}` }));
    await writeFile(path('pending', 'mv.task.md'), taskFileText({ id: 'mv' }));
    // 1 ms batches: the rename's unlink and add (which chokidar reports apart) land in separate batches.
    await start(1);
    const seen: string[][] = [];
    index.onDidChange(() => seen.push(index.byId('mv').map(e => e.folder)));
    const moved = nextDelta(delta => delta.moved.length > 0);
    await rename(path('pending', 'mv.task.md'), path('processed', 'mv.task.md'));
    const delta = await moved;
    assert.deepEqual(delta.moved.map(m => [m.from.relativePath, m.to.relativePath]), [['issue_queue/pending/mv.task.md', 'issue_queue/processed/mv.task.md']]);
    assert.deepEqual([delta.added, delta.removed], [[], []]);
    // Let the later half of the rename's events (and the rechecks) arrive; they must change nothing.
    await new Promise(resolve => setTimeout(resolve, 300));
    assert.deepEqual(seen, [['processed']]);
    assert.deepEqual(index.snapshot().counts, { pending: 50, processed: 1, complete: 0 });
  });

  it('sees an editor\'s atomic save (write a temp file, rename it over) as a change', async () => {
    const file = path('pending', 'saved.task.md');
    await writeFile(file, taskFileText({ id: 'saved', title: 'Before' }));
    await start();
    const change = nextDelta();
    await writeFile(`${file}.tmp`, taskFileText({ id: 'saved', title: 'After' }));
    await rename(`${file}.tmp`, file);
    const delta = await change;
    assert.deepEqual([delta.added.length, delta.removed.length, delta.changed.length], [0, 0, 1]);
    assert.equal(titleOf('saved'), 'After');
  });

  it('catches a second write that chokidar throttles away', async () => {
    const file = path('pending', 'twice.task.md');
    await writeFile(file, taskFileText({ id: 'twice', title: 'One' }));
    await start();
    const first = nextDelta();
    await writeFile(file, taskFileText({ id: 'twice', title: 'Two' }));
    await first;
    // Inside chokidar's 50 ms change throttle, after the index read "Two".
    const second = nextDelta(() => titleOf('twice') === 'Three, longer');
    await writeFile(file, taskFileText({ id: 'twice', title: 'Three, longer' }));
    await second;
  });

  it('coalesces a burst of writes into few batches', async () => {
    await start();
    let batches = 0;
    index.onDidChange(() => batches++);
    const all = nextDelta(() => index.size === 40);
    await Promise.all(Array.from({ length: 40 }, (_, i) => writeFile(path('pending', `burst-${i}.task.md`), taskFileText({ id: `burst-${i}` }))));
    await all;
    assert.ok(batches < 40, `${batches} batches for 40 files`);
  });

  it('watches a queue folder that is created, or re-created, after it started', async () => {
    await rm(join(root(), planningLayout.processed), { recursive: true });
    await rm(join(root(), 'issue_queue'), { recursive: true });
    await start();
    await mkdir(join(root(), planningLayout.processed), { recursive: true });
    let change = nextDelta();
    await writeFile(path('processed', 'late.task.md'), taskFileText({ id: 'late' }));
    assert.deepEqual((await change).added.map(e => e.relativePath), ['issue_queue/processed/late.task.md']);

    change = nextDelta(delta => delta.removed.length > 0);
    await rm(join(root(), 'issue_queue'), { recursive: true });
    await change;
    assert.equal(index.size, 0);

    change = nextDelta();
    await mkdir(join(root(), planningLayout.pending), { recursive: true });
    await writeFile(path('pending', 'again.task.md'), taskFileText({ id: 'again' }));
    await change;
    assert.deepEqual([...index.entries()].map(e => e.relativePath), ['issue_queue/pending/again.task.md']);
  });

  it('sees task files in sub-folders of the queue, made after it started, and a move that keeps the sub-folder', async () => {
    await start();
    let change = nextDelta();
    await mkdir(path('pending', 'web/forms'), { recursive: true });
    await writeFile(path('pending', 'web/forms/deep.task.md'), taskFileText({ id: 'deep', title: 'Deep' }));
    assert.deepEqual((await change).added.map(e => e.relativePath), ['issue_queue/pending/web/forms/deep.task.md']);
    change = nextDelta(delta => delta.changed.length > 0);
    await writeFile(path('pending', 'web/forms/deep.task.md'), taskFileText({ id: 'deep', title: 'Deeper' }));
    await change;
    assert.equal(titleOf('deep'), 'Deeper');
    change = nextDelta(delta => delta.moved.length > 0);
    await mkdir(path('processed', 'web/forms'), { recursive: true });
    await rename(path('pending', 'web/forms/deep.task.md'), path('processed', 'web/forms/deep.task.md'));
    assert.deepEqual((await change).moved.map(m => m.to.relativePath), ['issue_queue/processed/web/forms/deep.task.md']);
    assert.deepEqual(index.byId('deep').map(e => e.folder), ['processed']);
  });

  it('ignores the rest of the planning folder, hidden sub-folders and files that are not tasks', async () => {
    await start();
    let events = 0;
    index.onDidChange(() => events++);
    await mkdir(join(root(), 'vision'), { recursive: true });
    await writeFile(join(root(), 'vision', 'goal.md'), '# Goal');
    await mkdir(path('pending', '.drafts'), { recursive: true });
    await writeFile(join(path('pending', '.drafts'), 'deep.task.md'), taskFileText({ id: 'deep' }));
    await writeFile(path('pending', 'notes.txt'), 'not a task');
    await new Promise(resolve => setTimeout(resolve, 300));
    assert.equal(events, 0);
  });

  it('stops reporting once disposed', async () => {
    await start();
    let events = 0;
    index.onDidChange(() => events++);
    const closing = watcher!.close();
    watcher!.dispose();
    await closing;
    await writeFile(path('pending', 'late.task.md'), taskFileText({ id: 'late' }));
    await new Promise(resolve => setTimeout(resolve, 300));
    assert.equal(events, 0);
    assert.equal(index.size, 0);
  });

  it('flush applies a waiting batch at once', async () => {
    const slowIndex = new QueueIndex({ planningRoot: root(), parse: simpleTaskParser });
    const slow = await watchQueue(slowIndex, { batchMs: 60_000, coldIndex: false, onError: error => errors.push(error) });
    try {
      await writeFile(path('complete', 'c.task.md'), taskFileText({ id: 'c' }));
      await new Promise(resolve => setTimeout(resolve, 300));
      assert.equal(slowIndex.size, 0, 'still waiting in the batch');
      await slow.flush();
      assert.deepEqual([...slowIndex.entries()].map(e => e.relativePath), ['issue_queue/complete/c.task.md']);
    } finally {
      await slow.close();
      slowIndex.dispose();
    }
  });
});
