import { isGitHubError } from '../../forges/github/githubError';
import type { AgentAssignment, IssueSummary } from '../../forges/github/githubModel';
import type { Logger } from '../../logging/logger';
import { atoLabels } from '../../loop/texts/atoLabels';
import type { TaskType } from '../../tasks/taskTypes';
import type { AgentBackend, AgentHealth, AgentLimits, AgentOutput, AgentRunHandle, AgentRunStatus, DispatchRequest } from '../agentBackend';
import { CopilotAvailability, defaultAvailabilityTtlMs } from './copilotAvailability';
import { portGetter, type CopilotGitHubPort, type CopilotPortSource } from './copilotGitHub';
import { copilotAssigneeLogin, isCopilotLogin } from './copilotIdentity';
import { ensureTaskIssue } from '../../loop/tracks/planning/taskIssue';
import { formatCopilotRunRef, parseCopilotRunRef, type CopilotRunRef } from './copilotRunRef';
import { CopilotRunReader, defaultMaxLinkedPullRequests, type CopilotRunRead } from './copilotRunReader';
import { defaultCopilotStartTimeoutMs } from './copilotRunStatus';
import { CopilotWaiter, defaultWaitIntervals, type WaitIntervals } from './copilotWaiter';

const notEnabledHint = "is the Copilot coding agent enabled for this repository and the token's user?";

/** The task types Copilot takes by default: work that ends in a PR. */
export const copilotTaskTypes: readonly TaskType[] = ['feature', 'fix', 'ci_fix', 'documentation', 'gap_analysis', 'capability_update', 'maintenance'];

export interface CopilotBackendDeps {
  readonly port: CopilotPortSource;
  /** The branch Copilot starts from (`agent_assignment.base_branch`), or how to learn it (the remote's default branch). */
  readonly baseBranch: string | (() => Promise<string>);
  /** `agent_assignment.custom_instructions` (setting `ato.loop.copilotInstructions`); omitted when empty. */
  readonly customInstructions?: string;
  /** `agent_assignment.model`; omitted → GitHub chooses. */
  readonly model?: string;
  readonly log: Logger;
  readonly now: () => Date;
  /** Agent id; `copilot` by default. */
  readonly id?: string;
  /** Runs at once. Default 3. */
  readonly concurrent?: number;
  readonly taskTypes?: readonly TaskType[];
  /** No PR this long after the assignment → needs you ("Copilot did not start"). Default 15 min. */
  readonly startTimeoutMs?: number;
  /** How long a health answer is reused. Default 5 min. */
  readonly availabilityTtlMs?: number;
  /** `wait`'s polling: first interval, growth, cap. */
  readonly waitIntervals?: WaitIntervals;
  /** Injectable for tests; default `setTimeout`. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly maxLinkedPullRequests?: number;
}

/**
 * The GitHub Copilot coding agent (PRODUCT §5, `copilot`): a task becomes an issue labelled `ato:task`
 * whose body carries the task marker, assigned to `copilot-swe-agent[bot]` with an `agent_assignment`;
 * the run is tracked through the PR Copilot opens for it. Dispatch is idempotent by marker (a restart finds
 * the issue instead of opening a second one) and needs no worktree.
 */
export class CopilotBackend implements AgentBackend {
  readonly id: string;
  readonly kind = 'copilot' as const;
  readonly taskTypes: ReadonlySet<TaskType>;
  readonly limits: AgentLimits;
  readonly needsWorktree = false;
  readonly remoteRuns = true;
  private readonly port: () => Promise<CopilotGitHubPort>;
  private readonly availability: CopilotAvailability;
  private readonly reader: CopilotRunReader;
  private readonly waiter: CopilotWaiter;
  private readonly startTimeoutMs: number;
  private readonly log: Logger;
  private readonly cancelled = new Set<string>();
  private readonly outputs = new Map<string, (output: AgentOutput) => void>();
  private labels: Promise<void> | undefined;

  constructor(private readonly deps: CopilotBackendDeps) {
    this.id = deps.id ?? 'copilot';
    this.taskTypes = new Set(deps.taskTypes ?? copilotTaskTypes);
    this.limits = { concurrent: deps.concurrent ?? 3 };
    this.port = portGetter(deps.port);
    this.availability = new CopilotAvailability(this.port, deps.now, deps.availabilityTtlMs ?? defaultAvailabilityTtlMs);
    this.reader = new CopilotRunReader(deps.maxLinkedPullRequests ?? defaultMaxLinkedPullRequests);
    this.startTimeoutMs = deps.startTimeoutMs ?? defaultCopilotStartTimeoutMs;
    this.log = deps.log.scoped(this.id);
    this.waiter = new CopilotWaiter({
      poll: handle => this.poll(handle),
      intervals: deps.waitIntervals ?? defaultWaitIntervals,
      ...(deps.sleep === undefined ? {} : { sleep: deps.sleep }),
      log: this.log,
      report: (handle, text) => { this.emit(handle.runId, text); },
    });
  }

  health(): Promise<AgentHealth> {
    return this.availability.check();
  }

  /**
   * Finds the task's issue by its marker (listing `ato:task` issues, never the search API) or creates it,
   * then assigns Copilot unless it already works on it. A closed issue is reopened; an assignment left from
   * an earlier run that has ended is renewed so that Copilot starts a new session.
   */
  async dispatch(request: DispatchRequest): Promise<AgentRunHandle> {
    const port = await this.port();
    this.outputs.set(request.runId, request.onOutput);
    this.cancelled.delete(request.runId);
    const { task } = request;
    // The task's issue has one owner (taskIssue.ts), the same the loop's promotion uses: one body, ATO's markers.
    const outcome = await ensureTaskIssue(port, {
      task,
      path: request.taskFile,
      agent: { agentId: this.id, assignees: [copilotAssigneeLogin], agentAssignment: await this.agentAssignment(port) },
      reuseClosed: true,
    }, {
      adopting: () => this.ensureLabels(port),
      beforeCreate: () => this.ensureLabels(port),
    }).catch((error: unknown) => {
      // GitHub refuses (422) to create an issue with an assignee it cannot assign.
      if (!isGitHubError(error, 'invalid')) throw error;
      this.availability.invalidate();
      throw new Error(`GitHub refused to create the issue assigned to Copilot (${error.message}): ${notEnabledHint}`, { cause: error });
    });
    const { issue, duplicates } = outcome;
    if (duplicates.length > 0) this.log.warn('task %s has several issues with its marker: using #%d, not %s', task.id, issue.number, duplicates.map(d => `#${d.number}`).join(', '));
    let ref: CopilotRunRef;
    if (outcome.how === 'created') {
      this.checkAssigned(issue);
      this.emit(request.runId, `created issue #${issue.number} (${issue.url}) and assigned Copilot`);
      ref = { issueNumber: issue.number, assignedAt: issue.createdAt };
    } else {
      if (outcome.how === 'adopted') this.emit(request.runId, `adopted issue #${issue.number} (${issue.url}): it has the task's title; labelled and marked instead of opening a second issue`);
      ref = await this.resume(port, request, issue);
    }
    return { runId: request.runId, agentId: this.id, ref: formatCopilotRunRef(ref) };
  }

  private async resume(port: CopilotGitHubPort, request: DispatchRequest, found: IssueSummary): Promise<CopilotRunRef> {
    // The listing has no timeline; the issue itself says which PRs mention it.
    let issue = await port.getIssue(found.number);
    const linked = issue.linkedPullRequests;
    // PRs that exist now belong to earlier runs: this run's PR will have a higher number.
    const afterPull = linked.length === 0 ? {} : { afterPull: Math.max(...linked) };
    if (issue.state === 'closed') {
      issue = await port.updateIssue(issue.number, { state: 'open' });
      this.emit(request.runId, `reopened issue #${issue.number}`);
    }
    if (issue.assignees.some(isCopilotLogin)) {
      const earlier = await this.reader.read(port, { issueNumber: issue.number, assignedAt: undefined, now: this.deps.now(), startTimeoutMs: this.startTimeoutMs });
      if (!isFinal(earlier.status)) {
        // A restart between assigning and recording the handle: adopt the session that is under way.
        const pr = earlier.pullRequest;
        this.emit(request.runId, `issue #${issue.number} is already assigned to Copilot${pr ? ` (PR #${pr.number})` : ''}`);
        return pr === undefined
          ? { issueNumber: issue.number, assignedAt: issue.updatedAt, ...afterPull }
          : { issueNumber: issue.number, assignedAt: pr.createdAt, afterPull: pr.number - 1 };
      }
      // Left from an earlier run that ended: assign afresh so that Copilot starts a new session.
      if (port.removeAssignees) await port.removeAssignees(issue.number, copilotLogins(issue));
      else this.log.warn('the GitHub port cannot remove assignees: assigning Copilot again to #%d without unassigning it first', issue.number);
    }
    const assigned = await port.addAssignees(issue.number, [copilotAssigneeLogin], await this.agentAssignment(port));
    this.checkAssigned(assigned);
    this.emit(request.runId, `assigned Copilot to issue #${assigned.number} (${assigned.url})`);
    return { issueNumber: assigned.number, assignedAt: assigned.updatedAt, ...afterPull };
  }

  async poll(handle: AgentRunHandle): Promise<AgentRunStatus> {
    const ref = parseCopilotRunRef(handle.ref);
    if (ref === undefined) return { state: 'lost' };
    const read = await this.read(ref, handle.runId);
    return read === undefined ? { state: 'failed', failure: 'fatal', message: `issue #${ref.issueNumber} no longer exists (deleted or transferred)`, usage: {} } : read.status;
  }

  /** Polls until the run succeeds, fails or is lost; GitHub errors on the way are waited out, except a refused token. */
  async wait(handle: AgentRunHandle, onStatus?: (status: AgentRunStatus) => void): Promise<AgentRunStatus> {
    const status = await this.waiter.wait(handle, onStatus);
    this.outputs.delete(handle.runId);
    return status;
  }

  /** `@copilot <message>` on Copilot's PR, or on the issue before a PR exists (Copilot reads the PR's comments only). */
  async followUp(handle: AgentRunHandle, message: string): Promise<void> {
    const ref = this.refOf(handle);
    const port = await this.port();
    const read = await this.read(ref, handle.runId);
    const target = read?.pullRequest?.number ?? ref.issueNumber;
    const text = message.trim();
    await port.createComment(target, /^@copilot\b/i.test(text) ? text : `@copilot ${text}`);
    this.emit(handle.runId, `asked Copilot on #${target}: ${text}`);
  }

  /**
   * Unassigns Copilot and says so on the issue, once (the comment carries the run's marker). The PR Copilot
   * may have opened is left as it is. Idempotent; wakes a `wait` on the run, which then ends as cancelled.
   */
  async cancel(handle: AgentRunHandle): Promise<void> {
    const ref = this.refOf(handle);
    this.cancelled.add(handle.runId);
    this.waiter.wake(handle.runId);
    const port = await this.port();
    let issue: IssueSummary;
    try {
      issue = await port.getIssue(ref.issueNumber);
    } catch (error) {
      if (isGitHubError(error, 'notFound')) return;
      throw error;
    }
    const assigned = copilotLogins(issue);
    if (assigned.length > 0) {
      if (port.removeAssignees) await port.removeAssignees(issue.number, assigned);
      else this.log.warn('the GitHub port cannot remove assignees: Copilot stays assigned to #%d', issue.number);
    }
    const marker = `<!-- ato:cancel=${handle.runId} -->`;
    const comments = await port.listComments(issue.number);
    if (comments.some(comment => comment.body.includes(marker))) return;
    const unassigned = port.removeAssignees && assigned.length > 0 ? ' and unassigned Copilot' : '';
    await port.createComment(issue.number, `ATO cancelled run \`${handle.runId}\`${unassigned}.\n\n${marker}`);
  }

  /** Stops every `wait` (on deactivate); the runs go on on GitHub and are found again by their handles. */
  dispose(): void {
    this.waiter.dispose();
  }

  private async read(ref: CopilotRunRef, runId: string): Promise<CopilotRunRead | undefined> {
    const port = await this.port();
    try {
      return await this.reader.read(port, {
        issueNumber: ref.issueNumber,
        assignedAt: ref.assignedAt,
        afterPull: ref.afterPull,
        now: this.deps.now(),
        startTimeoutMs: this.startTimeoutMs,
        cancelled: this.cancelled.has(runId),
      });
    } catch (error) {
      if (isGitHubError(error, 'notFound')) return undefined;
      throw error;
    }
  }

  private async agentAssignment(port: CopilotGitHubPort): Promise<AgentAssignment> {
    const base = this.deps.baseBranch;
    const instructions = this.deps.customInstructions?.trim() ?? '';
    const model = this.deps.model?.trim() ?? '';
    return {
      target_repo: `${port.repo.owner}/${port.repo.name}`,
      base_branch: typeof base === 'string' ? base : await base(),
      ...(instructions === '' ? {} : { custom_instructions: instructions }),
      ...(model === '' ? {} : { model }),
    };
  }

  /** GitHub answers 201 even when it drops an assignee it cannot assign (Copilot not enabled). */
  private checkAssigned(issue: IssueSummary): void {
    if (issue.assignees.some(isCopilotLogin)) return;
    this.availability.invalidate();
    throw new Error(`GitHub did not assign Copilot to issue #${issue.number} (${issue.url}): ${notEnabledHint}`);
  }

  /** Once per backend: creating an issue with an unknown label would otherwise depend on GitHub's leniency. */
  private ensureLabels(port: CopilotGitHubPort): Promise<void> {
    this.labels ??= Promise.all([atoLabels.ato, atoLabels.task].map(label => port.ensureLabel(label.name, label.color, label.description))).then(
      () => undefined,
      (error: unknown) => {
        this.labels = undefined;
        this.log.warn('could not ensure the labels of task issues: %s', error instanceof Error ? error.message : String(error));
      },
    );
    return this.labels;
  }

  private refOf(handle: AgentRunHandle): CopilotRunRef {
    const ref = parseCopilotRunRef(handle.ref);
    if (ref === undefined) throw new Error(`"${handle.ref}" is not a Copilot run reference`);
    return ref;
  }

  private emit(runId: string, text: string): void {
    this.log.info('%s: %s', runId, text);
    try {
      this.outputs.get(runId)?.({ stream: 'event', text });
    } catch {
      // onOutput must not throw; if it does, the run goes on.
    }
  }
}

function isFinal(status: AgentRunStatus): boolean {
  return status.state === 'succeeded' || status.state === 'failed' || status.state === 'lost';
}

/** The issue's assignees that are Copilot, as the issue spells them, plus the REST login. */
function copilotLogins(issue: IssueSummary): string[] {
  const present = issue.assignees.filter(isCopilotLogin);
  return present.length === 0 ? [] : [...new Set([...present, copilotAssigneeLogin])];
}
