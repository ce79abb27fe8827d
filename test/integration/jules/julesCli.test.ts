import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunStore } from '../../../src/core/runs/runStore';
import { Redactor } from '../../../src/core/logging/redactor';
import { startFakeJules, type FakeJules } from '../../fakes/jules/fakeJules';
import { git, initRepo } from '../../support/gitRepo';
import { useTempDir } from '../../support/tempDir';
import { until } from '../agents/agentTestKit';
import { runAto, startAto } from '../cli/atoProcess';

/**
 * The real `ato` CLI, configured for Jules from its environment only: `ato dispatch` runs a task on Jules
 * while `ato approve`, from a second process, approves the plan the session waits on.
 */
describe('ato dispatch and ato approve with Jules', function () {
  this.timeout(120_000);
  const dir = useTempDir('ato-jules-cli-');
  let fake: FakeJules;

  beforeEach(async () => {
    // The fake moves every session on by itself, as Jules would; the plan waits for approval.
    fake = await startFakeJules({ sources: [{ owner: 'acme', repo: 'app' }], autoStepMs: 100 });
  });

  afterEach(async () => {
    await fake.stop();
  });

  it('runs the task on a Jules session, waits for ato approve, and records the pull request', async () => {
    const root = dir();
    initRepo(root, { 'README.md': '# app\n', 'planning/issue_queue/pending/.gitkeep': '', 'planning/issue_queue/processed/.gitkeep': '', 'planning/issue_queue/complete/.gitkeep': '' });
    git(root, 'remote', 'add', 'origin', 'https://github.com/acme/app.git');
    writeFileSync(join(root, 'planning', 'issue_queue', 'pending', 'add-login.task.md'), '---\nagent: jules\n---\n# Add login\n\nAdd a login page.\n');
    const env = { ATO_AGENTS_JULES_ENABLED: 'true', ATO_JULES_API_URL: fake.apiUrl, ATO_JULES_API_KEY: fake.apiKey };

    assert.equal((await runAto(['approve', 'add-login', '--workspace', root], env)).code, 1, 'nothing to approve before the run');
    const dispatch = startAto(['dispatch', 'add-login', '--workspace', root], env);
    await until(() => fake.state.listSessions()[0]?.state === 'AWAITING_PLAN_APPROVAL', 30_000, 'the plan to wait for approval');
    const runs = new RunStore({ workspaceRoot: root, redactor: new Redactor() });
    await until(async () => (await runs.list()).records.some(record => record.handle !== undefined), 30_000, 'the run to record its session');
    const approved = await runAto(['approve', 'add-login', '--workspace', root], env);
    assert.equal(approved.code, 0, approved.stderr);
    assert.match(approved.stdout, /^Approved the plan of run \S+ \(jules\) for task "add-login"\.\n$/);
    assert.ok(fake.requests.some(request => request.path.endsWith(':approvePlan') && request.status === 200));

    const result = await dispatch.exited;
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    const done = readFileSync(join(root, 'planning', 'issue_queue', 'complete', 'add-login.task.md'), 'utf8');
    assert.match(done, /https:\/\/github\.com\/acme\/app\/pull\/1/);
    assert.equal(fake.state.listSessions().length, 1);
    assert.equal(fake.requests.every(request => request.authorized), true);
  });
});
