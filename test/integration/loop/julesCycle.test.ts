import assert from 'node:assert/strict';
import type { JulesBackend } from '../../../src/core/agents/jules/julesBackend';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { approveTaskPlan } from '../../../src/core/dispatch/approvePlan';
import { recoverRuns } from '../../../src/core/dispatch/runRecovery';
import { PlanningWriter } from '../../../src/core/planning/planningWriter';
import { Redactor } from '../../../src/core/logging/redactor';
import { readMarkers } from '../../../src/core/loop/texts/markers';
import type { RunRecord } from '../../../src/core/runs/runRecord';
import { RunStore } from '../../../src/core/runs/runStore';
import type { FakeGitHub } from '../../fakes/github/fakeGitHub';
import { julesBotLogin } from '../../fakes/github/users';
import { startFakeJules, type FakeJules } from '../../fakes/jules/fakeJules';
import type { FakeSession } from '../../fakes/jules/model';
import { useTempDir } from '../../support/tempDir';
import { julesBackend, silentLog } from '../jules/julesKit';
import { cloneApp, queueOnMain, scenarioFile, startFakeGitHub } from './loopHarness';
import { assertNoDuplicateComments, foldersOf, greenAndApproved, issuesByMarker, openKitLoop, queuePath, queueTask, taskIssueNumber, taskText, tickOk, type KitLoop, type KitLoopOptions } from './loopKit';

/** Polls (real time) until `check` holds; the Jules run is followed in the background. */
async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

/**
 * PRODUCT §4 with Jules instead of Copilot (issue 10, "the loop's full cycle … with Jules, on the fake
 * GitHub"): the promotion opens the task's issue for `jules` (assigned to nobody, the agent in its marker),
 * ATO creates the session on the fake Jules and follows it; the fake Jules opens a real PR on the fake GitHub
 * as Jules' bot when the session completes; ATO appends `Closes #issue` and its marker to that PR, which the
 * loop then follows through CI and the merge policy to the merge and the task in complete/.
 */
describe('the planning loop with Jules instead of Copilot (the fake GitHub and the fake Jules)', function () {
  this.timeout(180_000);
  const tempDir = useTempDir('ato-loop-jules-');
  let fake: FakeGitHub;
  let jules: FakeJules;
  const repo = () => fake.state.repo('octo', 'app');

  beforeEach(async () => {
    fake = await startFakeGitHub({ scenario: scenarioFile });
    jules = await startFakeJules({ sources: [{ owner: 'octo', repo: 'app' }] });
    // Jules' GitHub app pushes the session's branch and opens the PR, as its bot.
    jules.state.onPullRequest = async (session: FakeSession) => {
      const headRef = `jules/${session.id}`;
      const number = await fake.simulate.openPullRequest({ head: headRef, title: session.title, body: 'Made by Jules.\n\nAdded hello.txt.', author: julesBotLogin, files: { 'hello.txt': 'hello\n' } });
      return { url: `${fake.apiUrl}/octo/app/pull/${String(number)}`, headRef };
    };
  });
  afterEach(async () => {
    await jules.stop();
    await fake.stop();
  });

  const julesPulls = () => repo().pulls.filter(pull => pull.pull.headRef.startsWith('jules/'));
  const onlySession = (): FakeSession => {
    const sessions = jules.state.listSessions();
    assert.equal(sessions.length, 1, 'one Jules session');
    const [session] = sessions;
    assert.ok(session);
    return session;
  };
  const records = async (root: string): Promise<readonly RunRecord[]> => (await new RunStore({ workspaceRoot: root, redactor: new Redactor() }).list()).records;

  function julesAgent(root: string, requirePlanApproval = false): JulesBackend {
    return julesBackend(jules, root, { githubApiUrl: fake.apiUrl, requirePlanApproval, dailySessions: 0 });
  }

  async function julesLoop(root: string, agent: JulesBackend, options: KitLoopOptions = {}): Promise<KitLoop> {
    return openKitLoop(fake, root, { settings: { 'merge.auto': true, 'loop.agent': 'jules' }, localAgents: [agent], ...options });
  }

  /** The session runs to its end (its PR opened on the fake GitHub) and ATO's run of it settles. */
  async function julesCompletes(loop: KitLoop, session: FakeSession): Promise<void> {
    jules.state.advance(session.id);
    await jules.state.pullRequestsOpened();
    await loop.result.localRuns.settled();
  }

  it('promote → Jules session (plan approved from needs-you) → its PR linked with Closes and the marker → green CI → guarded merge → task complete', async () => {
    const root = await cloneApp(fake, tempDir());
    const agent = julesAgent(root, true);
    const loop = await julesLoop(root, agent);
    try {
      await queueTask(fake, 'add-login');
      const preview = await loop.result.engine.preview();
      const planned = preview.stage?.action;
      assert.deepEqual(planned?.kind === 'promoteTask' ? planned.agent : planned, { id: 'jules', local: false, reason: '`ato.loop.agent` is `jules`' });

      assert.deepEqual(await tickOk(loop), ['promoteTask:done']);
      assert.match(loop.state().lastReport?.outcomes[0]?.message ?? '', /Started a jules session on it/);
      const issueNumber = taskIssueNumber(fake, 'add-login');
      const issue = repo().issue(issueNumber);
      assert.ok(issue);
      assert.deepEqual(issue.assignees, [], 'assigned to nobody');
      assert.deepEqual(readMarkers(issue.body ?? ''), [{ kind: 'task', taskId: 'add-login' }, { kind: 'agent', agentId: 'jules' }]);
      assert.deepEqual(await foldersOf(fake, 'add-login'), ['processed']);

      // The session: the task and its issue in the prompt, ending with the task's marker (a restart adopts it).
      await eventually('the session', () => jules.state.listSessions().length === 1);
      const session = onlySession();
      assert.match(session.prompt, new RegExp(`GitHub issue #${String(issueNumber)} `));
      assert.deepEqual(readMarkers(session.prompt), [{ kind: 'task', taskId: 'add-login' }]);

      // Its plan waits for approval: the run record says needs you, as for a dispatched task file.
      jules.state.advance(session.id);
      assert.equal(session.state, 'AWAITING_PLAN_APPROVAL');
      await eventually('the run record in needsYou', async () => (await records(root)).some(record => record.state === 'needsYou'));
      const waiting = (await records(root)).find(record => record.state === 'needsYou');
      assert.ok(waiting);
      assert.equal(waiting.agentId, 'jules');
      assert.match(waiting.history[waiting.history.length - 1]?.reason ?? '', /^Jules plan awaiting approval: 1\. Read the task/);
      assert.deepEqual(await tickOk(loop), [], 'the loop waits on the session');
      const approved = await approveTaskPlan('add-login', new RunStore({ workspaceRoot: root, redactor: new Redactor() }), id => (id === 'jules' ? agent : undefined));
      assert.equal(approved.status, 'approved', approved.message);
      await eventually('the run going on', async () => (await records(root)).some(record => record.state === 'running'));

      await julesCompletes(loop, session);
      assert.equal(session.state, 'COMPLETED');
      const [pull] = julesPulls();
      assert.ok(pull, 'Jules opened a PR');
      assert.equal(pull.author, julesBotLogin);
      assert.match(pull.body ?? '', /^Made by Jules\./);
      assert.match(pull.body ?? '', new RegExp(`^Closes #${String(issueNumber)}$`, 'm'));
      assert.deepEqual(readMarkers(pull.body ?? ''), [{ kind: 'task', taskId: 'add-login' }]);
      const [done] = await records(root);
      assert.equal(done?.state, 'succeeded');
      assert.deepEqual(done.loopLink, { issueNumber, pullRequest: { number: pull.number, url: `${fake.apiUrl}/octo/app/pull/${String(pull.number)}`, headRef: `jules/${session.id}` } });

      // 2b while CI runs, then green and approved: 2c merges, and the merge completes the task.
      assert.deepEqual(await tickOk(loop), []);
      assert.equal(loop.state().stage?.stage, '2b');
      await greenAndApproved(fake, pull.number);
      assert.deepEqual(await tickOk(loop), ['mergePullRequest:done']);
      assert.equal(repo().pull(pull.number)?.pull.merged, true);
      assert.deepEqual(await tickOk(loop), ['completeTask:done']);
      assert.deepEqual(await queueOnMain(root), ['planning/issue_queue/complete/add-login.task.md']);
      assert.match(await repo().readFile('main', 'planning/issue_queue/complete/add-login.task.md') ?? '', /## Result[\s\S]*jules/);
      assert.equal(repo().issue(issueNumber)?.state, 'closed', 'Closes #issue closed it');
      assert.equal(jules.state.listSessions().length, 1);
    } finally {
      await loop.result.localRuns.settled();
      await loop.close();
    }
  });

  it('a stranger\'s PR that copies Closes #issue and the marker is not trusted: only the PR the session reported is merged', async () => {
    const root = await cloneApp(fake, tempDir());
    const loop = await julesLoop(root, julesAgent(root));
    try {
      await queueTask(fake, 'add-login');
      assert.deepEqual(await tickOk(loop), ['promoteTask:done']);
      const issueNumber = taskIssueNumber(fake, 'add-login');
      await eventually('the session', () => jules.state.listSessions().length === 1);
      const session = onlySession();
      // Eve copies what a linked Jules PR carries, on a branch named like the session's, before Jules is done.
      const copied = `Made by Jules.\n\nCloses #${String(issueNumber)}\n\n<!-- ato:task=add-login -->\n`;
      const eve = await fake.simulate.openPullRequest({ head: `jules/${session.id}-x`, title: 'Build add-login', body: copied, author: 'eve', files: { 'evil.txt': 'x\n' } });
      await greenAndApproved(fake, eve);
      assert.deepEqual(await tickOk(loop), [], 'Eve\'s PR is neither merged nor taken for the task\'s');
      assert.equal(repo().pull(eve)?.pull.merged, false);

      await julesCompletes(loop, session);
      const pull = julesPulls().find(candidate => candidate.author === julesBotLogin);
      assert.ok(pull);
      await greenAndApproved(fake, pull.number);
      assert.deepEqual(await tickOk(loop), ['mergePullRequest:done']);
      assert.equal(repo().pull(pull.number)?.pull.merged, true);
      assert.equal(repo().pull(eve)?.pull.merged, false, 'never merged');
    } finally {
      await loop.result.localRuns.settled();
      await loop.close();
    }
  });

  it('the dispatcher\'s start-up recovery leaves the loop\'s Jules run alone: the restarted loop follows the same session to its PR', async () => {
    const root = await cloneApp(fake, tempDir());
    await queueTask(fake, 'add-login');
    const agent = julesAgent(root);
    const first = await julesLoop(root, agent, { checkpoint: name => { if (name === 'remoteRun:afterSession') throw new Error(`crash at ${name}`); } });
    try {
      assert.deepEqual(await tickOk(first), ['promoteTask:done']);
      await first.result.localRuns.settled();
    } finally {
      await first.close();
    }
    // The user pulled the planning branch: the task is in processed/ in the working tree, as recovery looks for it.
    const processed = join(root, queuePath('processed', 'add-login'));
    await mkdir(dirname(processed), { recursive: true });
    await writeFile(processed, taskText('add-login'));
    const redactor = new Redactor();
    const recovery = await recoverRuns({ agent: id => (id === 'jules' ? agent : undefined), workspaceRoot: root, planningRoot: join(root, 'planning'), runs: new RunStore({ workspaceRoot: root, redactor }), events: { append: () => Promise.resolve() }, log: silentLog, planningWriter: new PlanningWriter(redactor) });
    assert.deepEqual([recovery.interrupted, recovery.redispatch], [[], []], 'not taken for a dispatcher run cut off');
    assert.notEqual(onlySession().archived, true, 'the session was not archived');
    assert.deepEqual((await records(root)).map(record => record.state), ['running']);

    const again = await julesLoop(root, julesAgent(root));
    try {
      assert.deepEqual(await tickOk(again), ['dispatchIssue:done']);
      await julesCompletes(again, onlySession());
      assert.deepEqual((await records(root)).map(record => record.state), ['succeeded'], 'one run record, adopted');
    } finally {
      await again.result.localRuns.settled();
      await again.close();
    }
    assert.equal(julesPulls().length, 1, 'one PR');
  });

  for (const crashAt of ['remoteRun:afterSession', 'remoteRun:afterPullRequest', 'remoteRun:afterLink'] as const) {
    it(`a crash at ${crashAt}, then a restart: one session, one PR linked once, no duplicate comment`, async () => {
      const root = await cloneApp(fake, tempDir());
      await queueTask(fake, 'add-login');
      const first = await julesLoop(root, julesAgent(root), { checkpoint: name => { if (name === crashAt) throw new Error(`crash at ${name}`); } });
      try {
        assert.deepEqual(await tickOk(first), ['promoteTask:done']);
        await eventually('the session', () => jules.state.listSessions().length === 1);
        if (crashAt === 'remoteRun:afterSession') await first.result.localRuns.settled();
        else await julesCompletes(first, onlySession());
      } finally {
        await first.close();
      }

      const again = await julesLoop(root, julesAgent(root));
      try {
        const restarted = await tickOk(again);
        if (crashAt !== 'remoteRun:afterSession') {
          // Linked (by Closes after the edit, else by the task's title, the session's PR title) and trusted: the record names it.
          assert.deepEqual(restarted, [], 'the PR is linked: nothing to start');
          // The record knew the PR when ATO stopped: the first observe after the restart finishes it (no session is followed again).
          assert.deepEqual((await records(root)).map(record => [record.state, record.loopLink?.pullRequest?.number]), [['succeeded', julesPulls()[0]?.number]], 'the run ends succeeded, with its one PR');
        } else {
          assert.deepEqual(restarted, ['dispatchIssue:done']);
          await julesCompletes(again, onlySession());
        }
        assert.deepEqual(await tickOk(again), [], 'nothing more to do while CI has not run');
        const [pull] = julesPulls();
        assert.ok(pull);
        await greenAndApproved(fake, pull.number);
        assert.deepEqual(await tickOk(again), ['mergePullRequest:done']);
      } finally {
        await again.result.localRuns.settled();
        await again.close();
      }
      assert.equal(jules.state.listSessions().length, 1, 'one session');
      assert.equal(julesPulls().length, 1, 'one PR');
      const [pull] = julesPulls();
      const appended = crashAt === 'remoteRun:afterPullRequest' ? 0 : 1;
      assert.equal(pull?.body?.match(/^Closes #\d+$/gm)?.length ?? 0, appended, 'Closes appended at most once');
      assert.equal(readMarkers(pull?.body ?? '').length, appended, 'the marker appended at most once');
      assert.equal(repo().issue(issuesByMarker(fake).tasks.size === 1 ? taskIssueNumber(fake, 'add-login') : 0)?.state, 'closed', 'the merge closed the task\'s issue');
      assert.equal(issuesByMarker(fake).tasks.get('add-login'), 1, 'one issue');
      assertNoDuplicateComments(fake);
    });
  }
});
