import assert from 'node:assert/strict';
import fc from 'fast-check';
import { queueFolders } from '../../../../src/core/planning/planningLayout';
import { queueEntryId, type QueueEntry } from '../../../../src/core/queue/queueEntry';
import { QueueEntries } from '../../../../src/core/queue/queueEntries';
import { orderPending } from '../../../../src/core/queue/queueOrder';
import { taskPriorities } from '../../../../src/core/tasks/taskTypes';
import { simpleTaskParser, taskFileText } from '../../../support/simpleTaskParser';

/** A file in one of the folders with some content; `id` is drawn from a small set so duplicates happen. */
const anEntry = fc.record({
  folder: fc.constantFrom(...queueFolders),
  name: fc.integer({ min: 0, max: 15 }),
  id: fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { nil: undefined }),
  priority: fc.constantFrom(...taskPriorities),
  created: fc.option(fc.integer({ min: 0, max: 5 }).map(day => `2026-01-0${day + 1}T00:00:00Z`), { nil: undefined }),
  mtimeMs: fc.integer({ min: 0, max: 5 }),
  dependsOn: fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'n0', 'n1'), { maxLength: 2 }),
  invalid: fc.boolean(),
}).map(({ folder, name, id, priority, created, mtimeMs, dependsOn, invalid }): QueueEntry => {
  const fileName = `n${name}.task.md`;
  const text = invalid ? 'INVALID' : taskFileText({ ...(id === undefined ? {} : { id }), priority, ...(created === undefined ? {} : { created }), dependsOn });
  return {
    file: `/w/planning/issue_queue/${folder}/${fileName}`,
    relativePath: `issue_queue/${folder}/${fileName}`,
    folder,
    fileName,
    mtimeMs,
    size: text.length,
    result: simpleTaskParser(text, fileName),
  };
});

const anOperation = fc.oneof(
  { arbitrary: anEntry.map(entry => ({ kind: 'set' as const, entry })), weight: 6 },
  { arbitrary: fc.record({ folder: fc.constantFrom(...queueFolders), name: fc.integer({ min: 0, max: 15 }) }).map(({ folder, name }) => ({ kind: 'delete' as const, file: `/w/planning/issue_queue/${folder}/n${name}.task.md` })), weight: 2 },
  { arbitrary: fc.constant({ kind: 'snapshot' as const }), weight: 1 },
);

describe('QueueEntries (the index\'s incremental bookkeeping)', () => {
  it('always agrees with recomputing everything from scratch', () => {
    fc.assert(fc.property(fc.array(anOperation, { minLength: 10, maxLength: 200, size: 'max' }), operations => {
      const entries = new QueueEntries();
      const truth = new Map<string, QueueEntry>();
      for (const operation of [...operations, { kind: 'snapshot' as const }]) {
        if (operation.kind === 'set') {
          entries.set(operation.entry);
          truth.set(operation.entry.file, operation.entry);
          continue;
        }
        if (operation.kind === 'delete') {
          assert.equal(entries.delete(operation.file), truth.get(operation.file));
          truth.delete(operation.file);
          continue;
        }
        entries.commit();
        const snapshot = entries.snapshot();
        const all = [...truth.values()];
        // Valid tasks per folder; invalid files only in `invalid` (issue 14: one count everywhere).
        const counts = Object.fromEntries(queueFolders.map(folder => [folder, all.filter(e => e.folder === folder && e.result.task !== undefined).length]));
        assert.deepEqual(snapshot.counts, counts);
        assert.deepEqual(snapshot.invalid.map(e => e.file), all.filter(e => e.result.task === undefined).map(e => e.file).sort());
        const byId = new Map<string, QueueEntry[]>();
        for (const entry of all) byId.set(queueEntryId(entry), [...byId.get(queueEntryId(entry)) ?? [], entry]);
        const duplicated = [...byId].filter(([, list]) => list.length > 1);
        assert.deepEqual(snapshot.duplicates.map(d => [d.id, d.entries.map(e => e.file)]), duplicated.map(([id, list]) => [id, list.map(e => e.file).sort()]).sort());
        const others = new Map(duplicated.flatMap(([, list]) => list.map(e => [e.file, list.filter(o => o !== e).map(o => o.relativePath).sort()] as const)));
        const completed = new Set(all.filter(e => e.folder === 'complete').map(queueEntryId));
        const expected = orderPending(all, completed, { duplicates: others });
        assert.deepEqual(snapshot.pending.ready.map(e => e.file), expected.ready.map(e => e.file));
        assert.deepEqual(snapshot.pending.blocked.map(b => [b.entry.file, b.reason]), expected.blocked.map(b => [b.entry.file, b.reason]));
        for (const [id, list] of byId) assert.deepEqual(entries.byId(id).map(e => e.file), list.map(e => e.file).sort());
      }
    }), { numRuns: 200 });
  });
});
