import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { AgentBackend } from '../../../src/core/agents/agentBackend';
import { readCustomAgents } from '../../../src/core/agents/custom/customAgentSettings';
import { CustomCliBackend } from '../../../src/core/agents/custom/customCliBackend';
import { createFleetRuns } from '../../../src/core/dispatch/dispatchRuntime';
import type { FleetRuns } from '../../../src/core/dispatch/fleetRuns';
import { createLogger } from '../../../src/core/logging/logger';
import { Redactor } from '../../../src/core/logging/redactor';
import { createMaintenanceAgents, type MaintenanceAgentsSetup } from '../../../src/core/loop/github/createMaintenanceAgents';
import type { GitHubMaintenanceAgents } from '../../../src/core/loop/github/maintenanceAgentsImpl';
import type { FollowUpRequest } from '../../../src/core/loop/tracks/maintenance/maintenanceAgents';
import { readSettings, type AtoSettings, type SettingKey } from '../../../src/core/settings/settings';
import type { FakeGitHub } from '../../fakes/github/fakeGitHub';
import { gitAsync } from '../loop/loopHarness';

const agentScript = join(__dirname, '..', '..', 'fixtures', 'agents', 'scripted-agent.mjs');

/** A user's CLI agent (`ato.agents.custom`, a real process) that writes `file` in its worktree (AGENT_TEXT when given). */
export function scriptedAgent(env: Readonly<Record<string, string>>): AgentBackend {
  const { agents, problems } = readCustomAgents([{ id: 'my-cli', command: process.execPath, args: [agentScript], env: { AGENT_NO_ENV: '1', ...env } }]);
  assert.deepEqual(problems, []);
  const [agent] = agents;
  assert.ok(agent);
  return new CustomCliBackend(agent);
}

export function testSettings(overrides: Partial<Record<SettingKey, unknown>> = {}): AtoSettings {
  const { settings, problems } = readSettings(key => overrides[key]);
  assert.deepEqual(problems, [], 'test settings are valid');
  return settings;
}

export interface Kit {
  readonly agents: GitHubMaintenanceAgents;
  readonly fleetRuns: FleetRuns;
  readonly redactor: Redactor;
}

/** The factory as the composition root calls it, over the fake's push URL and token and a fleet of `agents`. */
export function maintenanceKit(fake: FakeGitHub, workspaceRoot: string, agents: readonly AgentBackend[], extra: Partial<MaintenanceAgentsSetup> = {}): Kit {
  const redactor = new Redactor();
  redactor.addSecret(fake.token);
  const log = createLogger({ write: () => undefined }, redactor);
  const { fleetRuns } = createFleetRuns({ workspaceRoot, agents, maxConcurrentRuns: 4, redactor, events: { append: () => Promise.resolve() }, log });
  const made = createMaintenanceAgents({
    workspaceRoot,
    settings: extra.settings ?? testSettings(),
    pushUrl: fake.gitUrl('octo', 'app'),
    token: fake.token,
    fleetRuns: () => Promise.resolve(fleetRuns),
    agents: () => agents,
    redactor,
    log,
    ...extra,
  });
  return { agents: made, fleetRuns, redactor };
}

/** The commit a branch of the fake's bare repository is at. */
export async function tipOf(fake: FakeGitHub, branch: string): Promise<string> {
  return gitAsync(fake.state.repo('octo', 'app').gitDir, 'rev-parse', `refs/heads/${branch}`);
}

/** Pushes to the fake's git (receive-pack), counted from its request log. */
export function pushesOf(fake: FakeGitHub): readonly { readonly gitCredentials?: string | undefined }[] {
  return fake.requests.filter(request => request.method === 'POST' && request.path.endsWith('/git-receive-pack'));
}

export function followUp(pullNumber: number, headRef: string, headSha: string, kind: FollowUpRequest['kind'] = 'fix', attempt = 1): FollowUpRequest {
  return {
    kind,
    pullNumber,
    pullUrl: `https://github.com/octo/app/pull/${String(pullNumber)}`,
    title: 'A pull request',
    headRef,
    headSha,
    baseRef: 'main',
    attempt,
    prompt: `CI is red on PR #${String(pullNumber)}: ci/build failed.\n\n\`\`\`text\nError: expected 2, got 3\n\`\`\``,
  };
}
