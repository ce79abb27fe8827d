import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { acquireLoopLock, parseHolder, type LoopLockHolder } from '../../../../../src/core/loop/engine/localLock';
import { useTempDir } from '../../../../support/tempDir';

describe('local loop lock (.ato/loop.lock: one loop per workspace per machine)', () => {
  const temp = useTempDir('ato-lock-');
  const lockFile = (): string => join(temp(), '.ato', 'loop.lock');
  const onDisk = (): LoopLockHolder | undefined => parseHolder(readFileSync(lockFile(), 'utf8'));

  function writeLock(holder: Partial<LoopLockHolder>): void {
    mkdirSync(join(temp(), '.ato'), { recursive: true });
    writeFileSync(lockFile(), JSON.stringify({ pid: 999_999_999, host: hostname(), startedAt: '2026-11-21T10:00:00.000Z', owner: 'old', token: 'old-token', ...holder }));
  }

  it('the first loop gets it with its pid, host, start time and owner; a second is told who has it', async () => {
    const first = await acquireLoopLock(temp(), { owner: 'VS Code window' });
    assert.ok(first.acquired);
    assert.deepEqual(onDisk(), first.lock.holder);
    assert.equal(first.lock.holder.pid, process.pid);
    assert.equal(first.lock.holder.host, hostname());
    assert.equal(first.lock.holder.owner, 'VS Code window');
    const second = await acquireLoopLock(temp(), { owner: 'ato run' });
    assert.deepEqual(second, { acquired: false, holder: first.lock.holder });
    assert.deepEqual(readdirSync(join(temp(), '.ato')).sort(), ['.gitignore', 'loop.lock'], 'no temporary file left behind');
  });

  it('release removes the lock only while it is still ours; then another loop gets it', async () => {
    const first = await acquireLoopLock(temp(), { owner: 'a' });
    assert.ok(first.acquired);
    assert.equal(await first.lock.release(), true);
    const second = await acquireLoopLock(temp(), { owner: 'b' });
    assert.ok(second.acquired);
    assert.equal(await first.lock.release(), false, 'the old handle does not remove the new lock');
    assert.equal(onDisk()?.token, second.lock.holder.token);
    assert.equal(await second.lock.isHeld(), true);
    const later = new Date(Date.now() + 3_600_000);
    assert.equal(await second.lock.refresh(later), true);
    assert.equal(Math.round(statSync(lockFile()).mtimeMs / 1000), Math.round(later.getTime() / 1000), 'refresh marks the lock alive for other hosts');
    assert.equal(await first.lock.refresh(), false);
  });

  it('a lock whose process is dead is taken over', async () => {
    writeLock({ pid: 123, token: 'dead' });
    const attempt = await acquireLoopLock(temp(), { owner: 'new', isProcessAlive: pid => pid !== 123 });
    assert.ok(attempt.acquired);
    assert.equal(onDisk()?.token, attempt.lock.holder.token);
  });

  it('a lock from another host is stale only after the TTL since its start or its last refresh', async () => {
    const now = new Date('2026-11-21T10:30:00.000Z');
    writeLock({ host: 'other-host', startedAt: '2026-11-21T10:00:00.000Z', token: 'remote' });
    const recent = new Date('2026-11-21T10:25:00.000Z');
    utimesSync(lockFile(), recent, recent);
    const refused = await acquireLoopLock(temp(), { owner: 'x', now: () => now, otherHostTtlMs: 10 * 60_000 });
    assert.equal(refused.acquired, false, 'refreshed 5 minutes ago');
    const old = new Date('2026-11-21T10:05:00.000Z');
    utimesSync(lockFile(), old, old);
    const taken = await acquireLoopLock(temp(), { owner: 'x', now: () => now, otherHostTtlMs: 10 * 60_000 });
    assert.ok(taken.acquired);
  });

  it('an unreadable lock is respected for a grace period (it may be being written), then taken over', async () => {
    mkdirSync(join(temp(), '.ato'), { recursive: true });
    writeFileSync(lockFile(), '{"pid": 12');
    const refused = await acquireLoopLock(temp(), { owner: 'x' });
    assert.deepEqual(refused, { acquired: false, holder: undefined });
    const later = await acquireLoopLock(temp(), { owner: 'x', now: () => new Date(Date.now() + 60_000) });
    assert.ok(later.acquired);
  });

  it('of many acquirers racing in one process, exactly one wins, also over a stale lock', async () => {
    for (const stale of [false, true]) {
      if (stale) writeLock({ pid: 123, token: `dead-${Math.random()}` });
      const attempts = await Promise.all(Array.from({ length: 12 }, (_, i) => acquireLoopLock(temp(), { owner: `racer-${i}`, isProcessAlive: pid => pid !== 123 })));
      const winners = attempts.filter(attempt => attempt.acquired);
      assert.equal(winners.length, 1, stale ? 'over a stale lock' : 'no lock before');
      assert.equal(onDisk()?.token, winners[0]?.acquired === true ? winners[0].lock.holder.token : undefined);
      for (const attempt of attempts) if (!attempt.acquired) assert.equal(attempt.holder?.token, onDisk()?.token);
      if (winners[0]?.acquired === true) await winners[0].lock.release();
    }
  });
});
