/** What a Copilot run handle's `ref` carries: the task issue and when Copilot was assigned to it. */
export interface CopilotRunRef {
  readonly issueNumber: number;
  /** GitHub's time of the assignment (ISO 8601); undefined for a bare issue number (the issue's creation then counts). */
  readonly assignedAt: string | undefined;
}

/** `42@2026-11-21T14:00:00Z`: readable in a run record, and no JSON to escape. */
export function formatCopilotRunRef(ref: CopilotRunRef): string {
  return ref.assignedAt === undefined ? String(ref.issueNumber) : `${ref.issueNumber}@${ref.assignedAt}`;
}

/** The inverse of {@link formatCopilotRunRef}; undefined for anything else (a handle of another agent, a damaged record). */
export function parseCopilotRunRef(text: string): CopilotRunRef | undefined {
  const match = /^#?([1-9]\d{0,9})(?:@(.+))?$/.exec(text.trim());
  const digits = match?.[1];
  if (digits === undefined) return undefined;
  const assignedAt = match?.[2];
  if (assignedAt !== undefined && Number.isNaN(Date.parse(assignedAt))) return undefined;
  return { issueNumber: Number(digits), assignedAt };
}
