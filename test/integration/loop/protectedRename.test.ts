import assert from 'node:assert/strict';
import type { FakeGitHub } from '../../fakes/github/fakeGitHub';
import { useTempDir } from '../../support/tempDir';
import { cloneApp, scenarioFile, startFakeGitHub } from './loopHarness';
import { openKitLoop, queueTask, taskIssueNumber, tickOk } from './loopKit';

const workflow = 'name: ci\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n';

/**
 * A rename out of `.github/workflows/` touches a protected path: GitHub's GraphQL lists the file once, RENAMED,
 * under its new path, so ATO reads where it came from (REST `pulls/{n}/files`), once per head commit.
 */
describe('the loop: a rename out of a protected path', function () {
  this.timeout(180_000);
  const tempDir = useTempDir('ato-loop-rename-');
  let fake: FakeGitHub;

  beforeEach(async () => { fake = await startFakeGitHub({ scenario: scenarioFile }); });
  afterEach(async () => { await fake.stop(); });

  it('is never merged, needs you with the rename named, and costs one read per head commit', async () => {
    await fake.simulate.pushFiles('main', { '.github/workflows/ci.yml': workflow }, 'CI');
    const loop = await openKitLoop(fake, await cloneApp(fake, tempDir()));
    await queueTask(fake, 'add-login');
    assert.deepEqual(await tickOk(loop), ['promoteTask:done']);
    const pr = await fake.simulate.copilotOpensPullRequest(taskIssueNumber(fake, 'add-login'), { files: { '.github/workflows/ci.yml': null, 'ci-disabled.yml': workflow, 'src/login.ts': 'export const login = true;\n' } });
    await fake.simulate.setCheckRuns(pr, [{ name: 'ci/build', status: 'completed', conclusion: 'success' }]);
    await fake.simulate.copilotFinishes(pr);
    const fileReads = (): number => fake.requests.filter(request => request.path === `/repos/octo/app/pulls/${String(pr)}/files`).length;

    assert.deepEqual(await tickOk(loop), [], 'not merged');
    assert.deepEqual(await tickOk(loop), []);
    assert.equal(fake.state.repo().pull(pr)?.pull.merged, false);
    const item = loop.state().needsYou.find(candidate => candidate.pullNumber === pr);
    assert.deepEqual([item?.kind, item?.title], ['mergeBlocked', `ATO may not merge PR #${String(pr)} (task add-login)`]);
    assert.equal(item?.detail, 'Changes protected paths: .github/workflows/ci.yml (renamed to ci-disabled.yml) (.github/workflows/**).');
    assert.equal(fileReads(), 1, 'read once for this head, not on every tick');

    await fake.simulate.pushFiles(fake.state.repo().pull(pr)?.pull.headRef ?? '', { 'src/login.ts': 'export const login = 2;\n' }, 'More work', 'Copilot');
    assert.deepEqual(await tickOk(loop), []);
    assert.equal(fileReads(), 2, 'a new head is read again');
    await loop.close();
  });
});
