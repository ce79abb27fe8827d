import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { AtoApi } from '../../src/extension';
import { activateAto } from './atoUnderTest';
import { waitFor } from './waitFor';

const task = `---
id: exthost-agents
type: feature
agent: counter
---
# Count for the Agents section

**Prompt:**
Write result.txt.
`;

describe('the fleet in the real extension host: agents with health and headroom, Test and Configure', () => {
  let api: AtoApi;
  let root: string;

  before(async () => {
    ({ api, root } = await activateAto());
    await vscode.commands.executeCommand('ato.initPlanningFolder');
  });

  it('lists every configured agent in the state, each with its health checked and its limits', async function () {
    this.timeout(60_000);
    await waitFor('the agents to be listed', () => ['claude-code', 'counter', 'second-try'].every(id => api.state().agents.some(agent => agent.id === id)), 30_000);
    await waitFor('the counter agent\'s health to be checked', () => api.state().agents.find(agent => agent.id === 'counter')?.health.state === 'ok', 30_000);
    const counter = api.state().agents.find(agent => agent.id === 'counter');
    assert.deepEqual([counter?.kind, counter?.inFlight, counter?.settingId], ['custom', 0, 'ato.agents.custom']);
    assert.ok((counter?.concurrentCap ?? 0) >= 1);
  });

  it('"ATO: Test Agent" runs Doctor\'s check for that agent and answers it; an unknown agent is refused', async () => {
    const answer = await vscode.commands.executeCommand<{ ok: boolean; detail: string } | undefined>('ato.testAgent', 'counter');
    assert.equal(answer?.ok, true);
    assert.ok(answer.detail.length > 0);
    assert.equal(await vscode.commands.executeCommand('ato.testAgent', 'no-such-agent'), undefined);
  });

  it('"ATO: Configure Agent" opens the Settings editor', async () => {
    await vscode.commands.executeCommand('ato.configureAgent', 'counter');
    await waitFor('the Settings editor', () => /settings/i.test(vscode.window.tabGroups.activeTabGroup.activeTab?.label ?? ''), 10_000);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('a run counts in the agent\'s runs today, and its slot is free again when it ends', async function () {
    this.timeout(60_000);
    const before = api.state().agents.find(agent => agent.id === 'counter')?.runsToday ?? 0;
    writeFileSync(join(root, 'planning', 'issue_queue', 'pending', 'exthost-agents.task.md'), task);
    await waitFor('the queue index to list the task', () => api.state().queue?.pending.ready.some(entry => entry.result.task.id === 'exthost-agents') ?? false, 20_000);
    await vscode.commands.executeCommand('ato.dispatchTask', 'exthost-agents');
    await waitFor('the run to succeed', () => api.state().runs.some(run => run.taskId === 'exthost-agents' && run.state === 'succeeded'), 40_000);
    await waitFor('the agent to count the run and free its slot', () => {
      const counter = api.state().agents.find(agent => agent.id === 'counter');
      return counter?.runsToday === before + 1 && counter.inFlight === 0;
    }, 10_000);
  });
});
