import assert from 'node:assert/strict';
import { JulesClient } from '../../../src/core/agents/jules/julesClient';
import { createFleetRuns } from '../../../src/core/dispatch/dispatchRuntime';
import { createLogger } from '../../../src/core/logging/logger';
import { Redactor } from '../../../src/core/logging/redactor';
import { createMaintenanceAgents } from '../../../src/core/loop/github/createMaintenanceAgents';
import type { GitHubMaintenanceAgents } from '../../../src/core/loop/github/maintenanceAgentsImpl';
import { newRunRecord, type RunRecord } from '../../../src/core/runs/runRecord';
import type { RunStore } from '../../../src/core/runs/runStore';
import { transition } from '../../../src/core/runs/runTransitions';
import { startFakeJules, type FakeJules } from '../../fakes/jules/fakeJules';
import { initRepo } from '../../support/gitRepo';
import { useTempDir } from '../../support/tempDir';
import { followUp, testSettings } from './maintenanceKit';

/**
 * Issue 11: a red PR opened by ATO's Jules session goes back to that session through `:sendMessage` on the
 * fake Jules (real HTTP, the key checked): once, however often it is asked and across a restart (the marker
 * in the message, read back from the session's activities); no known session → a clear error.
 */
describe('the maintenance track\'s Jules follow-ups (the fake Jules)', function () {
  this.timeout(60_000);
  const tempDir = useTempDir('ato-maint-jules-');
  let jules: FakeJules;

  beforeEach(async () => { jules = await startFakeJules({ sources: [{ owner: 'octo', repo: 'app' }] }); });
  afterEach(async () => { await jules.stop(); });

  const now = () => new Date();

  function agentsFor(root: string, key: string | undefined = jules.apiKey): { agents: GitHubMaintenanceAgents; runs: RunStore } {
    const redactor = new Redactor();
    const log = createLogger({ write: () => undefined }, redactor);
    const { fleetRuns, runs } = createFleetRuns({ workspaceRoot: root, agents: [], maxConcurrentRuns: 2, redactor, events: { append: () => Promise.resolve() }, log });
    const agents = createMaintenanceAgents({
      workspaceRoot: root,
      settings: testSettings({ 'jules.apiUrl': jules.apiUrl }),
      pushUrl: 'https://github.com/octo/app.git',
      token: 'unused',
      fleetRuns: () => Promise.resolve(fleetRuns),
      agents: () => [],
      julesApiKey: () => Promise.resolve(key),
      redactor,
      log,
    });
    return { agents, runs };
  }

  /** A session ATO created for a task, completed with PR #7 recorded in its run record (as RemoteTaskRuns leaves it). */
  async function sessionWithPull(runs: RunStore, pullNumber = 7): Promise<string> {
    const client = new JulesClient({ apiUrl: jules.apiUrl, apiKey: jules.apiKey, timeoutMs: 10_000 });
    const session = await client.createSession({ prompt: 'Add a login page.', title: 'Add login', source: 'sources/github/octo/app', startingBranch: undefined, requirePlanApproval: false });
    const id = session.id;
    assert.ok(id !== undefined, 'the session has an id');
    jules.state.advance(id);
    assert.equal(jules.state.session(id).state, 'COMPLETED');
    let record: RunRecord = { ...newRunRecord({ runId: 'run-jules-1', taskId: 'add-login', taskFile: 'planning/issue_queue/processed/add-login.task.md', taskType: 'feature', agentId: 'jules', reason: 'the loop promoted the task' }, now), loopLink: { issueNumber: 3 } };
    record = transition(record, 'preparing', 'to jules', now);
    record = { ...transition(record, 'running', 'jules started', now), handle: { runId: 'run-jules-1', agentId: 'jules', ref: session.name } };
    record = { ...transition(record, 'succeeded', 'PR linked', now), loopLink: { issueNumber: 3, pullRequest: { number: pullNumber, url: `https://github.com/octo/app/pull/${String(pullNumber)}`, headRef: 'jules/add-login' } } };
    await runs.write(record);
    return id;
  }

  const sent = () => jules.requests.filter(request => request.method === 'POST' && request.path.endsWith(':sendMessage'));

  it('the session that opened the PR gets the prompt once: called twice, and again after a restart', async () => {
    const root = initRepo(tempDir());
    const first = agentsFor(root);
    const id = await sessionWithPull(first.runs);
    const request = followUp(7, 'jules/add-login', 'a'.repeat(40));

    const [one, two] = await Promise.all([first.agents.sendToJules(request), first.agents.sendToJules(request)]);
    assert.equal(one.sessionId, id);
    assert.equal(two.sessionId, id);
    assert.equal(sent().length, 1);
    assert.equal(sent()[0]?.authorized, true);
    const messages = jules.state.activities(id).flatMap(activity => ('userMessaged' in activity ? [activity.userMessaged.userMessage] : []));
    assert.equal(messages.length, 1);
    assert.match(messages[0] ?? '', /Error: expected 2, got 3/);
    assert.match(messages[0] ?? '', /^<!-- ato:follow-up=pr-7-fix-1 -->$/m);

    const restarted = agentsFor(root);
    assert.equal((await restarted.agents.sendToJules(request)).sessionId, id);
    assert.equal(sent().length, 1, 'the marker in the session\'s activities: not sent again');

    // The next attempt is another follow-up.
    await restarted.agents.sendToJules(followUp(7, 'jules/add-login', 'b'.repeat(40), 'fix', 2));
    assert.equal(sent().length, 2);
  });

  it('no session of ATO\'s for the PR, or no key: a clear error and no request', async () => {
    const root = initRepo(tempDir());
    const { agents, runs } = agentsFor(root);
    await sessionWithPull(runs, 7);
    await assert.rejects(agents.sendToJules(followUp(8, 'jules/other', 'a'.repeat(40))), /no Jules session of ATO's is known for PR #8/);
    const keyless = agentsFor(root, '');
    await assert.rejects(keyless.agents.sendToJules(followUp(7, 'jules/add-login', 'a'.repeat(40))), /no Jules API key is set/);
    assert.equal(sent().length, 0);
  });
});
