import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeGitHub } from '../../fakes/github/fakeGitHub';
import { cloneApp, gitAsync, scenarioFile, startFakeGitHub } from './loopHarness';
import { openKitLoop } from './loopKit';

/**
 * Issue 14, `ato status`: a process that reads GitHub once sends its GraphQL snapshot beside the cheap probe
 * instead of after the probe's answer (a round trip off the critical path), and still reports the core
 * budget the probe's answer carries. A loop that reads again keeps the order: probe answered, then snapshot.
 * The fake holds the probe's answer for a while; the fake logs each request when it answers it.
 */
describe('the loop\'s first read in a process that reads once (readsOnce)', function () {
  this.timeout(120_000);
  let directory: string;
  let fake: FakeGitHub;
  let workspace: string;

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'ato-reads-once-'));
    fake = await startFakeGitHub({ scenario: scenarioFile });
    workspace = await cloneApp(fake, directory);
  });

  after(async () => {
    await fake.stop();
    await rm(directory, { recursive: true, force: true });
  });

  /** The order the fake answered the probe and the snapshot in, and the core budget the loop knows. */
  async function firstRead(readsOnce: boolean): Promise<{ order: string[]; core: number | undefined }> {
    const loop = await openKitLoop(fake, workspace, { readsOnce });
    try {
      fake.resetRequests();
      fake.faults.add({ method: 'GET', path: '/repos/octo/app/issues', delayMs: 1_500 });
      await loop.result.engine.preview();
      // The probe and the snapshot; the maintenance track's emergency reads of the default branch come after both.
      const order = fake.requests.filter(request => request.resource !== 'git').map(request => `${request.method} ${request.path}`).filter(request => request === 'POST /graphql' || request === 'GET /repos/octo/app/issues');
      return { order, core: loop.state().rateLimit.core?.remaining };
    } finally {
      fake.faults.clear();
      await loop.close();
    }
  }

  it('sends the snapshot without waiting for the probe, and knows the core budget from the probe', async () => {
    const { order, core } = await firstRead(true);
    assert.deepEqual(order, ['POST /graphql', 'GET /repos/octo/app/issues'], 'the snapshot was answered while the probe was held');
    assert.equal(typeof core, 'number', 'the core budget is known: the read waited for the probe\'s answer too');
  });

  it('reads the planning branch without a fetch when the tracking ref is at the head GitHub names, and fetches when it moved', async () => {
    const readOnce = async (): Promise<{ gitRequests: number; revision: string | undefined }> => {
      const loop = await openKitLoop(fake, workspace, { readsOnce: true });
      try {
        fake.resetRequests();
        await loop.result.engine.preview();
        return { gitRequests: fake.requests.filter(request => request.resource === 'git').length, revision: loop.state().queue?.revision };
      } finally {
        await loop.close();
      }
    };
    await gitAsync(workspace, 'fetch', '--quiet', 'origin');
    const head = await gitAsync(workspace, 'rev-parse', 'refs/remotes/origin/main');
    assert.deepEqual(await readOnce(), { gitRequests: 0, revision: head }, 'current: no fetch');
    // Someone pushes to the planning branch: GitHub's head moves, the tracking ref does not.
    const other = join(directory, 'other');
    await gitAsync(directory, 'clone', '--quiet', fake.gitUrl('octo', 'app'), other);
    await gitAsync(other, 'commit', '--allow-empty', '-m', 'moved on');
    await gitAsync(other, 'push', '--quiet', 'origin', 'HEAD:main');
    const moved = await gitAsync(other, 'rev-parse', 'HEAD');
    const after = await readOnce();
    assert.ok(after.gitRequests > 0, 'it fetched');
    assert.equal(after.revision, moved, 'the planning read is the new head');
  });

  it('a loop that reads again sends the snapshot only after the probe\'s answer', async () => {
    const { order } = await firstRead(false);
    assert.deepEqual(order, ['GET /repos/octo/app/issues', 'POST /graphql']);
  });
});
