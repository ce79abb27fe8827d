import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { readCustomAgents } from '../../../src/core/agents/custom/customAgentSettings';
import { CustomCliBackend } from '../../../src/core/agents/custom/customCliBackend';
import { createDispatchRuntime, type DispatchRuntime } from '../../../src/core/dispatch/dispatchRuntime';
import { createLogger } from '../../../src/core/logging/logger';
import { Redactor } from '../../../src/core/logging/redactor';
import { QueueIndex } from '../../../src/core/queue/queueIndex';
import { LandingError } from '../../../src/core/runs/landing/landingError';
import { RunLanding } from '../../../src/core/runs/landing/runLanding';
import type { RunRecord } from '../../../src/core/runs/runRecord';
import { RunStore } from '../../../src/core/runs/runStore';
import { parseTaskFile } from '../../../src/core/tasks/parseTaskFile';
import type { FakeGitHub } from '../../fakes/github/fakeGitHub';
import { captureOutput } from '../../support/captureOutput';
import { commitFiles, git } from '../../support/gitRepo';
import { useTempDir } from '../../support/tempDir';
import { cloneApp, gitAsync, scenarioFile, startFakeGitHub } from '../loop/loopHarness';

const agentScript = join(__dirname, '..', '..', 'fixtures', 'agents', 'scripted-agent.mjs');
const versionGlobal = globalThis as { ATO_VERSION?: string };

function taskText(id: string): string {
  return `---\nid: ${id}\ntype: feature\nagent: my-cli\n---\n# Land the ${id} change\n\n**Prompt:**\nWrite it.\n`;
}

/**
 * Issue 14, "local runs you can land": a real CLI agent run by the real dispatcher in a real git repository
 * leaves a branch; its diff, merge, discard and pull request (against the fake GitHub) work from it, refuse
 * what would lose work, and are recorded on the run.
 */
describe('landing a finished local run (real git, a real agent process, the real dispatcher)', function () {
  this.timeout(180_000);
  const temp = useTempDir('ato-land-');
  let opened: { runtime: DispatchRuntime; index: QueueIndex } | undefined;
  before(() => { versionGlobal.ATO_VERSION ??= '0.0.0-test'; });
  afterEach(async () => {
    await opened?.runtime.dispatcher.dispose();
    opened?.index.dispose();
    opened = undefined;
  });

  function repository(): string {
    const root = join(temp(), 'repo');
    mkdirSync(root);
    git(root, 'init', '--quiet', '--initial-branch=main');
    // The user's identity, as VS Code's users have one: the merge commit is theirs.
    git(root, 'config', 'user.name', 'Test');
    git(root, 'config', 'user.email', 'test@example.invalid');
    commitFiles(root, { 'README.md': '# r\n', 'src/shared.md': 'line one\n', ...Object.fromEntries(['pending', 'processed', 'complete'].map(folder => [`planning/issue_queue/${folder}/.gitkeep`, ''])) }, 'initial commit');
    return root;
  }

  async function runTask(root: string, id: string, file = 'src/out.md', redactor = new Redactor()): Promise<RunRecord> {
    writeFileSync(join(root, 'planning/issue_queue/pending', `${id}.task.md`), taskText(id));
    const index = new QueueIndex({ planningRoot: join(root, 'planning'), parse: parseTaskFile, workspaceRoot: root });
    await index.coldIndex();
    const { agents, problems } = readCustomAgents([{ id: 'my-cli', command: process.execPath, args: [agentScript, '--api-key', 'sk-secret-value-123'], env: { AGENT_MODE: 'write', AGENT_FILE: file }, concurrent: 1 }]);
    assert.deepEqual(problems, []);
    const runtime = createDispatchRuntime({ workspaceRoot: root, index, agents: agents.map(agent => new CustomCliBackend(agent)), maxConcurrentRuns: 2, defaultTimeoutMs: 60_000, redactor, events: { append: () => Promise.resolve() }, log: createLogger({ write: () => undefined }, redactor) });
    opened = { runtime, index };
    const outcome = await runtime.dispatcher.dispatch(id);
    if (outcome.status !== 'started') assert.fail(JSON.stringify(outcome));
    const record = await runtime.dispatcher.whenDone(outcome.runId);
    assert.equal(record?.state, 'succeeded', JSON.stringify(record?.failure));
    await runtime.dispatcher.dispose();
    index.dispose();
    opened = undefined;
    return record;
  }

  const landing = (root: string): RunLanding => new RunLanding({ workspaceRoot: root, runs: new RunStore({ workspaceRoot: root, redactor: new Redactor() }) });
  const cli = (root: string, ...args: string[]) => captureOutput(() => main([...args, '--workspace', root], { PATH: process.env['PATH'] ?? '' }));

  it('records the base, frames the log with a header and a footer, and shows the diff (ato diff)', async () => {
    const root = repository();
    const base = git(root, 'rev-parse', 'HEAD');
    const record = await runTask(root, 'alpha');
    assert.equal(record.baseSha, base, 'the commit the worktree started from');
    assert.equal(record.branch, 'ato/alpha');

    const log = readFileSync(join(root, '.ato', 'runs', `${record.runId}.log`), 'utf8');
    const lines = log.split('\n');
    assert.match(lines[1] ?? '', new RegExp(`^ATO run ${record.runId} · task alpha$`));
    assert.match(log, /^agent: {5}my-cli$/m);
    assert.match(log, /^command: {3}\S*node\S* \S*scripted-agent\.mjs --api-key ‹redacted›$/m, 'the command line, the secret option\'s value redacted');
    assert.doesNotMatch(log, /sk-secret-value-123/);
    assert.match(log, /^branch: {4}ato\/alpha$/m);
    assert.match(log, /^worktree: {2}.*\.ato\/worktrees\/alpha$/m);
    assert.match(log, /^started: {3}\d{4}-\d\d-\d\dT/m);
    assert.ok(log.indexOf('started:') < log.indexOf('[stdout] progress 1'), 'the header comes before the output');
    assert.match(log, new RegExp(`ATO run ${record.runId} ended: succeeded\\nexit code: 0\\nduration: {2}\\d+ s\\ncost: {6}unknown\\n`));
    assert.ok(log.lastIndexOf('exit code:') > log.lastIndexOf('[stdout]'), 'the footer comes last');

    const diff = await landing(root).diff(record.runId);
    assert.equal(diff.range.base, base);
    assert.deepEqual(diff.files.map(file => `${file.status} ${file.path}`), ['A env.json', 'A src/out.md']);
    assert.equal(await landing(root).fileAt(diff.range.base, 'src/out.md'), undefined);
    assert.match(await landing(root).fileAt(diff.range.head, 'src/out.md') ?? '', /done by scripted-agent/);

    const printed = await cli(root, 'diff', record.runId);
    assert.equal(printed.result, 0, printed.stderr);
    assert.match(printed.stdout, /^ env\.json +\| +\d+ \+*$/m, 'git diff --stat first');
    assert.match(printed.stdout, /2 files changed/);
    assert.match(printed.stdout, /^diff --git a\/src\/out\.md b\/src\/out\.md$/m, 'then the patch');
    assert.match(printed.stdout, /^\+\(done by scripted-agent\)$/m);
    const byTask = await cli(root, 'diff', 'alpha');
    assert.equal(byTask.stdout, printed.stdout, 'a task id names its newest run');
  });

  it('merge is refused on a dirty tree and loses nothing; then merges, is recorded, and says so again', async () => {
    const root = repository();
    const record = await runTask(root, 'beta');
    const head = git(root, 'rev-parse', 'HEAD');
    writeFileSync(join(root, 'README.md'), '# r\nmy own edit\n');
    await assert.rejects(landing(root).merge(record.runId), (error: unknown) => LandingError.is(error, 'dirty') && error.message.includes('README.md'));
    assert.equal(git(root, 'rev-parse', 'HEAD'), head, 'HEAD did not move');
    assert.equal(readFileSync(join(root, 'README.md'), 'utf8'), '# r\nmy own edit\n', 'the edit is still there');
    git(root, 'checkout', '--', 'README.md');

    const merged = await cli(root, 'land', record.runId, '--merge');
    assert.equal(merged.result, 0, merged.stderr);
    assert.match(merged.stdout, /^merged ato\/beta into main as [0-9a-f]{7}$/m);
    assert.equal(git(root, 'rev-parse', 'HEAD^2'), git(root, 'rev-parse', 'ato/beta'), 'a merge commit with the branch as second parent');
    assert.match(readFileSync(join(root, 'src/out.md'), 'utf8'), /done by scripted-agent/);
    const stored = await new RunStore({ workspaceRoot: root, redactor: new Redactor() }).read(record.runId);
    assert.ok(stored.ok);
    assert.equal(stored.record.landing?.kind, 'merged');
    const again = await cli(root, 'land', record.runId, '--merge');
    assert.equal(again.result, 0);
    assert.match(again.stdout, /^Already done: merged ato\/beta/m);
    const discard = await cli(root, 'discard', record.runId);
    assert.equal(discard.result, 1, 'a merged run is not discarded');
    assert.match(discard.stderr, /was merged already/);
    assert.equal(git(root, 'rev-parse', '--verify', 'ato/beta'), git(root, 'rev-parse', 'HEAD^2'), 'the branch is kept');
  });

  it('a conflicting merge is aborted: HEAD, index and working tree as they were, the run still landable', async () => {
    const root = repository();
    const record = await runTask(root, 'gamma', 'src/shared.md');
    const head = commitFiles(root, { 'src/shared.md': 'line one, changed on main\n' }, 'main changes the same file');
    const refused = await cli(root, 'land', record.runId, '--merge');
    assert.equal(refused.result, 1);
    assert.match(refused.stderr, /ato\/gamma does not merge cleanly into main: it conflicts in src\/shared\.md\. The merge was aborted; nothing changed/);
    assert.equal(git(root, 'rev-parse', 'HEAD'), head);
    assert.equal(git(root, 'status', '--porcelain', '--untracked-files=no'), '', 'no conflict left in the tree or the index');
    assert.ok(!existsSync(join(root, '.git', 'MERGE_HEAD')), 'no merge in progress');
    assert.equal(readFileSync(join(root, 'src/shared.md'), 'utf8'), 'line one, changed on main\n');
    const stored = await new RunStore({ workspaceRoot: root, redactor: new Redactor() }).read(record.runId);
    assert.ok(stored.ok);
    assert.equal(stored.record.landing, undefined, 'nothing recorded: the run can still be landed');
  });

  it('discard removes the branch (and a worktree still on it), is recorded, and is idempotent', async () => {
    const root = repository();
    const record = await runTask(root, 'delta');
    const tip = git(root, 'rev-parse', 'ato/delta');
    // A worktree left on the branch (a run interrupted before ATO removed it).
    git(root, 'worktree', 'add', '--quiet', join(root, '.ato', 'worktrees', 'delta'), 'ato/delta');
    const discarded = await cli(root, 'discard', record.runId, '--json');
    assert.equal(discarded.result, 0, discarded.stderr);
    const answer = JSON.parse(discarded.stdout) as { landing: string; already: boolean; message: string };
    assert.equal(answer.landing, 'discarded');
    assert.equal(answer.already, false);
    assert.match(answer.message, new RegExp(`removed the worktree delta; deleted ato/delta \\(it was at ${tip};`));
    assert.equal(git(root, 'branch', '--list', 'ato/delta'), '', 'the branch is gone');
    assert.ok(!existsSync(join(root, '.ato', 'worktrees', 'delta')), 'the worktree is gone');
    const again = await cli(root, 'discard', record.runId);
    assert.equal(again.result, 0);
    assert.match(again.stdout, /^Already done: /);
    const merge = await cli(root, 'land', record.runId, '--merge');
    assert.equal(merge.result, 1);
    assert.match(merge.stderr, /was discarded already/);
  });

  it('an earlier run whose branch a later run of the task reused cannot merge or discard the later run\'s work', async () => {
    const root = repository();
    const later = await runTask(root, 'theta');
    const store = new RunStore({ workspaceRoot: root, redactor: new Redactor() });
    // The task's first run, failed with no commits of its own: the second run reused ato/theta.
    const earlier: RunRecord = { ...later, runId: '20200101T000000Z-aaaaaa', state: 'failed', startedAt: '2020-01-01T00:00:00.000Z', history: [{ state: 'failed', at: '2020-01-01T00:00:00.000Z', reason: 'exit 1' }], endedAt: '2020-01-01T00:01:00.000Z', failure: { class: 'fatal', message: 'exit 1' } };
    await store.write(earlier);
    const tip = git(root, 'rev-parse', 'ato/theta');
    for (const args of [['discard', earlier.runId], ['land', earlier.runId, '--merge']]) {
      const refused = await cli(root, ...args);
      assert.equal(refused.result, 1, args.join(' '));
      assert.match(refused.stderr, new RegExp(`ato/theta now holds the work of a later run of theta \\(${later.runId}\\): land or discard that run instead`));
    }
    assert.equal(git(root, 'rev-parse', 'ato/theta'), tip, 'the later run\'s work is untouched');
    const discarded = await cli(root, 'discard', later.runId);
    assert.equal(discarded.result, 0, discarded.stderr);
  });

  it('a record whose branch would be read as an option, or is not ATO\'s, is refused before git runs', async () => {
    const root = repository();
    const record = await runTask(root, 'epsilon');
    const store = new RunStore({ workspaceRoot: root, redactor: new Redactor() });
    for (const branch of ['--upload-pack=touch pwned', 'main', 'ato/../main', 'ato/x y']) {
      await store.write({ ...record, branch });
      for (const args of [['diff', record.runId], ['land', record.runId, '--merge'], ['discard', record.runId]]) {
        const refused = await cli(root, ...args);
        assert.equal(refused.result, 1, `${args.join(' ')} with ${branch}`);
        assert.match(refused.stderr, /which ATO does not hand to git/);
      }
    }
    assert.ok(!existsSync(join(root, 'pwned')));
    assert.equal(git(root, 'rev-parse', '--verify', 'ato/epsilon'), git(root, 'rev-parse', 'ato/epsilon'), 'the real branch is untouched');
    assert.equal(git(root, 'branch', '--list', 'main'), '* main');
  });

  describe('open a pull request (the fake GitHub)', () => {
    let fake: FakeGitHub;
    beforeEach(async () => { fake = await startFakeGitHub({ scenario: scenarioFile }); });
    afterEach(async () => { await fake.stop(); });

    it('pushes the branch with the token for its host and opens one pull request; a second call finds it', async () => {
      const root = await cloneApp(fake, temp());
      await gitAsync(root, 'config', 'user.name', 'Test');
      await gitAsync(root, 'config', 'user.email', 'test@example.invalid');
      const record = await runTask(root, 'zeta');
      const env = { PATH: process.env['PATH'] ?? '', ATO_GITHUB_TOKEN: fake.token, ATO_GITHUB_API_URL: fake.apiUrl, ATO_GITHUB_REQUEST_SPACING_MS: '0' };
      const land = () => captureOutput(() => main(['land', record.runId, '--pr', '--json', '--workspace', root], env));
      const first = await land();
      assert.equal(first.result, 0, first.stderr);
      const answer = JSON.parse(first.stdout) as { url: string; already: boolean; message: string };
      const pulls = fake.state.repo('octo', 'app').pulls;
      assert.equal(pulls.length, 1);
      const [pull] = pulls;
      assert.equal(pull?.title, 'Land the zeta change', 'the task\'s title');
      assert.equal(pull.pull.headRef, 'ato/zeta');
      assert.equal(pull.pull.baseRef, 'main');
      assert.match(pull.body ?? '', /## Result\n\n`{3}text\n(?:progress \d+\n)+Summary: wrote src\/out\.md[^\n]*\n`{3}\n/, `the run's result summary: ${pull.body ?? ''}`);
      assert.match(answer.message, new RegExp(`^opened pull request #${String(pull.number)} from ato/zeta`));
      const pushes = () => fake.requests.filter(request => request.method === 'POST' && request.path.endsWith('/git-receive-pack'));
      assert.deepEqual(pushes().map(push => push.gitCredentials), ['token'], 'one push, with the token');
      assert.equal(await gitAsync(root, 'ls-remote', 'origin', 'refs/heads/ato/zeta'), `${git(root, 'rev-parse', 'ato/zeta')}\trefs/heads/ato/zeta`);

      const second = await land();
      assert.equal(second.result, 0, second.stderr);
      assert.equal((JSON.parse(second.stdout) as { already: boolean; url: string }).already, true);
      assert.equal(fake.state.repo('octo', 'app').pulls.length, 1, 'no second pull request');
      assert.equal(pushes().length, 1, 'and no second push');

      // Lost record of the first answer (a crash before it was written): the open pull request is found, not opened again.
      const store = new RunStore({ workspaceRoot: root, redactor: new Redactor() });
      const stored = await store.read(record.runId);
      assert.ok(stored.ok);
      const withoutLanding: RunRecord = { ...stored.record };
      delete withoutLanding.landing;
      await store.write(withoutLanding);
      const third = await land();
      assert.equal(third.result, 0, third.stderr);
      assert.match((JSON.parse(third.stdout) as { message: string }).message, /^found the open pull request #/);
      assert.equal(fake.state.repo('octo', 'app').pulls.length, 1);
    });

    it('without a token says so and pushes nothing', async () => {
      const root = await cloneApp(fake, temp());
      const record = await runTask(root, 'eta');
      const refused = await captureOutput(() => main(['land', record.runId, '--pr', '--workspace', root], { PATH: process.env['PATH'] ?? '', ATO_GITHUB_API_URL: fake.apiUrl }));
      assert.equal(refused.result, 1);
      assert.match(refused.stderr, /no GitHub token for 127\.0\.0\.1/);
      assert.equal(fake.state.repo('octo', 'app').pulls.length, 0);
    });
  });
});
