import type { IssueSummary, PullRequestSummary, RepoSnapshot } from '../../../forges/github/githubModel';
import { isFolderProblem, isValidQueueEntry, pathInQueueFolder, queueEntryId, type QueueEntry, type ValidQueueEntry } from '../../../queue/queueEntry';
import { describeBlockReason, orderPending } from '../../../queue/queueOrder';
import { gapAnalysisIssueTitle, isUnsafeGapBody, unsafeGapInstructions } from '../../texts/gapAnalysisTemplate';
import type { Focus, MergePolicy, PlannedAction, RequeueTaskAction, StageDecision, WorkItem } from '../../engine/loopModel';
import { copilotAgentId } from './loopAgentChoice';
import { agentInBody, isGapAnalysisBody } from '../../texts/markers';
import { currentRefusal, type MergeRefusal } from '../../policy/mergeRefusals';
import { issueWorkKey } from './loopWorkItem';
import { claimsAtoWork, linkPlanning, type PlanningLinks, type WorkLink } from './planningLinks';
import { trustedSnapshot, type IgnoredPullRequest, type TrustFacts } from '../../policy/pullRequestTrust';
import { act, followProgress, offer, rank, requeueAdvice, stalled, track, wait, type Candidate, type Candidates } from './stageCandidates';
import { isDevelopmentTask } from './taskWorkKind';
import { dueReviewTask } from './reviewTasks';
import { capitalise, issueName, workFocus, workName } from './workNames';
import { assignedTo, checkPullRequest, currentPullRequests, workProgress, type PullRequestCheck, type WorkProgress } from './workProgress';

/** Everything the planning track decides from: one read of GitHub and of the planning queue. */
export interface PlanningObservation {
  readonly snapshot: RepoSnapshot;
  /** Task files in pending/, processed/ and complete/ of the planning branch. */
  readonly queue: readonly QueueEntry[];
  readonly policy: MergePolicy;
  readonly now: Date;
  /** The agent gap-analysis issues are assigned to; an issue assigned only to someone else counts as unassigned. */
  readonly gapAnalysisAgentLogin?: string;
  /** Development tasks dispatched at once (default 1: one at a time, each merge followed by its capability update). */
  readonly maxDevelopmentInFlight?: number;
  /** Merges GitHub refused, by PR: each holds the PR back (needs you) until GitHub reports a change on it. */
  readonly mergeRefusals?: ReadonlyMap<number, MergeRefusal>;
  /** Whose PRs ATO links, counts and merges (PRODUCT §4 "Whom ATO trusts"). */
  readonly trust: TrustFacts;
  /** Work an agent ATO runs is doing in this process now, by run key (task id, `gap-<issue>`, `capability-<issue>`): its issues are assigned to nobody on GitHub. */
  readonly localRuns?: ReadonlySet<string>;
  /** `ato.maintenance.reviewEvery`: a review task after every N merged task PRs (0 or absent: off). */
  readonly reviewEvery?: number;
}

/**
 * Whether someone works on an issue (a task's, the gap analysis', a capability update's): an assignee on
 * GitHub (`login` when given), or an agent ATO runs (the issue's agent marker) whose run is in flight here
 * under `runKey` (the task id, `gap-<issue>`, `capability-<issue>`). Such an issue with no run and no PR is
 * unassigned: the loop starts the run (again, after a restart).
 */
function issueServed(runKey: (issue: IssueSummary) => string, localRuns: ReadonlySet<string> | undefined, login?: string): (issue: IssueSummary) => boolean {
  return issue => {
    const agent = agentInBody(issue.body);
    if (agent !== undefined && agent !== copilotAgentId) return localRuns?.has(runKey(issue)) === true;
    return assignedTo(login)(issue);
  };
}

/** How long after a gap PR merged the loop waits for its task file to show in the queue before it stops waiting. */
export const gapTaskArrivalWindowMs = 15 * 60_000;

/** How long after a development merge the loop still opens its capability update (a paused loop catches up within it). */
export const capabilityFollowUpWindowMs = 7 * 24 * 60 * 60_000;

interface Context extends Candidates {
  readonly observation: PlanningObservation;
  readonly links: PlanningLinks;
  readonly check: PullRequestCheck;
  /** Open PRs that claim ATO's work but ATO does not trust: named in every reason, never acted on. */
  readonly ignored: readonly IgnoredPullRequest[];
}

/**
 * The planning track's stage (PRODUCT §4, 1a–3c) and its next action. Pure: time comes in `now`.
 *
 * Precedence: records of merges already made come first (move a merged task to complete/, close an issue
 * GitHub left open); then the first action by track — gap analysis (1x), capability update (3x),
 * development (2x); then opening a new gap analysis (only when no gap issue is open, no development task
 * is pending or in flight and no capability update is under way); then review/maintenance work. A track
 * that only waits never holds back another track's action; when nothing can act, the stage is the first
 * waiting track's, and the reason says what it waits for. Work that went wrong outside the loop (an issue
 * closed by hand, a failed run, a PR closed unmerged) becomes "needs you" and stops counting as in flight,
 * so the loop moves on instead of waiting forever.
 *
 * A ready PR is the action (`mergePullRequest`) even when `policy.autoMerge` is off: the decision then also
 * carries a `readyToMerge` needs-you item with `action: 'merge'`, and the engine holds the merge back for
 * the user's one click.
 *
 * Task paths in actions (`promoteTask.path`, `completeTask.path`) are the queue entry's `file`: what the
 * planning source read it from (the repository path on the remote branch, an absolute path in the working tree).
 */
export function classifyPlanning(observation: PlanningObservation, links: PlanningLinks = linkObservation(observation)): StageDecision {
  const valid = observation.queue.filter(isValidQueueEntry);
  const ignored = trustedSnapshot(observation.snapshot, observation.trust).ignored.filter(({ pr }) => pr.state === 'open' && claimsAtoWork(pr, observation.snapshot));
  const context: Context = { observation, links, check: pullRequestCheck(observation), ignored, candidates: [], needsYou: [], notes: [] };
  const gapBusy = gapTrack(context);
  const development = taskTracks(context, valid);
  const capabilityBusy = capabilityTrack(context, valid);
  reviewTrack(context);
  if (!gapBusy && !capabilityBusy && development.inFlight === 0 && !development.readyPending) {
    context.candidates.push({ rank: rank.openGap, track: track.gap, stage: '1a', focus: workFocus(gapWork, gapAnalysisIssueTitle), reason: 'No gap-analysis issue is open and no development work is pending or in flight: open the gap analysis.', action: { kind: 'ensureGapIssue', reason: 'Nothing is pending or in flight: the gap analysis finds the next work (ATO\'s template).' } });
  }
  return decide(context);
}

/**
 * The planning links of an observation: its issues and PRs linked to the gap analysis, each task and each
 * capability update — PRs only from people and agents ATO trusts (a stranger's PR is never linked).
 */
export function linkObservation(observation: PlanningObservation): PlanningLinks {
  const valid = observation.queue.filter(isValidQueueEntry);
  const trusted = trustedSnapshot(observation.snapshot, observation.trust).snapshot;
  return linkPlanning(trusted, valid.map(entry => ({ id: entry.result.task.id, title: entry.result.task.title })));
}

/** How the planning track checks an open PR: the merge policy, with a merge GitHub refused on it. */
export function pullRequestCheck(observation: Pick<PlanningObservation, 'policy' | 'mergeRefusals'>): PullRequestCheck {
  return pr => checkPullRequest(pr, observation.policy, currentRefusal(pr, observation.mergeRefusals));
}

const gapWork: WorkItem = { kind: 'gapAnalysis' };

function gapTrack(context: Context): boolean {
  const { links, observation } = context;
  const gap = links.gap;
  const recentMerge = gapTaskNotArrived(gap, observation);
  if (gap.issue?.state !== 'open') {
    const issue = gap.issue;
    if (recentMerge !== undefined) context.candidates.push(wait('1c', track.gap, workFocus(gapWork, gapAnalysisIssueTitle, { issue, pullRequest: recentMerge.pr }), `Gap-analysis PR #${String(recentMerge.pr.number)} is merged; waiting for its task file ${recentMerge.file} to show in the planning queue.`));
    const orphan = gap.pullRequests.find(pr => pr.state === 'open');
    if (orphan !== undefined) {
      const pr = `PR #${String(orphan.number)}`;
      context.needsYou.push({ kind: 'issueClosedOutsideLoop', title: `Gap-analysis issue closed while ${pr} is open`, detail: 'Merge or close the pull request; ATO opens no new gap analysis while it is open.', url: orphan.url, pullNumber: orphan.number, action: 'open' });
      const clause = `the gap-analysis issue was closed outside the loop while ${pr} is open`;
      context.candidates.push(stalled('1b', track.gap, workFocus(gapWork, gapAnalysisIssueTitle, { issue, pullRequest: orphan }), `${capitalise(clause)}: needs you.`, clause));
    }
    return recentMerge !== undefined || orphan !== undefined;
  }
  const issue = gap.issue;
  const progress = workProgress(gap, context.check, issueServed(open => issueWorkKey({ kind: 'gapAnalysis', issueNumber: open.number }), observation.localRuns, observation.gapAnalysisAgentLogin));
  const unsafe = isUnsafeGapBody(issue.body);
  if ((progress.kind === 'unassigned' || progress.kind === 'waitingOnAgent') && (unsafe || (progress.kind === 'unassigned' && !isGapAnalysisBody(issue.body)))) {
    const why = unsafe ? `its body asks the agent to ${quote(unsafeGapInstructions(issue.body)[0] ?? 'open pull requests or issues')}` : 'its body is not ATO\'s template';
    context.candidates.push(act('1a', track.gap, workFocus(gapWork, gapAnalysisIssueTitle, { issue }), `${capitalise(issueName(gapWork, issue.number))} is open but ${why}: rewrite it with ATO's template.`, { kind: 'ensureGapIssue', reason: `${capitalise(why)}.`, repairIssue: issue.number }));
    return true;
  }
  const closeAlso = [issue, ...gap.duplicates].map(other => other.number);
  followProgress(context, progress, { stage: '1', track: track.gap, work: gapWork, title: gapAnalysisIssueTitle, issue, closeIssues: closeAlso }, observation.now);
  // An open gap issue, even one whose run failed, means no second one: a person closes it to start over.
  return true;
}

interface DevelopmentState {
  /** Development tasks dispatched and not finished (needs-you ones excluded). */
  readonly inFlight: number;
  readonly readyPending: boolean;
}

function taskTracks(context: Context, valid: readonly ValidQueueEntry[]): DevelopmentState {
  const { observation, links } = context;
  let inFlight = 0;
  let sideInFlight = 0;
  for (const entry of observation.queue) {
    if (!isValidQueueEntry(entry) && entry.folder !== 'complete') {
      const error = entry.result.diagnostics.find(diagnostic => diagnostic.severity === 'error');
      const title = isFolderProblem(entry) ? `The queue folder ${entry.relativePath}/ is not read` : `Task file ${entry.fileName} is not valid`;
      context.needsYou.push({ kind: 'invalidTask', title, detail: error?.message ?? 'The file could not be read as a task.', taskId: queueEntryId(entry), action: 'open' });
    }
  }
  for (const entry of valid) {
    if (entry.folder !== 'processed') continue;
    const { task } = entry.result;
    const development = isDevelopmentTask(task);
    const link = links.tasks.get(task.id);
    if (link === undefined) continue;
    const progress = workProgress(link, context.check, issueServed(() => task.id, observation.localRuns));
    const work: WorkItem = { kind: 'task', taskId: task.id };
    if (progress.kind === 'merged') {
      const pr = `PR #${String(progress.pr.number)}`;
      context.candidates.push({ rank: rank.bookkeeping, track: development ? track.development : track.side, stage: '2c', focus: workFocus(work, task.title, { issue: link.issue, pullRequest: progress.pr }), reason: `${pr} (${workName(work)}) is merged: move the task to complete/.`, action: { kind: 'completeTask', reason: 'Its pull request is merged.', taskId: task.id, path: entry.file, pullNumber: progress.pr.number, issueNumber: link.issue?.number } });
    } else if (progress.kind === 'noIssue') {
      const requeue: RequeueTaskAction = { kind: 'requeueTask', reason: `Task ${task.id} is in processed/ with no issue or pull request on GitHub.`, taskId: task.id, path: entry.file, closeIssues: [] };
      context.needsYou.push({ kind: 'runFailed', title: `Task ${task.id} has no issue or pull request`, detail: `It is in processed/ but ATO sees no run for it on GitHub. ${requeueAdvice}.`, taskId: task.id, ...offer(requeue) });
      context.notes.push(`${workName(work)} is in processed/ with no issue or PR on GitHub`);
      continue;
    } else {
      const closeIssues = link.issue?.state === 'open' ? [link.issue.number] : [];
      const requeue = requeueOffer(task.id, entry.file, link, progress);
      followProgress(context, progress, { stage: '2', track: development ? track.development : track.side, work, title: task.title, issue: link.issue, closeIssues, ...(requeue === undefined ? {} : { requeue }) }, observation.now);
      if (progress.kind === 'failed' || progress.kind === 'issueClosed') continue;
    }
    if (development) inFlight++;
    else sideInFlight++;
  }

  const completed = new Set(valid.filter(entry => entry.folder === 'complete').map(entry => entry.result.task.id));
  const order = orderPending(valid, completed, { duplicates: duplicateFiles(valid) });
  const known = new Set(valid.map(entry => entry.result.task.id));
  for (const { entry, reason } of order.blocked) {
    const taskId = entry.result.task.id;
    const unknown = reason.kind === 'dependencies' && reason.missing.some(id => !known.has(id));
    // A cycle is one thing to fix, asked for once, at the task it is described at (not once per task in it).
    const cycleElsewhere = reason.kind === 'cycle' && reason.cycle.first !== taskId;
    if ((reason.kind !== 'dependencies' || unknown) && !cycleElsewhere) {
      context.needsYou.push({ kind: 'invalidTask', title: `Task ${taskId} cannot be dispatched`, detail: capitalise(`${describeBlockReason(reason, taskId)}.`), taskId, action: 'open' });
    }
  }
  const skipped = order.blocked.filter(blocked => isDevelopmentTask(blocked.entry.result.task));
  const skippedNote = skipped.length === 0 ? '' : ` Skipped: ${skipped.slice(0, 3).map(({ entry, reason }) => `${entry.result.task.id} ${describeBlockReason(reason, entry.result.task.id)}`).join('; ')}${skipped.length > 3 ? `; and ${String(skipped.length - 3)} more` : ''}.`;
  const readyDevelopment = order.ready.filter(entry => isDevelopmentTask(entry.result.task));
  const readySide = order.ready.filter(entry => !isDevelopmentTask(entry.result.task));
  // A pending task that already has an open issue is a promotion cut short: finish it first.
  for (const entry of order.ready) {
    const issue = links.tasks.get(entry.result.task.id)?.issue;
    if (issue?.state === 'open') context.candidates.push(act('2a', isDevelopmentTask(entry.result.task) ? track.development : track.side, taskFocus(entry, issue), `Task ${entry.result.task.id} is in pending/ but issue #${String(issue.number)} is already open for it: finish its promotion.`, promote(entry, 'Its promotion was cut short: the issue exists, the file is still in pending/.')));
  }
  const limit = Math.max(1, observation.maxDevelopmentInFlight ?? 1);
  const next = readyDevelopment[0];
  if (next !== undefined && inFlight < limit) {
    context.candidates.push(act('2a', track.development, taskFocus(next), `Task ${next.result.task.id} is the next pending development task (priority ${next.result.task.priority}, then age).${skippedNote}`, promote(next, `Next pending development task by priority, then age.${skippedNote}`)));
  } else if (next === undefined && skipped.length > 0 && inFlight === 0) {
    context.candidates.push(stalled('2a', track.development, undefined, `No pending development task can go now.${skippedNote}`));
  }
  const side = readySide[0];
  if (side !== undefined && sideInFlight === 0) {
    context.candidates.push({ rank: rank.sideWork, track: track.side, stage: '2a', focus: taskFocus(side), reason: `Promote ${side.result.task.type} task ${side.result.task.id} (not development work).`, action: promote(side, `A ${side.result.task.type} task, not development work: promoted while the loop waits.`) });
  }
  return { inFlight, readyPending: readyDevelopment.length > 0 };
}

function capabilityTrack(context: Context, valid: readonly ValidQueueEntry[]): boolean {
  const { links, observation } = context;
  let busy = false;
  const open = [...links.capabilities.entries()].filter(([, link]) => link.issue?.state === 'open');
  open.sort(([, a], [, b]) => (a.issue?.number ?? 0) - (b.issue?.number ?? 0));
  for (const [sourcePr, link] of open) {
    if (link.issue === undefined) continue;
    const progress = workProgress(link, context.check, issueServed(issue => issueWorkKey({ kind: 'capabilityUpdate', issueNumber: issue.number }), observation.localRuns));
    const work: WorkItem = { kind: 'capabilityUpdate', sourcePullRequest: sourcePr };
    followProgress(context, progress, { stage: '3', track: track.capability, work, title: link.issue.title, issue: link.issue, closeIssues: [link.issue, ...link.duplicates].map(issue => issue.number) }, observation.now);
    if (progress.kind !== 'failed' && progress.kind !== 'issueClosed') busy = true;
  }
  // Merged development PRs (of tasks in the queue) that no capability issue follows yet, oldest merge first.
  const tasks = new Map(valid.map(entry => [entry.result.task.id, entry.result.task]));
  const merged = new Map<number, { pr: PullRequestSummary; taskId: string }>();
  for (const [taskId, link] of links.tasks) {
    const task = tasks.get(taskId);
    if (task === undefined || !isDevelopmentTask(task)) continue;
    for (const pr of link.pullRequests) if (pr.state === 'merged' && !links.capabilities.has(pr.number)) merged.set(pr.number, { pr, taskId });
  }
  // Capability issues are opened oldest merge first, so one that follows a later merge means the earlier ones
  // were handled; and merges older than the window are left alone. Both keep a capability issue that dropped
  // out of the snapshot's recently-closed list from being proposed again (the action would skip, every tick).
  const mergedAt = (number: number): number => Date.parse(links.pullRequests.find(pr => pr.number === number)?.mergedAt ?? '');
  const followed = Math.max(Number.NEGATIVE_INFINITY, ...[...links.capabilities.keys()].map(mergedAt).filter(time => !Number.isNaN(time)));
  const pending = [...merged.values()]
    .filter(({ pr }) => {
      const at = Date.parse(pr.mergedAt ?? '');
      return !Number.isNaN(at) && observation.now.getTime() - at <= capabilityFollowUpWindowMs && at >= followed;
    })
    .sort((a, b) => (a.pr.mergedAt ?? '').localeCompare(b.pr.mergedAt ?? '') || a.pr.number - b.pr.number);
  for (const { pr, taskId } of pending) {
    const work: WorkItem = { kind: 'capabilityUpdate', taskId, sourcePullRequest: pr.number };
    context.candidates.push(act('3a', track.capability, workFocus(work, pr.title), `PR #${String(pr.number)} (task ${taskId}) is merged and no capability update follows it yet: open one.`, { kind: 'openCapabilityIssue', reason: `Task ${taskId} is merged; the capabilities must say what it added.`, pullNumber: pr.number }));
    busy = true;
  }
  return busy;
}

/** A review task due after N merges (`reviewEvery`): side work, queued while the main tracks wait. */
function reviewTrack(context: Context): void {
  const due = dueReviewTask(context.observation.queue, context.observation.reviewEvery ?? 0);
  if (due === undefined) return;
  const title = `Review merges ${String(due.range.first)}–${String(due.range.last)}`;
  context.candidates.push({ rank: rank.sideWork, track: track.side, stage: '2a', focus: workFocus({ kind: 'task', taskId: due.taskId }, title), reason: `Queue review task ${due.taskId}: ${due.reason}`, action: due });
}

/**
 * Issues that repeat another's marker: ATO follows the oldest open one and names the others in every
 * reason until someone closes them (the loop model has no needs-you kind for this yet).
 */
function duplicateNote(links: PlanningLinks): string {
  const groups: [WorkItem, WorkLink][] = [[gapWork, links.gap], ...[...links.tasks].map(([taskId, link]): [WorkItem, WorkLink] => [{ kind: 'task', taskId }, link]), ...[...links.capabilities].map(([sourcePullRequest, link]): [WorkItem, WorkLink] => [{ kind: 'capabilityUpdate', sourcePullRequest }, link])];
  const notes = groups
    .filter(([, link]) => link.issue !== undefined && link.duplicates.length > 0)
    .map(([work, link]) => `${link.duplicates.map(issue => `#${String(issue.number)}`).join(', ')} (another issue of ${workName(work)})`);
  return notes.length === 0 ? '' : ` Duplicate issues ignored, close them: ${notes.join('; ')}.`;
}

/** A gap PR merged within the window whose new task file the queue does not show yet (the queue was read before the merge). */
function gapTaskNotArrived(gap: WorkLink, observation: PlanningObservation): { pr: PullRequestSummary; file: string } | undefined {
  const names = new Set(observation.queue.map(pathInQueueFolder));
  for (const pr of gap.pullRequests) {
    if (pr.state !== 'merged' || pr.mergedAt === null || pr.changedFilesTruncated) continue;
    if (observation.now.getTime() - Date.parse(pr.mergedAt) > gapTaskArrivalWindowMs) continue;
    const file = pr.changedFiles.find(path => {
      const inPending = /(?:^|\/)issue_queue\/pending\/(.+\.md)$/i.exec(path)?.[1];
      return inPending !== undefined && !names.has(inPending);
    });
    if (file !== undefined) return { pr, file };
  }
  return undefined;
}

function decide(context: Context): StageDecision {
  const ordered = [...context.candidates].sort((a, b) => a.rank - b.rank || a.track - b.track);
  const action = ordered.find(candidate => candidate.action !== undefined);
  const mainWait = ordered.find(candidate => candidate.rank === rank.wait && candidate.track !== track.side);
  let chosen: Candidate | undefined = action;
  if (action?.rank === rank.sideWork && mainWait !== undefined) chosen = { ...mainWait, reason: `${mainWait.reason} Meanwhile: ${action.reason}`, action: action.action };
  chosen ??= ordered[0];
  const needsYou = [...context.needsYou];
  const merge = chosen?.action?.kind === 'mergePullRequest' ? chosen.action : undefined;
  if (merge !== undefined && !context.observation.policy.autoMerge) {
    const pr = context.links.pullRequests.find(candidate => candidate.number === merge.pullNumber);
    const work = chosen?.focus === undefined ? '' : ` (${workName(chosen.focus)})`;
    // Every merge prompt names the PR's author: the user merges knowing whose code it is.
    const by = pr === undefined ? '' : ` by ${pr.author.login}`;
    needsYou.unshift({ kind: 'readyToMerge', title: `PR #${String(merge.pullNumber)}${by}${work} is ready to merge`, detail: `${merge.reason} Auto-merge is off: merge it with one click.`, pullNumber: merge.pullNumber, ...(pr === undefined ? {} : { url: pr.url, author: pr.author.login }), action: 'merge' });
  }
  // What only a person can sort out shows in the stage's reason whatever the stage is, not only in needs-you.
  const attention = [...ordered.filter(candidate => candidate !== chosen && candidate.needsYou !== undefined).map(candidate => candidate.needsYou ?? ''), ...context.notes];
  const note = `${attention.length === 0 ? '' : ` Also needs you: ${attention.join('; ')}.`}${duplicateNote(context.links)}${ignoredNote(context.ignored)}`;
  if (chosen === undefined) return { stage: '1a', reason: `Nothing to do.${note}`, focus: undefined, action: undefined, needsYou };
  return { stage: chosen.stage, reason: `${chosen.reason}${note}`, focus: chosen.focus, action: chosen.action, needsYou };
}

/**
 * The requeue a task in processed/ is offered: when its run failed, or its issue was closed with no pull
 * request of this run still open (an open one is work in progress: merge or close it first). Never for a
 * merged run (that one is completed). Every open issue of the task is closed by it.
 */
function requeueOffer(taskId: string, path: string, link: WorkLink, progress: WorkProgress): RequeueTaskAction | undefined {
  if (progress.kind !== 'failed' && progress.kind !== 'issueClosed') return undefined;
  if (progress.kind === 'issueClosed' && currentPullRequests(link).some(pr => pr.state === 'open')) return undefined;
  const why = progress.kind === 'failed' ? `its run failed (${progress.why})` : `its issue #${String(progress.issue.number)} was closed without a merged PR`;
  const closeIssues = link.issues.filter(issue => issue.state === 'open').map(issue => issue.number);
  return { kind: 'requeueTask', reason: `Task ${taskId}: ${why}; run it again.`, taskId, path, closeIssues };
}

function promote(entry: ValidQueueEntry, reason: string): PlannedAction {
  return { kind: 'promoteTask', reason, taskId: entry.result.task.id, path: entry.file };
}

function duplicateFiles(entries: readonly ValidQueueEntry[]): Map<string, string[]> {
  const byId = new Map<string, ValidQueueEntry[]>();
  for (const entry of entries) byId.set(entry.result.task.id, [...byId.get(entry.result.task.id) ?? [], entry]);
  const duplicates = new Map<string, string[]>();
  for (const group of byId.values()) {
    if (group.length > 1) for (const entry of group) duplicates.set(entry.file, group.filter(other => other !== entry).map(other => other.relativePath));
  }
  return duplicates;
}

function taskFocus(entry: ValidQueueEntry, issue?: IssueSummary): Focus {
  return workFocus({ kind: 'task', taskId: entry.result.task.id }, entry.result.task.title, { issue });
}

function quote(text: string): string {
  return `"${text.length > 80 ? `${text.slice(0, 79)}…` : text}"`;
}

/** PRs that claim ATO's work but that ATO does not trust, and why: never linked, counted or merged. */
function ignoredNote(ignored: readonly IgnoredPullRequest[]): string {
  if (ignored.length === 0) return '';
  const shown = ignored.slice(0, 3).map(({ pr, why }) => `PR #${String(pr.number)} (${pr.headRefName}), ${why}`);
  const more = ignored.length > shown.length ? `; and ${String(ignored.length - shown.length)} more` : '';
  return ` Ignored, not trusted: ${shown.join('; ')}${more}.`;
}
