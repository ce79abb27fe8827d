import assert from 'node:assert/strict';
import { chmod, mkdir, rename, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { planningLayout, type QueueFolder } from '../../../../src/core/planning/planningLayout';
import { queueEntryId } from '../../../../src/core/queue/queueEntry';
import { QueueIndex, type QueueDelta, type QueueIndexOptions } from '../../../../src/core/queue/queueIndex';
import type { TaskParseResult } from '../../../../src/core/tasks/task';
import { simpleTaskParser, taskFileText, type TaskFileFields } from '../../../support/simpleTaskParser';
import { ignoresFilePermissions, useTempDir } from '../../../support/tempDir';

describe('QueueIndex', () => {
  const tempDir = useTempDir('ato-queue-');
  const root = (): string => join(tempDir(), 'planning');
  const path = (folder: QueueFolder, name: string): string => join(root(), planningLayout[folder], name);
  const indexes: QueueIndex[] = [];
  let parsed: string[] = [];
  let defaults: Partial<QueueIndexOptions> = {};

  afterEach(() => {
    for (const index of indexes.splice(0)) index.dispose();
  });

  function makeIndex(overrides: Partial<QueueIndexOptions> = {}): QueueIndex {
    parsed = [];
    const index = new QueueIndex({
      planningRoot: root(),
      parse: (text, fileName) => {
        parsed.push(fileName);
        return simpleTaskParser(text, fileName);
      },
      ...defaults,
      ...overrides,
    });
    indexes.push(index);
    return index;
  }

  async function put(folder: QueueFolder, name: string, fields: TaskFileFields | string = {}): Promise<string> {
    const file = path(folder, name);
    await mkdir(join(file, '..'), { recursive: true });
    await writeFile(file, typeof fields === 'string' ? fields : taskFileText(fields));
    return file;
  }

  function record(index: QueueIndex): QueueDelta[] {
    const deltas: QueueDelta[] = [];
    index.onDidChange(delta => deltas.push(delta));
    return deltas;
  }

  describe('coldIndex', () => {
    it('indexes all three folders, with relative paths, diagnostics and counts', async () => {
      await put('pending', 'add-login.task.md', { id: 'add-login', title: 'Add a login form' });
      await put('pending', 'plain.md', '# A plain task\n');
      await put('pending', 'broken.task.md', '---\nid: broken\n---\n# INVALID\n');
      await put('processed', 'running.task.md', { id: 'running' });
      await put('complete', 'done.task.md', { id: 'done' });
      const index = makeIndex();
      const deltas = record(index);
      await index.coldIndex();

      assert.equal(deltas.length, 1, 'one change event for the whole cold index');
      assert.equal(deltas[0]?.added.length, 5);
      assert.equal(index.size, 5);
      const login = index.entry(path('pending', 'add-login.task.md'));
      assert.equal(login?.relativePath, 'issue_queue/pending/add-login.task.md');
      assert.equal(login.folder, 'pending');
      assert.equal(login.fileName, 'add-login.task.md');
      assert.equal(login.result.task?.title, 'Add a login form');
      assert.ok(login.mtimeMs > 0 && login.size > 0);
      assert.equal(index.byId('plain')[0]?.result.task?.title, 'A plain task');

      const snapshot = index.snapshot();
      assert.deepEqual(snapshot.counts, { pending: 2, processed: 1, complete: 1 }, "valid tasks per folder: broken.task.md is counted apart");
      assert.deepEqual(snapshot.invalid.map(e => e.relativePath), ['issue_queue/pending/broken.task.md']);
      assert.deepEqual(snapshot.invalid[0]?.result.diagnostics.map(d => [d.code, d.range.start.line, d.range.start.character]), [['test-invalid', 3, 2]]);
      assert.deepEqual(snapshot.pending.ready.map(queueEntryId), ['add-login', 'plain']);
    });

    it('skips files that are not tasks, sub-folders and missing folders', async () => {
      await put('pending', 'real.task.md');
      await put('pending', '.gitkeep', '');
      await put('pending', 'README.md', '# not a task');
      await put('pending', 'notes.txt', 'no');
      await put('pending', '.hidden.md', '# editor temp');
      await mkdir(path('pending', 'folder.md'));
      // processed/ and complete/ do not exist
      const index = makeIndex();
      await index.coldIndex();
      assert.deepEqual([...index.entries()].map(e => e.fileName), ['real.task.md']);
      assert.deepEqual(index.snapshot().counts, { pending: 1, processed: 0, complete: 0 });
    });

    it('an ATO report beside a task (<name>.report.md, any case) is not a task', async () => {
      await put('complete', 'review-app.task.md', { id: 'review-app' });
      await put('complete', 'review-app.report.md', '# Report: Review the app\n\nAll good.\n');
      await put('pending', 'Weekly.REPORT.md', '# Report: weekly\n');
      const index = makeIndex();
      await index.coldIndex();
      assert.deepEqual([...index.entries()].map(e => e.fileName), ['review-app.task.md']);
    });

    it('on a second run re-reads only changed files, drops deleted ones and reports nothing when nothing changed', async () => {
      await put('pending', 'a.task.md', { id: 'a' });
      await put('pending', 'b.task.md', { id: 'b' });
      const index = makeIndex();
      await index.coldIndex();
      assert.equal(await index.coldIndex(), undefined);
      parsed = [];
      await put('pending', 'a.task.md', { id: 'a', title: 'Edited title' });
      await rm(path('pending', 'b.task.md'));
      const delta = await index.coldIndex();
      assert.deepEqual(parsed, ['a.task.md']);
      assert.deepEqual(delta?.changed.map(c => c.after.result.task?.title), ['Edited title']);
      assert.deepEqual(delta.removed.map(e => e.fileName), ['b.task.md']);
    });

    it('reads 500 files with bounded concurrency', async () => {
      for (let i = 0; i < 500; i++) await put((['pending', 'processed', 'complete'] as const)[i % 3]!, `t${i}.task.md`, { id: `t${i}` });
      let inFlight = 0;
      let maxInFlight = 0;
      const index = makeIndex({
        concurrency: 8,
        load: async file => {
          maxInFlight = Math.max(maxInFlight, ++inFlight);
          await new Promise(resolve => setTimeout(resolve, 1));
          inFlight--;
          const { readFile } = await import('node:fs/promises');
          return readFile(file, 'utf8');
        },
      });
      await index.coldIndex();
      assert.equal(index.size, 500);
      assert.ok(maxInFlight <= 8 && maxInFlight > 1, `at most 8 reads at once (saw ${maxInFlight})`);
    });
  });

  for (const syncBatchLimit of [24, 0]) {
  describe(`applyChange (${syncBatchLimit === 0 ? 'asynchronous reads' : 'small batches read synchronously'})`, () => {
    before(() => { defaults = { syncBatchLimit }; });
    after(() => { defaults = {}; });
    it('re-reads an edited file, and skips one whose modification time and size did not change', async () => {
      const file = await put('pending', 'a.task.md', { id: 'a', title: 'First' });
      const index = makeIndex();
      await index.coldIndex();
      parsed = [];
      assert.equal(await index.applyChange({ kind: 'change', file }), undefined);
      assert.deepEqual(parsed, [], 'unchanged stamp: not parsed again');

      await writeFile(file, taskFileText({ id: 'a', title: 'Second' }));
      const deltas = record(index);
      await index.applyChange({ kind: 'change', file });
      assert.deepEqual(parsed, ['a.task.md']);
      assert.equal(deltas.length, 1);
      assert.equal(deltas[0]?.changed[0]?.before.result.task?.title, 'First');
      assert.equal(index.byId('a')[0]?.result.task?.title, 'Second');
    });

    it('sees an edit that keeps the size when the modification time moved', async () => {
      const file = await put('pending', 'a.task.md', { id: 'a', title: 'AAAA' });
      const index = makeIndex();
      await index.coldIndex();
      await writeFile(file, taskFileText({ id: 'a', title: 'BBBB' }));
      await utimes(file, new Date(), new Date(Date.now() + 5000));
      await index.applyChange({ kind: 'change', file });
      assert.equal(index.byId('a')[0]?.result.task?.title, 'BBBB');
    });

    it('adds and removes files whatever kind the watcher reported', async () => {
      const index = makeIndex();
      await index.coldIndex();
      const file = await put('pending', 'new.task.md', { id: 'new' });
      const added = await index.applyChange({ kind: 'change', file });
      assert.deepEqual(added?.added.map(e => e.fileName), ['new.task.md']);
      await rm(file);
      const removed = await index.applyChange({ kind: 'add', file });
      assert.deepEqual(removed?.removed.map(e => e.fileName), ['new.task.md']);
      assert.equal(index.size, 0);
    });

    it('ignores paths outside the queue folders and files that are not tasks', async () => {
      const index = makeIndex();
      await index.coldIndex();
      await put('pending', 'notes.txt', 'x');
      await writeFile(join(tempDir(), 'elsewhere.task.md'), taskFileText());
      assert.equal(await index.applyChange({ kind: 'add', file: path('pending', 'notes.txt') }), undefined);
      assert.equal(await index.applyChange({ kind: 'add', file: join(tempDir(), 'elsewhere.task.md') }), undefined);
      assert.equal(index.size, 0);
    });

    for (const reported of ['unlink', 'add'] as const) {
      it(`records a rename between folders as one move when the watcher reports only the ${reported}`, async () => {
        await put('pending', 'mv.task.md', { id: 'mv' });
        await mkdir(join(root(), planningLayout.processed), { recursive: true });
        const index = makeIndex();
        await index.coldIndex();
        await rename(path('pending', 'mv.task.md'), path('processed', 'mv.task.md'));
        const delta = await index.applyChange({ kind: reported, file: reported === 'unlink' ? path('pending', 'mv.task.md') : path('processed', 'mv.task.md') });
        assert.deepEqual(delta?.moved.map(m => [m.from.folder, m.to.folder]), [['pending', 'processed']]);
        assert.deepEqual([delta.added, delta.removed], [[], []]);
        assert.deepEqual(index.byId('mv').map(e => e.folder), ['processed']);
        assert.deepEqual(index.snapshot().counts, { pending: 0, processed: 1, complete: 0 });
      });
    }

    it('applies a batch as one event and serializes batches in call order', async () => {
      const index = makeIndex();
      await index.coldIndex();
      const deltas = record(index);
      const a = await put('pending', 'a.task.md', { id: 'a' });
      const b = await put('complete', 'b.task.md', { id: 'b' });
      const first = index.applyChanges([{ kind: 'add', file: a }, { kind: 'add', file: b }]);
      const second = index.applyChange({ kind: 'change', file: a });
      await Promise.all([first, second]);
      assert.equal(deltas.length, 1, 'the second batch found nothing new');
      assert.equal(deltas[0]?.added.length, 2);
      assert.equal(deltas[0].revision, index.revision);
    });

    it('does not add and then remove a file that disappeared before it was read', async () => {
      const index = makeIndex();
      await index.coldIndex();
      const deltas = record(index);
      assert.equal(await index.applyChange({ kind: 'add', file: path('pending', 'ghost.task.md') }), undefined);
      assert.equal(deltas.length, 0);
    });
  });
  }

  describe('problems', () => {
    it('reports duplicate ids across folders, and holds the pending one back', async () => {
      // Explicit ages: two files written in the same millisecond would tie and sort by id.
      await put('pending', 'again.task.md', { id: 'shared', created: '2026-01-01T00:00:00Z' });
      await put('complete', 'first.task.md', { id: 'shared' });
      await put('pending', 'other.task.md', { id: 'other', created: '2026-01-02T00:00:00Z' });
      const index = makeIndex();
      await index.coldIndex();
      assert.deepEqual(index.byId('shared').map(e => e.relativePath), ['issue_queue/complete/first.task.md', 'issue_queue/pending/again.task.md']);
      const snapshot = index.snapshot();
      assert.deepEqual(snapshot.duplicates.map(d => [d.id, d.entries.length]), [['shared', 2]]);
      assert.deepEqual(snapshot.pending.ready.map(queueEntryId), ['other']);
      assert.deepEqual(snapshot.pending.blocked.map(b => b.reason), [{ kind: 'duplicateId', files: ['issue_queue/complete/first.task.md'] }]);

      await rm(path('complete', 'first.task.md'));
      await index.applyChange({ kind: 'unlink', file: path('complete', 'first.task.md') });
      assert.deepEqual(index.snapshot().duplicates, []);
      assert.deepEqual(index.snapshot().pending.ready.map(queueEntryId), ['shared', 'other']);
    });

    it('does not read a file over the size limit, and says why', async () => {
      await put('pending', 'huge.task.md', `# Huge\n${'x'.repeat(2000)}`);
      const index = makeIndex({ maxFileBytes: 1000 });
      await index.coldIndex();
      assert.deepEqual(parsed, []);
      const entry = index.byId('huge')[0];
      assert.ok(entry);
      assert.equal(entry.result.task, undefined);
      assert.equal(entry.result.diagnostics[0]?.code, 'file-too-large');
      assert.match(entry.result.diagnostics[0].message, /at most 1 KiB/);
    });

    it('reads a symlink that stays in the workspace and refuses one that leaves it', async () => {
      await writeFile(join(tempDir(), 'outside.md'), '# Outside');
      await mkdir(join(root(), 'drafts'), { recursive: true });
      await writeFile(join(root(), 'drafts', 'inside.md'), '# Inside');
      await mkdir(join(root(), planningLayout.pending), { recursive: true });
      await symlink(join(tempDir(), 'outside.md'), path('pending', 'escape.md'));
      await symlink(join(root(), 'drafts', 'inside.md'), path('pending', 'linked.md'));
      const index = makeIndex();
      await index.coldIndex();
      assert.equal(index.byId('linked')[0]?.result.task?.title, 'Inside');
      assert.deepEqual(index.byId('escape')[0]?.result.diagnostics.map(d => d.code), ['symlink-outside-workspace']);
      assert.deepEqual(parsed, ['linked.md']);
      assert.equal(await index.coldIndex(), undefined, 'nothing changed on a second look');
      const wide = makeIndex({ workspaceRoot: tempDir() });
      await wide.coldIndex();
      assert.equal(wide.byId('escape')[0]?.result.task?.title, 'Outside', 'inside a wider workspace root');
    });

    it('checks a symlink that a watcher reports, as it does in a cold index', async () => {
      const index = makeIndex();
      await index.coldIndex();
      await writeFile(join(tempDir(), 'outside.md'), '# Outside');
      await mkdir(join(root(), planningLayout.pending), { recursive: true });
      await symlink(join(tempDir(), 'outside.md'), path('pending', 'late.md'));
      await index.applyChange({ kind: 'add', file: path('pending', 'late.md') });
      assert.deepEqual(index.byId('late')[0]?.result.diagnostics.map(d => d.code), ['symlink-outside-workspace']);
    });

    it('turns an unreadable file into a diagnostic and reads it again once it is readable', async function () {
      if (ignoresFilePermissions()) this.skip();
      const file = await put('pending', 'locked.task.md', { id: 'locked' });
      await chmod(file, 0o000);
      const index = makeIndex();
      await index.coldIndex();
      assert.deepEqual(index.byId('locked')[0]?.result.diagnostics.map(d => d.code), ['file-unreadable']);
      await chmod(file, 0o644);
      await index.applyChange({ kind: 'change', file });
      assert.equal(index.byId('locked')[0]?.result.task?.id, 'locked');
    });

    it('survives a parser that throws', async () => {
      await put('pending', 'a.task.md');
      const index = makeIndex({ parse: (): TaskParseResult => { throw new Error('boom'); } });
      await index.coldIndex();
      assert.deepEqual([...index.entries()].map(e => e.result.diagnostics[0]?.code), ['parser-failed']);
    });

    it('uses the injected loader, and treats undefined as gone', async () => {
      await put('pending', 'a.task.md', { id: 'a' });
      await put('pending', 'b.task.md', { id: 'b' });
      const index = makeIndex({ load: file => Promise.resolve(file.endsWith('a.task.md') ? '---\nid: from-loader\n---\n# Loaded\n' : undefined) });
      await index.coldIndex();
      assert.deepEqual([...index.entries()].map(queueEntryId), ['from-loader']);
    });
  });

  describe('sub-folders (their queue folder is their state)', () => {
    it('indexes task files in sub-folders of every queue folder, with their path, and skips hidden ones', async () => {
      await put('pending', 'top.task.md', { id: 'top' });
      await put('pending', 'web/forms/login.task.md', '# Login form\n');
      await put('processed', 'api/users.md', '# Users API\n');
      await put('complete', 'old/done.task.md', '# Done\n');
      await put('pending', '.drafts/secret.task.md', '# hidden\n');
      await put('pending', 'web/.cache.md', '# hidden file\n');
      const index = makeIndex();
      await index.coldIndex();
      assert.deepEqual([...index.entries()].map(e => e.relativePath).sort(), [
        'issue_queue/complete/old/done.task.md', 'issue_queue/pending/top.task.md', 'issue_queue/pending/web/forms/login.task.md', 'issue_queue/processed/api/users.md',
      ]);
      const login = index.byId('login')[0];
      assert.equal(login?.fileName, 'login.task.md');
      assert.equal(login.folder, 'pending');
      assert.equal(login.result.task?.title, 'Login form');
      assert.deepEqual(index.snapshot().counts, { pending: 2, processed: 1, complete: 1 });
      assert.deepEqual(index.snapshot().pending.ready.map(queueEntryId).sort(), ['login', 'top']);
    });

    it('sees a watcher change in a sub-folder, and a move between folders that keeps the sub-folder as one move', async () => {
      await mkdir(join(root(), planningLayout.processed, 'web'), { recursive: true });
      const index = makeIndex();
      await index.coldIndex();
      const file = await put('pending', 'web/mv.task.md', { id: 'mv' });
      const added = await index.applyChange({ kind: 'add', file });
      assert.deepEqual(added?.added.map(e => e.relativePath), ['issue_queue/pending/web/mv.task.md']);
      await rename(file, path('processed', 'web/mv.task.md'));
      const delta = await index.applyChange({ kind: 'unlink', file });
      assert.deepEqual(delta?.moved.map(m => [m.from.relativePath, m.to.relativePath]), [['issue_queue/pending/web/mv.task.md', 'issue_queue/processed/web/mv.task.md']]);
      assert.deepEqual(index.byId('mv').map(e => e.folder), ['processed']);
    });

    it('reports a symlinked sub-folder instead of following it, and never reads the files behind it', async () => {
      await mkdir(join(tempDir(), 'elsewhere'), { recursive: true });
      await writeFile(join(tempDir(), 'elsewhere', 'behind.task.md'), taskFileText({ id: 'behind' }));
      await put('pending', 'real.task.md', { id: 'real' });
      await symlink(join(tempDir(), 'elsewhere'), path('pending', 'linked'), 'dir');
      const index = makeIndex({ workspaceRoot: tempDir() });
      await index.coldIndex();
      assert.deepEqual(parsed, ['real.task.md']);
      const invalid = index.snapshot().invalid;
      assert.deepEqual(invalid.map(e => [e.relativePath, e.fileName, e.result.diagnostics.map(d => d.code)]), [['issue_queue/pending/linked', 'linked/', ['symlinked-folder']]]);
      assert.match(invalid[0]?.result.diagnostics[0]?.message ?? '', /symlink to a folder; ATO does not follow/);
      const late = await index.applyChange({ kind: 'add', file: path('pending', 'linked/behind.task.md') });
      assert.equal(late, undefined, 'a watcher event behind the link changes nothing');
      assert.deepEqual(parsed, ['real.task.md']);
    });
  });

  describe('queue folders that lead outside the workspace', () => {
    const outside = (): string => join(tempDir(), 'outside');
    const workspace = (): string => join(tempDir(), 'ws');
    const wsRoot = (): string => join(workspace(), 'planning');
    const wsPath = (folder: QueueFolder, name: string): string => join(wsRoot(), planningLayout[folder], name);

    beforeEach(async () => {
      await mkdir(join(outside(), 'sub'), { recursive: true });
      await writeFile(join(outside(), 'stolen.task.md'), taskFileText({ id: 'stolen', title: 'Outside the workspace' }));
      await writeFile(join(outside(), 'sub', 'deeper.task.md'), taskFileText({ id: 'deeper' }));
      for (const folder of ['processed', 'complete'] as const) await mkdir(join(wsRoot(), planningLayout[folder]), { recursive: true });
      await writeFile(wsPath('processed', 'inside.task.md'), taskFileText({ id: 'inside' }));
    });

    it('never reads a symlinked pending/ that leads outside: one problem entry says so, and the rest of the queue is read', async () => {
      await symlink(outside(), join(wsRoot(), planningLayout.pending), 'dir');
      const index = makeIndex({ planningRoot: wsRoot(), workspaceRoot: workspace() });
      await index.coldIndex();
      assert.deepEqual(parsed, ['inside.task.md'], 'nothing outside was parsed');
      assert.deepEqual(index.byId('stolen'), []);
      const snapshot = index.snapshot();
      assert.deepEqual(snapshot.counts, { pending: 0, processed: 1, complete: 0 }, "the problem entry is counted as invalid, not pending");
      assert.deepEqual(snapshot.pending.ready, []);
      assert.deepEqual(snapshot.invalid.map(e => [e.relativePath, e.result.diagnostics.map(d => d.code)]), [['issue_queue/pending', ['symlink-outside-workspace']]]);
      assert.match(snapshot.invalid[0]?.result.diagnostics[0]?.message ?? '', /The queue folder issue_queue\/pending\/ leads outside the workspace \(to .*outside\); ATO does not read the task files in it/);
      assert.equal(await index.coldIndex(), undefined, 'a second look changes nothing');
    });

    for (const syncBatchLimit of [24, 0]) {
      it(`drops what it read when pending/ becomes such a symlink, on the watcher's next event (${syncBatchLimit === 0 ? 'async' : 'sync'} batch)`, async () => {
        await mkdir(join(wsRoot(), planningLayout.pending), { recursive: true });
        await writeFile(wsPath('pending', 'stolen.task.md'), taskFileText({ id: 'stolen', title: 'Was inside' }));
        const index = makeIndex({ planningRoot: wsRoot(), workspaceRoot: workspace(), syncBatchLimit });
        await index.coldIndex();
        assert.equal(index.byId('stolen')[0]?.result.task?.title, 'Was inside');
        parsed = [];
        await rm(join(wsRoot(), planningLayout.pending), { recursive: true });
        await symlink(outside(), join(wsRoot(), planningLayout.pending), 'dir');
        // The watcher reports the file as changed (the same name now exists, behind the link).
        const delta = await index.applyChange({ kind: 'change', file: wsPath('pending', 'stolen.task.md') });
        assert.deepEqual(parsed, [], 'the file behind the link was not read');
        assert.deepEqual(delta?.removed.map(e => e.relativePath), ['issue_queue/pending/stolen.task.md']);
        assert.deepEqual(delta.added.map(e => e.relativePath), ['issue_queue/pending']);
        assert.deepEqual(index.byId('stolen'), []);
      });
    }

    it('reads the folder again once it is a real folder inside the workspace', async () => {
      await symlink(outside(), join(wsRoot(), planningLayout.pending), 'dir');
      const index = makeIndex({ planningRoot: wsRoot(), workspaceRoot: workspace() });
      await index.coldIndex();
      await rm(join(wsRoot(), planningLayout.pending));
      await mkdir(join(wsRoot(), planningLayout.pending));
      await writeFile(wsPath('pending', 'fresh.task.md'), taskFileText({ id: 'fresh' }));
      const delta = await index.applyChange({ kind: 'add', file: join(wsRoot(), planningLayout.pending) });
      assert.deepEqual(delta?.removed.map(e => e.relativePath), ['issue_queue/pending']);
      assert.deepEqual(index.snapshot().invalid, []);
      assert.deepEqual(index.byId('fresh').map(e => e.folder), ['pending']);
    });
  });

  describe('task paths through the file system (with a workspace root)', () => {
    it('makes a task whose cwd or target leads outside through a symlink invalid, at the line naming it', async () => {
      const workspace = join(tempDir(), 'ws');
      await mkdir(join(tempDir(), 'outside'), { recursive: true });
      await mkdir(join(workspace, 'packages', 'web'), { recursive: true });
      await symlink(join(tempDir(), 'outside'), join(workspace, 'linkout'), 'dir');
      const planning = join(workspace, 'planning');
      const file = (name: string): string => join(planning, planningLayout.pending, name);
      await mkdir(join(planning, planningLayout.pending), { recursive: true });
      await writeFile(file('cwd-link.md'), '---\ncwd: linkout\n---\n# Cwd link\n\n**Prompt:** p\n');
      await writeFile(file('target-link.md'), '---\ntype: fix\n---\n# Target link\n\n**Target Files:**\n- linkout/x.ts\n\n**Prompt:** p\n');
      await writeFile(file('fine.md'), '---\ncwd: packages/web\n---\n# Fine\n\n**Target Files:**\n- packages/web/new.ts\n\n**Prompt:** p\n');
      const { parseTaskFile } = await import('../../../../src/core/tasks/parseTaskFile');
      const index = makeIndex({ planningRoot: planning, workspaceRoot: workspace, parse: parseTaskFile });
      await index.coldIndex();
      const codesOf = (id: string): (readonly [string, number])[] => index.byId(id)[0]?.result.diagnostics.map(d => [d.code, d.range.start.line] as const) ?? [];
      assert.deepEqual(codesOf('cwd-link'), [['symlink-outside-workspace', 1]]);
      assert.deepEqual(codesOf('target-link'), [['symlink-outside-workspace', 6]]);
      assert.equal(index.byId('cwd-link')[0]?.result.task, undefined);
      assert.equal(index.byId('fine')[0]?.result.task?.cwd, 'packages/web');
      assert.deepEqual(index.snapshot().pending.ready.map(queueEntryId), ['fine']);
      // Without a workspace root (the queue benchmark), nothing outside the queue is looked at.
      const bare = makeIndex({ planningRoot: planning, parse: parseTaskFile });
      await bare.coldIndex();
      assert.equal(bare.byId('cwd-link')[0]?.result.task?.cwd, 'linkout');
    });
  });

  describe('snapshot', () => {
    it('is the same frozen object until something changes, and reuses the pending order for processed-only changes', async () => {
      await put('pending', 'p.task.md', { id: 'p' });
      await put('processed', 'r.task.md', { id: 'r' });
      const index = makeIndex();
      await index.coldIndex();
      const first = index.snapshot();
      assert.equal(index.snapshot(), first);
      assert.ok(Object.isFrozen(first) && Object.isFrozen(first.pending.ready));

      await put('processed', 'r2.task.md', { id: 'r2' });
      await index.applyChange({ kind: 'add', file: path('processed', 'r2.task.md') });
      const second = index.snapshot();
      assert.notEqual(second, first);
      assert.equal(second.revision, first.revision + 1);
      assert.deepEqual(second.counts, { pending: 1, processed: 2, complete: 0 });
      assert.equal(second.pending, first.pending, 'pending order not recomputed');

      await put('pending', 'p2.task.md', { id: 'p2', priority: 'high' });
      await index.applyChange({ kind: 'add', file: path('pending', 'p2.task.md') });
      assert.deepEqual(index.snapshot().pending.ready.map(queueEntryId), ['p2', 'p']);
    });

    it('unblocks a dependent task when its dependency reaches complete/', async () => {
      await put('pending', 'child.task.md', { id: 'child', dependsOn: ['parent'] });
      await put('processed', 'parent.task.md', { id: 'parent' });
      await mkdir(join(root(), planningLayout.complete), { recursive: true });
      const index = makeIndex();
      await index.coldIndex();
      assert.deepEqual(index.snapshot().pending.blocked.map(b => b.reason), [{ kind: 'dependencies', missing: ['parent'] }]);
      await rename(path('processed', 'parent.task.md'), path('complete', 'parent.task.md'));
      await index.applyChange({ kind: 'add', file: path('complete', 'parent.task.md') });
      assert.deepEqual(index.snapshot().pending.ready.map(queueEntryId), ['child']);
    });
  });
});
