import assert from 'node:assert/strict';
import { mkdir, realpath, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { changedFiles } from '../../../../src/core/git/changedFiles';
import { createWorktree } from '../../../../src/core/git/worktrees';
import { commitFiles, git, initRepo } from '../../../support/gitRepo';
import { useTempDir } from '../../../support/tempDir';

describe('changedFiles', () => {
  const tempDir = useTempDir();
  let root: string;

  beforeEach(async () => {
    root = join(await realpath(tempDir()), 'repo');
    await mkdir(root);
    initRepo(root, { 'README.md': '# test\n', 'src/a.ts': 'a\n', 'src/b.ts': 'b\n', 'old-name.md': 'moved\n' });
  });

  it('is empty for a fresh worktree', async () => {
    const worktree = await createWorktree({ repoRoot: root, taskId: 't' });
    assert.deepEqual(await changedFiles(worktree.path, worktree.baseSha), { all: [], committed: [], uncommitted: [] });
  });

  it('lists committed changes on the branch and uncommitted ones (staged, unstaged, untracked), once each', async () => {
    const worktree = await createWorktree({ repoRoot: root, taskId: 't' });
    commitFiles(worktree.path, { 'src/a.ts': 'a2\n', 'src/new.ts': 'n\n' }, 'agent work');
    git(worktree.path, 'mv', 'old-name.md', 'new-name.md');
    git(worktree.path, 'commit', '--quiet', '-m', 'rename');
    await writeFile(join(worktree.path, 'src', 'b.ts'), 'b2\n');
    await writeFile(join(worktree.path, 'src', 'a.ts'), 'a3\n');
    await mkdir(join(worktree.path, 'deep', 'er'), { recursive: true });
    await writeFile(join(worktree.path, 'deep', 'er', 'ünïcode file.txt'), 'x');
    await writeFile(join(worktree.path, 'staged.ts'), 's');
    git(worktree.path, 'add', 'staged.ts');
    await rm(join(worktree.path, 'README.md'));

    const changes = await changedFiles(worktree.path, worktree.baseSha);
    assert.deepEqual(changes.committed, ['new-name.md', 'old-name.md', 'src/a.ts', 'src/new.ts']);
    assert.deepEqual(changes.uncommitted, ['README.md', 'deep/er/ünïcode file.txt', 'src/a.ts', 'src/b.ts', 'staged.ts']);
    assert.deepEqual(changes.all, ['README.md', 'deep/er/ünïcode file.txt', 'new-name.md', 'old-name.md', 'src/a.ts', 'src/b.ts', 'src/new.ts', 'staged.ts']);
  });

  it('compares with the merge base, so commits the base gained later do not count', async () => {
    const worktree = await createWorktree({ repoRoot: root, taskId: 't' });
    commitFiles(worktree.path, { 'src/a.ts': 'agent\n' }, 'agent work');
    commitFiles(root, { 'src/b.ts': 'someone else on main\n' }, 'main moves on');
    const changes = await changedFiles(worktree.path, 'main');
    assert.deepEqual(changes.all, ['src/a.ts']);
  });
});
