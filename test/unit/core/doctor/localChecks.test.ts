import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentBackend } from '../../../../src/core/agents/agentBackend';
import { CustomCliBackend } from '../../../../src/core/agents/custom/customCliBackend';
import { customAgentSettingsSchema } from '../../../../src/core/agents/custom/customAgentSettings';
import { checkLocalTools } from '../../../../src/core/doctor/localChecks';
import { git, initRepo } from '../../../support/gitRepo';
import { useTempDir } from '../../../support/tempDir';

describe('checkLocalTools (real git, real agent commands)', () => {
  const temp = useTempDir('ato-doctor-');
  const agent = (command: string): AgentBackend => new CustomCliBackend(customAgentSettingsSchema.parse({ id: 'probe', command }));

  it('finds git and knows whether the workspace is a repository', async () => {
    const repo = join(temp(), 'repo');
    await mkdir(repo);
    initRepo(repo);
    const [inRepo] = await checkLocalTools(repo, []);
    assert.ok(inRepo?.ok && /git version .*the workspace is a repository/.test(inRepo.detail), inRepo?.detail);
    const [outside] = await checkLocalTools(temp(), []);
    assert.equal(outside?.ok, false);
    assert.match(outside.detail, /not a git repository/);
  });

  it('reports a repository without a commit: local agents start from HEAD, so they cannot run there yet', async () => {
    const repo = join(temp(), 'fresh');
    await mkdir(repo);
    git(repo, 'init', '--quiet');
    const [fresh] = await checkLocalTools(repo, []);
    assert.equal(fresh?.ok, false, fresh?.detail);
    assert.match(fresh.detail, /the repository has no commit yet — local agents start from HEAD: commit your files first/);
  });

  it('reports each agent’s health: a real command is ok, a missing one is not', async () => {
    const [, good, missing] = await checkLocalTools(temp(), [agent(process.execPath), agent('/nonexistent/agent-binary')]);
    assert.equal(good?.ok, true, good?.detail);
    assert.equal(missing?.ok, false);
    assert.match(missing.name, /agent probe \(custom\)/);
  });
});
