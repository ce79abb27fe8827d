import type { AgentBackend } from '../agents/agentBackend';
import { describeError } from '../logging/redactor';
import { isFinalRunState, type RunRecord } from '../runs/runRecord';
import type { RunStore } from '../runs/runStore';

export type ApprovePlanOutcome =
  | { readonly status: 'approved'; readonly runId: string; readonly agentId: string; readonly message: string }
  | { readonly status: 'noRun' | 'notSupported' | 'failed'; readonly message: string };

/**
 * Approves the plan of the task's run in progress (`ATO: Approve Agent Plan`, `ato approve <task-id>`, the
 * panel's button): its newest run that has not ended and has a handle, on an agent that has plans. The agent
 * refuses when there is no plan waiting (Jules answers FAILED_PRECONDITION), which is reported as is.
 */
export async function approveTaskPlan(taskId: string, runs: RunStore, agent: (agentId: string) => AgentBackend | undefined): Promise<ApprovePlanOutcome> {
  const { records } = await runs.list();
  const live = records
    .filter((record): record is RunRecord & { handle: NonNullable<RunRecord['handle']> } => record.taskId === taskId && !isFinalRunState(record.state) && record.handle !== undefined)
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
  if (live === undefined) return { status: 'noRun', message: `Task "${taskId}" has no run in progress whose plan could be approved.` };
  const backend = agent(live.agentId);
  if (backend === undefined) return { status: 'notSupported', message: `The agent of run ${live.runId}, ${live.agentId}, is not configured here (for Jules: ato.agents.jules.enabled and a Jules API key).` };
  if (backend.approvePlan === undefined) return { status: 'notSupported', message: `${live.agentId} runs have no plan to approve.` };
  try {
    await backend.approvePlan({ ...live.handle });
  } catch (error) {
    return { status: 'failed', message: `Could not approve the plan of run ${live.runId} (${live.agentId}): ${describeError(error)}` };
  }
  return { status: 'approved', runId: live.runId, agentId: live.agentId, message: `Approved the plan of run ${live.runId} (${live.agentId}) for task "${taskId}".` };
}
