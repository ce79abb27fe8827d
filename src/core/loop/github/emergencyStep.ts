import type { RepoSnapshot } from '../../forges/github/githubModel';
import type { GitHubPort } from '../../forges/github/githubPort';
import { describeError } from '../../logging/redactor';
import type { ExecutionResult } from '../engine/loopBackend';
import type { QueueEmergencyTaskAction } from '../engine/loopModel';
import { emergencyFindings } from '../tracks/maintenance/emergencyFindings';
import { planEmergency } from '../tracks/maintenance/emergencyPlan';
import { emergenciesInQueue } from '../tracks/maintenance/emergencyTask';
import type { PlanningRead } from '../tracks/planning/planningSource';
import { executeEmergency } from './emergencyTasks';
import { readEmergencyInputs } from './emergencyTasksReads';

export interface EmergencyStepOptions {
  readonly port: GitHubPort;
  /** The planning branch (the default branch). */
  readonly branch: string;
  readonly planningPath: string;
  readonly workspaceRoot: string;
  /** `ato.maintenance.deployLog` ('' = none). */
  readonly deployLog: () => string;
  readonly now: () => Date;
  readonly checkpoint: (name: string) => void | Promise<void>;
}

/** The emergency half of the maintenance track's plan: its action (one task per tick), or why none. */
export interface EmergencyStepPlan {
  readonly action?: QueueEmergencyTaskAction;
  readonly reason: string;
}

/**
 * A red default branch, a failed deployment or workflow run, a failed deploy-log line → one emergency task in
 * pending/ on the planning branch (issue 11). Read on full observations only (an idle tick stays one request):
 * every GitHub read is conditional, so an unchanged repository answers 304s at no rate-limit point. A read
 * that fails plans nothing from half the state and says why; the PR half of the track goes on.
 */
export async function planEmergencyStep(options: EmergencyStepOptions, snapshot: RepoSnapshot, planning: PlanningRead): Promise<EmergencyStepPlan> {
  const queued = emergenciesInQueue(planning.entries);
  const deployLog = options.deployLog();
  try {
    const reads = await readEmergencyInputs(options.port, options.branch, {
      ...(snapshot.defaultBranch === options.branch && snapshot.defaultBranchSha !== '' ? { headSha: snapshot.defaultBranchSha } : {}),
      queued,
      ...(deployLog === '' ? {} : { deployLog: { workspaceRoot: options.workspaceRoot, setting: deployLog } }),
    });
    const plan = planEmergency(emergencyFindings(reads.inputs), queued.keys, queued.openSubjects);
    if (plan.action === undefined) return { reason: plan.reason };
    return { action: { kind: 'queueEmergencyTask', reason: `${plan.reason.charAt(0).toUpperCase()}${plan.reason.slice(1)}.`, emergency: plan.action, expectedHeadSha: planning.revision }, reason: plan.reason };
  } catch (error) {
    return { reason: `the emergency check could not read what it needs: ${describeError(error)}` };
  }
}

/** Commits the emergency task to pending/ (idempotent by its key; crash-safe: the commit is the write). */
export async function executeEmergencyStep(options: EmergencyStepOptions, action: QueueEmergencyTaskAction): Promise<ExecutionResult> {
  const outcome = await executeEmergency(action.emergency, {
    mode: 'github',
    port: options.port,
    branch: options.branch,
    planningPath: options.planningPath,
    expectedHeadSha: action.expectedHeadSha,
    now: options.now(),
    checkpoint: options.checkpoint,
  });
  return outcome.status === 'alreadyQueued'
    ? { result: 'skipped', message: `An emergency task for this is queued already (${outcome.path}).` }
    : { result: 'done', message: `Queued ${outcome.path}: ${action.emergency.finding.title}` };
}
