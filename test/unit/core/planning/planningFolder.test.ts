import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initializePlanningFolder, inspectPlanningFolder } from '../../../../src/core/planning/planningFolder';
import { planningLayout } from '../../../../src/core/planning/planningLayout';
import { goalTemplate } from '../../../../src/core/planning/planningTemplates';
import { ignoresFilePermissions, useTempDir } from '../../../support/tempDir';

const allParts = Object.values(planningLayout);

describe('planning folder', () => {
  const tempDir = useTempDir();
  const root = (): string => join(tempDir(), 'planning');

  describe('inspectPlanningFolder', () => {
    it('reports a folder that does not exist as missing', async () => {
      assert.deepEqual(await inspectPlanningFolder(root()), { kind: 'missing', path: root() });
    });

    it('reports an empty folder as partial, listing every part', async () => {
      await mkdir(root());
      const state = await inspectPlanningFolder(root());
      assert.equal(state.kind, 'partial');
      assert.deepEqual([...state.missing].sort(), [...allParts].sort());
    });

    it('lists exactly what a partial folder lacks', async () => {
      await mkdir(join(root(), 'vision'), { recursive: true });
      await writeFile(join(root(), planningLayout.goal), '# Goal');
      await mkdir(join(root(), planningLayout.pending), { recursive: true });
      const state = await inspectPlanningFolder(root());
      assert.deepEqual(state, {
        kind: 'partial',
        path: root(),
        missing: [planningLayout.capabilities, planningLayout.processed, planningLayout.complete, planningLayout.reviews],
      });
    });

    it('counts a folder in place of goal.md, or a file in place of a queue folder, as missing', async () => {
      await initializePlanningFolder(root());
      await rm(join(root(), planningLayout.goal));
      await mkdir(join(root(), planningLayout.goal));
      await rm(join(root(), planningLayout.complete), { recursive: true });
      await writeFile(join(root(), planningLayout.complete), 'not a folder');
      const state = await inspectPlanningFolder(root());
      assert.deepEqual(state.kind === 'partial' && state.missing, [planningLayout.goal, planningLayout.complete]);
    });

    it('reports partial, without throwing, when issue_queue itself is a file', async () => {
      await initializePlanningFolder(root());
      await rm(join(root(), 'issue_queue'), { recursive: true });
      await writeFile(join(root(), 'issue_queue'), 'oops');
      const state = await inspectPlanningFolder(root());
      assert.deepEqual(state.kind === 'partial' && state.missing, [planningLayout.pending, planningLayout.processed, planningLayout.complete]);
    });

    it('reports an error, not missing, when a file stands where the planning folder should be', async () => {
      await writeFile(root(), 'a file, not a folder');
      const state = await inspectPlanningFolder(root());
      assert.equal(state.kind, 'error');
      assert.match(state.message, /not a folder/);
    });

    it('reports an unreadable folder as an error with the reason', async function () {
      if (ignoresFilePermissions()) this.skip();
      await initializePlanningFolder(root());
      await chmod(join(root(), planningLayout.pending), 0o000);
      try {
        const state = await inspectPlanningFolder(root());
        assert.equal(state.kind, 'error');
        assert.match(state.message, /EACCES/);
      } finally {
        await chmod(join(root(), planningLayout.pending), 0o755);
      }
    });

    it('counts queued tasks: only *.md files, not dotfiles, READMEs, other files or folders', async () => {
      await initializePlanningFolder(root());
      const pending = join(root(), planningLayout.pending);
      await writeFile(join(pending, '001-login.md'), '# Login');
      await writeFile(join(pending, '002-logout.task.md'), '# Logout');
      await writeFile(join(pending, 'notes.txt'), 'not a task');
      await writeFile(join(pending, '.hidden.md'), 'dotfile');
      await writeFile(join(pending, 'README.md'), 'about this folder');
      await mkdir(join(pending, 'folder.md'));
      await writeFile(join(root(), planningLayout.processed, '003.md'), '# Running');
      const state = await inspectPlanningFolder(root());
      assert.deepEqual(state, { kind: 'ready', path: root(), queue: { pending: 2, processed: 1, complete: 0 } });
    });
  });

  describe('queue counts, as the queue index sees the folders', () => {
    it('counts task files in sub-folders, and none in a queue folder that leads outside the planning folder', async () => {
      await initializePlanningFolder(root());
      await mkdir(join(root(), planningLayout.pending, 'web'), { recursive: true });
      await writeFile(join(root(), planningLayout.pending, 'web', 'login.md'), '# Login');
      await writeFile(join(root(), planningLayout.pending, 'top.md'), '# Top');
      const outside = join(root(), '..', 'outside-complete');
      await mkdir(outside, { recursive: true });
      await writeFile(join(outside, 'stolen.md'), '# Outside');
      await rm(join(root(), planningLayout.complete), { recursive: true });
      await symlink(outside, join(root(), planningLayout.complete), 'dir');
      const state = await inspectPlanningFolder(root());
      assert.deepEqual(state.kind === 'ready' && state.queue, { pending: 2, processed: 0, complete: 0 });
    });
  });

  describe('initializePlanningFolder', () => {
    it('creates every part, and the result is ready with an empty queue', async () => {
      const { created } = await initializePlanningFolder(root());
      assert.ok(created.includes(planningLayout.goal));
      assert.ok(created.includes(planningLayout.capabilities));
      assert.equal(await readFile(join(root(), planningLayout.goal), 'utf8'), goalTemplate);
      for (const folder of [planningLayout.pending, planningLayout.processed, planningLayout.complete]) {
        assert.deepEqual(await readdir(join(root(), folder)), ['.gitkeep']);
      }
      assert.deepEqual(await inspectPlanningFolder(root()), { kind: 'ready', path: root(), queue: { pending: 0, processed: 0, complete: 0 } });
    });

    it('is idempotent: a second run creates nothing', async () => {
      await initializePlanningFolder(root());
      assert.deepEqual(await initializePlanningFolder(root()), { created: [] });
    });

    it('never overwrites an edited goal, capabilities file or task', async () => {
      await initializePlanningFolder(root());
      const goal = '# My goal\n\nShip it.\n';
      await writeFile(join(root(), planningLayout.goal), goal);
      await writeFile(join(root(), planningLayout.capabilities), 'edited');
      await writeFile(join(root(), planningLayout.pending, 'task.md'), 'keep me');
      await initializePlanningFolder(root());
      assert.equal(await readFile(join(root(), planningLayout.goal), 'utf8'), goal);
      assert.equal(await readFile(join(root(), planningLayout.capabilities), 'utf8'), 'edited');
      assert.equal(await readFile(join(root(), planningLayout.pending, 'task.md'), 'utf8'), 'keep me');
    });

    it('fills only the gaps of a partial folder', async () => {
      await mkdir(join(root(), 'vision'), { recursive: true });
      await writeFile(join(root(), planningLayout.goal), 'mine');
      const { created } = await initializePlanningFolder(root());
      assert.ok(!created.includes(planningLayout.goal));
      assert.ok(created.includes(planningLayout.capabilities));
      assert.equal(await readFile(join(root(), planningLayout.goal), 'utf8'), 'mine');
      assert.equal((await inspectPlanningFolder(root())).kind, 'ready');
    });

    it('fails, keeping the file, when a file stands where the planning folder should be', async () => {
      await writeFile(root(), 'precious');
      await assert.rejects(initializePlanningFolder(root()));
      assert.equal(await readFile(root(), 'utf8'), 'precious');
    });
  });
});
