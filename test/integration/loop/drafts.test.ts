import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FakeGitHub } from '../../fakes/github/fakeGitHub';
import { useTempDir } from '../../support/tempDir';
import { cloneApp, fileOnMain, queueOnMain, scenarioFile, startFakeGitHub, taskFile } from './loopHarness';
import { openKitLoop } from './loopKit';

/** PRODUCT §3: with a GitHub remote, a task file only in the working tree is a local draft until "Queue it". */
describe('local drafts in GitHub mode', function () {
  this.timeout(120_000);
  const tempDir = useTempDir('ato-loop-drafts-');
  let fake: FakeGitHub;

  beforeEach(async () => { fake = await startFakeGitHub({ scenario: scenarioFile }); });
  afterEach(async () => { await fake.stop(); });

  it('shows a local task file as a draft, and "Queue it" commits it to pending/ once', async () => {
    const root = await cloneApp(fake, tempDir());
    const path = 'planning/issue_queue/pending/add-login.task.md';
    await mkdir(join(root, 'planning/issue_queue/pending'), { recursive: true });
    await writeFile(join(root, path), taskFile);
    const loop = await openKitLoop(fake, root);
    await loop.result.engine.preview();
    assert.deepEqual(loop.state().drafts, [{ path, taskId: 'add-login', title: 'Add a login form', valid: true }]);
    assert.equal(await fileOnMain(root, path), undefined, 'a preview commits nothing');

    const queued = await loop.result.engine.queueDraft(path);
    assert.equal(queued.result, 'done', queued.message);
    assert.equal(await fileOnMain(root, path), taskFile.trimEnd());
    assert.deepEqual(loop.state().drafts, [], 'once on the branch it is no longer a draft');
    const again = await loop.result.engine.queueDraft(path);
    assert.notEqual(again.result, 'done', 'queueing twice writes nothing');
  });

  it('indexes a task file in a sub-folder of pending/: a draft, queued at its path, promoted to processed/ in the same sub-folder', async () => {
    const root = await cloneApp(fake, tempDir());
    const path = 'planning/issue_queue/pending/web/add-login.task.md';
    await mkdir(join(root, 'planning/issue_queue/pending/web'), { recursive: true });
    await writeFile(join(root, path), taskFile);
    const loop = await openKitLoop(fake, root);
    await loop.result.engine.preview();
    assert.deepEqual(loop.state().drafts, [{ path, taskId: 'add-login', title: 'Add a login form', valid: true }]);
    const queued = await loop.result.engine.queueDraft(path);
    assert.equal(queued.result, 'done', queued.message);
    assert.deepEqual(await queueOnMain(root), [path]);

    const report = await loop.tick();
    assert.deepEqual(report.outcomes.map(outcome => `${outcome.action.kind}:${outcome.result}`), ['promoteTask:done']);
    assert.deepEqual(await queueOnMain(root), ['planning/issue_queue/processed/web/add-login.task.md']);
    assert.equal(fake.state.repo('octo', 'app').issues.filter(issue => (issue.body ?? '').includes('<!-- ato:task=add-login -->')).length, 1);
  });
});
