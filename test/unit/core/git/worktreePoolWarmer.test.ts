import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createWorktree, retireWorktree } from '../../../../src/core/git/worktrees';
import { worktreePoolDirectory } from '../../../../src/core/git/worktreePool';
import { WorktreePoolWarmer } from '../../../../src/core/git/worktreePoolWarmer';
import { commitFiles, git, initRepo } from '../../../support/gitRepo';
import { useTempDir } from '../../../support/tempDir';

const execFileAsync = promisify(execFile);
const warmerProcess = join(__dirname, '../../../support/worktreePoolWarmerProcess.ts');

describe('worktree pool warmer', () => {
  const tempDir = useTempDir();
  let root: string;

  beforeEach(async () => {
    root = join(await realpath(tempDir()), 'repo');
    await mkdir(root);
    initRepo(root, { 'README.md': '# test\n', 'src/app.ts': 'export {};\n' });
  });

  const poolEntries = async (): Promise<string[]> => (await readdir(worktreePoolDirectory(root)).catch(() => [])).sort();
  const registered = (): string[] => git(root, 'worktree', 'list', '--porcelain').split('\n').filter(line => line.startsWith('worktree ')).map(line => line.slice('worktree '.length));
  const slotPaths = (...indexes: number[]): string[] => indexes.map(index => join(worktreePoolDirectory(root), `slot-${String(index)}`));
  /** A promise and its resolver, for holding a warmer at its checkpoint. */
  const gate = (): { promise: Promise<void>; open: () => void } => {
    let open = (): void => undefined;
    const promise = new Promise<void>(resolve => { open = resolve; });
    return { promise, open };
  };

  it('fills the pool to its size ahead of any run; the first dispatch then claims an entry, exactly at its own base', async () => {
    const warmer = new WorktreePoolWarmer({ repoRoot: root, size: () => 2 });
    assert.equal(await warmer.warm(), 2);
    assert.deepEqual(await poolEntries(), ['slot-0', 'slot-1'], 'two slots, no half-written entry left');
    assert.deepEqual(registered(), [root, ...slotPaths(0, 1)], 'git knows each entry at its slot');
    assert.equal(await warmer.warm(), 0, 'a full pool: nothing more');

    const base = commitFiles(root, { 'src/new.ts': 'export const added = 1;\n' }, 'main moves on after the warm-up');
    const pool = { size: 2, writing: () => warmer.writing };
    const first = await createWorktree({ repoRoot: root, taskId: 'first', pool });
    assert.equal(first.fromPool, true, 'the first dispatch writes no worktree');
    assert.equal(git(first.path, 'rev-parse', 'HEAD'), base);
    assert.equal(git(first.path, 'branch', '--show-current'), 'ato/first');
    assert.equal(git(first.path, 'status', '--porcelain', '--ignored', '--untracked-files=all'), '');
    assert.equal(await warmer.warm(), 1, 'the pool is refilled to its size');
    assert.equal(await retireWorktree({ repoRoot: root, path: first.path, pool }), 'removed', 'a full pool takes no more');
  });

  it('a dispatch that finds the pool empty while an entry is being written waits for that entry instead of writing a second worktree', async () => {
    const reached = gate();
    const release = gate();
    const warmer = new WorktreePoolWarmer({ repoRoot: root, size: () => 1, checkpoint: async () => { reached.open(); await release.promise; } });
    const warming = warmer.warm();
    await reached.promise;
    assert.notEqual(warmer.writing, undefined);
    assert.deepEqual(await poolEntries().then(names => names.filter(name => name.startsWith('slot-'))), [], 'no slot yet: the entry is still being written');
    const created = createWorktree({ repoRoot: root, taskId: 'eager', pool: { size: 1, writing: () => warmer.writing } });
    setTimeout(release.open, 50);
    const worktree = await created;
    assert.equal(worktree.fromPool, true, 'it got the entry being written');
    assert.equal(await warming, 1);
    assert.deepEqual(registered(), [root, worktree.path], 'one worktree written in all, not two');
    assert.deepEqual(await poolEntries(), []);
  });

  it('a dispatch preparing its worktree comes first: a held warmer starts no entry; released, it fills the pool', async () => {
    const warmer = new WorktreePoolWarmer({ repoRoot: root, size: () => 2 });
    const release = warmer.hold();
    assert.equal(await warmer.warm(), 0);
    assert.deepEqual(registered(), [root]);
    release();
    release();
    assert.equal(await warmer.warm(), 2, 'a second release call changes nothing');
  });

  it('dispose lets the entry being written finish and starts no other', async () => {
    const reached = gate();
    const release = gate();
    const warmer = new WorktreePoolWarmer({ repoRoot: root, size: () => 2, checkpoint: async () => { reached.open(); await release.promise; } });
    const warming = warmer.warm();
    await reached.promise;
    const disposed = warmer.dispose();
    release.open();
    await disposed;
    assert.equal(await warming, 1);
    assert.deepEqual(await poolEntries(), ['slot-0']);
    assert.deepEqual(registered(), [root, ...slotPaths(0)]);
  });

  it('a crash mid-write leaves a half-made entry outside the slots; the next warm-up removes it and fills the pool', async () => {
    const crashed = await execFileAsync(process.execPath, ['--import', 'tsx', warmerProcess, root, '2', 'crash']).then(() => undefined, (error: unknown) => error as { signal?: string });
    assert.equal(crashed?.signal, 'SIGKILL', 'the process died with its entry written, not yet in a slot');
    const left = await poolEntries();
    assert.equal(left.length, 1);
    assert.match(left[0] ?? '', /^warming-\d+-[0-9a-f]+$/);
    assert.equal(registered().length, 2, 'git knows the half-made entry');
    // No claim can be handed it: it is not a slot.
    const run = await createWorktree({ repoRoot: root, taskId: 'meanwhile', pool: { size: 2 } });
    assert.equal(run.fromPool, false);
    await retireWorktree({ repoRoot: root, path: run.path, pool: { size: 0 } });

    const warmer = new WorktreePoolWarmer({ repoRoot: root, size: () => 2 });
    assert.equal(await warmer.warm(), 2);
    assert.deepEqual(await poolEntries(), ['slot-0', 'slot-1'], 'the dead process\'s entry is gone');
    assert.deepEqual(registered(), [root, ...slotPaths(0, 1)]);
  });

  it('two windows warming one pool at once never hold more than its size, and leave no half-made entry', async () => {
    const outputs = await Promise.all([0, 1].map(() => execFileAsync(process.execPath, ['--import', 'tsx', warmerProcess, root, '2'])));
    const added = outputs.map(output => Number(output.stdout.trim()));
    assert.ok(added.every(count => count >= 0 && count <= 2), `each added 0–2: ${added.join(', ')}`);
    assert.deepEqual(await poolEntries(), ['slot-0', 'slot-1']);
    assert.deepEqual(registered(), [root, ...slotPaths(0, 1)], 'an entry that found no free slot was removed');
    const [a, b] = await Promise.all(['a', 'b'].map(taskId => createWorktree({ repoRoot: root, taskId, pool: { size: 2 } })));
    assert.ok(a?.fromPool === true || b?.fromPool === true);
    assert.notEqual(a?.path, b?.path);
  });

  it('a repository without a commit has nothing to warm', async () => {
    const empty = join(await realpath(tempDir()), 'empty');
    await mkdir(empty);
    git(empty, 'init', '--quiet', '--initial-branch=main');
    assert.equal(await new WorktreePoolWarmer({ repoRoot: empty, size: () => 2 }).warm(), 0);
    assert.deepEqual(await readdir(empty), ['.git']);
  });
});
