import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configuredAgents } from '../../../../../src/core/agents/fleet/configuredAgents';
import { projectMcpServersAllowed, projectMcpServersVariable } from '../../../../../src/core/agents/claudeCode/projectMcpServers';
import { readEnvironmentSettings, settingEnvironmentVariable } from '../../../../../src/core/settings/environmentSettings';
import { settingDefinitions } from '../../../../../src/core/settings/settings';
import type { Task } from '../../../../../src/core/tasks/task';
import { useTempDir } from '../../../../support/tempDir';

/** A stand-in `claude` that reports its argv (see the fixture). */
const fakeClaude = join(__dirname, '..', '..', '..', '..', 'fixtures', 'agents', 'fake-claude.mjs');

const task: Task = {
  id: 't', title: 't', type: 'fix', priority: 'medium', agent: 'auto', created: undefined, dependsOn: [], cwd: undefined, timeoutMs: undefined,
  targetFiles: [], prompt: 'p', successCriteria: [], context: '', body: '',
};

describe('project MCP servers for Claude Code: the user\'s choice, never the repository\'s', () => {
  const tempDir = useTempDir('ato-mcp-choice-');

  it('reads the CLI\'s choice from its environment variable: on only when it says so', () => {
    for (const yes of ['1', 'true', 'TRUE', ' yes ', 'on']) assert.equal(projectMcpServersAllowed({ [projectMcpServersVariable]: yes }), true, yes);
    for (const no of [undefined, '', '0', 'false', 'no', 'off', 'sure']) assert.equal(projectMcpServersAllowed({ [projectMcpServersVariable]: no }), false, String(no));
  });

  it('is no setting, so a workspace .vscode/settings.json in the clone cannot turn it on', () => {
    const keys = Object.keys(settingDefinitions);
    assert.ok(keys.length > 10, 'the settings are there to check');
    assert.deepEqual(keys.filter(key => /mcp/i.test(key)), []);
    assert.ok(!keys.some(key => settingEnvironmentVariable(key as keyof typeof settingDefinitions) === projectMcpServersVariable));
  });

  it('reaches the Claude Code command line the way the CLI composes its agents', async () => {
    const workdir = tempDir();
    writeFileSync(join(workdir, '.mcp.json'), '{"mcpServers":{}}');
    const argvWith = async (env: Record<string, string>): Promise<string[]> => {
      const { settings } = readEnvironmentSettings({ [settingEnvironmentVariable('agents.claudeCode.executable')]: fakeClaude, ...env });
      const claude = configuredAgents(settings, undefined, { projectMcpServers: projectMcpServersAllowed(env) }).agents.find(agent => agent.id === 'claude-code');
      assert.ok(claude);
      const status = await claude.wait(await claude.dispatch({ runId: 'r', task, workdir, branch: undefined, prompt: 'x', timeoutMs: 20_000, onOutput: () => undefined }));
      assert.ok(status.state === 'succeeded', JSON.stringify(status));
      return (JSON.parse(status.summary) as { argv: string[] }).argv;
    };
    const allowed = await argvWith({ [projectMcpServersVariable]: '1' });
    assert.deepEqual(allowed.slice(allowed.indexOf('--mcp-config'), allowed.indexOf('--mcp-config') + 2), ['--mcp-config', join(workdir, '.mcp.json')]);
    const unset = await argvWith({});
    assert.ok(!unset.includes('--mcp-config'));
    assert.ok(unset.includes('--strict-mcp-config') && unset.includes('--setting-sources'));
  });
});
