import assert from 'node:assert/strict';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultLeaseRef, parseLeaseRecord, type LeaseRecord } from '../../../src/core/loop/engine/remoteLease';
import type { FakeGitHub } from '../../fakes/github/fakeGitHub';
import { useTempDir } from '../../support/tempDir';
import { runAto, startAto, type AtoProcess, type AtoResult } from '../cli/atoProcess';
import { cloneApp, gitAsync, scenarioFile, startFakeGitHub } from './loopHarness';
import { openGapIssue, queueTask } from './loopKit';

interface Outcome {
  readonly action: string;
  readonly result: string;
  readonly message: string;
}

/**
 * Issue 9 C1, with real `ato` processes against the fake GitHub: the remote lease `refs/ato/lease` is given
 * back when a one-shot `ato tick` ends and when `ato run` stops, and a loop restarted on the same machine
 * and workspace takes over from its SIGKILLed predecessor at once. A live holder's lease is never taken.
 */
describe('the remote lease is released, and taken over from a dead predecessor, with real ato processes', function () {
  this.timeout(300_000);
  const tempDir = useTempDir('ato-lease-release-');
  let fake: FakeGitHub;
  const running = new Set<AtoProcess>();

  beforeEach(async () => {
    fake = await startFakeGitHub({ scenario: scenarioFile });
  });
  afterEach(async () => {
    for (const ato of running) ato.child.kill('SIGKILL');
    await Promise.all([...running].map(ato => ato.exited));
    running.clear();
    await fake.stop();
  });

  function environment(holder: string | undefined): NodeJS.ProcessEnv {
    // A loop that ticks once and then waits an hour: the test decides when anything else happens.
    return {
      ATO_GITHUB_API_URL: fake.apiUrl,
      ATO_GITHUB_TOKEN: fake.token,
      ATO_GITHUB_REQUEST_SPACING_MS: '0',
      ATO_LOOP_POLL_SECONDS_ACTIVE: '3600',
      ATO_LOOP_POLL_SECONDS_IDLE: '3600',
      ...(holder === undefined ? {} : { ATO_LOOP_HOLDER: holder }),
    };
  }

  async function clone(name: string): Promise<string> {
    await mkdir(join(tempDir(), name));
    return cloneApp(fake, join(tempDir(), name));
  }

  function outcomesOf(result: AtoResult): Outcome[] {
    try {
      return (JSON.parse(result.stdout) as { outcomes?: Outcome[] }).outcomes ?? [];
    } catch {
      assert.fail(`ato printed no JSON (exit ${String(result.code)}):\n${result.stdout}\n${result.stderr}`);
    }
  }

  async function tick(workspace: string, holder?: string): Promise<{ result: AtoResult; outcomes: Outcome[] }> {
    const result = await runAto(['tick', '--json', '--workspace', workspace], environment(holder));
    return { result, outcomes: outcomesOf(result) };
  }

  /** `ato run --json` until its first tick has acted. */
  async function startLoop(workspace: string, holder?: string): Promise<AtoProcess> {
    const ato = startAto(['run', '--json', '--workspace', workspace], environment(holder));
    running.add(ato);
    const deadline = Date.now() + 120_000;
    while (!/"outcomes":\[\{[^\]]*"result":"done"/.test(ato.stdout())) {
      if (ato.child.exitCode !== null || Date.now() > deadline) assert.fail(`ato run did not act:\n${ato.stdout()}\n${ato.stderr()}`);
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    return ato;
  }

  /** The lease as the fake's repository holds it. */
  async function leaseOnFake(): Promise<LeaseRecord | undefined> {
    const { gitDir } = fake.state.repo('octo', 'app');
    const message = await gitAsync(gitDir, 'log', '-1', '--format=%B', defaultLeaseRef).catch(() => undefined);
    return message === undefined ? undefined : parseLeaseRecord(message);
  }

  /** The next piece of work: the gap analysis is done (closed by hand) and a task is queued. */
  async function nextTaskQueued(taskId: string): Promise<void> {
    await fake.simulate.closeIssue(openGapIssue(fake), 'completed');
    await queueTask(fake, taskId);
  }

  it('ato tick ends by giving the lease back: a second ato tick with another holder, right after, acts at once', async () => {
    const alice = await clone('alice');
    const bob = await clone('bob');
    const first = await tick(alice, 'alice');
    assert.deepEqual(first.outcomes.map(o => `${o.action}:${o.result}`), ['ensureGapIssue:done'], first.result.stderr);
    const lease = await leaseOnFake();
    assert.equal(lease?.holder, 'alice');
    assert.ok(Date.parse(lease.expiresAt) <= Date.now(), `alice's lease has expired on release: ${lease.expiresAt}`);

    await nextTaskQueued('after-alice');
    const second = await tick(bob, 'bob');
    assert.deepEqual(second.outcomes.map(o => `${o.action}:${o.result}`), ['promoteTask:done'], second.outcomes.map(o => o.message).join('\n'));
  });

  it('a SIGKILLed ato run, restarted on the same machine and workspace, takes over its lease at once', async () => {
    const workspace = await clone('ci');
    const loop = await startLoop(workspace);
    const held = await leaseOnFake();
    assert.equal(held?.pid, loop.pid, 'the lease names the loop\'s process');
    assert.ok(Date.parse(held.expiresAt) > Date.now() + 60_000, 'and is live');
    loop.child.kill('SIGKILL');
    await loop.exited;

    await nextTaskQueued('after-crash');
    const restarted = await tick(workspace);
    assert.deepEqual(restarted.outcomes.map(o => `${o.action}:${o.result}`), ['promoteTask:done'], restarted.outcomes.map(o => o.message).join('\n'));
    const events = await readFile(join(workspace, '.ato/events.ndjson'), 'utf8');
    assert.match(events, new RegExp(`"kind":"loop.leaseTakenOver","from":"[^"]+#${String(loop.pid)} \\(pid ${String(loop.pid)}\\)"`));
  });

  it('a live holder is never taken over — from another workspace, nor from its own workspace without the local lock — and gives the lease back when it stops', async () => {
    const workspace = await clone('ci');
    const other = await clone('teammate');
    const loop = await startLoop(workspace);
    await nextTaskQueued('while-alive');

    const fromElsewhere = await tick(other, 'teammate');
    assert.deepEqual(fromElsewhere.outcomes.map(o => `${o.action}:${o.result}`), ['promoteTask:skipped']);
    assert.match(fromElsewhere.outcomes[0]?.message ?? '', /Another loop \(.+#\d+\) holds the lease/);

    // The same site, the holder alive: only a lost local lock lets a second loop get this far here.
    await rm(join(workspace, '.ato/loop.lock'));
    const sameSite = await tick(workspace);
    assert.deepEqual(sameSite.outcomes.map(o => `${o.action}:${o.result}`), ['promoteTask:skipped']);
    assert.match(sameSite.outcomes[0]?.message ?? '', new RegExp(`Another loop \\(.+#${String(loop.pid)}\\) holds the lease`));

    loop.child.kill('SIGTERM');
    const stopped = await loop.exited;
    assert.equal(stopped.code, 0, stopped.stderr);
    const released = await leaseOnFake();
    assert.ok(released !== undefined && Date.parse(released.expiresAt) <= Date.now(), 'ato run gave the lease back when it stopped');
    const afterStop = await tick(other, 'teammate');
    assert.deepEqual(afterStop.outcomes.map(o => `${o.action}:${o.result}`), ['promoteTask:done']);
  });
});
