import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { recoverRuns } from '../../../src/core/dispatch/runRecovery';
import { createLogger } from '../../../src/core/logging/logger';
import { PlanningWriter } from '../../../src/core/planning/planningWriter';
import { newRunRecord, type RunRecord } from '../../../src/core/runs/runRecord';
import { transition } from '../../../src/core/runs/runTransitions';
import type { FakeGitHub } from '../../fakes/github/fakeGitHub';
import { useTempDir } from '../../support/tempDir';
import { cloneApp, gitAsync, scenarioFile, startFakeGitHub } from '../loop/loopHarness';
import { followUp, maintenanceKit, pushesOf, scriptedAgent, tipOf } from './maintenanceKit';

/**
 * Issue 11: a local agent's follow-up on a PR's head branch, against the fake GitHub's real git (smart
 * HTTP, the token checked per push): the agent's commit lands on that branch of the bare repository, one
 * run per (PR, kind, attempt), a moved head is refused; a rebase is pushed with a lease when clean, goes to
 * the agent when it conflicts, and fails with the reason when the agent leaves markers.
 */
describe('the maintenance track\'s local follow-ups (real git, the fake GitHub)', function () {
  this.timeout(180_000);
  const tempDir = useTempDir('ato-maint-local-');
  let fake: FakeGitHub;
  const repo = () => fake.state.repo('octo', 'app');

  beforeEach(async () => { fake = await startFakeGitHub({ scenario: scenarioFile }); });
  afterEach(async () => { await fake.stop(); });

  async function agentPull(head = 'ato/feature', files: Readonly<Record<string, string>> = { 'src/feature.md': 'feature v1\n' }): Promise<{ number: number; sha: string }> {
    const number = await fake.simulate.openPullRequest({ head, title: 'Feature', files });
    return { number, sha: await tipOf(fake, head) };
  }

  it('a fix: the agent works at the PR head, its commit is pushed (fast-forward, with the token) to that branch, once; the record says so', async () => {
    const root = await cloneApp(fake, tempDir());
    const pull = await agentPull();
    const runsFile = join(tempDir(), 'runs.txt');
    const kit = maintenanceKit(fake, root, [scriptedAgent({ AGENT_FILE: 'src/fix.md', AGENT_TEXT: 'fixed\n', AGENT_RUNS_FILE: runsFile })]);
    const request = followUp(pull.number, 'ato/feature', pull.sha);

    const first = await kit.agents.startLocalFollowUp(request, 'my-cli');
    const second = await kit.agents.startLocalFollowUp(request, 'my-cli');
    assert.equal(second.runId, first.runId, 'called twice: one run');
    assert.deepEqual([...kit.agents.activeFollowUps()], [pull.number]);
    await kit.agents.settled();
    assert.deepEqual([...kit.agents.activeFollowUps()], []);

    const tip = await tipOf(fake, 'ato/feature');
    assert.notEqual(tip, pull.sha);
    assert.equal(await gitAsync(repo().gitDir, 'rev-parse', `${tip}^`), pull.sha, 'a fast-forward on the PR head');
    assert.equal(await repo().readFile('ato/feature', 'src/fix.md'), 'fixed\n');
    assert.equal(await repo().readFile('ato/feature', 'src/feature.md'), 'feature v1\n', 'the PR\'s own work is there: the agent started from its head');
    assert.deepEqual(pushesOf(fake).map(push => push.gitCredentials), ['token']);
    const prompts = (await readFile(runsFile, 'utf8')).split('---run---').filter(text => text.trim() !== '');
    assert.equal(prompts.length, 1, 'the agent ran once');
    assert.match(prompts[0] ?? '', /Error: expected 2, got 3/);
    assert.match(prompts[0] ?? '', /head branch of pull request #\d+/);

    const run = await kit.agents.followUpRun(request);
    assert.deepEqual({ ...run, reason: undefined }, { runId: first.runId, state: 'pushed', pushedSha: tip, reason: undefined });
    const stored = await kit.fleetRuns.runs.read(first.runId);
    assert.ok(stored.ok);
    assert.equal(stored.record.state, 'succeeded');
    assert.equal(stored.record.landing?.detail, `pushed ${tip} to ato/feature`);
    assert.equal(stored.record.loopLink?.pullRequest, undefined, 'not a PR an agent\'s session reported: trust is not widened');

    // Called again after it ended (a restart, a re-tick): the same run, nothing started or pushed.
    assert.equal((await kit.agents.startLocalFollowUp(request, 'my-cli')).runId, first.runId);
    await kit.agents.settled();
    assert.equal(pushesOf(fake).length, 1);
    const config = await readFile(join(root, '.git', 'config'), 'utf8');
    assert.ok(!config.includes(fake.token) && !/extraheader/i.test(config), 'the token is never in .git/config');
  });

  it('a head that moved since the track looked is refused: no run, no push', async () => {
    const root = await cloneApp(fake, tempDir());
    const pull = await agentPull();
    await fake.simulate.pushFiles('ato/feature', { 'src/other.md': 'someone pushed\n' }, 'Another push');
    const kit = maintenanceKit(fake, root, [scriptedAgent({ AGENT_FILE: 'src/fix.md' })]);
    await assert.rejects(kit.agents.startLocalFollowUp(followUp(pull.number, 'ato/feature', pull.sha), 'my-cli'), /head of PR #\d+ moved from [0-9a-f]{7} to [0-9a-f]{7}/);
    assert.equal((await kit.fleetRuns.runs.list()).records.length, 0);
    assert.equal(pushesOf(fake).length, 0);
  });

  it('an agent that changes nothing: the run fails with the reason, nothing is pushed', async () => {
    const root = await cloneApp(fake, tempDir());
    const pull = await agentPull();
    // It rewrites the PR's own file with the same text: no change.
    const kit = maintenanceKit(fake, root, [scriptedAgent({ AGENT_FILE: 'src/feature.md', AGENT_TEXT: 'feature v1\n' })]);
    const request = followUp(pull.number, 'ato/feature', pull.sha);
    await kit.agents.startLocalFollowUp(request, 'my-cli');
    await kit.agents.settled();
    const run = await kit.agents.followUpRun(request);
    assert.equal(run?.state, 'failed');
    assert.match(run.reason, /ended without changing anything/);
    assert.equal(pushesOf(fake).length, 0);
  });

  it('a crash after the agent, then a restart: the same run id, no second run', async () => {
    const root = await cloneApp(fake, tempDir());
    const pull = await agentPull();
    const runsFile = join(tempDir(), 'runs.txt');
    const agent = scriptedAgent({ AGENT_FILE: 'src/fix.md', AGENT_RUNS_FILE: runsFile });
    const crashing = maintenanceKit(fake, root, [agent], { checkpoint: name => { if (name === 'followUp:afterAgent') throw new Error('crash'); } });
    const request = followUp(pull.number, 'ato/feature', pull.sha);
    const first = await crashing.agents.startLocalFollowUp(request, 'my-cli');
    await crashing.agents.settled();
    assert.equal((await crashing.agents.followUpRun(request))?.state, 'failed');

    const restarted = maintenanceKit(fake, root, [agent]);
    assert.equal((await restarted.agents.startLocalFollowUp(request, 'my-cli')).runId, first.runId);
    await restarted.agents.settled();
    assert.equal((await readFile(runsFile, 'utf8')).split('---run---').filter(text => text.trim() !== '').length, 1, 'one agent run');
    assert.equal(pushesOf(fake).length, 0);
    assert.equal((await restarted.fleetRuns.runs.list()).records.length, 1);
    // The next attempt is a new follow-up: it runs.
    await restarted.agents.startLocalFollowUp(followUp(pull.number, 'ato/feature', pull.sha, 'fix', 2), 'my-cli');
    await restarted.agents.settled();
    assert.equal(pushesOf(fake).length, 1);
  });

  it('a run a dead process left in progress (its record says running): recovery fails it; no call starts a second one', async () => {
    const root = await cloneApp(fake, tempDir());
    const pull = await agentPull();
    const runsFile = join(tempDir(), 'runs.txt');
    const agent = scriptedAgent({ AGENT_FILE: 'src/fix.md', AGENT_RUNS_FILE: runsFile });
    const kit = maintenanceKit(fake, root, [agent]);
    const now = () => new Date();
    let left: RunRecord = { ...newRunRecord({ runId: 'run-left-1', taskId: `pr-${String(pull.number)}-fix-1`, taskFile: `pull/${String(pull.number)}`, taskType: 'ci_fix', agentId: 'my-cli', reason: 'the maintenance track' }, now), loopLink: { issueNumber: pull.number } };
    left = transition(transition(left, 'preparing', 'to my-cli', now), 'running', 'my-cli started', now);
    await kit.fleetRuns.runs.write({ ...left, workdir: join(root, '.ato', 'worktrees', `pr-${String(pull.number)}-fix-1`) });

    const request = followUp(pull.number, 'ato/feature', pull.sha);
    assert.equal((await kit.agents.startLocalFollowUp(request, 'my-cli')).runId, 'run-left-1', 'before recovery: the run that is recorded');
    assert.deepEqual([...kit.agents.activeFollowUps()], [], 'not in flight in this process');
    await recoverRuns({ workspaceRoot: root, planningRoot: join(root, 'planning'), runs: kit.fleetRuns.runs, events: { append: () => Promise.resolve() }, planningWriter: new PlanningWriter(kit.redactor), log: createLogger({ write: () => undefined }, kit.redactor), agent: id => (id === agent.id ? agent : undefined) });
    assert.equal((await kit.agents.followUpRun(request))?.state, 'failed');
    assert.equal((await kit.agents.startLocalFollowUp(request, 'my-cli')).runId, 'run-left-1', 'after recovery: still that run');
    await kit.agents.settled();
    assert.equal(await readFile(runsFile, 'utf8').catch(() => ''), '', 'no agent ran');
    assert.equal(pushesOf(fake).length, 0);
  });

  describe('a rebase', () => {
    it('clean: ATO rebases onto origin/main itself and pushes with --force-with-lease; no agent runs', async () => {
      const root = await cloneApp(fake, tempDir());
      const pull = await agentPull();
      const main = await fake.simulate.pushFiles('main', { 'docs/news.md': 'news\n' }, 'Main moves on');
      const runsFile = join(tempDir(), 'runs.txt');
      const kit = maintenanceKit(fake, root, [scriptedAgent({ AGENT_FILE: 'src/x.md', AGENT_RUNS_FILE: runsFile })]);
      const request = followUp(pull.number, 'ato/feature', pull.sha, 'rebase');
      await kit.agents.startLocalFollowUp(request, 'my-cli');
      await kit.agents.settled();

      const run = await kit.agents.followUpRun(request);
      assert.equal(run?.state, 'pushed', run?.reason);
      const tip = await tipOf(fake, 'ato/feature');
      assert.equal(run.pushedSha, tip);
      assert.equal(await gitAsync(repo().gitDir, 'rev-parse', `${tip}^`), main, 'the PR\'s commit now sits on main\'s tip');
      assert.equal(await repo().readFile('ato/feature', 'src/feature.md'), 'feature v1\n');
      assert.equal(await readFile(runsFile, 'utf8').catch(() => ''), '', 'no agent was needed');
      assert.deepEqual(pushesOf(fake).map(push => push.gitCredentials), ['token']);
    });

    it('conflicting: the agent gets the conflicted worktree and the prompt; resolved, ATO continues and pushes', async () => {
      const root = await cloneApp(fake, tempDir());
      const pull = await agentPull('ato/feature', { 'README.md': '# app, as the PR says\n' });
      const main = await fake.simulate.pushFiles('main', { 'README.md': '# app, as main says\n' }, 'Main changes the README');
      const runsFile = join(tempDir(), 'runs.txt');
      const kit = maintenanceKit(fake, root, [scriptedAgent({ AGENT_FILE: 'README.md', AGENT_TEXT: '# app, as both say\n', AGENT_RUNS_FILE: runsFile })]);
      const request = followUp(pull.number, 'ato/feature', pull.sha, 'rebase');
      await kit.agents.startLocalFollowUp(request, 'my-cli');
      await kit.agents.settled();

      const run = await kit.agents.followUpRun(request);
      assert.equal(run?.state, 'pushed', run?.reason);
      const prompt = await readFile(runsFile, 'utf8');
      assert.match(prompt, /git stopped on conflicts in:\n- `README\.md`/);
      assert.match(prompt, /Error: expected 2, got 3/, 'the track\'s prompt too');
      const tip = await tipOf(fake, 'ato/feature');
      assert.equal(await gitAsync(repo().gitDir, 'merge-base', '--is-ancestor', main, tip).then(() => true, () => false), true, 'rebased onto main');
      assert.equal(await repo().readFile('ato/feature', 'README.md'), '# app, as both say\n');
    });

    it('conflicting, and the agent leaves the markers: the run fails with the reason and nothing is pushed', async () => {
      const root = await cloneApp(fake, tempDir());
      const pull = await agentPull('ato/feature', { 'README.md': '# app, as the PR says\n' });
      await fake.simulate.pushFiles('main', { 'README.md': '# app, as main says\n' }, 'Main changes the README');
      const kit = maintenanceKit(fake, root, [scriptedAgent({ AGENT_FILE: 'notes.md', AGENT_TEXT: 'I could not decide\n' })]);
      const request = followUp(pull.number, 'ato/feature', pull.sha, 'rebase');
      await kit.agents.startLocalFollowUp(request, 'my-cli');
      await kit.agents.settled();

      const run = await kit.agents.followUpRun(request);
      assert.equal(run?.state, 'failed');
      assert.match(run.reason, /my-cli could not finish the rebase of PR #\d+ onto main: conflict markers are left in README\.md \(line 1, 3, 5\)/);
      assert.equal(pushesOf(fake).length, 0);
      assert.equal(await tipOf(fake, 'ato/feature'), pull.sha);
    });

    it('never force-pushes a branch that is not an agent\'s (a person\'s PR branch)', async () => {
      const root = await cloneApp(fake, tempDir());
      const pull = await agentPull('feature/by-hand');
      await fake.simulate.pushFiles('main', { 'docs/news.md': 'news\n' }, 'Main moves on');
      const kit = maintenanceKit(fake, root, [scriptedAgent({ AGENT_FILE: 'src/x.md' })]);
      const request = followUp(pull.number, 'feature/by-hand', pull.sha, 'rebase');
      await kit.agents.startLocalFollowUp(request, 'my-cli');
      await kit.agents.settled();
      const run = await kit.agents.followUpRun(request);
      assert.equal(run?.state, 'failed');
      assert.match(run.reason, /not a branch of one of ATO's agents/);
      assert.equal(pushesOf(fake).length, 0);
    });

    it('the lease holds: a push to the branch while ATO rebased makes the forced push fail, the other push stays', async () => {
      const root = await cloneApp(fake, tempDir());
      const pull = await agentPull();
      await fake.simulate.pushFiles('main', { 'docs/news.md': 'news\n' }, 'Main moves on');
      let theirs = '';
      const kit = maintenanceKit(fake, root, [scriptedAgent({ AGENT_FILE: 'src/x.md' })], {
        // Someone pushes to the PR branch after the head was checked, before ATO's push.
        mayForcePush: async () => { theirs = await fake.simulate.pushFiles('ato/feature', { 'src/theirs.md': 'theirs\n' }, 'Their push'); return true; },
      });
      const request = followUp(pull.number, 'ato/feature', pull.sha, 'rebase');
      await kit.agents.startLocalFollowUp(request, 'my-cli');
      await kit.agents.settled();
      const run = await kit.agents.followUpRun(request);
      assert.equal(run?.state, 'failed');
      assert.match(run.reason, /stale info|rejected/);
      assert.equal(await tipOf(fake, 'ato/feature'), theirs, 'their push was not overwritten');
    });
  });
});
