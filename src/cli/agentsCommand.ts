import { projectMcpServersAllowed } from '../core/agents/claudeCode/projectMcpServers';
import type { AgentHealth } from '../core/agents/agentBackend';
import { ConcurrencyLimiter } from '../core/agents/fleet/concurrencyLimiter';
import { hostAgents } from '../core/agents/fleet/hostAgents';
import { Fleet } from '../core/agents/fleet/fleet';
import { fleetSettingsOf } from '../core/agents/fleet/fleetSettings';
import { windowFile } from '../core/agents/fleet/windowFile';
import { checkLocalTools } from '../core/doctor/localChecks';
import { atoDirectory } from '../core/events/atoDirectory';
import { headlessTokenLookup } from '../core/forges/github/githubToken';
import { describeError } from '../core/logging/redactor';
import { isFinalRunState } from '../core/runs/runRecord';
import { RunStore } from '../core/runs/runStore';
import { environmentSecretSource, redactingSecretSource } from '../core/secrets/secrets';
import { readEnvironmentSettings } from '../core/settings/environmentSettings';
import { renderAgentsReport } from './agentsText';
import type { CliContext } from './cliContext';

declare const ATO_VERSION: string;

/**
 * `ato agents [--json]`: every configured agent with its health, limits and headroom, and every vendor's
 * spend and window, from the run records and the window file (`.ato/fleet/`) — Copilot included, with its
 * health on the workspace's GitHub and its premium requests. Runs whose records are not
 * final count as in flight. `ato agents --test <id>`: that agent's Doctor check (git and its health).
 */
export async function agents(context: CliContext, testId: string | undefined): Promise<number> {
  const { settings, problems } = readEnvironmentSettings(context.env);
  const secrets = redactingSecretSource(environmentSecretSource(context.env), context.redactor);
  // Copilot as the panel's Agents section lists it: on the workspace's GitHub `origin`, with the GitHub token.
  const copilot = { token: headlessTokenLookup({ apiUrl: settings['github.apiUrl'] }, () => secrets.get('github.token')), redactor: context.redactor, userAgent: `ato-cli/${ATO_VERSION}` };
  const configured = await hostAgents({ settings, secrets, workspaceRoot: context.workspaceRoot, log: context.log, allowances: { projectMcpServers: projectMcpServersAllowed(context.env) }, remote: { jules: true, copilot } });
  if (testId !== undefined) return testAgent(context, testId, configured.agents);
  const listed = await new RunStore({ workspaceRoot: context.workspaceRoot, redactor: context.redactor }).list();
  const fleet = new Fleet({
    agents: configured.agents,
    settings: fleetSettingsOf(settings),
    // Reading the books changes nothing: no event is written.
    events: { append: () => Promise.resolve() },
    windowStore: windowFile(atoDirectory(context.workspaceRoot), context.redactor),
    loadRecords: () => Promise.resolve(listed.records),
  });
  await fleet.ensureLoaded();
  const limiter = ConcurrencyLimiter.fromBackends(configured.agents, settings['agents.maxConcurrentRuns']);
  for (const record of listed.records) if (!isFinalRunState(record.state) && record.state !== 'queued' && record.state !== 'needsYou') limiter.adopt(record.agentId);
  const health = new Map(await Promise.all(configured.agents.map(async agent => [agent.id, await agent.health().catch((error: unknown): AgentHealth => ({ ok: false, detail: describeError(error) }))] as const)));
  const settingProblems = problems.filter(problem => problem.setting.startsWith('ato.fleet.')).map(problem => problem.message);
  const report = fleet.report(configured.agents, limiter, health, [...settingProblems, ...configured.problems]);
  context.out(context.json ? `${JSON.stringify(context.redactor.redactValue(report), null, 2)}\n` : renderAgentsReport(context.redactor.redactValue(report)));
  return 0;
}

async function testAgent(context: CliContext, agentId: string, all: Parameters<typeof checkLocalTools>[1]): Promise<number> {
  const agent = all.find(candidate => candidate.id === agentId);
  if (agent === undefined) {
    context.err(`ato agents --test: no agent "${agentId}" is configured (agents: ${all.map(candidate => candidate.id).join(', ')})\n`);
    return 2;
  }
  const checks = await checkLocalTools(context.workspaceRoot, [agent]);
  if (context.json) context.out(`${JSON.stringify(context.redactor.redactValue(checks), null, 2)}\n`);
  else for (const check of checks) context.out(`${check.ok ? '✓' : '✗'} ${check.name}: ${check.detail}\n`);
  return checks.every(check => check.ok) ? 0 : 1;
}
