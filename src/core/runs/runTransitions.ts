import { isFinalRunState, type RunRecord, type RunState } from './runRecord';

/**
 * The run state machine. Final states (`succeeded`, `failed`, `cancelled`) have no way out: a new try is a
 * new run. A transient failure waiting for its retry goes back to `queued` (the failure stays on the
 * record); "retries exhausted" and anything a human must answer is `needsYou`.
 * The table below is the whole machine.
 */
export const runTransitions: Readonly<Record<RunState, readonly RunState[]>> = {
  queued: ['preparing', 'failed', 'cancelled'],
  // back to queued: a transient failure while preparing (worktree, network) waits for a retry
  preparing: ['running', 'queued', 'needsYou', 'failed', 'cancelled'],
  running: ['needsYou', 'succeeded', 'failed', 'cancelled', 'queued'],
  // the human answered (running), gave up (failed/cancelled), merged by hand (succeeded) or asked for a retry (queued)
  needsYou: ['running', 'queued', 'succeeded', 'failed', 'cancelled'],
  succeeded: [],
  failed: [],
  cancelled: [],
};

export function canTransition(from: RunState, to: RunState): boolean {
  return runTransitions[from].includes(to);
}

export type RunErrorKind = 'illegalTransition';

export class RunError extends Error {
  override readonly name = 'RunError';

  constructor(
    readonly kind: RunErrorKind,
    message: string,
    readonly runId: string,
    readonly from: RunState,
    readonly to: RunState,
  ) {
    super(message);
  }

  static is(error: unknown, kind?: RunErrorKind): error is RunError {
    return error instanceof RunError && kindMatches(kind, error.kind);
  }
}

/**
 * The record after entering `state` (pure): history gains `{ state, at, reason }`; entering `preparing`
 * counts one more attempt; entering a final state sets `endedAt`. Throws a {@link RunError}
 * `illegalTransition` for a move the machine does not allow (including staying in the same state).
 */
export function transition(record: RunRecord, state: RunState, reason: string, now: () => Date): RunRecord {
  if (!canTransition(record.state, state)) {
    const hint = isFinalRunState(record.state) ? ' (a final state: start a new run instead)' : '';
    throw new RunError('illegalTransition', `run ${record.runId} cannot go from ${record.state} to ${state}${hint}`, record.runId, record.state, state);
  }
  const at = now().toISOString();
  return {
    ...record,
    state,
    history: [...record.history, { state, at, reason }],
    attempts: state === 'preparing' ? record.attempts + 1 : record.attempts,
    ...(isFinalRunState(state) ? { endedAt: at } : {}),
  };
}

function kindMatches(expected: string | undefined, actual: string): boolean {
  return expected === undefined || expected === actual;
}
