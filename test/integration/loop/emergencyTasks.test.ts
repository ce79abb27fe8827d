import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EmergencyReadError, readEmergencyInputs } from '../../../src/core/loop/github/emergencyTasksReads';
import { executeEmergency, type EmergencyOutcome } from '../../../src/core/loop/github/emergencyTasks';
import { emergencyFindings } from '../../../src/core/loop/tracks/maintenance/emergencyFindings';
import { planEmergency, type EmergencyAction } from '../../../src/core/loop/tracks/maintenance/emergencyPlan';
import { emergenciesInQueue, type QueuedEmergencies } from '../../../src/core/loop/tracks/maintenance/emergencyTask';
import { planningLayout, queueFolders } from '../../../src/core/planning/planningLayout';
import { parseTaskFile } from '../../../src/core/tasks/parseTaskFile';
import { Redactor } from '../../../src/core/logging/redactor';
import { startAdapterOnFake, type AdapterOnFake } from '../githubAdapter/fakeGitHubPort';

const run = promisify(execFile);
const now = new Date('2026-12-07T23:30:00Z');

interface QueuedFile {
  readonly folder: (typeof queueFolders)[number];
  readonly fileName: string;
  readonly text: string;
}

/** The planning queue on the fake's `main`, read with real git (a fetch into a scratch repository). */
async function queueOnMain(env: AdapterOnFake, scratch: string): Promise<QueuedFile[]> {
  await run('git', ['init', '-q', scratch]).catch(() => undefined);
  await run('git', ['-C', scratch, 'fetch', '-q', env.fake.gitUrl('octo', 'app'), 'main']);
  const { stdout } = await run('git', ['-C', scratch, 'ls-tree', '-r', '--name-only', 'FETCH_HEAD', 'planning/issue_queue']);
  const files: QueuedFile[] = [];
  for (const path of stdout.split('\n').filter(line => line.endsWith('.md'))) {
    const folder = queueFolders.find(candidate => path.startsWith(`planning/${planningLayout[candidate]}/`));
    if (folder === undefined) continue;
    const { stdout: text } = await run('git', ['-C', scratch, 'show', `FETCH_HEAD:${path}`]);
    files.push({ folder, fileName: path.slice(path.lastIndexOf('/') + 1), text });
  }
  return files;
}

function queuedOf(files: readonly QueuedFile[]): QueuedEmergencies {
  return emergenciesInQueue(files.map(file => ({ folder: file.folder, fileName: file.fileName, result: parseTaskFile(file.text, file.fileName) })));
}

describe('emergency tasks against the fake GitHub (issue 11)', function () {
  this.timeout(120_000);
  let env: AdapterOnFake;
  let scratch: string;

  beforeEach(async () => {
    env = await startAdapterOnFake();
    scratch = await mkdtemp(join(tmpdir(), 'ato-emergency-git-'));
  });
  afterEach(async () => {
    await env.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  let lastAction: EmergencyAction | undefined;

  function execute(action: EmergencyAction, checkpoint?: (name: string) => void): Promise<EmergencyOutcome> {
    return executeEmergency(action, { mode: 'github', port: env.port, branch: 'main', planningPath: 'planning', now, ...(checkpoint === undefined ? {} : { checkpoint }) });
  }

  /** One tick of the emergency side, as the track runs it: read the queue and GitHub, plan, act. */
  async function tick(options: { readonly checkpoint?: (name: string) => void } = {}): Promise<EmergencyOutcome | undefined> {
    const queued = queuedOf(await queueOnMain(env, scratch));
    const reads = await readEmergencyInputs(env.port, 'main', { queued });
    const plan = planEmergency(emergencyFindings(reads.inputs), queued.keys, queued.openSubjects);
    if (plan.action === undefined) return undefined;
    lastAction = plan.action;
    return execute(plan.action, options.checkpoint);
  }

  /** The last action carried out again, as a loop whose queue read is stale would: the writer finds the key. */
  async function again(): Promise<EmergencyOutcome> {
    assert.ok(lastAction !== undefined);
    return execute(lastAction);
  }

  async function emergencyTasks(): Promise<QueuedFile[]> {
    return (await queueOnMain(env, scratch)).filter(file => file.fileName.startsWith('emergency-'));
  }

  const failures: readonly { readonly name: string; readonly key: RegExp; readonly type: string; readonly context: RegExp; readonly newRedTip?: boolean; readonly fail: (env: AdapterOnFake) => Promise<void> }[] = [
    {
      name: 'a red default branch (setCi on its head)',
      key: /^emergency-main-red-[0-9a-f]{40}\.task\.md$/,
      type: 'ci_fix',
      context: /error TS2345: Argument of type 'string'/,
      newRedTip: true,
      fail: async fake => {
        await fake.fake.simulate.setCi({ checks: [{ name: 'ci/build', conclusion: 'failure', log: `${'npm ci\n'.repeat(200)}src/app.ts(3,7): error TS2345: Argument of type 'string' is not assignable.\n##[error]Process completed with exit code 2.\n` }] });
        await fake.fake.simulate.pushFiles('main', { 'src/app.ts': 'export const x: number = "1";\n' }, 'Break main');
      },
    },
    {
      name: 'a failed deployment',
      key: /^emergency-deploy-\d+\.task\.md$/,
      type: 'maintenance',
      context: /Health check failed on \/healthz/,
      fail: async fake => {
        await fake.fake.simulate.deploy('main', 'production', 'failure', 'Health check failed on /healthz');
      },
    },
    {
      // The fake names a run's branch only while its commit is a branch tip, so a failed run on an older commit
      // (key `run-<id>`) is covered by the unit tests; here the run and the red tip it makes are one task.
      name: 'a failed workflow run on the default branch\'s tip (one emergency with the red tip)',
      key: /^emergency-main-red-[0-9a-f]{40}\.task\.md$/,
      type: 'ci_fix',
      context: /workflow `Nightly`: `failure`[\s\S]*e2e failed/,
      fail: async fake => {
        const sha = await fake.fake.simulate.pushFiles('main', { 'n.txt': 'n\n' }, 'Nightly target');
        await fake.fake.simulate.setCheckRuns(sha, [{ name: 'e2e', status: 'completed', conclusion: 'failure', workflow: 'Nightly', log: 'boot\nFAIL e2e failed: login page 500\n' }]);
      },
    },
  ];

  for (const failure of failures) {
    it(`${failure.name}: exactly one emergency task in pending/ on main, valid; a second tick none`, async () => {
      await failure.fail(env);
      const outcome = await tick();
      assert.equal(outcome?.status, 'queued');
      const tasks = await emergencyTasks();
      assert.equal(tasks.length, 1);
      const [task] = tasks;
      assert.ok(task !== undefined);
      assert.equal(task.folder, 'pending');
      assert.match(task.fileName, failure.key);
      const parsed = parseTaskFile(task.text, task.fileName);
      assert.ok(parsed.task !== undefined, JSON.stringify(parsed.diagnostics));
      assert.equal(parsed.task.priority, 'emergency');
      assert.equal(parsed.task.type, failure.type);
      assert.match(parsed.task.context, failure.context);
      const head = await env.fake.state.repo().ref('refs/heads/main');
      if (failure.newRedTip === true) {
        // The task's own commit is a new tip, and the automatic CI fails it again: a new key, the same open emergency.
        const keys = emergencyFindings((await readEmergencyInputs(env.port, 'main')).inputs).map(finding => `emergency-${finding.key}.task.md`);
        assert.equal(keys.length, 1);
        assert.notEqual(keys[0], task.fileName);
      }
      assert.equal(await tick(), undefined, 'the second tick plans nothing');
      assert.equal((await again()).status, 'alreadyQueued', 'even from a stale queue read, the writer finds the key');
      assert.equal(await env.fake.state.repo().ref('refs/heads/main'), head, 'nothing committed');
      assert.equal((await emergencyTasks()).length, 1);
    });

    it(`${failure.name}: a crash right after the commit, then a re-run: still one task`, async () => {
      await failure.fail(env);
      await assert.rejects(tick({ checkpoint: name => { if (name === 'queueEmergencyTask:afterCommit') throw new Error('crash'); } }), /crash/);
      assert.equal((await emergencyTasks()).length, 1);
      assert.equal(await tick(), undefined);
      assert.equal((await again()).status, 'alreadyQueued');
      assert.equal((await emergencyTasks()).length, 1);
    });
  }

  it('a crash before the commit leaves nothing; the re-run queues the one task', async () => {
    await env.fake.simulate.deploy('main', 'staging', 'error', 'Timed out');
    await assert.rejects(tick({ checkpoint: name => { if (name === 'queueEmergencyTask:beforeCommit') throw new Error('crash'); } }), /crash/);
    assert.equal((await emergencyTasks()).length, 0);
    assert.equal((await tick())?.status, 'queued');
    assert.equal((await emergencyTasks()).length, 1);
  });

  it('a commit status from an outside CI (no workflow run) makes the tip red too: commitChecks reads statuses', async () => {
    const head = await env.fake.state.repo().ref('refs/heads/main');
    assert.ok(head !== undefined);
    await env.fake.simulate.addStatus(head, { context: 'jenkins/build', state: 'error', targetUrl: 'https://jenkins.example/job/1' });
    const findings = emergencyFindings((await readEmergencyInputs(env.port, 'main')).inputs);
    assert.deepEqual(findings.map(finding => finding.key), [`main-red-${head}`]);
    assert.match(findings[0]?.context ?? '', /`jenkins\/build`: `ERROR` — `https:\/\/jenkins\.example\/job\/1`/);
  });

  it('a main that went green again, and a deployment that later succeeded, need nothing', async () => {
    await env.fake.simulate.setCi({ checks: [{ name: 'ci/build', conclusion: 'failure' }] });
    await env.fake.simulate.pushFiles('main', { 'a.txt': 'a\n' }, 'Red');
    await env.fake.simulate.setCi({ checks: [{ name: 'ci/build', conclusion: 'success' }] });
    await env.fake.simulate.pushFiles('main', { 'a.txt': 'b\n' }, 'Green again');
    const red = await env.fake.simulate.pushFiles('release', { 'r.txt': 'r\n' }, 'Release');
    await env.fake.simulate.deploy(red, 'production', 'failure', 'boom');
    await env.fake.simulate.deploy('main', 'production', 'success');
    assert.equal(await tick(), undefined);
    assert.equal((await emergencyTasks()).length, 0);
  });

  it('the reads are cheap: the figures per tick, and a second read of an unchanged repository is all 304s', async () => {
    await env.fake.simulate.deploy('main', 'production', 'success');
    const head = await env.fake.state.repo().ref('refs/heads/main');
    assert.ok(head !== undefined);
    const first = await readEmergencyInputs(env.port, 'main', { headSha: head });
    const second = await readEmergencyInputs(env.port, 'main', { headSha: head });
    // check-runs + status + runs + deployments + 1 status per deployment.
    assert.equal(first.cost.requests, 5);
    assert.equal(second.cost.requests, 5);
    assert.equal(second.cost.notModified, 5);
    assert.equal(second.cost.points, 0);
  });

  it('a 500 on a read: a clear error, nothing written', async () => {
    await env.fake.simulate.deploy('main', 'production', 'failure', 'boom');
    const head = await env.fake.state.repo().ref('refs/heads/main');
    env.fake.faults.add({ method: 'GET', path: '/repos/octo/app/deployments', status: 500, times: 20 });
    await assert.rejects(tick(), (error: unknown) => error instanceof EmergencyReadError && error.message.includes('Could not read the deployments'));
    env.fake.faults.clear();
    env.fake.faults.add({ method: 'GET', path: /\/commits\/[0-9a-f]+\/check-runs$/, status: 500, times: 20 });
    await assert.rejects(tick(), (error: unknown) => error instanceof EmergencyReadError && error.message.includes('Could not read the checks of main'));
    env.fake.faults.clear();
    assert.equal(await env.fake.state.repo().ref('refs/heads/main'), head);
    assert.equal((await emergencyTasks()).length, 0);
    assert.equal((await tick())?.status, 'queued', 'the next tick, with GitHub back, queues it');
  });
});

describe('emergency tasks in local mode: the deploy log (issue 11)', () => {
  let workspace: string;
  const pending = (): string => join(workspace, 'planning', planningLayout.pending);

  beforeEach(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'ato-emergency-local-'));
    for (const folder of queueFolders) await mkdir(join(workspace, 'planning', planningLayout[folder]), { recursive: true });
    await mkdir(join(workspace, 'logs'));
  });
  afterEach(async () => {
    await rm(workspace, { recursive: true, force: true });
  });

  async function localQueue(): Promise<QueuedEmergencies> {
    const entries = [];
    for (const folder of queueFolders) {
      const dir = join(workspace, 'planning', planningLayout[folder]);
      for (const fileName of (await readdir(dir)).filter(name => name.endsWith('.md'))) {
        entries.push({ folder, fileName, result: parseTaskFile(await readFile(join(dir, fileName), 'utf8'), fileName) });
      }
    }
    return emergenciesInQueue(entries);
  }

  async function tick(options: { readonly checkpoint?: (name: string) => void; readonly staleQueue?: boolean } = {}): Promise<EmergencyOutcome | undefined> {
    const queued = options.staleQueue === true ? { keys: new Set<string>(), openSubjects: new Set<string>() } : await localQueue();
    const reads = await readEmergencyInputs(undefined, 'main', { queued, deployLog: { workspaceRoot: workspace, setting: 'logs/deploy.log' } });
    const plan = planEmergency(emergencyFindings(reads.inputs), queued.keys, queued.openSubjects);
    if (plan.action === undefined) return undefined;
    const redactor = new Redactor();
    return executeEmergency(plan.action, {
      mode: 'local', planningRoot: join(workspace, 'planning'), now, redact: text => redactor.redact(text), ...(options.checkpoint === undefined ? {} : { checkpoint: options.checkpoint }),
    });
  }

  it('a failure line creates one task file in pending/; a second run none; junk is skipped', async () => {
    await writeFile(join(workspace, 'logs', 'deploy.log'), [
      '2026-12-07T22:00:00Z production success v1.4.1',
      'some junk a deploy script printed',
      '2026-12-07T23:00:00Z production failure v1.4.2: migration 0042 failed (relation "users" exists)',
    ].join('\n'));
    const outcome = await tick();
    assert.equal(outcome?.status, 'queued');
    const files = (await readdir(pending())).filter(name => !name.startsWith('.'));
    assert.equal(files.length, 1);
    assert.match(files[0] ?? '', /^emergency-log-[0-9a-f]{16}\.task\.md$/);
    const parsed = parseTaskFile(await readFile(join(pending(), files[0] ?? ''), 'utf8'), files[0] ?? '');
    assert.ok(parsed.task !== undefined);
    assert.equal(parsed.task.priority, 'emergency');
    assert.equal(parsed.task.type, 'maintenance');
    assert.match(parsed.task.context, /migration 0042 failed/);
    assert.equal(await tick(), undefined);
    assert.equal((await tick({ staleQueue: true }))?.status, 'alreadyQueued');
    assert.deepEqual((await readdir(pending())).filter(name => !name.startsWith('.')), files);
  });

  it('a crash before the file is linked leaves nothing (no half file, no temporary); the re-run writes the one task', async () => {
    await writeFile(join(workspace, 'logs', 'deploy.log'), '2026-12-07T23:00:00Z staging error out of disk\n');
    await assert.rejects(tick({ checkpoint: name => { if (name === 'queueEmergencyTask:beforeLink') throw new Error('crash'); } }), /crash/);
    assert.deepEqual(await readdir(pending()), []);
    assert.equal((await tick())?.status, 'queued');
    assert.equal((await readdir(pending())).length, 1);
  });

  it('a task already moved to complete/ is not queued again for the same line', async () => {
    await writeFile(join(workspace, 'logs', 'deploy.log'), '2026-12-07T23:00:00Z staging failed boom\n');
    const outcome = await tick();
    assert.ok(outcome !== undefined);
    const name = outcome.path.slice(outcome.path.lastIndexOf('/') + 1);
    await writeFile(join(workspace, 'planning', planningLayout.complete, name), await readFile(outcome.path, 'utf8'));
    await rm(outcome.path);
    assert.equal(await tick(), undefined);
    assert.equal((await tick({ staleQueue: true }))?.status, 'alreadyQueued');
    assert.deepEqual(await readdir(pending()), []);
  });
});
