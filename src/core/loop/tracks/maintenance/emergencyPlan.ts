import type { EmergencyFinding } from './emergencyFindings';
import { compareFindings } from './emergencyFindings';
import { emergencyTaskFileName } from './emergencyTask';

/** The maintenance track's emergency action: queue one task file in `pending/` for one finding. */
export interface EmergencyAction {
  readonly kind: 'queueEmergencyTask';
  readonly finding: EmergencyFinding;
  /** `emergency-<key>.task.md`. */
  readonly fileName: string;
}

export interface EmergencyPlan {
  readonly action?: EmergencyAction;
  /** Why, in one line, for the preview and the decision record. */
  readonly reason: string;
}

/**
 * One emergency task per tick (PRODUCT §4: at most one mutating action per track), the first finding in
 * {@link compareFindings} order whose key the queue does not hold yet and whose subject (the branch, the
 * workflow, the environment) has no open task. Pure: both sets come from the planning read
 * (emergencyTask.ts `emergenciesInQueue`), so a restart plans the same.
 */
export function planEmergency(findings: readonly EmergencyFinding[], existingKeys: ReadonlySet<string>, openSubjects: ReadonlySet<string> = new Set()): EmergencyPlan {
  if (findings.length === 0) return { reason: 'no emergency: the default branch is not red and no deployment failed' };
  const open = findings.filter(finding => !existingKeys.has(finding.key) && !openSubjects.has(finding.subject)).sort(compareFindings);
  const first = open[0];
  if (first === undefined) {
    return { reason: `${String(findings.length)} emergenc${findings.length === 1 ? 'y has' : 'ies have'} a task in the queue already (or one for the same branch, workflow or environment is still open)` };
  }
  const more = open.length - 1;
  return {
    action: { kind: 'queueEmergencyTask', finding: first, fileName: emergencyTaskFileName(first.key) },
    reason: `emergency: ${first.title} → an emergency task in pending/${more > 0 ? ` (${String(more)} more next ticks)` : ''}`,
  };
}
