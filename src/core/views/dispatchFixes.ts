import type { DispatchOutcome } from '../dispatch/taskDispatcher';
import { commandIds, workbenchCommands } from './commandIds';

/** A button beside a refused dispatch: the command that fixes (or explains) it, with its arguments. */
export interface DispatchFix {
  readonly label: string;
  readonly command: string;
  readonly args: readonly unknown[];
}

/**
 * What a refused dispatch offers, by why it was refused: no agent free or healthy — retry (a slot or a
 * window may have opened), Doctor (what is unhealthy), the agent's settings; no agent can take the task —
 * the preview that says why each agent is not eligible, and the agents' settings; a precondition unmet
 * (git, the repository) — Doctor; a task with errors — the Problems panel. A started run, a task that is
 * not pending or not found, and one waiting on its dependencies offer nothing: no action fixes them.
 */
export function dispatchFixes(outcome: Pick<DispatchOutcome, 'status'>, taskId: string): readonly DispatchFix[] {
  const retry = { label: 'Retry', command: commandIds.dispatchTask, args: [taskId] };
  const doctor = { label: 'Run Doctor', command: commandIds.doctor, args: [] };
  const agentSettings = { label: 'Agent Settings…', command: commandIds.configureAgent, args: [] };
  switch (outcome.status) {
    case 'busy':
      return [retry, doctor, agentSettings];
    case 'noAgent':
      return [{ label: 'Preview Dispatch', command: commandIds.previewDispatch, args: [taskId] }, agentSettings, doctor];
    case 'unmet':
    case 'failed':
      return [doctor];
    case 'invalid':
      return [{ label: 'Show Problems', command: workbenchCommands.showProblems, args: [] }];
    case 'started':
    case 'blocked':
    case 'notPending':
    case 'notFound':
      return [];
  }
}
