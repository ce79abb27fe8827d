import { branchNameProblem } from '../../git/refName';
import { taskBranchPrefix } from '../../tasks/taskIdRules';
import { commitShaPattern, isFinalRunState, type RunRecord } from '../runRecord';
import { LandingError } from './landingError';

/** What landing a run works on: its branch (validated) and the commit it started from, when recorded. */
export interface LandingTarget {
  readonly runId: string;
  /** `ato/<…>`, a name git accepts and that cannot be read as an option. */
  readonly branch: string;
  /** `refs/heads/<branch>`: what ATO passes to git, never the bare name. */
  readonly ref: string;
  /** The commit the run's worktree started from; undefined for records written before ATO kept it. */
  readonly baseSha: string | undefined;
}

/**
 * Whether a run has a branch a human can land: a finished local run of a task file (not one of the GitHub
 * loop's, whose branch goes to a pull request by itself), with a branch, not landed or discarded yet.
 */
export function isLandable(record: RunRecord): boolean {
  return isFinalRunState(record.state) && record.branch !== undefined && record.loopLink === undefined && record.landing === undefined;
}

/**
 * The runs of `records` whose branch can be landed now: landable ones (see {@link isLandable}) whose branch no
 * later run took over. A task's next run reuses `ato/<id>` when the earlier run left no commits of its own;
 * the branch then holds the later run's work, which only the later run may land or discard.
 */
export function landableRuns(records: readonly RunRecord[]): ReadonlySet<string> {
  const newest = new Map<string, RunRecord>();
  for (const record of records) {
    if (record.branch === undefined) continue;
    const known = newest.get(record.branch);
    if (known === undefined || laterThan(record, known)) newest.set(record.branch, record);
  }
  return new Set(records.filter(record => isLandable(record) && record.branch !== undefined && newest.get(record.branch) === record).map(record => record.runId));
}

/** The later run of the same branch, when one took it over (see {@link landableRuns}). */
export function laterRunOnBranch(record: RunRecord, records: readonly RunRecord[]): RunRecord | undefined {
  return records.find(other => other.runId !== record.runId && other.branch !== undefined && other.branch === record.branch && laterThan(other, record));
}

function laterThan(a: RunRecord, b: RunRecord): boolean {
  return a.startedAt > b.startedAt || (a.startedAt === b.startedAt && a.runId > b.runId);
}

/**
 * The run's branch and base as git will get them. A record is a file anyone can edit: a branch that is not
 * `ato/…`, that git would refuse, or that could be read as an option, and a base that is not a full commit
 * id are refused here, before any git command.
 */
export function landingTarget(record: RunRecord): LandingTarget {
  const branch = record.branch;
  if (branch === undefined) throw new LandingError('notLandable', `Run ${record.runId} has no branch: only local agents' runs (claude-code, custom CLIs) leave one.`);
  const problem = branchNameProblem(branch);
  if (problem !== undefined || !branch.startsWith(taskBranchPrefix) || branch.length > 250) {
    throw new LandingError('invalidRecord', `Run ${record.runId} names the branch ${JSON.stringify(branch)}, which ATO does not hand to git (${problem ?? `not an ${taskBranchPrefix}… branch`}).`);
  }
  const baseSha = record.baseSha;
  if (baseSha !== undefined && !commitShaPattern.test(baseSha)) throw new LandingError('invalidRecord', `Run ${record.runId} names the base ${JSON.stringify(baseSha)}, which is not a commit id.`);
  return { runId: record.runId, branch, ref: `refs/heads/${branch}`, baseSha };
}

/** {@link landingTarget}, after checking the run may be landed now (finished, local, not landed yet). */
export function landableTarget(record: RunRecord): LandingTarget {
  if (!isFinalRunState(record.state)) throw new LandingError('notLandable', `Run ${record.runId} is ${record.state}: land it when it has finished.`);
  if (record.loopLink !== undefined) throw new LandingError('notLandable', `Run ${record.runId} belongs to the GitHub loop, which opens its pull request itself.`);
  if (record.landing !== undefined) throw new LandingError('notLandable', `Run ${record.runId} was ${landingWords(record.landing.kind)} already: ${record.landing.detail}.`);
  return landingTarget(record);
}

export function landingWords(kind: NonNullable<RunRecord['landing']>['kind']): string {
  return kind === 'merged' ? 'merged' : kind === 'pullRequest' ? 'sent as a pull request' : 'discarded';
}
