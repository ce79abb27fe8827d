import assert from 'node:assert/strict';
import { customAgentSettingsSchema, readCustomAgents } from '../../../../../src/core/agents/custom/customAgentSettings';
import { taskTypes } from '../../../../../src/core/tasks/taskTypes';

describe('custom agent settings (ato.agents.custom)', () => {
  it('fills in the defaults', () => {
    assert.deepEqual(customAgentSettingsSchema.parse({ id: 'codex', command: 'codex' }), {
      id: 'codex', command: 'codex', args: [], taskTypes: [...taskTypes], env: {}, inheritEnv: [], concurrent: 1, timeoutMinutes: 60,
    });
  });

  it('keeps a full entry as given', () => {
    const entry = { id: 'aider.local', command: '/usr/local/bin/aider', args: ['--yes', '--message-file', '-'], taskTypes: ['fix', 'feature'], env: { AIDER_MODEL: 'x', _X1: '' }, inheritEnv: ['OPENAI_API_KEY'], concurrent: 3, timeoutMinutes: 2.5 };
    const { agents, problems } = readCustomAgents([entry]);
    assert.deepEqual(problems, []);
    assert.deepEqual(agents, [entry]);
  });

  it('reads nothing from an unset setting, and says so when it is not a list', () => {
    assert.deepEqual(readCustomAgents(undefined), { agents: [], problems: [] });
    assert.deepEqual(readCustomAgents(null), { agents: [], problems: [] });
    assert.deepEqual(readCustomAgents({ id: 'x', command: 'y' }), { agents: [], problems: ['`ato.agents.custom` must be a list of agents, not an object.'] });
    assert.deepEqual(readCustomAgents('codex'), { agents: [], problems: ['`ato.agents.custom` must be a list of agents, not a string.'] });
  });

  it('ignores each bad entry with a message naming the entry and the fields, and keeps the good ones', () => {
    const { agents, problems } = readCustomAgents([
      { id: 'good', command: 'run-agent' },
      { id: 'Bad Id', command: ' ' },
      { command: 'x' },
      { id: 'claude-code', command: 'x' },
      { id: 'typo', command: 'x', timeout: 3, taskTypes: ['nope'], concurrent: 0, timeoutMinutes: -1, env: { '1A': 'v' } },
      { id: 'good', command: 'other' },
      'codex',
      { id: 'types', command: 'x', args: 'exec -', concurrent: 1.5, env: { A: 3 }, taskTypes: [], inheritEnv: ['not-a-name'] },
    ]);
    assert.deepEqual(agents.map(agent => agent.command), ['run-agent']);
    assert.deepEqual(problems, [
      '`ato.agents.custom[1]` ("Bad Id") was ignored: `id` must be 1–64 characters: lowercase letters, digits, `.`, `_` or `-`, starting with a letter or digit; `command` must name the program to run (a name on PATH or an absolute path).',
      '`ato.agents.custom[2]` was ignored: `id` is required.',
      '`ato.agents.custom[3]` ("claude-code") was ignored: `id` is reserved for a built-in agent (auto, claude-code, claude, copilot, jules, custom).',
      '`ato.agents.custom[4]` ("typo") was ignored: `taskTypes.0` must be one of feature, fix, ci_fix, code_review, analyze, summarize, documentation, gap_analysis, capability_update, review, maintenance; `env` variable names must be letters, digits and `_`, not starting with a digit; `concurrent` must be at least 1; `timeoutMinutes` must be more than 0; Unrecognized key: "timeout".',
      '`ato.agents.custom[5]` ("good") was ignored: another agent already has the id "good".',
      '`ato.agents.custom[6]` was ignored: must be an object with at least `id` and `command`.',
      '`ato.agents.custom[7]` ("types") was ignored: `args` must be a list of strings; `taskTypes` must list at least one task type; `env.A` must be a string; `inheritEnv.0` must be an environment variable name; `concurrent` must be a whole number.',
    ]);
  });
});
