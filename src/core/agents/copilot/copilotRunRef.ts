/** What a Copilot run handle's `ref` carries: the task issue and what tells this run's PR from earlier ones. */
export interface CopilotRunRef {
  readonly issueNumber: number;
  /** GitHub's time of the assignment (ISO 8601); undefined for a bare issue number (the issue's creation then counts). */
  readonly assignedAt: string | undefined;
  /**
   * The newest PR of an earlier run of the same task when this run started: only PRs numbered above it
   * count (numbers only grow, and GitHub's times have whole seconds).
   */
  readonly afterPull?: number;
}

/** `42@2026-11-21T14:00:00Z` or `42@2026-11-21T14:00:00Z;after=41`: readable in a run record, no JSON to escape. */
export function formatCopilotRunRef(ref: CopilotRunRef): string {
  const at = ref.assignedAt === undefined ? '' : `@${ref.assignedAt}`;
  const after = ref.afterPull === undefined ? '' : `;after=${ref.afterPull}`;
  return `${ref.issueNumber}${at}${after}`;
}

/** The inverse of {@link formatCopilotRunRef}; undefined for anything else (a handle of another agent, a damaged record). */
export function parseCopilotRunRef(text: string): CopilotRunRef | undefined {
  const match = /^#?([1-9]\d{0,9})(?:@([^;]+))?(?:;after=([1-9]\d{0,9}))?$/.exec(text.trim());
  const digits = match?.[1];
  if (digits === undefined) return undefined;
  const assignedAt = match?.[2];
  if (assignedAt !== undefined && Number.isNaN(Date.parse(assignedAt))) return undefined;
  const after = match?.[3];
  return { issueNumber: Number(digits), assignedAt, ...(after === undefined ? {} : { afterPull: Number(after) }) };
}
