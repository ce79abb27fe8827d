import type { DispatchRequest } from '../agentBackend';

/** Tells the dispatcher the command line (for the run log's header); a throwing callback does not stop the run. */
export function announceCommand(request: DispatchRequest, argv: readonly string[]): void {
  try {
    request.onCommand?.(argv);
  } catch {
    // onCommand must not throw; if it does, the run goes on.
  }
}
