import type { AgentBackend } from '../agents/agentBackend';
import { describeError } from '../logging/redactor';
import { isFinalRunState, runIdPattern, type RunRecord, type RunState } from '../runs/runRecord';
import type { RunStore } from '../runs/runStore';
import { transition } from '../runs/runTransitions';

/** What `ato cancel <run-id>` did. */
export type CancelOutcome =
  | { readonly status: 'cancelled'; readonly runId: string; readonly taskId: string; readonly agentId: string; readonly message: string }
  /** Cancelled before (by this command, the panel, the tree): nothing more to do. */
  | { readonly status: 'alreadyCancelled'; readonly runId: string; readonly taskId: string; readonly agentId: string; readonly message: string }
  /** The run had ended (succeeded or failed): nothing to cancel. */
  | { readonly status: 'ended'; readonly runId: string; readonly state: RunState; readonly message: string }
  | { readonly status: 'unknown'; readonly runId: string; readonly message: string }
  /** Recorded as cancelled, but the agent could not be stopped from here (not configured, or it refused): the message says what to do. */
  | { readonly status: 'failed'; readonly runId: string; readonly message: string };

export const cancelReason = 'cancelled with ato cancel';

/**
 * Cancels a run from any process, by its record (`.ato/runs/<run-id>.json`): the record goes to `cancelled`
 * first — the process that runs it (the VS Code window, `ato dispatch`, the loop) sees that and stops the run
 * itself, ending it as cancelled, not as a failure to retry — then the agent is stopped through the record's
 * handle: a local agent's process group (only while it still carries the run's id), a Jules session archived
 * (ATO stops following it), Copilot unassigned. Idempotent: a run cancelled before is answered as such.
 */
export async function cancelRecordedRun(runId: string, runs: RunStore, agentFor: (agentId: string) => AgentBackend | undefined, now: () => Date): Promise<CancelOutcome> {
  if (!runIdPattern.test(runId)) return { status: 'unknown', runId, message: `"${runId}" is not a run id (they look like 20261207-101500-ab12; ato status lists runs in progress)` };
  const read = await runs.read(runId);
  if (!read.ok) {
    return read.missing
      ? { status: 'unknown', runId, message: `no run ${runId} in ${runs.directory}` }
      : { status: 'failed', runId, message: `the record of run ${runId} cannot be read (${read.problem.message}): nothing was changed` };
  }
  const record = read.record;
  const named = { runId, taskId: record.taskId, agentId: record.agentId };
  if (record.state === 'cancelled') return { status: 'alreadyCancelled', ...named, message: `Run ${runId} (${record.agentId}, task ${record.taskId}) was already cancelled.` };
  if (isFinalRunState(record.state)) return { status: 'ended', runId, state: record.state, message: `run ${runId} (${record.agentId}, task ${record.taskId}) already ended (${record.state}): nothing to cancel` };
  const agent = agentFor(record.agentId);
  await runs.write(cancelled(record, now));
  if (record.handle === undefined) return { status: 'cancelled', ...named, message: `Cancelled run ${runId} (${record.agentId}, task ${record.taskId}) before its agent started.` };
  if (agent === undefined) {
    return { status: 'failed', runId, message: `run ${runId} is recorded as cancelled, but its agent ${record.agentId} is not configured here, so ATO could not stop it: the process that runs it stops it when it sees the record` };
  }
  try {
    await agent.cancel(record.handle);
  } catch (error) {
    return { status: 'failed', runId, message: `run ${runId} is recorded as cancelled, but stopping ${record.agentId} failed: ${describeError(error)}` };
  }
  const stopped = agent.remoteRuns === true ? `its ${record.agentId} session (${record.handle.ref}) stopped` : `its ${record.agentId} process stopped`;
  return { status: 'cancelled', ...named, message: `Cancelled run ${runId} (task ${record.taskId}): ${stopped}.` };
}

/** The record ended as cancelled, with the failure class the ledger and the retry policy read. */
function cancelled(record: RunRecord, now: () => Date): RunRecord {
  return { ...transition(record, 'cancelled', cancelReason, now), failure: { class: 'cancelled', message: cancelReason } };
}
