import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentBackend } from '../../../src/core/agents/agentBackend';
import { CustomCliBackend } from '../../../src/core/agents/custom/customCliBackend';
import { readCustomAgents } from '../../../src/core/agents/custom/customAgentSettings';
import { Redactor } from '../../../src/core/logging/redactor';
import { readMarkers } from '../../../src/core/loop/texts/markers';
import type { FakeGitHub } from '../../fakes/github/fakeGitHub';
import { useTempDir } from '../../support/tempDir';
import { cloneApp, gitAsync, queueOnMain, scenarioFile, startFakeGitHub } from './loopHarness';
import { foldersOf, greenAndApproved, issuesByMarker, openKitLoop, queueTask, taskIssueNumber, tickOk, type KitLoop, type KitLoopOptions } from './loopKit';

const agentScript = join(__dirname, '..', '..', 'fixtures', 'agents', 'scripted-agent.mjs');

/** A user's CLI agent (`ato.agents.custom`) that writes src/<task>.md in its worktree: a real process. */
function scriptedAgent(file = 'src/add-login.md', env: Readonly<Record<string, string>> = {}): AgentBackend {
  const { agents, problems } = readCustomAgents([{ id: 'my-cli', command: process.execPath, args: [agentScript], env: { AGENT_FILE: file, ...env } }]);
  assert.deepEqual(problems, []);
  const [agent] = agents;
  assert.ok(agent);
  return new CustomCliBackend(agent);
}

/**
 * PRODUCT §4 with a local agent instead of Copilot (issue 10, "One registry, every source of work"): the
 * promotion opens the task's issue for the agent `ato.loop.agent` names (assigned to nobody, the agent in
 * its marker), ATO runs the agent in its worktree, pushes `ato/<task>` with the token (to the fake's host
 * only, never into .git/config) and opens the PR with `Closes #issue` and its marker; CI and the merge
 * policy treat it as they treat Copilot's, the merge completes the task.
 */
describe('the planning loop with a local agent instead of Copilot (the fake GitHub)', function () {
  this.timeout(180_000);
  const tempDir = useTempDir('ato-loop-local-');
  let fake: FakeGitHub;
  const repo = () => fake.state.repo('octo', 'app');

  beforeEach(async () => { fake = await startFakeGitHub({ scenario: scenarioFile }); });
  afterEach(async () => { await fake.stop(); });

  const pushes = () => fake.requests.filter(request => request.method === 'POST' && request.path.endsWith('/git-receive-pack'));
  const taskPulls = () => repo().pulls.filter(pull => pull.pull.headRef === 'ato/add-login');

  async function localLoop(root: string, options: KitLoopOptions = {}): Promise<KitLoop> {
    return openKitLoop(fake, root, { settings: { 'merge.auto': true, 'loop.agent': 'my-cli' }, localAgents: [scriptedAgent()], ...options });
  }

  it('promote → run → push → PR with markers and Closes → green CI → guarded merge → task complete', async () => {
    const root = await cloneApp(fake, tempDir());
    const loop = await localLoop(root);
    try {
      await queueTask(fake, 'add-login');
      const preview = await loop.result.engine.preview();
      const planned = preview.stage?.action;
      assert.deepEqual(planned?.kind === 'promoteTask' ? planned.agent : planned, { id: 'my-cli', local: true, reason: '`ato.loop.agent` is `my-cli`' });

      assert.deepEqual(await tickOk(loop), ['promoteTask:done']);
      const issueNumber = taskIssueNumber(fake, 'add-login');
      const issue = repo().issue(issueNumber);
      assert.ok(issue);
      assert.deepEqual(issue.assignees, [], 'not assigned to Copilot');
      assert.deepEqual(readMarkers(issue.body ?? ''), [{ kind: 'task', taskId: 'add-login' }, { kind: 'agent', agentId: 'my-cli' }]);
      assert.deepEqual(await foldersOf(fake, 'add-login'), ['processed']);
      assert.match(loop.state().lastReport?.outcomes[0]?.message ?? '', /Started my-cli on it in its worktree/);

      // While it runs the loop waits on it (no second start); then ATO pushes and opens the PR.
      const whileRunning = await tickOk(loop);
      assert.deepEqual(whileRunning, []);
      await loop.result.localRuns.settled();
      assert.equal(pushes().length, 1);
      assert.deepEqual(pushes().map(push => push.gitCredentials), ['token'], 'the push carried the token');
      const [pull] = taskPulls();
      assert.ok(pull, 'a PR from ato/add-login');
      assert.equal(pull.pull.baseRef, 'main');
      assert.match(pull.body ?? '', new RegExp(`^Closes #${String(issueNumber)}$`, 'm'));
      assert.deepEqual(readMarkers(pull.body ?? ''), [{ kind: 'task', taskId: 'add-login' }]);
      assert.equal(await repo().readFile('ato/add-login', 'src/add-login.md').then(text => text?.includes('(done by scripted-agent)')), true);

      // Never written into the repository's git config, and no token in what was pushed.
      const config = await readFile(join(root, '.git', 'config'), 'utf8');
      assert.ok(!config.includes(fake.token) && !/extraheader/i.test(config), config);
      assert.ok(!(await gitAsync(repo().gitDir, 'log', '-p', 'refs/heads/ato/add-login')).includes(fake.token));

      // 2b while CI runs, then green and approved: 2c merges, and the merge completes the task.
      assert.deepEqual(await tickOk(loop), []);
      assert.equal(loop.state().stage?.stage, '2b');
      await greenAndApproved(fake, pull.number);
      assert.deepEqual(await tickOk(loop), ['mergePullRequest:done']);
      assert.equal(repo().pull(pull.number)?.pull.merged, true);
      assert.deepEqual(await tickOk(loop), ['completeTask:done']);
      assert.deepEqual(await queueOnMain(root), ['planning/issue_queue/complete/add-login.task.md']);
      assert.match(await repo().readFile('main', 'planning/issue_queue/complete/add-login.task.md') ?? '', /## Result[\s\S]*my-cli/);
      assert.equal(repo().issue(issueNumber)?.state, 'closed', 'Closes #issue closed it');
      assert.equal(issuesByMarker(fake).tasks.get('add-login'), 1);
    } finally {
      await loop.result.localRuns.settled();
      await loop.close();
    }
  });

  for (const crashAt of ['localRun:afterAgent', 'localRun:afterPush', 'localRun:afterPullRequest'] as const) {
    it(`a crash at ${crashAt}, then a restart: one issue, one PR, one push`, async () => {
      const root = await cloneApp(fake, tempDir());
      await queueTask(fake, 'add-login');
      const first = await localLoop(root, { checkpoint: name => { if (name === crashAt) throw new Error(`crash at ${name}`); } });
      try {
        assert.deepEqual(await tickOk(first), ['promoteTask:done']);
        await first.result.localRuns.settled();
      } finally {
        await first.close();
      }
      const pushedBefore = pushes().length;
      assert.equal(pushedBefore, crashAt === 'localRun:afterAgent' ? 0 : 1);

      const again = await localLoop(root);
      try {
        const restarted = await tickOk(again);
        if (crashAt === 'localRun:afterPullRequest') {
          assert.deepEqual(restarted, [], 'the PR exists: nothing to start');
        } else {
          assert.deepEqual(restarted, ['dispatchIssue:done']);
          await again.result.localRuns.settled();
        }
        assert.deepEqual(await tickOk(again), [], 'nothing more to do while CI has not run');
      } finally {
        await again.result.localRuns.settled();
        await again.close();
      }
      assert.equal(issuesByMarker(fake).tasks.get('add-login'), 1, 'one issue');
      assert.equal(taskPulls().length, 1, 'one PR');
      assert.equal(pushes().length, 1, 'one push');
      assert.deepEqual(await foldersOf(fake, 'add-login'), ['processed']);
    });
  }

  it('work that holds a secret ATO knows is never pushed: the issue says why (redacted) and is closed, which offers the requeue', async () => {
    const root = await cloneApp(fake, tempDir());
    await queueTask(fake, 'add-login');
    const redactor = new Redactor();
    redactor.addSecret(fake.token);
    // The scripted agent writes its whole environment to env.json in its worktree: here it holds the token.
    const loop = await openKitLoop(fake, root, { settings: { 'loop.agent': 'my-cli' }, localAgents: [scriptedAgent('src/add-login.md', { LEAKED: fake.token })], redactor });
    try {
      assert.deepEqual(await tickOk(loop), ['promoteTask:done']);
      const outcome = await loop.result.localRuns.settled().then(() => 'settled');
      assert.equal(outcome, 'settled');
      assert.equal(pushes().length, 0, 'nothing pushed');
      assert.equal(await repo().readFile('ato/add-login', 'env.json'), undefined);
      const issueNumber = taskIssueNumber(fake, 'add-login');
      assert.equal(repo().issue(issueNumber)?.state, 'closed');
      const comments = repo().comments(issueNumber).map(comment => comment.body);
      assert.equal(comments.length, 1);
      assert.match(comments[0] ?? '', /holds a secret ATO knows or a token-shaped string, so ATO did not push it/);
      assert.ok(!comments.some(body => body.includes(fake.token)));
      const plan = await loop.result.engine.preview();
      assert.ok(plan.stage?.needsYou.some(item => item.taskId === 'add-login' && item.action === 'requeue'), JSON.stringify(plan.stage?.needsYou));
    } finally {
      await loop.close();
    }
  });

  it('a task file\'s own agent: wins over ato.loop.agent, and an agent that is not configured leaves the task pending with the reason', async () => {
    const root = await cloneApp(fake, tempDir());
    await fake.simulate.pushFiles('main', { 'planning/issue_queue/pending/add-login.task.md': '---\nid: add-login\ntype: feature\nagent: my-cli\n---\n# Add login\n\n**Prompt:**\nAdd it.\n' }, 'Queue add-login for my-cli');
    const loop = await openKitLoop(fake, root, { settings: { 'loop.agent': 'copilot' }, localAgents: [scriptedAgent()] });
    try {
      const plan = await loop.result.engine.preview();
      const action = plan.stage?.action;
      assert.deepEqual(action?.kind === 'promoteTask' ? action.agent : undefined, { id: 'my-cli', local: true, reason: 'the task file names it' });
    } finally {
      await loop.close();
    }
    const without = await openKitLoop(fake, root, { settings: { 'loop.agent': 'copilot' } });
    try {
      const plan = await without.result.engine.preview();
      assert.equal(plan.stage?.action, undefined);
      assert.match(plan.stage?.reason ?? '', /It waits: the task names agent "my-cli", which is not configured \(agents: copilot\) \(the task file names it\)\./);
    } finally {
      await without.close();
    }
  });
});
