import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseLeaseRecord, RemoteLease, type LeaseResult } from '../../../src/core/loop/engine/remoteLease';
import { MemoryGitHubPort } from '../../support/memoryGitHubPort';
import { seededRandom } from '../../support/seededRandom';
import { useTempDir } from '../../support/tempDir';

const t0 = Date.parse('2026-11-21T10:00:00.000Z');
const at = (minutes: number): Date => new Date(t0 + minutes * 60_000);
const ttlMs = 5 * 60_000;

describe('remote lease under real concurrency (two acquirers, one ref, 50 trials)', function () {
  this.timeout(120_000);
  const temp = useTempDir('ato-lease-race-');

  it('exactly one holds the lease each time; the holder renews without losing it; expiry lets the other take over', async () => {
    const random = seededRandom(42);
    // Every request waits a random turn (an immediate, or up to 3 ms), so the racers' requests interleave
    // differently in each trial, on top of the real git processes running in parallel.
    const port = await MemoryGitHubPort.create(join(temp(), 'remote.git'), undefined, 'main', {
      beforeCall: () => new Promise<void>(resolve => {
        const roll = random();
        if (roll < 0.4) setImmediate(resolve);
        else setTimeout(resolve, Math.floor(roll * 4));
      }),
    });
    const outcomes = { created: 0, takenOver: 0 };
    const runTrial = async (trial: number): Promise<void> => {
      const ref = `refs/ato/lease-${trial}`;
      const first = new RemoteLease(port, { holder: `alice#${trial}`, ttlMs, ref });
      const second = new RemoteLease(port, { holder: `bob#${trial}`, ttlMs, ref });
      // Half the trials race to create the ref, half race to take over an expired lease.
      const fromExpired = trial % 2 === 1;
      if (fromExpired) {
        const previous = new RemoteLease(port, { holder: 'gone', ttlMs, ref });
        assert.equal((await previous.acquire(at(-10))).held, true);
      }
      const results = await Promise.all([first.acquire(at(0)), second.acquire(at(0))]);
      const winners = results.filter(result => result.held);
      assert.equal(winners.length, 1, `trial ${trial}: ${JSON.stringify(results)}`);
      const [winner, loser] = results[0].held ? [first, second] : [second, first];
      const lost = (results[0].held ? results[1] : results[0]) as Extract<LeaseResult, { held: false }>;
      // The loser knows who won (unless the ref kept moving, which two racers cannot cause).
      assert.equal(lost.holder, winner.holder, `trial ${trial}`);
      if (fromExpired) outcomes.takenOver++;
      else outcomes.created++;
      assert.equal((await holderOnRemote(port, ref)), winner.holder);

      // Every fifth trial goes on: renewal while the other keeps trying, then expiry.
      if (trial % 5 !== 0) return;
      const [renewed, refused] = await Promise.all([winner.renew(at(2)), loser.acquire(at(2))]);
      assert.equal(renewed.held, true, `trial ${trial}: renewal`);
      assert.equal(refused.held, false, `trial ${trial}: the other while it is held`);
      // After the expiry the other takes over, and the old holder's renewal learns it lost.
      const [takeover, late] = await Promise.all([loser.acquire(at(8)), winner.renew(at(8))]);
      assert.equal([takeover, late].filter(result => result.held).length, 1, `trial ${trial}: after expiry, one holder`);
      assert.equal(await holderOnRemote(port, ref), [takeover, late].find(result => result.held)?.holder);
    };
    // Five trials at a time (each on its own ref): more interleaving, and the git processes use every core.
    for (let batch = 0; batch < 50; batch += 5) {
      await Promise.all([0, 1, 2, 3, 4].map(offset => runTrial(batch + offset)));
    }
    assert.deepEqual(outcomes, { created: 25, takenOver: 25 });
  });
});

async function holderOnRemote(port: MemoryGitHubPort, ref: string): Promise<string | undefined> {
  const head = await port.getRef(ref);
  return head === undefined ? undefined : parseLeaseRecord((await port.getCommit(head.sha)).message)?.holder;
}
