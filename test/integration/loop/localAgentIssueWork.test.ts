import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentBackend } from '../../../src/core/agents/agentBackend';
import { readCustomAgents } from '../../../src/core/agents/custom/customAgentSettings';
import { CustomCliBackend } from '../../../src/core/agents/custom/customCliBackend';
import { readMarkers } from '../../../src/core/loop/texts/markers';
import type { FakeGitHub } from '../../fakes/github/fakeGitHub';
import { useTempDir } from '../../support/tempDir';
import { cloneApp, gitAsync, scenarioFile, startFakeGitHub } from './loopHarness';
import { assertNoDuplicateComments, copilotDelivers, greenAndApproved, issuesByMarker, openGapIssue, openKitLoop, queuePath, taskIssueNumber, taskText, tickOk, type KitLoop, type KitLoopOptions } from './loopKit';

const agentScript = join(__dirname, '..', '..', 'fixtures', 'agents', 'scripted-agent.mjs');
const newTaskPath = queuePath('pending', 'add-search');
const capabilitiesPath = 'planning/state/system_capabilities.md';

/** A user's CLI agent (`ato.agents.custom`) that writes one file with a fixed text, and logs each prompt it gets. */
function fileAgent(file: string, text: string, runsFile: string, env: Readonly<Record<string, string>> = {}): AgentBackend {
  const { agents, problems } = readCustomAgents([{ id: 'my-cli', command: process.execPath, args: [agentScript], env: { AGENT_FILE: file, AGENT_TEXT: text, AGENT_NO_ENV: '1', AGENT_RUNS_FILE: runsFile, ...env } }]);
  assert.deepEqual(problems, []);
  const [agent] = agents;
  assert.ok(agent);
  return new CustomCliBackend(agent);
}

/** The prompts the agent got, one per run. */
async function promptsIn(runsFile: string): Promise<string[]> {
  const text = await readFile(runsFile, 'utf8').catch(() => '');
  return text.split('\n---run---\n').filter(prompt => prompt.trim() !== '');
}

/**
 * Issue 10, "every source of work asks the registry": with `ato.loop.agent` naming a local CLI agent, the gap
 * analysis (1a) and the capability update (3a) go to it like a task does — the issue records the agent and is
 * assigned to nobody; ATO runs the agent in a worktree of the planning branch with its own issue text as the
 * prompt, pushes `ato-work/gap-<issue>` / `ato-work/capability-<issue>` with the token and opens the PR with
 * `Closes #<issue>` and the work's marker; the merge policy and trust treat it as they treat Copilot's.
 */
describe('the gap analysis and capability updates with a local agent (the fake GitHub)', function () {
  this.timeout(180_000);
  const tempDir = useTempDir('ato-loop-issuework-');
  let fake: FakeGitHub;
  const repo = () => fake.state.repo('octo', 'app');

  beforeEach(async () => { fake = await startFakeGitHub({ scenario: scenarioFile }); });
  afterEach(async () => { await fake.stop(); });

  const pushes = () => fake.requests.filter(request => request.method === 'POST' && request.path.endsWith('/git-receive-pack'));
  const pullsFrom = (prefix: string) => repo().pulls.filter(pull => pull.pull.headRef.startsWith(prefix));

  async function gapLoop(root: string, runsFile: string, options: KitLoopOptions & { readonly env?: Readonly<Record<string, string>>; readonly file?: string } = {}): Promise<KitLoop> {
    const agent = fileAgent(options.file ?? newTaskPath, taskText('add-search'), runsFile, options.env);
    return openKitLoop(fake, root, { settings: { 'merge.auto': true, 'loop.agent': 'my-cli' }, localAgents: [agent], ...options });
  }

  it('1a → 1c: the gap analysis by the local agent, its PR merged under the policy, and the new task next in line', async () => {
    const root = await cloneApp(fake, tempDir());
    const runsFile = join(tempDir(), 'runs.log');
    const loop = await gapLoop(root, runsFile);
    try {
      const preview = await loop.result.engine.preview();
      const planned = preview.stage?.action;
      assert.equal(preview.stage?.stage, '1a');
      assert.deepEqual(planned?.kind === 'ensureGapIssue' ? planned.agent : planned, { id: 'my-cli', local: true, reason: '`ato.loop.agent` is `my-cli`' });
      assert.match(planned?.reason ?? '', /Agent: my-cli \(`ato\.loop\.agent` is `my-cli`\)\.$/);

      assert.deepEqual(await tickOk(loop), ['ensureGapIssue:done']);
      const gapNumber = openGapIssue(fake);
      const gap = repo().issue(gapNumber);
      assert.ok(gap);
      assert.deepEqual(gap.assignees, [], 'not assigned to Copilot');
      assert.deepEqual(readMarkers(gap.body ?? ''), [{ kind: 'gapAnalysis' }, { kind: 'agent', agentId: 'my-cli' }]);
      assert.match(loop.state().lastReport?.outcomes[0]?.message ?? '', new RegExp(`Started my-cli on it in a worktree of main; ATO pushes ato-work/gap-${String(gapNumber)}`));

      await loop.result.localRuns.settled();
      const prompts = await promptsIn(runsFile);
      assert.equal(prompts.length, 1, 'one run');
      assert.match(prompts[0] ?? '', /^You work in a fresh git worktree of this repository's planning branch\. Change only new task files in planning\/issue_queue\/pending\//);
      assert.match(prompts[0] ?? '', /## Gap analysis[\s\S]*planning\/vision\/goal\.md/, 'ATO\'s own template');
      assert.equal(pushes().length, 1);
      assert.deepEqual(pushes().map(push => push.gitCredentials), ['token']);
      const [pull] = pullsFrom('ato-work/');
      assert.ok(pull, 'a PR from ato-work/gap-<issue>');
      assert.equal(pull.pull.headRef, `ato-work/gap-${String(gapNumber)}`);
      assert.equal(pull.pull.baseRef, 'main');
      assert.match(pull.body ?? '', new RegExp(`^Closes #${String(gapNumber)}$`, 'm'));
      assert.deepEqual(readMarkers(pull.body ?? ''), [{ kind: 'gapAnalysis' }]);
      assert.equal(await repo().readFile(pull.pull.headRef, newTaskPath), taskText('add-search'));
      const config = await readFile(join(root, '.git', 'config'), 'utf8');
      assert.ok(!config.includes(fake.token) && !/extraheader/i.test(config), config);

      // 1b while CI has not run; green and approved: 1c merges it (the token's user's PR is ATO's agent's).
      assert.deepEqual(await tickOk(loop), []);
      assert.equal(loop.state().stage?.stage, '1b');
      await greenAndApproved(fake, pull.number);
      assert.deepEqual(await tickOk(loop), ['mergePullRequest:done']);
      assert.equal(repo().pull(pull.number)?.pull.merged, true);
      assert.equal(repo().issue(gapNumber)?.state, 'closed');
      const next = await loop.result.engine.preview();
      assert.equal(next.stage?.stage, '2a');
      assert.equal(next.stage.action?.kind === 'promoteTask' ? next.stage.action.taskId : undefined, 'add-search');
      assert.equal(issuesByMarker(fake).gap, 1);
      assert.equal(pushes().length, 1);
    } finally {
      await loop.result.localRuns.settled();
      await loop.close();
    }
  });

  it('2c → 3c: a task by Copilot, then its capability update by the local agent, merged under the policy', async () => {
    const root = await cloneApp(fake, tempDir());
    const runsFile = join(tempDir(), 'runs.log');
    // The task names Copilot (its own `agent:` wins); `ato.loop.agent` sends the capability update to my-cli.
    await fake.simulate.pushFiles('main', { [queuePath('pending', 'add-login')]: taskText('add-login').replace('priority: high', 'priority: high\nagent: copilot') }, 'Queue add-login');
    const agent = fileAgent(capabilitiesPath, '# Capabilities\n\n- Users can log in.\n', runsFile);
    const loop = await openKitLoop(fake, root, { settings: { 'merge.auto': true, 'loop.agent': 'my-cli' }, localAgents: [agent] });
    try {
      assert.deepEqual(await tickOk(loop), ['promoteTask:done']);
      const taskPr = await copilotDelivers(fake, taskIssueNumber(fake, 'add-login'), { 'src/login.ts': 'export const login = true;\n' });
      assert.deepEqual(await tickOk(loop), ['mergePullRequest:done']);
      assert.deepEqual(await tickOk(loop), ['completeTask:done']);

      const preview = await loop.result.engine.preview();
      const planned = preview.stage?.action;
      assert.equal(preview.stage?.stage, '3a');
      assert.deepEqual(planned?.kind === 'openCapabilityIssue' ? planned.agent : planned, { id: 'my-cli', local: true, reason: '`ato.loop.agent` is `my-cli`' });
      assert.deepEqual(await tickOk(loop), ['openCapabilityIssue:done']);
      const capability = repo().issues.find(issue => (issue.body ?? '').includes(`source-pr=${String(taskPr)}`));
      assert.ok(capability);
      assert.deepEqual(capability.assignees, []);
      assert.deepEqual(readMarkers(capability.body ?? ''), [{ kind: 'capabilityUpdate', sourcePr: taskPr }, { kind: 'agent', agentId: 'my-cli' }]);

      await loop.result.localRuns.settled();
      const prompts = await promptsIn(runsFile);
      assert.equal(prompts.length, 1);
      assert.match(prompts[0] ?? '', new RegExp(`Change only ${capabilitiesPath}[\\s\\S]*## Update \`${capabilitiesPath}\` after PR #${String(taskPr)}`));
      const [pull] = pullsFrom('ato-work/');
      assert.ok(pull);
      assert.equal(pull.pull.headRef, `ato-work/capability-${String(capability.number)}`);
      assert.match(pull.body ?? '', new RegExp(`^Closes #${String(capability.number)}$`, 'm'));
      assert.deepEqual(readMarkers(pull.body ?? ''), [{ kind: 'capabilityUpdate', sourcePr: taskPr }]);

      assert.deepEqual(await tickOk(loop), []);
      assert.equal(loop.state().stage?.stage, '3b');
      await greenAndApproved(fake, pull.number);
      assert.deepEqual(await tickOk(loop), ['mergePullRequest:done']);
      assert.equal(repo().pull(pull.number)?.pull.merged, true);
      assert.equal(await repo().readFile('main', capabilitiesPath), '# Capabilities\n\n- Users can log in.\n');
      assert.equal(repo().issue(capability.number)?.state, 'closed');
      assert.equal((await loop.result.engine.preview()).stage?.action?.kind, 'ensureGapIssue', 'the loop goes on to the next gap analysis, no second capability update');
      assert.equal(issuesByMarker(fake).capabilities.get(taskPr), 1);
    } finally {
      await loop.result.localRuns.settled();
      await loop.close();
    }
  });

  for (const crashAt of ['ensureGapIssue:afterCreate', 'localRun:afterAgent', 'localRun:afterPush', 'localRun:afterPullRequest'] as const) {
    it(`the gap analysis: a crash at ${crashAt}, then a restart: one issue, one push, one PR`, async () => {
      const root = await cloneApp(fake, tempDir());
      const runsFile = join(tempDir(), 'runs.log');
      const first = await gapLoop(root, runsFile, { checkpoint: name => { if (name === crashAt) throw new Error(`crash at ${name}`); } });
      try {
        const report = await first.tick();
        assert.deepEqual(report.outcomes.map(outcome => outcome.action.kind), ['ensureGapIssue']);
        await first.result.localRuns.settled();
      } finally {
        await first.close();
      }
      assert.equal(pushes().length, crashAt === 'localRun:afterPush' || crashAt === 'localRun:afterPullRequest' ? 1 : 0);

      const again = await gapLoop(root, runsFile);
      try {
        const restarted = await tickOk(again);
        assert.deepEqual(restarted, crashAt === 'localRun:afterPullRequest' ? [] : ['dispatchIssue:done']);
        await again.result.localRuns.settled();
        assert.deepEqual(await tickOk(again), [], 'nothing more to do while CI has not run');
        assert.equal(again.state().stage?.stage, '1b');
      } finally {
        await again.result.localRuns.settled();
        await again.close();
      }
      assert.equal(issuesByMarker(fake).gap, 1, 'one issue');
      assert.equal(pullsFrom('ato-work/').length, 1, 'one PR');
      assert.equal(pushes().length, 1, 'one push');
      // The agent runs once, except when the crash came after its run and before the push: its work was lost, it runs again.
      assert.equal((await promptsIn(runsFile)).length, crashAt === 'localRun:afterAgent' ? 2 : 1);
      assertNoDuplicateComments(fake);
    });
  }

  for (const crashAt of ['openCapabilityIssue:afterCreate', 'localRun:afterPush'] as const) {
    it(`a capability update: a crash at ${crashAt}, then a restart: one issue, one push, one PR`, async () => {
      const root = await cloneApp(fake, tempDir());
      const runsFile = join(tempDir(), 'runs.log');
      await fake.simulate.pushFiles('main', { [queuePath('pending', 'add-login')]: taskText('add-login').replace('priority: high', 'priority: high\nagent: copilot') }, 'Queue add-login');
      const settings = { 'merge.auto': true, 'loop.agent': 'my-cli' };
      const crashing = (name: string): void => { if (name === crashAt) throw new Error(`crash at ${name}`); };
      let armed = false;
      const first = await openKitLoop(fake, root, { settings, localAgents: [fileAgent(capabilitiesPath, '# Capabilities\n', runsFile)], checkpoint: name => { if (armed) crashing(name); } });
      const seen = { taskPr: 0 };
      try {
        assert.deepEqual(await tickOk(first), ['promoteTask:done']);
        seen.taskPr = await copilotDelivers(fake, taskIssueNumber(fake, 'add-login'), { 'src/login.ts': 'export const login = true;\n' });
        assert.deepEqual(await tickOk(first), ['mergePullRequest:done']);
        assert.deepEqual(await tickOk(first), ['completeTask:done']);
        armed = true;
        const report = await first.tick();
        assert.deepEqual(report.outcomes.map(outcome => outcome.action.kind), ['openCapabilityIssue']);
        await first.result.localRuns.settled();
      } finally {
        await first.close();
      }
      const again = await openKitLoop(fake, root, { settings, localAgents: [fileAgent(capabilitiesPath, '# Capabilities\n', runsFile)] });
      try {
        assert.deepEqual(await tickOk(again), ['dispatchIssue:done']);
        await again.result.localRuns.settled();
        assert.deepEqual(await tickOk(again), []);
        assert.equal(again.state().stage?.stage, '3b');
      } finally {
        await again.result.localRuns.settled();
        await again.close();
      }
      assert.equal(issuesByMarker(fake).capabilities.get(seen.taskPr), 1, 'one issue');
      assert.equal(pullsFrom('ato-work/capability-').length, 1, 'one PR');
      assert.equal(pushes().length, 1, 'one push');
      assert.equal((await promptsIn(runsFile)).length, 1, 'one run');
      assertNoDuplicateComments(fake);
    });
  }

  it('a failed run: the issue says why once, is labelled ato:run-failed and stays open; the loop waits for a person, with no second gap issue; removing the label runs it again', async () => {
    const root = await cloneApp(fake, tempDir());
    const runsFile = join(tempDir(), 'runs.log');
    // The agent writes a source file: the gap analysis may write only task files in pending/, so nothing is pushed.
    const loop = await gapLoop(root, runsFile, { file: 'src/oops.ts' });
    try {
      assert.deepEqual(await tickOk(loop), ['ensureGapIssue:done']);
      await loop.result.localRuns.settled();
      const gapNumber = openGapIssue(fake);
      assert.equal(pushes().length, 0, 'nothing pushed');
      assert.equal(repo().issue(gapNumber)?.state, 'open');
      assert.deepEqual(repo().issue(gapNumber)?.labels.includes('ato:run-failed'), true);
      const comments = repo().comments(gapNumber).map(comment => comment.body);
      assert.equal(comments.length, 1);
      assert.match(comments[0] ?? '', /my-cli changed src\/oops\.ts in gap-\d+, which may change only new task files in planning\/issue_queue\/pending\/: ATO did not push it/);

      for (let i = 0; i < 2; i++) assert.deepEqual(await tickOk(loop), [], 'no new run, no second issue');
      const plan = await loop.result.engine.preview();
      assert.equal(plan.stage?.stage, '1b');
      assert.ok(plan.stage.needsYou.some(item => item.kind === 'runFailed' && item.issueNumber === gapNumber), JSON.stringify(plan.stage.needsYou));
      assert.equal(issuesByMarker(fake).gap, 1);
      assert.equal((await promptsIn(runsFile)).length, 1);
    } finally {
      await loop.close();
    }

    // A person removes the label: the next tick runs the agent again on the same issue (now it writes a task file).
    const gapNumber = openGapIssue(fake);
    const issue = repo().issue(gapNumber);
    assert.ok(issue);
    issue.labels = issue.labels.filter(label => label !== 'ato:run-failed');
    const retry = await gapLoop(root, runsFile);
    try {
      assert.deepEqual(await tickOk(retry), ['dispatchIssue:done']);
      await retry.result.localRuns.settled();
      assert.equal((await promptsIn(runsFile)).length, 2);
      assert.equal(pushes().length, 1);
      assert.deepEqual(pullsFrom('ato-work/').map(pull => pull.pull.headRef), [`ato-work/gap-${String(gapNumber)}`]);
      assert.equal(issuesByMarker(fake).gap, 1);
      assertNoDuplicateComments(fake);
    } finally {
      await retry.result.localRuns.settled();
      await retry.close();
    }
  });

  it('Copilot chosen: the gap issue is assigned to Copilot as before, with the choice in the plan', async () => {
    const root = await cloneApp(fake, tempDir());
    const runsFile = join(tempDir(), 'runs.log');
    const loop = await gapLoop(root, runsFile, { settings: { 'merge.auto': true, 'loop.agent': 'copilot' } });
    try {
      const planned = (await loop.result.engine.preview()).stage?.action;
      assert.deepEqual(planned?.kind === 'ensureGapIssue' ? planned.agent : planned, { id: 'copilot', local: false, reason: '`ato.loop.agent` is `copilot`' });
      assert.deepEqual(await tickOk(loop), ['ensureGapIssue:done']);
      const gap = repo().issue(openGapIssue(fake));
      assert.ok(gap?.assignees.some(login => /copilot/i.test(login)));
      assert.deepEqual(readMarkers(gap?.body ?? ''), [{ kind: 'gapAnalysis' }]);
      assert.deepEqual(await promptsIn(runsFile), [], 'the local agent did not run');
      assert.equal(await gitAsync(repo().gitDir, 'branch', '--list', 'ato-work/*'), '');
    } finally {
      await loop.close();
    }
  });
});
