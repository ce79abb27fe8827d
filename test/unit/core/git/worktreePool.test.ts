import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createWorktree, listAtoWorktrees, removeOrphanedWorktrees, retireWorktree } from '../../../../src/core/git/worktrees';
import { worktreePoolDirectory } from '../../../../src/core/git/worktreePool';
import { commitFiles, git, initRepo } from '../../../support/gitRepo';
import { useTempDir } from '../../../support/tempDir';

const execFileAsync = promisify(execFile);
const crashProcess = join(__dirname, '../../../support/worktreePoolProcess.ts');

describe('worktree pool', () => {
  const tempDir = useTempDir();
  let root: string;
  const pool = { size: 2 };

  beforeEach(async () => {
    root = join(await realpath(tempDir()), 'repo');
    await mkdir(root);
    initRepo(root, { 'README.md': '# test\n', 'src/app.ts': 'export {};\n', '.gitignore': '*.log\nbuild/\n' });
  });

  const poolEntries = async (): Promise<string[]> => (await readdir(worktreePoolDirectory(root)).catch(() => [])).sort();
  /** Paths git lists as worktrees (the main one first). */
  const registered = (): string[] => git(root, 'worktree', 'list', '--porcelain').split('\n').filter(line => line.startsWith('worktree ')).map(line => line.slice('worktree '.length));
  /** Every file in a worktree, untracked and ignored ones included, `.git` left out. */
  const filesIn = async (directory: string): Promise<string[]> => {
    const entries = await readdir(directory, { recursive: true, withFileTypes: true });
    return entries.filter(entry => entry.isFile() && entry.name !== '.git').map(entry => join(entry.parentPath, entry.name).slice(directory.length + 1)).sort();
  };

  it('a finished run\'s worktree waits in the pool; the next run gets it as exactly its new base: no leftover file, change or ignored file', async () => {
    const first = await createWorktree({ repoRoot: root, taskId: 'first', pool });
    assert.equal(first.fromPool, false, 'an empty pool: a fresh worktree');
    // What a run leaves behind: a commit on its branch, a changed tracked file, untracked and ignored files, a nested folder.
    commitFiles(first.path, { 'feature.ts': 'export const feature = 1;\n' }, 'the run\'s work');
    await writeFile(join(first.path, 'src', 'app.ts'), 'export const changed = true;\n');
    await writeFile(join(first.path, 'leftover.txt'), 'from the first run\n');
    await writeFile(join(first.path, 'debug.log'), 'ignored\n');
    await mkdir(join(first.path, 'build', 'deep'), { recursive: true });
    await writeFile(join(first.path, 'build', 'deep', 'out.js'), 'ignored too\n');
    assert.equal(await retireWorktree({ repoRoot: root, path: first.path, pool }), 'pooled');
    assert.deepEqual(await poolEntries(), ['slot-0']);
    assert.equal(existsSync(first.path), false);
    assert.equal(git(root, 'rev-parse', 'ato/first'), git(root, 'rev-parse', 'ato/first'), 'the branch and its commit stay');
    assert.equal(git(root, 'log', '-1', '--format=%s', 'ato/first'), 'the run\'s work');

    const base = commitFiles(root, { 'src/new.ts': 'export const added = 2;\n' }, 'main moves on');
    const second = await createWorktree({ repoRoot: root, taskId: 'second', pool });
    assert.equal(second.fromPool, true);
    assert.equal(second.path, join(root, '.ato', 'worktrees', 'second'));
    assert.equal(second.branch, 'ato/second');
    assert.equal(git(second.path, 'rev-parse', 'HEAD'), base);
    assert.equal(git(second.path, 'rev-parse', '--abbrev-ref', 'HEAD'), 'ato/second');
    assert.deepEqual(await filesIn(second.path), ['.gitignore', 'README.md', 'src/app.ts', 'src/new.ts'], 'only the base\'s files: the leftover, the ignored files and the other run\'s commit are gone');
    assert.equal(await readFile(join(second.path, 'src', 'app.ts'), 'utf8'), 'export {};\n');
    assert.equal(git(second.path, 'status', '--porcelain', '--ignored', '--untracked-files=all'), '');
    assert.deepEqual(await poolEntries(), [], 'the entry left the pool');
    assert.deepEqual(registered(), [root, second.path], 'git knows the worktree at its new place, and only there');
    assert.deepEqual((await listAtoWorktrees(root)).map(w => [w.taskId, w.branch, w.registered]), [['second', 'ato/second', true]]);
    // The first run's branch is free again: a new run of that task resets or skips it as without a pool.
    const again = await createWorktree({ repoRoot: root, taskId: 'first', pool });
    assert.equal(again.branch, 'ato/first-2', 'ato/first holds the first run\'s commit: kept, the next name is used');
  });

  it('two dispatches at once get different worktrees; with one entry, one gets it and the other a fresh one', async () => {
    const [a, b] = [await createWorktree({ repoRoot: root, taskId: 'a', pool }), await createWorktree({ repoRoot: root, taskId: 'b', pool })];
    for (const worktree of [a, b]) await retireWorktree({ repoRoot: root, path: worktree.path, pool });
    assert.deepEqual(await poolEntries(), ['slot-0', 'slot-1']);
    const [c, d] = await Promise.all([createWorktree({ repoRoot: root, taskId: 'c', pool }), createWorktree({ repoRoot: root, taskId: 'd', pool })]);
    // Both are normally from the pool; one may be fresh when the other's `git worktree prune` met an entry between its
    // rename and its repair (git forgets it, so it is removed): never the same entry for both.
    assert.ok(c.fromPool || d.fromPool);
    assert.notEqual(git(c.path, 'rev-parse', '--absolute-git-dir'), git(d.path, 'rev-parse', '--absolute-git-dir'), 'two entries, not one shared');
    assert.deepEqual([git(c.path, 'branch', '--show-current'), git(d.path, 'branch', '--show-current')], ['ato/c', 'ato/d']);
    assert.deepEqual(await poolEntries(), []);

    await retireWorktree({ repoRoot: root, path: c.path, pool });
    const [e, f] = await Promise.all([createWorktree({ repoRoot: root, taskId: 'e', pool }), createWorktree({ repoRoot: root, taskId: 'f', pool })]);
    assert.ok(!(e.fromPool && f.fromPool), 'one entry: at most one run has it');
    assert.notEqual(git(e.path, 'rev-parse', '--absolute-git-dir'), git(f.path, 'rev-parse', '--absolute-git-dir'));
    assert.deepEqual(registered().sort(), [root, d.path, e.path, f.path].sort());
  });

  it('a crash mid-claim leaves the entry in one hand only: out of the pool, and removed by the next run of the task or by recovery', async () => {
    await retireWorktree({ repoRoot: root, path: (await createWorktree({ repoRoot: root, taskId: 'old', pool })).path, pool });
    assert.deepEqual(await poolEntries(), ['slot-0']);
    const crashed = await execFileAsync(process.execPath, ['--import', 'tsx', crashProcess, root, 'claimed', 'victim']).then(() => undefined, (error: unknown) => error as { signal?: string });
    assert.equal(crashed?.signal, 'SIGKILL', 'the process died at the claim');
    const victim = join(root, '.ato', 'worktrees', 'victim');
    assert.equal(existsSync(victim), true, 'the directory is where the dead claimer put it');
    assert.deepEqual(await poolEntries(), [], 'and not in the pool: no other run can be handed it');
    const other = await createWorktree({ repoRoot: root, taskId: 'other', pool });
    assert.equal(other.fromPool, false, 'the next run does not get the claimed entry');
    assert.notEqual(other.path, victim);

    // Recovery at start (no live runs) removes what the dead claimer held; git forgets the entry's old place.
    const recovered = await removeOrphanedWorktrees(root, ['other']);
    assert.deepEqual(recovered.removed.map(w => w.taskId), ['victim']);
    assert.equal(existsSync(victim), false);
    assert.deepEqual(registered(), [root, other.path]);
  });

  it('a crash right after a release\'s rename (git still has the entry at the run\'s path): the next run removes it and gets a fresh worktree', async () => {
    const crashed = await execFileAsync(process.execPath, ['--import', 'tsx', crashProcess, root, 'released', 'dying']).then(() => undefined, (error: unknown) => error as { signal?: string });
    assert.equal(crashed?.signal, 'SIGKILL');
    assert.deepEqual(await poolEntries(), ['slot-0']);
    // The next dispatch prunes git's record of the missing path first, so the entry cannot be repaired: it goes.
    const next = await createWorktree({ repoRoot: root, taskId: 'next', pool });
    assert.equal(next.fromPool, false);
    assert.deepEqual(await poolEntries(), []);
    assert.equal(git(next.path, 'status', '--porcelain', '--ignored', '--untracked-files=all'), '');
    assert.deepEqual(registered(), [root, next.path]);
    assert.equal(git(root, 'branch', '--show-current'), 'main');
    assert.equal(git(root, 'rev-parse', 'ato/dying'), git(root, 'rev-parse', 'main'), 'the dead run\'s branch stays');
  });

  it('holds at most its size, removes slots above a lowered size, and with size 0 removes worktrees as before', async () => {
    const made = await Promise.all(['a', 'b', 'c'].map(id => createWorktree({ repoRoot: root, taskId: id, pool })));
    const where = [];
    for (const worktree of made) where.push(await retireWorktree({ repoRoot: root, path: worktree.path, pool }));
    assert.deepEqual(where, ['pooled', 'pooled', 'removed']);
    assert.deepEqual(await poolEntries(), ['slot-0', 'slot-1']);
    const d = await createWorktree({ repoRoot: root, taskId: 'd', pool: { size: 0 } });
    assert.equal(await retireWorktree({ repoRoot: root, path: d.path, pool: { size: 1 } }), 'removed', 'slot-0 is taken, and 1 slot is all there is now');
    assert.deepEqual(await poolEntries(), ['slot-0'], 'slot-1 went with the lowered size');
    const e = await createWorktree({ repoRoot: root, taskId: 'e', pool: { size: 0 } });
    assert.equal(e.fromPool, false, 'size 0: no claim');
    assert.equal(await retireWorktree({ repoRoot: root, path: e.path, pool: { size: 0 } }), 'removed');
    assert.deepEqual(await poolEntries(), []);
    assert.deepEqual(registered(), [root]);
  });

  it('a broken entry (not a worktree git knows) is removed and the run gets a fresh worktree', async () => {
    await mkdir(join(worktreePoolDirectory(root), 'slot-0'), { recursive: true });
    await writeFile(join(worktreePoolDirectory(root), 'slot-0', 'junk.txt'), 'not a worktree\n');
    const created = await createWorktree({ repoRoot: root, taskId: 'fresh', pool });
    assert.equal(created.fromPool, false);
    assert.deepEqual(await filesIn(created.path), ['.gitignore', 'README.md', 'src/app.ts']);
    assert.deepEqual(await poolEntries(), []);
  });
});
