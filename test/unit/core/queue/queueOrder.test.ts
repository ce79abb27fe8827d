import assert from 'node:assert/strict';
import type { QueueFolder } from '../../../../src/core/planning/planningLayout';
import { isValidQueueEntry, queueEntryId, taskIdFromFileName, type QueueEntry } from '../../../../src/core/queue/queueEntry';
import { describeBlockReason, nextReady, orderPending, type PendingOrder } from '../../../../src/core/queue/queueOrder';
import { simpleTaskParser, taskFileText, type TaskFileFields } from '../../../support/simpleTaskParser';

function anEntry(fields: TaskFileFields & { folder?: QueueFolder; mtimeMs?: number; fileName?: string; invalid?: boolean }): QueueEntry {
  const fileName = fields.fileName ?? `${fields.id ?? 'task'}.task.md`;
  const folder = fields.folder ?? 'pending';
  const text = fields.invalid === true ? 'INVALID' : taskFileText(fields);
  return {
    file: `/w/planning/issue_queue/${folder}/${fileName}`,
    relativePath: `issue_queue/${folder}/${fileName}`,
    folder,
    fileName,
    mtimeMs: fields.mtimeMs ?? 1_000,
    size: text.length,
    result: simpleTaskParser(text, fileName),
  };
}

const ids = (order: PendingOrder): { ready: string[]; blocked: string[] } => ({
  ready: order.ready.map(queueEntryId),
  blocked: order.blocked.map(b => queueEntryId(b.entry)),
});

describe('queue entry helpers', () => {
  it('derives the id from the file name without .task.md or .md', () => {
    assert.equal(taskIdFromFileName('add-login.task.md'), 'add-login');
    assert.equal(taskIdFromFileName('fix-ci.md'), 'fix-ci');
    assert.equal(taskIdFromFileName('Shout.TASK.MD'), 'Shout');
  });

  it('prefers the frontmatter id and tells valid from invalid entries', () => {
    const valid = anEntry({ id: 'from-frontmatter', fileName: 'other-name.task.md' });
    const invalid = anEntry({ fileName: 'broken.task.md', invalid: true });
    assert.equal(queueEntryId(valid), 'from-frontmatter');
    assert.equal(queueEntryId(invalid), 'broken');
    assert.equal(isValidQueueEntry(valid), true);
    assert.equal(isValidQueueEntry(invalid), false);
  });
});

describe('orderPending', () => {
  const none = new Set<string>();

  it('puts the highest priority first', () => {
    const order = orderPending([
      anEntry({ id: 'low', priority: 'low' }), anEntry({ id: 'emergency', priority: 'emergency' }),
      anEntry({ id: 'medium', priority: 'medium' }), anEntry({ id: 'critical', priority: 'critical' }), anEntry({ id: 'high', priority: 'high' }),
    ], none);
    assert.deepEqual(ids(order).ready, ['emergency', 'critical', 'high', 'medium', 'low']);
  });

  const ageTable: { name: string; entries: QueueEntry[]; expected: string[] }[] = [
    {
      name: 'the oldest `created` first within a priority',
      entries: [anEntry({ id: 'new', created: '2026-11-21T12:00:00Z' }), anEntry({ id: 'old', created: '2026-11-20T12:00:00Z' })],
      expected: ['old', 'new'],
    },
    {
      name: 'the modification time when there is no `created`',
      entries: [anEntry({ id: 'touched-late', mtimeMs: Date.parse('2026-11-22T00:00:00Z') }), anEntry({ id: 'created-mid', created: '2026-11-21T00:00:00Z', mtimeMs: Date.parse('2026-12-01T00:00:00Z') }), anEntry({ id: 'touched-early', mtimeMs: Date.parse('2026-11-20T00:00:00Z') })],
      expected: ['touched-early', 'created-mid', 'touched-late'],
    },
    {
      name: 'the modification time when `created` is not a date',
      entries: [anEntry({ id: 'garbage', created: 'last tuesday', mtimeMs: 5 }), anEntry({ id: 'later', mtimeMs: 10 })],
      expected: ['garbage', 'later'],
    },
    {
      name: 'the id when priority and age are equal',
      entries: [anEntry({ id: 'b' }), anEntry({ id: 'c' }), anEntry({ id: 'a' })],
      expected: ['a', 'b', 'c'],
    },
    {
      name: 'priority before age',
      entries: [anEntry({ id: 'old-low', priority: 'low', created: '2020-01-01T00:00:00Z' }), anEntry({ id: 'new-high', priority: 'high', created: '2030-01-01T00:00:00Z' })],
      expected: ['new-high', 'old-low'],
    },
  ];
  for (const row of ageTable) {
    it(`orders by ${row.name}`, () => {
      assert.deepEqual(ids(orderPending(row.entries, none)).ready, row.expected);
      assert.deepEqual(ids(orderPending([...row.entries].reverse(), none)).ready, row.expected, 'independent of input order');
    });
  }

  it('leaves out invalid files and files outside pending/', () => {
    const order = orderPending([
      anEntry({ id: 'ok' }), anEntry({ fileName: 'bad.task.md', invalid: true }),
      anEntry({ id: 'running', folder: 'processed' }), anEntry({ id: 'done', folder: 'complete' }),
    ], none);
    assert.deepEqual(ids(order), { ready: ['ok'], blocked: [] });
  });

  it('blocks a task until every dependency is complete, naming the missing ones', () => {
    const entries = [anEntry({ id: 'needs-two', priority: 'critical', dependsOn: ['a', 'b', 'a'] }), anEntry({ id: 'free' })];
    const partly = orderPending(entries, new Set(['a']));
    assert.deepEqual(ids(partly), { ready: ['free'], blocked: ['needs-two'] });
    assert.deepEqual(partly.blocked[0]?.reason, { kind: 'dependencies', missing: ['b'] });
    assert.deepEqual(orderPending(entries, new Set(['b'])).blocked[0]?.reason, { kind: 'dependencies', missing: ['a'] }, 'each missing id once');
    assert.deepEqual(ids(orderPending(entries, new Set(['a', 'b']))).ready, ['needs-two', 'free']);
  });

  it('accepts a Map of completed ids', () => {
    const order = orderPending([anEntry({ id: 'x', dependsOn: ['a'] })], new Map([['a', 1]]));
    assert.deepEqual(ids(order).ready, ['x']);
  });

  it('blocks every task of a dependency cycle with one summary of it, and tasks waiting on the cycle by dependency', () => {
    const order = orderPending([
      anEntry({ id: 'a', dependsOn: ['b'] }), anEntry({ id: 'b', dependsOn: ['c'] }), anEntry({ id: 'c', dependsOn: ['a'] }),
      anEntry({ id: 'downstream', dependsOn: ['a'] }), anEntry({ id: 'free' }),
    ], none);
    assert.deepEqual(ids(order).ready, ['free']);
    const reasons = Object.fromEntries(order.blocked.map(b => [queueEntryId(b.entry), b.reason]));
    const cycle = { size: 3, first: 'a', walk: ['a', 'b', 'c', 'a'], complete: true };
    for (const id of ['a', 'b', 'c']) assert.deepEqual(reasons[id], { kind: 'cycle', cycle });
    assert.deepEqual(reasons['downstream'], { kind: 'dependencies', missing: ['a'] });
    for (const id of ['a', 'b']) assert.equal(describeBlockReason({ kind: 'cycle', cycle }, id), 'dependency cycle: a → b → c → a', 'a small cycle is spelled out at each of its tasks');
  });

  it('treats a task that depends on itself as a cycle', () => {
    const order = orderPending([anEntry({ id: 'me', dependsOn: ['me'] })], none);
    assert.deepEqual(order.blocked[0]?.reason, { kind: 'cycle', cycle: { size: 1, first: 'me', walk: ['me', 'me'], complete: true } });
  });

  it('does not see a cycle through a completed task', () => {
    // `b` is pending and depends on `a`, which is complete although a pending file also claims id `a`.
    const order = orderPending([anEntry({ id: 'a', dependsOn: ['b'] }), anEntry({ id: 'b', dependsOn: ['a'] })], new Set(['a']));
    assert.deepEqual(ids(order), { ready: ['b'], blocked: ['a'] });
    assert.deepEqual(order.blocked[0]?.reason, { kind: 'dependencies', missing: ['b'] });
  });

  it('blocks a task whose id another file also has', () => {
    const entry = anEntry({ id: 'twin' });
    const order = orderPending([entry, anEntry({ id: 'other' })], none, { duplicates: new Map([[entry.file, ['issue_queue/complete/twin.task.md']]]) });
    assert.deepEqual(ids(order), { ready: ['other'], blocked: ['twin'] });
    assert.deepEqual(order.blocked[0]?.reason, { kind: 'duplicateId', files: ['issue_queue/complete/twin.task.md'] });
  });

  it('handles a 20,000-task dependency chain without overflowing the stack', () => {
    const entries = Array.from({ length: 20_000 }, (_, i) => anEntry({ id: `t${i}`, dependsOn: i === 0 ? [] : [`t${i - 1}`] }));
    const chain = orderPending(entries, none);
    assert.equal(chain.ready.length, 1);
    assert.equal(chain.blocked.length, 19_999);
    const looped = orderPending([...entries.slice(1), anEntry({ id: 't0', dependsOn: ['t19999'] })], none);
    assert.equal(looped.blocked.filter(b => b.reason.kind === 'cycle').length, 20_000);
  });

  it('nextReady gives the first ready task the caller accepts', () => {
    const order = orderPending([anEntry({ id: 'first', priority: 'high' }), anEntry({ id: 'second' }), anEntry({ id: 'waits', priority: 'emergency', dependsOn: ['x'] })], none);
    assert.equal(nextReady(order)?.result.task.id, 'first');
    assert.equal(nextReady(order, entry => entry.result.task.id !== 'first')?.result.task.id, 'second');
    assert.equal(nextReady(order, () => false), undefined);
    assert.equal(nextReady(orderPending([], none)), undefined);
  });

  it('describes why a task waits', () => {
    assert.equal(describeBlockReason({ kind: 'dependencies', missing: ['a', 'b'] }, 't'), 'waits for a, b to complete');
    assert.equal(describeBlockReason({ kind: 'duplicateId', files: ['issue_queue/pending/x.md'] }, 't'), 'the same id is used by issue_queue/pending/x.md');
  });

  it('names at most three ids or files, and cuts long ids', () => {
    assert.equal(describeBlockReason({ kind: 'dependencies', missing: ['a', 'b', 'c', 'd', 'e'] }, 't'), 'waits for a, b, c and 2 more to complete');
    assert.equal(describeBlockReason({ kind: 'duplicateId', files: ['p/1.md', 'p/2.md', 'p/3.md', 'p/4.md'] }, 't'), 'the same id is used by p/1.md, p/2.md, p/3.md and 1 more');
    assert.equal(describeBlockReason({ kind: 'dependencies', missing: ['x'.repeat(500)] }, 't').length, 'waits for  to complete'.length + 60);
  });
});
