import assert from 'node:assert/strict';
import { hostAgents, type HostAgentsInputs } from '../../../../../src/core/agents/fleet/hostAgents';
import { createLogger } from '../../../../../src/core/logging/logger';
import { Redactor } from '../../../../../src/core/logging/redactor';
import type { SecretId, SecretSource } from '../../../../../src/core/secrets/secrets';
import { readEnvironmentSettings, settingEnvironmentVariable } from '../../../../../src/core/settings/environmentSettings';

const redactor = new Redactor();
const log = createLogger({ write: () => undefined }, redactor);
const copilot = { token: () => Promise.resolve(undefined), redactor, userAgent: 'ato-test' };

/** Secrets that say which ones were read. */
function secretsOf(values: Partial<Record<SecretId, string>>): SecretSource & { readonly asked: SecretId[] } {
  const asked: SecretId[] = [];
  return { asked, get: id => { asked.push(id); return Promise.resolve(values[id]); } };
}

function inputs(overrides: Partial<HostAgentsInputs>): HostAgentsInputs {
  const { settings } = readEnvironmentSettings({
    [settingEnvironmentVariable('agents.jules.enabled')]: 'true',
    [settingEnvironmentVariable('agents.custom')]: JSON.stringify([{ id: 'codex', command: 'codex' }, { id: 'bad id!', command: '' }]),
  });
  return { settings, secrets: secretsOf({ 'anthropic.apiKey': 'sk-ant-test', 'jules.apiKey': 'jules-key' }), workspaceRoot: '/work/repo', log, allowances: { projectMcpServers: false }, remote: { jules: true }, ...overrides };
}

const ids = async (from: HostAgentsInputs): Promise<string[]> => (await hostAgents(from)).agents.map(agent => agent.id);

describe('hostAgents: the fleet\'s agents for one host', () => {
  it('gives every host the local agents, and the remote ones only where the host can use them', async () => {
    assert.deepEqual(await ids(inputs({ remote: { jules: true, copilot } })), ['claude-code', 'claude', 'codex', 'jules', 'copilot'], 'a dispatcher (CLI, VS Code)');
    assert.deepEqual(await ids(inputs({ remote: { jules: true } })), ['claude-code', 'claude', 'codex', 'jules'], 'ato agents, Doctor, ato approve, the loops (which build their own Copilot)');
    assert.deepEqual(await ids(inputs({ remote: { jules: false } })), ['claude-code', 'claude', 'codex'], 'a host that offers no remote agent: local agents only');
  });

  it('leaves out the agents that work on a repository when no folder is open', async () => {
    assert.deepEqual(await ids(inputs({ workspaceRoot: undefined, remote: { jules: true, copilot } })), ['claude-code', 'claude', 'codex']);
  });

  it('reads the Jules key only for a host that can use Jules, and offers no jules without one', async () => {
    const withoutJules = secretsOf({ 'anthropic.apiKey': 'k', 'jules.apiKey': 'jules-key' });
    await hostAgents(inputs({ secrets: withoutJules, remote: { jules: false } }));
    assert.deepEqual(withoutJules.asked, ['anthropic.apiKey']);
    assert.ok(!(await ids(inputs({ secrets: secretsOf({}), remote: { jules: true } }))).includes('jules'));
  });

  it('hands the Anthropic key to the agents that use it, and reports the rejected custom agents', async () => {
    const withKey = await hostAgents(inputs({}));
    assert.equal((await withKey.agents.find(agent => agent.id === 'claude')?.health())?.ok, true);
    assert.equal(withKey.problems.length, 1, withKey.problems.join('\n'));
    const without = await hostAgents(inputs({ secrets: secretsOf({}) }));
    assert.equal((await without.agents.find(agent => agent.id === 'claude')?.health())?.ok, false);
  });
});
