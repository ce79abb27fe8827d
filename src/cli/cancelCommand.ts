import { projectMcpServersAllowed } from '../core/agents/claudeCode/projectMcpServers';
import { hostAgents } from '../core/agents/fleet/hostAgents';
import { cancelRecordedRun } from '../core/dispatch/cancelRecordedRun';
import { headlessTokenLookup } from '../core/forges/github/githubToken';
import { RunStore } from '../core/runs/runStore';
import { environmentSecretSource, redactingSecretSource } from '../core/secrets/secrets';
import { readEnvironmentSettings } from '../core/settings/environmentSettings';
import type { CliContext } from './cliContext';

declare const ATO_VERSION: string;

/**
 * `ato cancel <run-id>`: cancels a run in progress, whichever process runs it (the VS Code window, `ato
 * dispatch`, the loop): its record goes to `cancelled` and its agent is stopped (a local agent's process
 * group killed, a Jules session archived, Copilot unassigned). Exit 0 when cancelled, or already cancelled
 * (idempotent); 1 for an unknown or finished run, or an agent that could not be stopped; 2 without a run id.
 */
export async function cancelCommand(context: CliContext, runId: string | undefined): Promise<number> {
  if (runId === undefined) {
    context.err('ato cancel: which run? ato cancel <run-id> (`ato status` and the run records in .ato/runs name them)\n');
    return 2;
  }
  const { settings, problems } = readEnvironmentSettings(context.env);
  for (const problem of problems) context.log.warn(problem.message);
  const secrets = redactingSecretSource(environmentSecretSource(context.env), context.redactor);
  const copilot = { token: headlessTokenLookup({ apiUrl: settings['github.apiUrl'] }, () => secrets.get('github.token')), redactor: context.redactor, userAgent: `ato-cli/${ATO_VERSION}` };
  const { agents } = await hostAgents({ settings, secrets, workspaceRoot: context.workspaceRoot, log: context.log, allowances: { projectMcpServers: projectMcpServersAllowed(context.env) }, remote: { jules: true, copilot } });
  const runs = new RunStore({ workspaceRoot: context.workspaceRoot, redactor: context.redactor });
  const outcome = await cancelRecordedRun(runId, runs, agentId => agents.find(agent => agent.id === agentId), () => new Date());
  const ok = outcome.status === 'cancelled' || outcome.status === 'alreadyCancelled';
  if (context.json) context.out(`${JSON.stringify(context.redactor.redactValue(outcome), null, 2)}\n`);
  else if (ok) context.out(`${context.redactor.redact(outcome.message)}\n`);
  else context.err(`ato cancel: ${context.redactor.redact(outcome.message)}\n`);
  return ok ? 0 : 1;
}
