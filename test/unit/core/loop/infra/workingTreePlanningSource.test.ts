import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { WorkingTreePlanningSource } from '../../../../../src/core/loop/tracks/planning/workingTreePlanningSource';
import { QueueIndex } from '../../../../../src/core/queue/queueIndex';
import { parseTaskFile } from '../../../../../src/core/tasks/parseTaskFile';
import { useTempDir } from '../../../../support/tempDir';

describe('WorkingTreePlanningSource (local mode: the working tree is the truth)', () => {
  const temp = useTempDir('ato-wtsource-');
  const indexes: QueueIndex[] = [];
  afterEach(() => { for (const index of indexes.splice(0)) index.dispose(); });

  function put(relative: string, text: string): void {
    const file = join(temp(), 'planning', relative);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }

  async function source(): Promise<{ source: WorkingTreePlanningSource; index: QueueIndex }> {
    const index = new QueueIndex({ planningRoot: join(temp(), 'planning'), parse: parseTaskFile, workspaceRoot: temp() });
    indexes.push(index);
    await index.coldIndex();
    return { index, source: new WorkingTreePlanningSource({ planningRoot: index.planningRoot, workspaceRoot: temp(), snapshot: () => index.snapshot() }) };
  }

  it('reads every queue entry (valid or not, any folder), the goal and the capabilities, with no drafts', async () => {
    put('vision/goal.md', '# Goal\nShip it.\n');
    put('issue_queue/pending/b.task.md', '---\npriority: high\n---\n# B\n');
    put('issue_queue/pending/a.task.md', '# A\n');
    put('issue_queue/pending/broken.task.md', '---\ntype: [\n---\n# Broken\n');
    put('issue_queue/processed/c.task.md', '# C\n');
    put('issue_queue/complete/d.task.md', '# D\n');
    const { source: planning } = await source();
    const read = await planning.read();
    assert.equal(planning.mode, 'local');
    assert.deepEqual(read.entries.map(entry => entry.relativePath), [
      'issue_queue/complete/d.task.md', 'issue_queue/pending/a.task.md', 'issue_queue/pending/b.task.md',
      'issue_queue/pending/broken.task.md', 'issue_queue/processed/c.task.md',
    ]);
    assert.equal(read.entries.find(entry => entry.fileName === 'broken.task.md')?.result.task, undefined);
    assert.equal(read.goal, '# Goal\nShip it.\n');
    assert.equal(read.capabilities, undefined);
    assert.deepEqual(read.drafts, []);
    assert.match(read.revision, /^local:/);
  });

  it('the revision changes when the queue, the goal or the capabilities change, and only then', async () => {
    put('vision/goal.md', 'v1');
    put('issue_queue/pending/a.task.md', '# A\n');
    const { source: planning, index } = await source();
    const first = await planning.read();
    const same = await planning.read();
    assert.equal(same.revision, first.revision);
    assert.equal(same.entries, first.entries, 'an unchanged snapshot gives the same entries');

    put('state/system_capabilities.md', 'can log in');
    const withCapabilities = await planning.read();
    assert.notEqual(withCapabilities.revision, first.revision);
    assert.equal(withCapabilities.capabilities, 'can log in');

    put('vision/goal.md', 'v2 is longer');
    const goalChanged = await planning.read();
    assert.notEqual(goalChanged.revision, withCapabilities.revision);
    assert.equal(goalChanged.goal, 'v2 is longer');

    put('issue_queue/pending/z.task.md', '# Z\n');
    await index.applyChange({ kind: 'add', file: join(index.planningRoot, 'issue_queue', 'pending', 'z.task.md') });
    const queued = await planning.read();
    assert.notEqual(queued.revision, goalChanged.revision);
    assert.equal(queued.entries.length, 2);

    rmSync(join(temp(), 'planning', 'vision', 'goal.md'));
    assert.equal((await planning.read()).goal, undefined);
  });

  it('waits for refresh before reading, so a read sees the index brought up to date', async () => {
    put('issue_queue/pending/a.task.md', '# A\n');
    const { index } = await source();
    put('issue_queue/pending/late.task.md', '# Late\n');
    const late = join(index.planningRoot, 'issue_queue', 'pending', 'late.task.md');
    const planning = new WorkingTreePlanningSource({
      planningRoot: index.planningRoot,
      snapshot: () => index.snapshot(),
      refresh: () => index.applyChange({ kind: 'add', file: late }),
    });
    assert.deepEqual((await planning.read()).entries.map(entry => entry.fileName), ['a.task.md', 'late.task.md']);
  });
});
