import assert from 'node:assert/strict';
import type { AgentBackend, AgentHealth } from '../../../../../../src/core/agents/agentBackend';
import { LoopAgentChooser } from '../../../../../../src/core/loop/tracks/planning/loopAgentChoice';
import { taskTypes, type TaskType } from '../../../../../../src/core/tasks/taskTypes';

/** An agent as the registry sees it: id, kind, types, limits and a health answer (selection runs no agent). */
function anAgent(id: string, kind: AgentBackend['kind'], health: AgentHealth = { ok: true, detail: 'ready' }, types: readonly TaskType[] = taskTypes): AgentBackend & { healthChecks: number } {
  const unused = () => Promise.reject(new Error('not used by selection'));
  const agent = {
    id, kind, taskTypes: new Set(types), limits: { concurrent: 2 }, needsWorktree: kind === 'claude-code' || kind === 'custom', healthChecks: 0,
    health: () => { agent.healthChecks++; return Promise.resolve(health); }, dispatch: unused, poll: unused, wait: unused, cancel: unused,
  };
  return agent;
}

const task = (agent = 'auto', type: TaskType = 'feature') => ({ type, priority: 'medium' as const, agent });

describe('LoopAgentChooser: which agent a promoted task goes to', () => {
  const copilot = anAgent('copilot', 'copilot', { ok: false, detail: 'never asked: the loop assigns' });
  const cli = anAgent('my-cli', 'custom');
  const chooser = (setting: string, agents: readonly AgentBackend[] = [copilot, cli]) => new LoopAgentChooser({ agents, setting: () => setting, now: () => 0 });

  it('ato.loop.agent names the agent when the task says auto; Copilot is taken without a health request', async () => {
    assert.deepEqual(await chooser('copilot').choose(task()), { status: 'selected', agentId: 'copilot', local: false, reason: '`ato.loop.agent` is `copilot`' });
    assert.equal(copilot.healthChecks, 0);
    assert.deepEqual(await chooser('my-cli').choose(task()), { status: 'selected', agentId: 'my-cli', local: true, reason: '`ato.loop.agent` is `my-cli`' });
  });

  it('a task file\'s own agent: wins over the setting', async () => {
    assert.deepEqual(await chooser('copilot').choose(task('my-cli')), { status: 'selected', agentId: 'my-cli', local: true, reason: 'the task file names it' });
  });

  it('auto: the registry scores the agents, ties go to the cheapest, and the reason says so', async () => {
    const choice = await chooser('auto').choose(task());
    assert.equal(choice.status, 'selected');
    assert.equal(choice.agentId, 'my-cli');
    assert.match(choice.reason, /^`ato\.loop\.agent` is `auto`: my-cli scored highest \(0\.500\), tied with copilot and cheaper$/);
  });

  it('an agent that is not configured, cannot take the type or is unhealthy: the task waits, with the registry\'s reason', async () => {
    assert.deepEqual(await chooser('claude-code').choose(task()), { status: 'unavailable', reason: 'the task names agent "claude-code", which is not configured (agents: copilot, my-cli) (`ato.loop.agent` is `claude-code`)' });
    const docsOnly = anAgent('docs-cli', 'custom', undefined, ['documentation']);
    assert.deepEqual(await chooser('docs-cli', [copilot, docsOnly]).choose(task()), { status: 'unavailable', reason: 'docs-cli does not take feature tasks (`ato.loop.agent` is `docs-cli`)' });
    const missing = anAgent('gone', 'custom', { ok: false, detail: '`gone` not found on PATH' });
    const waiting = await chooser('gone', [copilot, missing]).choose(task());
    assert.deepEqual(waiting, { status: 'unavailable', reason: 'the task names gone: unhealthy: `gone` not found on PATH (`ato.loop.agent` is `gone`)' });
  });

  it('says in the plan that the gap analysis and capability updates stay with Copilot when the setting names another agent', () => {
    assert.equal(chooser('copilot').issueWorkNote(), undefined);
    assert.equal(chooser('auto').issueWorkNote(), undefined);
    assert.match(chooser('my-cli').issueWorkNote() ?? '', /`ato\.loop\.agent` \(my-cli\) serves the loop's tasks; the gap analysis and capability updates stay with the Copilot coding agent/);
  });

  it('asks a local agent\'s health once per minute, not on every tick', async () => {
    const counted = anAgent('counted', 'custom');
    let now = 0;
    const choose = new LoopAgentChooser({ agents: [copilot, counted], setting: () => 'counted', now: () => now });
    await choose.choose(task());
    await choose.choose(task());
    assert.equal(counted.healthChecks, 1);
    now = 60_001;
    await choose.choose(task());
    assert.equal(counted.healthChecks, 2);
  });
});
