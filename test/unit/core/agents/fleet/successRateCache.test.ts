import assert from 'node:assert/strict';
import { SuccessRateCache } from '../../../../../src/core/agents/fleet/successRateCache';
import { Redactor } from '../../../../../src/core/logging/redactor';
import { RunStore } from '../../../../../src/core/runs/runStore';
import { aRunRecord } from '../../../../support/runRecords';
import { useTempDir } from '../../../../support/tempDir';

/** A RunStore that counts how often every record is read. */
function countingStore(workspaceRoot: string): { readonly store: RunStore; readonly lists: () => number } {
  const store = new RunStore({ workspaceRoot, redactor: new Redactor() });
  let lists = 0;
  const list = store.list.bind(store);
  store.list = () => { lists++; return list(); };
  return { store, lists: () => lists };
}

describe('SuccessRateCache: success rates from the run records, read once per revision', () => {
  const temp = useTempDir('ato-rates-');

  it('reads the records once while nothing is written, and again after a write', async () => {
    const { store, lists } = countingStore(temp());
    const cache = new SuccessRateCache(store);
    assert.equal((await cache.current()).records.length, 0);
    await store.write(aRunRecord({ runId: 'r1', agentId: 'a', state: 'succeeded', endedAt: '2026-11-21T10:01:00.000Z' }));
    const first = await cache.current();
    const second = await cache.current();
    const third = await cache.current();
    assert.equal(lists(), 2, 'once for the empty folder, once after the write; not for each call');
    assert.equal(first, second);
    assert.equal(second, third);
    assert.deepEqual(first.successRates.stats('a', 'feature'), { succeeded: 1, failed: 0, rate: 2 / 3 });

    await store.write(aRunRecord({ runId: 'r2', agentId: 'a', state: 'failed', endedAt: '2026-11-21T10:02:00.000Z' }));
    const after = await cache.current();
    assert.equal(lists(), 3);
    assert.deepEqual(after.successRates.stats('a', 'feature'), { succeeded: 1, failed: 1, rate: 0.5 });
  });

  it('sees a record another process wrote (another RunStore on the same folder)', async () => {
    const { store, lists } = countingStore(temp());
    const cache = new SuccessRateCache(store);
    await store.write(aRunRecord({ runId: 'r1', agentId: 'a', state: 'succeeded', endedAt: '2026-11-21T10:01:00.000Z' }));
    assert.equal((await cache.current()).records.length, 1);
    const other = new RunStore({ workspaceRoot: temp(), redactor: new Redactor() });
    await other.write(aRunRecord({ runId: 'r2', agentId: 'a', state: 'succeeded', endedAt: '2026-11-21T10:02:00.000Z' }));
    assert.deepEqual((await cache.current()).records.map(record => record.runId), ['r1', 'r2']);
    assert.equal(lists(), 2);
  });
});
