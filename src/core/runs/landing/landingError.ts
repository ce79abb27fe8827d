/**
 * Why a finished run's branch could not be landed or discarded, for callers to branch on
 * (`LandingError.is(e, 'dirty')`). The message says what to do; nothing was changed when one is thrown.
 */
export type LandingErrorKind =
  /** No such run record. */
  | 'notFound'
  /** The run is in progress, was not a local run with a branch, or was landed or discarded already. */
  | 'notLandable'
  /** The record's branch or base is not one ATO would hand to git (an edited or hostile record). */
  | 'invalidRecord'
  /** The run's branch is gone. */
  | 'branchMissing'
  /** The workspace's working tree has uncommitted changes to tracked files. */
  | 'dirty'
  /** HEAD is detached, or the branch to merge is the one checked out. */
  | 'wrongHead'
  /** The merge conflicted; it was aborted. */
  | 'conflict'
  /** No GitHub remote, or no token for its host. */
  | 'noForge';

export class LandingError extends Error {
  override readonly name = 'LandingError';

  constructor(readonly kind: LandingErrorKind, message: string) {
    super(message);
  }

  static is(error: unknown, kind?: LandingErrorKind): error is LandingError {
    return error instanceof LandingError && (kind === undefined || error.kind === kind);
  }
}
