import assert from 'node:assert/strict';
import { Redactor } from '../../../src/core/logging/redactor';
import { readMarkers } from '../../../src/core/loop/texts/markers';
import { RunStore } from '../../../src/core/runs/runStore';
import type { FakeGitHub } from '../../fakes/github/fakeGitHub';
import { julesBotLogin } from '../../fakes/github/users';
import { startFakeJules, type FakeJules } from '../../fakes/jules/fakeJules';
import type { FakeSession } from '../../fakes/jules/model';
import { useTempDir } from '../../support/tempDir';
import { julesBackend } from '../jules/julesKit';
import { cloneApp, scenarioFile, startFakeGitHub } from './loopHarness';
import { assertNoDuplicateComments, copilotDelivers, greenAndApproved, issuesByMarker, openKitLoop, queuePath, taskIssueNumber, taskText, tickOk } from './loopKit';

/** Polls (real time) until `check` holds; the Jules run is followed in the background. */
async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

/**
 * Issue 10 with Jules: a capability update (3a) chosen for `jules` is an issue assigned to nobody with the
 * agent's marker; ATO creates the session with its own capability text as the prompt, and when Jules' PR
 * comes ATO appends `Closes #<issue>` and the capability marker, so 3b/3c and the merge policy follow it.
 * Jules does not take `gap_analysis`: with `ato.loop.agent: jules` the gap analysis waits, and says why.
 */
describe('a capability update by Jules (the fake GitHub and the fake Jules)', function () {
  this.timeout(180_000);
  const tempDir = useTempDir('ato-loop-jules-work-');
  let fake: FakeGitHub;
  let jules: FakeJules;
  const repo = () => fake.state.repo('octo', 'app');

  beforeEach(async () => {
    fake = await startFakeGitHub({ scenario: scenarioFile });
    jules = await startFakeJules({ sources: [{ owner: 'octo', repo: 'app' }] });
    jules.state.onPullRequest = async (session: FakeSession) => {
      const headRef = `jules/${session.id}`;
      const number = await fake.simulate.openPullRequest({ head: headRef, title: session.title, body: 'Made by Jules.', author: julesBotLogin, files: { 'planning/state/system_capabilities.md': '# Capabilities\n\n- Login.\n' } });
      return { url: `${fake.apiUrl}/octo/app/pull/${String(number)}`, headRef };
    };
  });
  afterEach(async () => {
    await jules.stop();
    await fake.stop();
  });

  it('3a → Jules session → its PR linked with Closes and the capability marker → guarded merge → 3c', async () => {
    const root = await cloneApp(fake, tempDir());
    await fake.simulate.pushFiles('main', { [queuePath('pending', 'add-login')]: taskText('add-login').replace('priority: high', 'priority: high\nagent: copilot') }, 'Queue add-login');
    const agent = julesBackend(jules, root, { githubApiUrl: fake.apiUrl, requirePlanApproval: false, dailySessions: 0 });
    const loop = await openKitLoop(fake, root, { settings: { 'merge.auto': true, 'loop.agent': 'jules' }, localAgents: [agent] });
    try {
      assert.deepEqual(await tickOk(loop), ['promoteTask:done']);
      const taskPr = await copilotDelivers(fake, taskIssueNumber(fake, 'add-login'), { 'src/login.ts': 'export const login = true;\n' });
      assert.deepEqual(await tickOk(loop), ['mergePullRequest:done']);
      assert.deepEqual(await tickOk(loop), ['completeTask:done']);

      const preview = await loop.result.engine.preview();
      assert.ok(preview.stage);
      const planned = preview.stage.action;
      assert.deepEqual(planned?.kind === 'openCapabilityIssue' ? planned.agent : planned, { id: 'jules', local: false, reason: '`ato.loop.agent` is `jules`' });
      assert.deepEqual(await tickOk(loop), ['openCapabilityIssue:done']);
      assert.match(loop.state().lastReport?.outcomes[0]?.message ?? '', /Started a jules session on it/);
      const capability = repo().issues.find(issue => (issue.body ?? '').includes(`source-pr=${String(taskPr)}`));
      assert.ok(capability);
      assert.deepEqual(capability.assignees, []);
      assert.deepEqual(readMarkers(capability.body ?? ''), [{ kind: 'capabilityUpdate', sourcePr: taskPr }, { kind: 'agent', agentId: 'jules' }]);

      await eventually('the session', () => jules.state.listSessions().length === 1);
      const [session] = jules.state.listSessions();
      assert.ok(session);
      assert.match(session.prompt, /Change only planning\/state\/system_capabilities\.md/);
      assert.match(session.prompt, new RegExp(`GitHub issue #${String(capability.number)} `));
      jules.state.advance(session.id);
      await jules.state.pullRequestsOpened();
      await loop.result.localRuns.settled();
      assert.equal(session.state, 'COMPLETED');
      const pull = repo().pulls.find(candidate => candidate.pull.headRef.startsWith('jules/'));
      assert.ok(pull, 'Jules opened a PR');
      assert.match(pull.body ?? '', new RegExp(`^Closes #${String(capability.number)}$`, 'm'));
      assert.deepEqual(readMarkers(pull.body ?? ''), [{ kind: 'capabilityUpdate', sourcePr: taskPr }]);
      const records = (await new RunStore({ workspaceRoot: root, redactor: new Redactor() }).list()).records;
      assert.deepEqual(records.filter(record => record.agentId === 'jules').map(record => [record.taskId, record.taskType, record.state]), [[`capability-${String(capability.number)}`, 'capability_update', 'succeeded']]);

      assert.deepEqual(await tickOk(loop), []);
      assert.equal(loop.state().stage?.stage, '3b');
      await greenAndApproved(fake, pull.number);
      assert.deepEqual(await tickOk(loop), ['mergePullRequest:done']);
      assert.equal(repo().pull(pull.number)?.pull.merged, true);
      assert.equal(repo().issue(capability.number)?.state, 'closed');
      assert.equal(issuesByMarker(fake).capabilities.get(taskPr), 1);
      assertNoDuplicateComments(fake);

      // Jules does not take gap_analysis: the next gap analysis waits, with the registry's reason.
      const next = await loop.result.engine.preview();
      assert.ok(next.stage);
      assert.equal(next.stage.action, undefined);
      assert.match(next.stage.reason, /It waits: jules does not take gap_analysis tasks \(`ato\.loop\.agent` is `jules`\)\./);
    } finally {
      await loop.result.localRuns.settled();
      await loop.close();
    }
  });
});
