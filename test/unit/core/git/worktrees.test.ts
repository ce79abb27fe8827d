import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GitError } from '../../../../src/core/git/git';
import { createWorktree, listAtoWorktrees, removeOrphanedWorktrees, removeWorktree } from '../../../../src/core/git/worktrees';
import { commitFiles, git, initRepo } from '../../../support/gitRepo';
import { useTempDir } from '../../../support/tempDir';

describe('worktrees', () => {
  const tempDir = useTempDir();
  let root: string;

  beforeEach(async () => {
    root = join(await realpath(tempDir()), 'repo');
    await mkdir(root);
    initRepo(root, { 'README.md': '# test\n', 'src/app.ts': 'export {};\n' });
  });

  const tip = (ref: string) => git(root, 'rev-parse', ref);
  const branchExists = (branch: string) => git(root, 'branch', '--list', branch) !== '';

  describe('createWorktree', () => {
    it('creates .ato/worktrees/<id> on a new branch ato/<id> from HEAD, leaving the main tree alone', async () => {
      const head = tip('HEAD');
      const created = await createWorktree({ repoRoot: root, taskId: 'add-login' });
      assert.equal(created.path, join(root, '.ato', 'worktrees', 'add-login'));
      assert.equal(created.branch, 'ato/add-login');
      assert.equal(created.baseSha, head);
      assert.deepEqual(created.recovered, { removedLeftover: false, skippedBranches: [], reusedBranch: false });
      assert.equal(git(created.path, 'rev-parse', '--abbrev-ref', 'HEAD'), 'ato/add-login');
      assert.equal(git(created.path, 'rev-parse', 'HEAD'), head);
      assert.equal(await readFile(join(created.path, 'src', 'app.ts'), 'utf8'), 'export {};\n');
      assert.equal(git(root, 'rev-parse', '--abbrev-ref', 'HEAD'), 'main', 'the current branch is untouched');
      assert.equal(git(root, 'status', '--porcelain', '--untracked-files=all'), '', '.ato/ is git-ignored, the main tree stays clean');
      assert.match(await readFile(join(root, '.ato', '.gitignore'), 'utf8'), /^\*$/m);
    });

    it('starts from the given base ref', async () => {
      git(root, 'switch', '--quiet', '-c', 'develop');
      const developTip = commitFiles(root, { 'dev.txt': 'dev\n' }, 'develop work');
      git(root, 'switch', '--quiet', 'main');
      const created = await createWorktree({ repoRoot: root, taskId: 't1', baseRef: 'develop' });
      assert.equal(created.baseSha, developTip);
      assert.equal(created.baseRef, 'develop');
      assert.ok(existsSync(join(created.path, 'dev.txt')));
    });

    it('works from a subfolder of the repository and resolves the top level', async () => {
      const created = await createWorktree({ repoRoot: join(root, 'src'), taskId: 't1' });
      assert.equal(created.path, join(root, '.ato', 'worktrees', 't1'));
    });

    it('rejects task ids that cannot be a folder and a branch, unknown bases and non-repositories', async () => {
      for (const taskId of ['../escape', 'a/b', '', '-x', 'a..b', 'x.lock', 'has space']) {
        await assert.rejects(createWorktree({ repoRoot: root, taskId }), (e: unknown) => GitError.is(e, 'invalidName'), taskId);
      }
      await assert.rejects(createWorktree({ repoRoot: root, taskId: 't', baseRef: '--orphan' }), (e: unknown) => GitError.is(e, 'invalidName'));
      await assert.rejects(createWorktree({ repoRoot: root, taskId: 't', baseRef: 'no-such-branch' }), (e: unknown) => GitError.is(e, 'unknownRevision'));
      const plain = join(tempDir(), 'plain');
      await mkdir(plain);
      await assert.rejects(createWorktree({ repoRoot: plain, taskId: 't' }), (e: unknown) => GitError.is(e, 'notARepository'));
    });

    it('is idempotent: a second call recreates the same worktree on the same branch', async () => {
      const first = await createWorktree({ repoRoot: root, taskId: 't1' });
      const second = await createWorktree({ repoRoot: root, taskId: 't1' });
      assert.equal(second.path, first.path);
      assert.equal(second.branch, 'ato/t1');
      assert.equal(second.recovered.removedLeftover, true);
      assert.equal(second.recovered.reusedBranch, true);
      assert.equal((await listAtoWorktrees(root)).length, 1);
    });

    it('reuses a leftover branch without commits of its own, reset to the base', async () => {
      git(root, 'branch', 'ato/t1'); // a crash after the branch was made, before the worktree
      const newBase = commitFiles(root, { 'later.txt': 'x' }, 'main moved on');
      const created = await createWorktree({ repoRoot: root, taskId: 't1' });
      assert.equal(created.branch, 'ato/t1');
      assert.equal(created.recovered.reusedBranch, true);
      assert.equal(tip('ato/t1'), newBase);
    });

    it('never moves a branch that holds commits: the new run gets ato/<id>-2, then -3', async () => {
      git(root, 'switch', '--quiet', '-c', 'ato/t1');
      const work = commitFiles(root, { 'work.txt': 'earlier attempt\n' }, 'earlier attempt');
      git(root, 'switch', '--quiet', 'main');
      const created = await createWorktree({ repoRoot: root, taskId: 't1' });
      assert.equal(created.branch, 'ato/t1-2');
      assert.deepEqual(created.recovered.skippedBranches, ['ato/t1']);
      assert.equal(tip('ato/t1'), work, 'the earlier work is untouched');
      assert.ok(!existsSync(join(created.path, 'work.txt')));

      commitFiles(created.path, { 'second.txt': 'x' }, 'second attempt');
      const third = await createWorktree({ repoRoot: root, taskId: 't1' });
      assert.equal(third.branch, 'ato/t1-3');
      assert.deepEqual(third.recovered.skippedBranches, ['ato/t1', 'ato/t1-2']);
      assert.ok(branchExists('ato/t1-2'));
    });

    it('commits uncommitted work of an interrupted run to its branch before starting fresh', async () => {
      const first = await createWorktree({ repoRoot: root, taskId: 't1' });
      await writeFile(join(first.path, 'src', 'app.ts'), 'export const half = 1;\n');
      await writeFile(join(first.path, 'new-file.ts'), 'new\n');
      const second = await createWorktree({ repoRoot: root, taskId: 't1' });
      assert.ok(second.recovered.salvaged !== undefined);
      assert.equal(second.recovered.salvaged.branch, 'ato/t1');
      assert.equal(tip('ato/t1'), second.recovered.salvaged.commit);
      assert.equal(git(root, 'show', 'ato/t1:src/app.ts'), 'export const half = 1;');
      assert.equal(git(root, 'show', 'ato/t1:new-file.ts'), 'new');
      assert.equal(git(root, 'log', '-1', '--format=%an', 'ato/t1'), 'ATO');
      assert.equal(second.branch, 'ato/t1-2', 'the salvaged branch now holds work, so the new run gets the next name');
      assert.equal(await readFile(join(second.path, 'src', 'app.ts'), 'utf8'), 'export {};\n', 'the new worktree is fresh');
    });

    it('refuses to touch a dirty leftover that is not on an ato/ branch', async () => {
      const first = await createWorktree({ repoRoot: root, taskId: 't1' });
      git(first.path, 'switch', '--quiet', '--detach');
      await writeFile(join(first.path, 'README.md'), 'someone edited this by hand\n');
      await assert.rejects(createWorktree({ repoRoot: root, taskId: 't1' }), (e: unknown) => GitError.is(e, 'worktreeExists'));
      assert.equal(await readFile(join(first.path, 'README.md'), 'utf8'), 'someone edited this by hand\n');
    });

    it('replaces a stray directory git does not know', async () => {
      const stray = join(root, '.ato', 'worktrees', 't1');
      await mkdir(stray, { recursive: true });
      await writeFile(join(stray, 'junk'), 'x');
      const created = await createWorktree({ repoRoot: root, taskId: 't1' });
      assert.equal(created.recovered.removedLeftover, true);
      assert.ok(!existsSync(join(created.path, 'junk')));
      assert.equal(git(created.path, 'rev-parse', '--abbrev-ref', 'HEAD'), 'ato/t1');
    });

    it('recovers from a crash inside `git worktree add` (locked "initializing", half checked out) without a salvage commit', async () => {
      const first = await createWorktree({ repoRoot: root, taskId: 't1' });
      git(root, 'worktree', 'lock', '--reason', 'initializing', first.path);
      await rm(join(first.path, 'src'), { recursive: true });
      const second = await createWorktree({ repoRoot: root, taskId: 't1' });
      assert.equal(second.recovered.salvaged, undefined);
      assert.equal(second.branch, 'ato/t1');
      assert.ok(existsSync(join(second.path, 'src', 'app.ts')));
      assert.equal(git(root, 'worktree', 'list', '--porcelain').includes('locked'), false);
    });

    it('recovers when the leftover worktree directory was deleted by hand', async () => {
      const first = await createWorktree({ repoRoot: root, taskId: 't1' });
      await rm(first.path, { recursive: true, force: true });
      const second = await createWorktree({ repoRoot: root, taskId: 't1' });
      assert.equal(second.branch, 'ato/t1');
      assert.ok(existsSync(join(second.path, 'README.md')));
    });

    it('skips a branch checked out in another worktree', async () => {
      git(root, 'branch', 'ato/t1');
      git(root, 'worktree', 'add', '--quiet', join(tempDir(), 'users-own'), 'ato/t1');
      const created = await createWorktree({ repoRoot: root, taskId: 't1' });
      assert.equal(created.branch, 'ato/t1-2');
    });
  });

  describe('removeWorktree', () => {
    it('removes a dirty worktree by task id or path, keeps the branch, and is harmless when repeated', async () => {
      const created = await createWorktree({ repoRoot: root, taskId: 't1' });
      await writeFile(join(created.path, 'dirty.txt'), 'x');
      assert.equal(await removeWorktree({ repoRoot: root, taskId: 't1' }), true);
      assert.ok(!existsSync(created.path));
      assert.ok(branchExists('ato/t1'));
      assert.ok(!git(root, 'worktree', 'list').includes('.ato'));
      assert.equal(await removeWorktree({ repoRoot: root, taskId: 't1' }), false);

      const again = await createWorktree({ repoRoot: root, taskId: 't2' });
      assert.equal(await removeWorktree({ repoRoot: root, path: again.path }), true);
      assert.ok(!existsSync(again.path));
    });

    it('runs ending while others start in the same process: every add succeeds (a prune never cuts an add short)', async function () {
      this.timeout(120_000);
      // A fan-out: runs end (remove → prune) while the next ones are added. Before worktreeLock.ts a prune
      // could land between `git worktree add` creating .git/worktrees/<id>/ and writing its gitdir file.
      for (let round = 0; round < 6; round++) {
        const ending = await Promise.all(Array.from({ length: 3 }, (_, index) => createWorktree({ repoRoot: root, taskId: `end-${String(round)}-${String(index)}` })));
        const starting = Array.from({ length: 6 }, (_, index) => createWorktree({ repoRoot: root, taskId: `start-${String(round)}-${String(index)}` }));
        const removals = ending.map(created => removeWorktree({ repoRoot: root, path: created.path }));
        const results = await Promise.allSettled([...starting, ...removals]);
        const failures = results.flatMap(result => (result.status === 'rejected' ? [String(result.reason)] : []));
        assert.deepEqual(failures, [], `round ${String(round)}`);
        const listed = git(root, 'worktree', 'list', '--porcelain');
        for (let index = 0; index < 6; index++) assert.ok(listed.includes(join('.ato', 'worktrees', `start-${String(round)}-${String(index)}`)), `start-${String(round)}-${String(index)} is registered`);
      }
    });

    it('refuses anything outside .ato/worktrees', async () => {
      for (const path of [root, join(root, '.ato'), join(root, 'src'), join(root, '.ato', 'worktrees')]) {
        await assert.rejects(removeWorktree({ repoRoot: root, path }), (e: unknown) => GitError.is(e, 'failed'), path);
      }
      assert.ok(existsSync(join(root, 'src', 'app.ts')));
    });
  });

  describe('listAtoWorktrees', () => {
    it('lists ATO worktrees with their branch, and stray folders, but not the main or a user worktree', async () => {
      await createWorktree({ repoRoot: root, taskId: 'b-task' });
      await createWorktree({ repoRoot: root, taskId: 'a-task' });
      git(root, 'worktree', 'add', '--quiet', '-b', 'mine', join(tempDir(), 'users-own'));
      await mkdir(join(root, '.ato', 'worktrees', 'stray'));
      const list = await listAtoWorktrees(root);
      assert.deepEqual(list.map(w => [w.taskId, w.branch, w.registered]), [['a-task', 'ato/a-task', true], ['b-task', 'ato/b-task', true], ['stray', undefined, false]]);
      assert.equal(list[0]?.path, join(root, '.ato', 'worktrees', 'a-task'));
      assert.equal(list[0].head, tip('HEAD'));
    });

    it('is empty for a repository without ATO worktrees', async () => {
      assert.deepEqual(await listAtoWorktrees(root), []);
    });
  });

  describe('removeOrphanedWorktrees', () => {
    it('removes worktrees without a live run, salvages their work, keeps branches and live worktrees', async () => {
      const live = await createWorktree({ repoRoot: root, taskId: 'live' });
      const orphan = await createWorktree({ repoRoot: root, taskId: 'orphan' });
      const dirty = await createWorktree({ repoRoot: root, taskId: 'dirty' });
      await writeFile(join(dirty.path, 'half.txt'), 'half done\n');
      await mkdir(join(root, '.ato', 'worktrees', 'stray'));

      const result = await removeOrphanedWorktrees(root, ['live']);
      assert.deepEqual(result.removed.map(w => w.taskId), ['dirty', 'orphan', 'stray']);
      assert.deepEqual(result.kept, []);
      assert.ok(existsSync(live.path));
      assert.ok(!existsSync(orphan.path) && !existsSync(dirty.path));
      assert.ok(branchExists('ato/orphan') && branchExists('ato/dirty'));
      const salvaged = result.removed.find(w => w.taskId === 'dirty')?.salvaged;
      assert.equal(salvaged?.branch, 'ato/dirty');
      assert.equal(git(root, 'show', 'ato/dirty:half.txt'), 'half done');
      assert.deepEqual((await listAtoWorktrees(root)).map(w => w.taskId), ['live']);
      assert.deepEqual((await removeOrphanedWorktrees(root, new Set(['live']))).removed, [], 'a second pass finds nothing');
    });

    it('keeps a dirty orphan on a detached HEAD for a human, and says why', async () => {
      const orphan = await createWorktree({ repoRoot: root, taskId: 'detached' });
      git(orphan.path, 'switch', '--quiet', '--detach');
      await writeFile(join(orphan.path, 'precious.txt'), 'x');
      const result = await removeOrphanedWorktrees(root, []);
      assert.deepEqual(result.removed, []);
      assert.equal(result.kept[0]?.worktree.taskId, 'detached');
      assert.match(result.kept[0].reason, /uncommitted changes/);
      assert.ok(existsSync(join(orphan.path, 'precious.txt')));
    });
  });
});
