import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as z from 'zod/mini';
import { fastArray, readPanelRun, readPanelTask } from '../../../src/shared/panelListChecks';
import { panelRunSchema, panelTaskSchema, type PanelRun, type PanelTask } from '../../../src/shared/protocol';

const aTask: PanelTask = { id: 'a', title: 'A task', folder: 'pending', valid: true, diagnostics: 0, firstError: null, priority: 'high', type: 'feature', agent: 'auto', blocked: null, path: 'issue_queue/pending/a.task.md', mtime: '2026-11-21T10:00:00.000Z' };
const aRun: PanelRun = { runId: 'r1', taskId: 'a', agentId: 'claude-code', state: 'failed', startedAt: '2026-11-21T10:00:00.000Z', endedAt: '2026-11-21T10:05:00.000Z', costUsd: 0.25, turns: 3, branch: 'ato/a', failure: { class: 'exit', message: 'exit 1' }, summary: 'done', landable: true, landing: 'merged ato/a into main' };

/** Every field set to every kind of value, each alone: the edges where a hand-written check drifts. */
function variants(base: object): unknown[] {
  const samples: unknown[] = [base, null, [], 'x', 0, Object.create(null), { ...base, extra: 1 }];
  for (const key of Object.keys(base)) {
    for (const value of [undefined, null, 0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, 'x', '', true, [], {}, { class: 'c', message: 'm' }, { class: 'c' }, ['c', 'm']]) samples.push({ ...base, [key]: value });
    samples.push(Object.fromEntries(Object.entries(base).filter(([name]) => name !== key)));
  }
  return samples;
}

/** Arbitrary values shaped like a row often enough to reach every branch. */
const rowLike = (base: object): fc.Arbitrary<unknown> => fc.oneof(
  fc.anything({ withNullPrototype: true }),
  fc.record(Object.fromEntries(Object.keys(base).map(key => [key, fc.oneof(fc.constant((base as Record<string, unknown>)[key]), fc.anything(), fc.constantFrom('queued', 'running', 'pending', 'complete', null, 0, -0, 1, 0.5))])), { requiredKeys: [] }),
);

describe('the protocol\'s fast list checks', () => {
  for (const [name, read, schema, base] of [
    ['task', readPanelTask, panelTaskSchema, aTask],
    ['run', readPanelRun, panelRunSchema, aRun],
  ] as const) {
    it(`the ${name} reader gives what the ${name} schema gives, and refuses what it refuses, on every edge and on arbitrary input`, () => {
      const same = (value: unknown): boolean => {
        const parsed = schema.safeParse(value);
        const copy = read(value);
        if (!parsed.success) return copy === undefined;
        assert.deepEqual(copy, parsed.data, JSON.stringify(value));
        return copy !== value;
      };
      for (const sample of variants(base)) assert.ok(same(sample), JSON.stringify(sample));
      fc.assert(fc.property(rowLike(base), same), { numRuns: 1000 });
    });
  }

  it('readers drop the fields the schemas do not define', () => {
    assert.deepEqual(readPanelTask({ ...aTask, extra: 1 }), aTask);
    assert.deepEqual(readPanelRun({ ...aRun, extra: 1, failure: { class: 'exit', message: 'exit 1', stack: 'x' } }), aRun);
    assert.deepEqual(readPanelRun({ ...aRun, failure: null }), { ...aRun, failure: null });
  });

  it('a fast array accepts, returns and refuses what z.array of the schema does, with the same first issue', () => {
    const fast = fastArray(readPanelRun, panelRunSchema);
    const exact = z.array(panelRunSchema);
    const same = (value: unknown): void => {
      const a = fast.safeParse(value);
      const b = exact.safeParse(value);
      assert.equal(a.success, b.success, JSON.stringify(value));
      if (a.success && b.success) assert.deepEqual(a.data, b.data);
      else assert.deepEqual(a.error?.issues[0]?.path, b.error?.issues[0]?.path);
      if (a.success) assert.notEqual(a.data, value, 'a fresh array, never the input');
    };
    for (const variant of variants(aRun)) {
      same([variant]);
      same([aRun, variant, aRun]);
    }
    const lists = fc.oneof(fc.array(fc.oneof(fc.constant(aRun), fc.constantFrom(...variants(aRun))), { maxLength: 6 }), fc.anything());
    fc.assert(fc.property(lists, same), { numRuns: 1000 });
    const refused = fast.safeParse([aRun, { ...aRun, state: 'exploded' }]);
    assert.deepEqual(refused.error?.issues.map(issue => [issue.path, issue.message]), [[[1, 'state'], exact.safeParse([aRun, { ...aRun, state: 'exploded' }]).error?.issues[0]?.message]]);
  });
});
