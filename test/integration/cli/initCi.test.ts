import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ciWorkflowPath } from '../../../src/core/ci/ciWorkflow';
import { defaultLeaseRef, parseLeaseRecord } from '../../../src/core/loop/engine/remoteLease';
import { runWorkflowJob, type ActionsEvent, type ActionsRunResult } from '../../support/actionsRunner';
import { runBuiltCli } from '../../support/builtCli';
import type { FakeGitHub } from '../../fakes/github/fakeGitHub';
import { cloneApp, gitAsync, scenarioFile, startFakeGitHub } from '../loop/loopHarness';

/**
 * `ato init-ci` through the built CLI in a real clone of the fake GitHub's `octo/app` (real files, real git),
 * then the workflow it wrote, committed and pushed, run the way Actions would (test/support/actionsRunner.ts:
 * its `run:` steps with bash and a runner's environment, its `uses:` steps by local equivalents) against the
 * fake as GitHub's API: the loop ticks on an event, keeps its event log as an artifact, acts once per state
 * however many events arrive, and a run without the secret acts on nothing.
 */
describe('ato init-ci, and its workflow run the way GitHub Actions runs it', function () {
  this.timeout(300_000);
  let directory: string;
  let fake: FakeGitHub;
  let clone: string;
  const runs: ActionsRunResult[] = [];

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'ato-init-ci-'));
    fake = await startFakeGitHub({ scenario: scenarioFile });
    clone = await cloneApp(fake, directory);
  });

  after(async () => {
    for (const run of runs) await rm(run.root, { recursive: true, force: true });
    await fake.stop();
    await rm(directory, { recursive: true, force: true });
  });

  const init = (...args: string[]): ReturnType<typeof runBuiltCli> => runBuiltCli(['init-ci', '--workspace', clone, ...args]);

  const actions = async (event: ActionsEvent, secrets: Record<string, string>): Promise<ActionsRunResult> => {
    const workflow = await readFile(join(clone, ciWorkflowPath), 'utf8');
    const run = await runWorkflowJob({
      workflow, job: 'tick', gitUrl: fake.gitUrl('octo', 'app'), repository: 'octo/app', apiUrl: fake.apiUrl, serverUrl: fake.apiUrl, event, secrets,
      // Only for the fake: GitHub asks for a second between writes, which a test need not wait out.
      machineEnv: { ATO_GITHUB_REQUEST_SPACING_MS: '0' },
      runId: 1000 + runs.length,
    });
    runs.push(run);
    return run;
  };

  const gapIssues = (): number => fake.state.repo().issues.filter(issue => issue.labels.includes('ato:gap-analysis')).length;

  it('writes the workflow and the CLI copy, says "unchanged" the second time, and names the CI workflow it found', async () => {
    // The repository's own CI: its finished runs should wake the loop.
    const workflows = join(clone, '.github', 'workflows');
    await mkdir(workflows, { recursive: true });
    await writeFile(join(workflows, 'ci.yml'), 'name: Build and test\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n', 'utf8');
    const first = await init();
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^created +\.github\/workflows\/ato\.yml$/m);
    assert.match(first.stdout, /^created +\.github\/ato\/cli\.js$/m);
    assert.match(first.stdout, /finished runs of Build and test/);
    const written = await readFile(join(clone, ciWorkflowPath), 'utf8');
    assert.match(written, /workflows: \["Build and test"\]/);
    assert.deepEqual(JSON.parse(await readFile(join(clone, '.github/ato/package.json'), 'utf8')), { name: 'ato-ci-cli', version: (JSON.parse(await readFile(join(__dirname, '../../../package.json'), 'utf8')) as { version: string }).version, private: true, type: 'commonjs', description: 'The ato CLI that .github/workflows/ato.yml runs, written by `ato init-ci`.' });
    const second = await init();
    assert.equal(second.code, 0, second.stderr);
    assert.doesNotMatch(second.stdout, /created|replaced/);
    assert.match(second.stdout, /^unchanged +\.github\/workflows\/ato\.yml$/m);
  });

  it('does not overwrite a changed workflow without --force, says what differs, and --force puts it back', async () => {
    const file = join(clone, ciWorkflowPath);
    const original = await readFile(file, 'utf8');
    const edited = original.replace('timeout-minutes: 30', 'timeout-minutes: 5');
    await writeFile(file, edited, 'utf8');
    const refused = await init();
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /not written/);
    assert.match(refused.stderr, /ato\.yml differs from line \d+: it has "timeout-minutes: 5", ATO would write "timeout-minutes: 30"/);
    assert.equal(await readFile(file, 'utf8'), edited, 'the edited file is untouched');
    const forced = await init('--force');
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /^replaced +\.github\/workflows\/ato\.yml$/m);
    assert.equal(await readFile(file, 'utf8'), original);
  });

  it('a tick on an issues event: the loop acts against the API, takes and gives up the lease, and keeps its event log', async () => {
    // A repository whose package.json makes .js files ES modules: the CLI copy's own package.json keeps it CommonJS.
    await writeFile(join(clone, 'package.json'), '{ "name": "app", "type": "module" }\n', 'utf8');
    await gitAsync(clone, 'add', '.github', 'package.json');
    await gitAsync(clone, 'commit', '--quiet', '-m', 'Run ATO\'s loop on GitHub Actions (ato init-ci)');
    await gitAsync(clone, 'push', '--quiet', 'origin', 'main');
    assert.equal(gapIssues(), 0);
    fake.resetRequests();
    const run = await actions({ name: 'issues', payload: { action: 'opened', issue: { number: 99, title: 'Something' }, repository: { full_name: 'octo/app', default_branch: 'main' } } }, { ATO_GITHUB_TOKEN: fake.token });
    assert.equal(run.conclusion, 'success', JSON.stringify(run.steps, null, 2));
    assert.deepEqual(run.steps.map(step => step.outcome), ['success', 'success', 'success', 'success']);
    const tick = run.steps[2]?.output ?? '';
    assert.match(tick, /stage 1a/);
    assert.equal(gapIssues(), 1, `the loop opened the gap-analysis issue:\n${tick}`);
    assert.ok(fake.requests.some(request => request.resource !== 'git'), 'the CLI talked to the fake as its GitHub API');
    // The remote lease (an atomic ref update) names the run, and was given up (expired) when the tick ended.
    const runId = 1000 + runs.length - 1;
    const message = await gitAsync(fake.state.repo().gitDir, 'log', '-1', '--format=%B', defaultLeaseRef);
    const lease = parseLeaseRecord(message);
    assert.equal(lease?.holder, `github-actions:octo/app#${String(runId)}`);
    assert.ok(Date.parse(lease.expiresAt) <= Date.now(), `released: ${lease.expiresAt}`);
    const artifact = join(run.artifacts, `ato-events-${String(runId)}-1`, '.ato');
    const events = (await readFile(join(artifact, 'events.ndjson'), 'utf8')).trim().split('\n').map(line => JSON.parse(line) as { kind: string; source?: string });
    assert.ok(events.some(event => event.kind.startsWith('loop.')), `loop events in the artifact: ${events.map(e => e.kind).join(', ')}`);
    assert.ok(events.every(event => !JSON.stringify(event).includes(fake.token)), 'the token is not in the event log');
  });

  it('another event for the same state acts on nothing new: still one gap-analysis issue', async () => {
    const run = await actions({ name: 'workflow_dispatch', payload: { repository: { full_name: 'octo/app', default_branch: 'main' } } }, { ATO_GITHUB_TOKEN: fake.token });
    assert.equal(run.conclusion, 'success', JSON.stringify(run.steps, null, 2));
    assert.equal(gapIssues(), 1);
  });

  it('a pull request run without secrets (a fork\'s) ends green without a request; any other event without the secret fails with the fix', async () => {
    fake.resetRequests();
    const fork = await actions({ name: 'pull_request', payload: { action: 'opened', pull_request: { number: 5, head: { repo: { full_name: 'someone/app' } } } } }, {});
    assert.equal(fork.conclusion, 'success', JSON.stringify(fork.steps, null, 2));
    assert.match(fork.steps[2]?.output ?? '', /::notice::No ATO_GITHUB_TOKEN/);
    assert.deepEqual(fake.requests.filter(request => request.resource !== 'git'), []);
    const unset = await actions({ name: 'schedule', payload: { schedule: '23 * * * *' } }, {});
    assert.equal(unset.conclusion, 'failure');
    assert.match(unset.steps[2]?.output ?? '', /::error::Set the repository secret ATO_GITHUB_TOKEN/);
    assert.equal(unset.steps[3]?.outcome, 'success', 'the event log step runs even so (if: always())');
  });

  it('the built-in GITHUB_TOKEN never reaches the API: ATO uses the repository secret only', async () => {
    fake.resetRequests();
    const run = await actions({ name: 'push', payload: { ref: 'refs/heads/main' } }, { GITHUB_TOKEN: 'ghs_builtinTokenNeverUsedByAto0000000000' });
    assert.equal(run.conclusion, 'failure');
    assert.deepEqual(fake.requests.filter(request => request.resource !== 'git'), []);
    assert.match(run.steps[2]?.output ?? '', /::error::Set the repository secret ATO_GITHUB_TOKEN/);
  });
});
