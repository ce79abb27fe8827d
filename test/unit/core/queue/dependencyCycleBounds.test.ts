import assert from 'node:assert/strict';
import { Redactor } from '../../../../src/core/logging/redactor';
import { describeBlockReason, orderPending } from '../../../../src/core/queue/queueOrder';
import { buildPanelSnapshot, panelTaskTextLimits } from '../../../../src/core/state/panelSnapshot';
import { dependencyCycleDiagnostics } from '../../../../src/core/tasks/dependencyDiagnostics';
import { findDependencyCycles } from '../../../../src/core/tasks/dependencyCycles';
import { aCycleState, cycleIds, cycleTaskFiles } from '../../../support/cycleQueue';
import { aQueueEntry } from '../../../support/panelState';

/**
 * Issue 9 C2: one dependency cycle through every task used to be spelled out once per task (10,000 tasks:
 * 1.1 GB from `ato tasks`; 2,500 files with 120-character ids: a 1.6 GB panel snapshot and a RangeError).
 * A cycle is described once; every description and snapshot field is bounded. Sizes, not timings.
 */
describe('a dependency cycle through the whole queue: described once, every text bounded', () => {
  it('10,000 tasks in one cycle: one description of the cycle, the others refer to it, each line short', () => {
    const ids = cycleIds(10_000);
    const order = orderPending(cycleTaskFiles(ids).map(({ fileName, text }) => aQueueEntry('pending', fileName, text)), new Set());
    assert.equal(order.ready.length, 0);
    assert.equal(order.blocked.length, 10_000);
    const lines = order.blocked.map(({ entry, reason }) => describeBlockReason(reason, entry.result.task.id));
    const longest = Math.max(...lines.map(line => line.length));
    assert.ok(longest <= 200, `the longest line has ${String(longest)} characters`);
    const described = lines.filter(line => line.startsWith('dependency cycle of 10000 tasks: '));
    assert.deepEqual(described, ['dependency cycle of 10000 tasks: task-0000 → task-0001 → task-0002 → task-0003 → task-0004 → task-0005 → …']);
    assert.equal(lines.filter(line => line === 'in the dependency cycle of 10000 tasks described at task-0000').length, 9_999);
    // One summary object for the whole cycle, not one list of 10,000 ids per task.
    assert.equal(new Set(order.blocked.map(({ reason }) => (reason.kind === 'cycle' ? reason.cycle : undefined))).size, 1);
  });

  it('the panel snapshot of 2,500 files with 120-character ids in one cycle stays small, every task field within its limit', () => {
    const ids = cycleIds(2_500, 120);
    assert.equal(ids[0]?.length, 120);
    const snapshot = buildPanelSnapshot(aCycleState(ids), new Redactor());
    const bytes = Buffer.byteLength(JSON.stringify(snapshot));
    assert.ok(bytes < 2_000_000, `${String(bytes)} bytes`);
    const items = snapshot.queue?.items ?? [];
    assert.equal(items.length, 2_500);
    for (const item of items) {
      for (const field of ['id', 'title', 'firstError', 'agent', 'blocked'] as const) {
        assert.ok((item[field] ?? '').length <= panelTaskTextLimits[field], `${field} of ${item.path}: ${String(item[field]?.length)}`);
      }
    }
    assert.equal(items.filter(item => item.blocked?.startsWith('dependency cycle of 2500 tasks: ') === true).length, 1);
  });

  it('a task whose text is huge still gets bounded snapshot fields', () => {
    const title = 'T'.repeat(100_000);
    const state = aCycleState(['solo']);
    const entry = aQueueEntry('pending', 'long.task.md', `---\nid: ${'i'.repeat(5_000)}\n---\n# ${title}\n\nDo it.\n`);
    const queue = state.queue;
    assert.ok(queue);
    const snapshot = buildPanelSnapshot({ ...state, queue: { ...queue, pending: { ...queue.pending, ready: [...queue.pending.ready, entry as never] } } }, new Redactor());
    const item = snapshot.queue?.items.find(task => task.path.endsWith('long.task.md'));
    assert.equal(item?.title.length, panelTaskTextLimits.title);
    assert.equal(item.id.length, panelTaskTextLimits.id);
  });

  it('diagnostics of a 300-task cycle: one describes it, each other file refers to it in a short message at its own depends_on', () => {
    const ids = cycleIds(300);
    const graph = new Map(ids.map((id, index) => [id, [ids[(index + 1) % ids.length] ?? id]]));
    const diagnostics = dependencyCycleDiagnostics(findDependencyCycles(graph), graph, new Map());
    assert.equal(diagnostics.size, 300);
    const messages = [...diagnostics.values()].flat().map(d => d.message);
    assert.equal(messages.length, 300);
    assert.ok(Math.max(...messages.map(m => m.length)) <= 300, 'no message spells out the cycle');
    assert.equal(messages.filter(m => m.startsWith('Dependency cycle of 300 tasks: task-000 → task-001 →')).length, 1);
    assert.match(diagnostics.get('task-007')?.[0]?.message ?? '', /^Task "task-007" depends on "task-008" in the dependency cycle of 300 tasks described at "task-000"/);
  });
});
