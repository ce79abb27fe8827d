import assert from 'node:assert/strict';
import { mkdir, realpath, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveAgentWorkdir, TaskPathError } from '../../../../src/core/dispatch/taskContainment';
import { useTempDir } from '../../../support/tempDir';

/**
 * The last check before an agent starts, in its worktree (real folders and symlinks): the dispatcher's
 * preconditions refuse most bad `cwd`s earlier (from HEAD), this one stands if the worktree differs.
 */
describe('resolveAgentWorkdir (real files)', () => {
  const temp = useTempDir('ato-containment-');
  const worktree = (): string => join(temp(), 'worktree');

  beforeEach(async () => {
    await mkdir(join(worktree(), 'packages', 'web'), { recursive: true });
    await mkdir(join(temp(), 'outside'));
    await writeFile(join(temp(), 'outside', 'secret.txt'), 'secret\n');
    await symlink(join(temp(), 'outside'), join(worktree(), 'tools'));
    await writeFile(join(worktree(), 'README.md'), '# app\n');
  });

  it('returns the real path of a cwd inside the worktree, and the worktree itself without a cwd', async () => {
    assert.equal(await resolveAgentWorkdir({ id: 'a', targetFiles: [], cwd: 'packages/web' }, worktree()), await realpath(join(worktree(), 'packages', 'web')));
    assert.equal(await resolveAgentWorkdir({ id: 'a', targetFiles: [], cwd: undefined }, worktree()), await realpath(worktree()));
  });

  it('refuses a cwd that leads outside through a symlink, one that climbs out, and a missing or non-folder cwd', async () => {
    const kindOf = async (cwd: string): Promise<string> => {
      try {
        await resolveAgentWorkdir({ id: 'a', targetFiles: [], cwd }, worktree());
        return 'allowed';
      } catch (error) {
        assert.ok(TaskPathError.is(error), String(error));
        assert.match(error.message, /^Task "a" cannot run: /);
        return error.kind;
      }
    };
    assert.equal(await kindOf('tools'), 'outside');
    assert.equal(await kindOf('../outside'), 'outside');
    assert.equal(await kindOf('packages/missing'), 'missingCwd');
    assert.equal(await kindOf('README.md'), 'missingCwd');
  });

  it('refuses a target file that leads outside the worktree through a symlink', async () => {
    await assert.rejects(resolveAgentWorkdir({ id: 'a', targetFiles: ['tools/secret.txt'], cwd: undefined }, worktree()), (error: unknown) => TaskPathError.is(error, 'outside'));
  });
});
