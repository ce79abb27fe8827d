import assert from 'node:assert/strict';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { leaseSite, parseLeaseRecord, RemoteLease, type LeaseRecord } from '../../../../../src/core/loop/engine/remoteLease';
import { git } from '../../../../support/gitRepo';
import { MemoryGitHubPort } from '../../../../support/memoryGitHubPort';
import { useTempDir } from '../../../../support/tempDir';

const t0 = new Date('2026-11-21T10:00:00.000Z');
const minutes = (n: number): Date => new Date(t0.getTime() + n * 60_000);

describe('remote lease (refs/ato/lease, fast-forward-only update = compare-and-swap)', () => {
  const temp = useTempDir('ato-lease-');

  async function port(name = 'remote'): Promise<MemoryGitHubPort> {
    return MemoryGitHubPort.create(join(temp(), `${name}.git`));
  }

  async function leaseOnRemote(memory: MemoryGitHubPort): Promise<LeaseRecord | undefined> {
    const ref = await memory.getRef('refs/ato/lease');
    return ref === undefined ? undefined : parseLeaseRecord((await memory.getCommit(ref.sha)).message);
  }

  it('the first acquisition creates the ref; another holder is told who holds it and until when', async () => {
    const memory = await port();
    const alice = new RemoteLease(memory, { holder: 'alice@laptop#1', ttlMs: 5 * 60_000 });
    const bob = new RemoteLease(memory, { holder: 'bob@desk#2', ttlMs: 5 * 60_000 });
    const first = await alice.acquire(t0);
    assert.deepEqual(first, { held: true, holder: 'alice@laptop#1', expiresAt: minutes(5).toISOString(), acquiredAt: t0.toISOString(), requests: 4 });
    assert.deepEqual(await bob.acquire(minutes(1)), { held: false, holder: 'alice@laptop#1', expiresAt: minutes(5).toISOString(), requests: 2 });
    // The lease commit did not change: one request (the ref) answers.
    assert.deepEqual(await bob.acquire(minutes(2)), { held: false, holder: 'alice@laptop#1', expiresAt: minutes(5).toISOString(), requests: 1 });
    assert.equal((await leaseOnRemote(memory))?.holder, 'alice@laptop#1');
    assert.equal(bob.requests, 3);
  });

  it('an uncontended renewal costs 2 requests, keeps the tenure and extends the expiry; the tree is reused', async () => {
    const memory = await port();
    const alice = new RemoteLease(memory, { holder: 'alice', ttlMs: 5 * 60_000 });
    await alice.acquire(t0);
    const renewed = await alice.renew(minutes(3));
    assert.deepEqual(renewed, { held: true, holder: 'alice', expiresAt: minutes(8).toISOString(), acquiredAt: t0.toISOString(), requests: 2 });
    await alice.renew(minutes(6));
    assert.equal(memory.callCount('createTree'), 1);
    const head = await memory.getRef('refs/ato/lease');
    const commit = await memory.getCommit(head!.sha);
    assert.equal(commit.parents.length, 1, 'each renewal is a child of the previous lease commit');
    assert.equal((await memory.getCommit(commit.parents[0]!)).treeSha, commit.treeSha);
  });

  it('an expired lease is taken over; the old holder then learns it lost the lease', async () => {
    const memory = await port();
    const alice = new RemoteLease(memory, { holder: 'alice', ttlMs: 5 * 60_000 });
    const bob = new RemoteLease(memory, { holder: 'bob', ttlMs: 5 * 60_000 });
    await alice.acquire(t0);
    assert.equal((await bob.acquire(minutes(4))).held, false);
    const taken = await bob.acquire(minutes(6));
    assert.equal(taken.held, true);
    assert.equal(taken.acquiredAt, minutes(6).toISOString());
    // Alice's cache still says the lease is hers: her compare-and-swap fails and she reads the truth.
    assert.deepEqual(await alice.renew(minutes(7)), { held: false, holder: 'bob', expiresAt: minutes(11).toISOString(), requests: 4 });
    assert.equal((await leaseOnRemote(memory))?.holder, 'bob');
  });

  it('a lapsed lease nobody took is taken again by its old holder, with a new tenure', async () => {
    const memory = await port();
    const alice = new RemoteLease(memory, { holder: 'alice', ttlMs: 5 * 60_000 });
    await alice.acquire(t0);
    const again = await alice.renew(minutes(30));
    assert.equal(again.held, true);
    assert.equal(again.acquiredAt, minutes(30).toISOString());
  });

  it('release writes an expired lease, so the next loop need not wait; releasing a lease one does not hold does nothing', async () => {
    const memory = await port();
    const alice = new RemoteLease(memory, { holder: 'alice', ttlMs: 5 * 60_000 });
    const bob = new RemoteLease(memory, { holder: 'bob', ttlMs: 5 * 60_000 });
    await alice.acquire(t0);
    assert.deepEqual(await bob.release(minutes(1)), { released: false, requests: 2 });
    assert.deepEqual(await alice.release(minutes(1)), { released: true, requests: 2 });
    assert.equal((await leaseOnRemote(memory))?.expiresAt, minutes(1).toISOString());
    assert.equal((await bob.acquire(minutes(1))).held, true);
  });

  it('two instances with the same holder id are still two holders (a restarted process, two CI jobs)', async () => {
    const memory = await port();
    const first = new RemoteLease(memory, { holder: 'ci', ttlMs: 5 * 60_000 });
    const second = new RemoteLease(memory, { holder: 'ci', ttlMs: 5 * 60_000 });
    assert.equal((await first.acquire(t0)).held, true);
    assert.equal((await second.acquire(minutes(1))).held, false);
    assert.equal((await first.renew(minutes(2))).held, true);
  });

  it('a lease commit that is not ATO JSON counts as free; a deleted ref is created again', async () => {
    const memory = await port();
    const tree = await memory.createTree([{ path: 'x', content: 'x' }]);
    await memory.createRef('refs/ato/lease', await memory.createCommit({ message: 'not json', treeSha: tree, parents: [] }));
    const alice = new RemoteLease(memory, { holder: 'alice', ttlMs: 60_000 });
    assert.equal((await alice.acquire(t0)).held, true);
    assert.equal((await leaseOnRemote(memory))?.holder, 'alice');
    git(memory.gitDir, 'update-ref', '-d', 'refs/ato/lease');
    const renewed = await alice.renew(minutes(0.5));
    assert.equal(renewed.held, true);
    assert.equal((await leaseOnRemote(memory))?.expiresAt, minutes(1.5).toISOString());
  });

  it('a lease held by a dead process of the same site is taken over at once, and says from whom', async () => {
    const memory = await port();
    const alive = new Set([100, 200]);
    const options = { ttlMs: 5 * 60_000, site: 'site-a', isProcessAlive: (pid: number) => alive.has(pid) };
    const crashed = new RemoteLease(memory, { ...options, holder: 'ci', pid: 100 });
    assert.equal((await crashed.acquire(t0)).held, true);
    const restarted = new RemoteLease(memory, { ...options, holder: 'ci', pid: 200 });
    assert.equal((await restarted.acquire(minutes(1))).held, false, 'its predecessor is alive: it waits');
    alive.delete(100);
    const taken = await restarted.acquire(minutes(1));
    assert.ok(taken.held);
    assert.equal(taken.takenOverFrom, 'ci (pid 100)');
    const record = await leaseOnRemote(memory);
    assert.deepEqual(record, { holder: 'ci', expiresAt: minutes(6).toISOString(), acquiredAt: minutes(1).toISOString(), nonce: record?.nonce, site: 'site-a', pid: 200 });
  });

  it('a dead process of another site (another machine, user or workspace) is waited out; so is one that named no site', async () => {
    const memory = await port();
    const dead = (): boolean => false;
    const elsewhere = new RemoteLease(memory, { holder: 'ci', ttlMs: 5 * 60_000, site: 'site-b', pid: 100, isProcessAlive: dead });
    await elsewhere.acquire(t0);
    const here = new RemoteLease(memory, { holder: 'ci', ttlMs: 5 * 60_000, site: 'site-a', pid: 200, isProcessAlive: dead });
    assert.equal((await here.acquire(minutes(1))).held, false);
    assert.equal((await here.acquire(minutes(5))).held, true, 'after its expiry');
    const memory2 = await port('other');
    await new RemoteLease(memory2, { holder: 'old', ttlMs: 5 * 60_000 }).acquire(t0);
    assert.equal((await new RemoteLease(memory2, { holder: 'new', ttlMs: 5 * 60_000, site: 'site-a', pid: 200, isProcessAlive: dead }).acquire(minutes(1))).held, false);
  });

  it('release is a compare-and-swap: a lease taken over meanwhile is left to its new holder', async () => {
    const memory = await port();
    const options = { ttlMs: 5 * 60_000, site: 'site-a', isProcessAlive: () => false };
    const first = new RemoteLease(memory, { ...options, holder: 'first', pid: 100 });
    const second = new RemoteLease(memory, { ...options, holder: 'second', pid: 200 });
    await first.acquire(t0);
    assert.equal((await second.acquire(minutes(1))).held, true);
    assert.equal((await first.release(minutes(2))).released, false);
    assert.equal((await leaseOnRemote(memory))?.holder, 'second');
    assert.equal((await leaseOnRemote(memory))?.expiresAt, minutes(6).toISOString());
  });

  it('leaseSite: the same for the same workspace (symlinks resolved), different for another workspace', async () => {
    const a = join(temp(), 'a');
    const b = join(temp(), 'b');
    await mkdir(a);
    await mkdir(b);
    await symlink(a, join(temp(), 'link'));
    assert.equal(await leaseSite(a), await leaseSite(join(temp(), 'link')));
    assert.notEqual(await leaseSite(a), await leaseSite(b));
    assert.match(await leaseSite(a), /^[0-9a-f]{32}$/);
  });

  it('the default holder id is <user>@<host>#<pid>', () => {
    const lease = new RemoteLease({} as never);
    assert.match(lease.holder, new RegExp(`^.+@.+#${process.pid}$`));
  });
});
