export type PlanningSourceErrorKind =
  /** `git fetch` failed (offline, authentication, no such remote): the last read stays the truth. */
  | 'fetchFailed'
  /** The remote-tracking branch does not exist (never fetched, or no such branch on the remote). */
  | 'branchMissing'
  /** A remote, branch or path that git would read as an option or cannot name a ref. */
  | 'invalidName'
  /** Any other git failure while reading the tree. */
  | 'gitFailed';

/** Why the planning folder could not be read; `cause` is the underlying `GitError` when there is one. */
export class PlanningSourceError extends Error {
  override readonly name = 'PlanningSourceError';

  constructor(readonly kind: PlanningSourceErrorKind, message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
  }

  static is(error: unknown, kind?: PlanningSourceErrorKind): error is PlanningSourceError {
    return error instanceof PlanningSourceError && (kind === undefined || error.kind === kind);
  }
}
