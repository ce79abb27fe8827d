import { hostAgents } from '../core/agents/fleet/hostAgents';
import { approveTaskPlan } from '../core/dispatch/approvePlan';
import { projectMcpServersAllowed } from '../core/agents/claudeCode/projectMcpServers';
import { RunStore } from '../core/runs/runStore';
import { environmentSecretSource, redactingSecretSource } from '../core/secrets/secrets';
import { readEnvironmentSettings } from '../core/settings/environmentSettings';
import type { CliContext } from './cliContext';

/**
 * `ato approve <task-id>`: approves the plan the task's run in progress waits on (a Jules session created with
 * `ato.agents.jules.requirePlanApproval`). Exit 0 when approved, 1 when there is no such run or the agent
 * refused, 2 without a task id.
 */
export async function approvePlan(context: CliContext, taskId: string | undefined): Promise<number> {
  if (taskId === undefined) {
    context.err('ato approve: which task? (`ato tasks` lists them)\n');
    return 2;
  }
  const { settings, problems } = readEnvironmentSettings(context.env);
  for (const problem of problems) context.log.warn(problem.message);
  const secrets = redactingSecretSource(environmentSecretSource(context.env), context.redactor);
  const { agents } = await hostAgents({ settings, secrets, workspaceRoot: context.workspaceRoot, log: context.log, allowances: { projectMcpServers: projectMcpServersAllowed(context.env) }, remote: { jules: true } });
  const runs = new RunStore({ workspaceRoot: context.workspaceRoot, redactor: context.redactor });
  const outcome = await approveTaskPlan(taskId, runs, agentId => agents.find(agent => agent.id === agentId));
  if (context.json) context.out(`${JSON.stringify({ taskId, ...outcome }, null, 2)}\n`);
  else if (outcome.status === 'approved') context.out(`${outcome.message}\n`);
  else context.err(`ato approve: ${outcome.message}\n`);
  return outcome.status === 'approved' ? 0 : 1;
}
