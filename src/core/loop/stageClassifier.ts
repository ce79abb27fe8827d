import type { IssueSummary, PullRequestSummary, RepoSnapshot } from '../forges/github/githubModel';
import { isValidQueueEntry, queueEntryId, type QueueEntry, type ValidQueueEntry } from '../queue/queueEntry';
import { describeBlockReason, orderPending } from '../queue/queueOrder';
import { gapAnalysisIssueTitle, isUnsafeGapBody, unsafeGapInstructions } from './gapAnalysisTemplate';
import type { Focus, LoopNeedsYou, MergePolicy, MergeRuleResult, PlannedAction, StageDecision, StageId } from './loopModel';
import { isGapAnalysisBody } from './markers';
import { blockedForAto, unmetReasons } from './mergePolicy';
import { claimsAtoWork, linkPlanning, type PlanningLinks, type WorkLink } from './planningLinks';
import { trustedSnapshot, type IgnoredPullRequest, type TrustFacts } from './pullRequestTrust';
import { isDevelopmentTask } from './taskWorkKind';
import { currentRefusal, type MergeRefusal } from './mergeRefusals';
import { assignedTo, checkPullRequest, workProgress, type PullRequestCheck, type WorkProgress } from './workProgress';

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
}

/** How long after a gap PR merged the loop waits for its task file to show in the queue before it stops waiting. */
export const gapTaskArrivalWindowMs = 15 * 60_000;

/** How long after a development merge the loop still opens its capability update (a paused loop catches up within it). */
export const capabilityFollowUpWindowMs = 7 * 24 * 60 * 60_000;

// Candidates sort by rank, then track (gap, capability, development, side work), then the order found.
const rank = { bookkeeping: 0, act: 1, openGap: 2, sideWork: 3, wait: 4, stalled: 5 } as const;
const track = { gap: 0, capability: 1, development: 2, side: 3 } as const;

interface Candidate {
  readonly rank: number;
  readonly track: number;
  readonly stage: StageId;
  readonly reason: string;
  readonly focus: Focus | undefined;
  readonly action: PlannedAction | undefined;
}

interface Context {
  readonly observation: PlanningObservation;
  readonly links: PlanningLinks;
  readonly check: PullRequestCheck;
  /** Open PRs that claim ATO's work but ATO does not trust: named in every reason, never acted on. */
  readonly ignored: readonly IgnoredPullRequest[];
  readonly candidates: Candidate[];
  readonly needsYou: LoopNeedsYou[];
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
export function classifyPlanning(observation: PlanningObservation): StageDecision {
  const valid = observation.queue.filter(isValidQueueEntry);
  const trusted = trustedSnapshot(observation.snapshot, observation.trust);
  const links = linkPlanning(trusted.snapshot, valid.map(entry => ({ id: entry.result.task.id, title: entry.result.task.title })));
  const check: PullRequestCheck = pr => checkPullRequest(pr, observation.policy, currentRefusal(pr, observation.mergeRefusals));
  const ignored = trusted.ignored.filter(({ pr }) => pr.state === 'open' && claimsAtoWork(pr, observation.snapshot));
  const context: Context = { observation, links, check, ignored, candidates: [], needsYou: [] };
  const gapBusy = gapTrack(context);
  const development = taskTracks(context, valid);
  const capabilityBusy = capabilityTrack(context, valid);
  if (!gapBusy && !capabilityBusy && development.inFlight === 0 && !development.readyPending) {
    add(context, { rank: rank.openGap, track: track.gap, stage: '1a', focus: { kind: 'issue', title: gapAnalysisIssueTitle }, reason: 'No gap-analysis issue is open and no development work is pending or in flight: open the gap analysis.', action: { kind: 'ensureGapIssue', reason: 'Open the gap-analysis issue (ATO\'s template) and assign it.' } });
  }
  return decide(context);
}

function gapTrack(context: Context): boolean {
  const { links, observation } = context;
  const gap = links.gap;
  const recentMerge = gapTaskNotArrived(gap, observation);
  if (gap.issue?.state !== 'open') {
    if (recentMerge !== undefined) add(context, wait('1c', track.gap, prFocus(recentMerge.pr), `Gap-analysis PR #${String(recentMerge.pr.number)} is merged; waiting for its task file ${recentMerge.file} to show in the planning queue.`));
    const orphan = gap.pullRequests.find(pr => pr.state === 'open');
    if (orphan !== undefined) {
      needs(context, { kind: 'issueClosedOutsideLoop', title: `Gap-analysis issue closed while PR #${String(orphan.number)} is open`, detail: 'Merge or close the pull request; ATO opens no new gap analysis while it is open.', url: orphan.url, pullNumber: orphan.number, action: 'open' });
      add(context, stalled('1b', track.gap, prFocus(orphan), `The gap-analysis issue was closed outside the loop while PR #${String(orphan.number)} is open: needs you.`));
    }
    return recentMerge !== undefined || orphan !== undefined;
  }
  const issue = gap.issue;
  const label = `gap-analysis issue #${String(issue.number)}`;
  const progress = workProgress(gap, context.check, assignedTo(observation.gapAnalysisAgentLogin));
  const unsafe = isUnsafeGapBody(issue.body);
  if ((progress.kind === 'unassigned' || progress.kind === 'waitingOnAgent') && (unsafe || (progress.kind === 'unassigned' && !isGapAnalysisBody(issue.body)))) {
    const why = unsafe ? `its body asks the agent to ${quote(unsafeGapInstructions(issue.body)[0] ?? 'open pull requests or issues')}` : 'its body is not ATO\'s template';
    add(context, act('1a', track.gap, issueFocus(issue), `Gap-analysis issue #${String(issue.number)} is open but ${why}: rewrite it with ATO's template.`, { kind: 'ensureGapIssue', reason: `Repair ${label}: ${why}.`, repairIssue: issue.number }));
    return true;
  }
  const closeAlso = [issue, ...gap.duplicates].map(other => other.number);
  followProgress(context, progress, { stage: '1', track: track.gap, label, issue, closeIssues: closeAlso });
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
      needs(context, { kind: 'invalidTask', title: `Task file ${entry.fileName} is not valid`, detail: error?.message ?? 'The file could not be read as a task.', taskId: queueEntryId(entry), action: 'open' });
    }
  }
  for (const entry of valid) {
    if (entry.folder !== 'processed') continue;
    const { task } = entry.result;
    const development = isDevelopmentTask(task);
    const link = links.tasks.get(task.id);
    if (link === undefined) continue;
    const progress = workProgress(link, context.check, assignedTo(undefined));
    const label = `task ${task.id}`;
    if (progress.kind === 'merged') {
      add(context, { rank: rank.bookkeeping, track: development ? track.development : track.side, stage: '2c', focus: taskFocus(entry), reason: `PR #${String(progress.pr.number)} of ${label} is merged: move the task to complete/.`, action: { kind: 'completeTask', reason: `PR #${String(progress.pr.number)} merged.`, taskId: task.id, path: entry.file, pullNumber: progress.pr.number, issueNumber: link.issue?.number } });
    } else if (progress.kind === 'noIssue') {
      needs(context, { kind: 'runFailed', title: `Task ${task.id} has no issue or pull request`, detail: 'It is in processed/ but ATO sees no run for it on GitHub. Move it back to pending/ to run it again.', taskId: task.id, action: 'open' });
      continue;
    } else {
      const closeIssues = link.issue?.state === 'open' ? [link.issue.number] : [];
      followProgress(context, progress, { stage: '2', track: development ? track.development : track.side, label, issue: link.issue, closeIssues, taskId: task.id });
      if (progress.kind === 'failed' || progress.kind === 'issueClosed') continue;
    }
    if (development) inFlight++;
    else sideInFlight++;
  }

  const completed = new Set(valid.filter(entry => entry.folder === 'complete').map(entry => entry.result.task.id));
  const order = orderPending(valid, completed, { duplicates: duplicateFiles(valid) });
  const known = new Set(valid.map(entry => entry.result.task.id));
  for (const { entry, reason } of order.blocked) {
    const unknown = reason.kind === 'dependencies' && reason.missing.some(id => !known.has(id));
    if (reason.kind !== 'dependencies' || unknown) {
      needs(context, { kind: 'invalidTask', title: `Task ${entry.result.task.id} cannot be dispatched`, detail: describeBlockReason(reason), taskId: entry.result.task.id, action: 'open' });
    }
  }
  const skipped = order.blocked.filter(blocked => isDevelopmentTask(blocked.entry.result.task)).map(blocked => `${blocked.entry.result.task.id} ${describeBlockReason(blocked.reason)}`);
  const skippedNote = skipped.length === 0 ? '' : ` Skipped: ${skipped.slice(0, 3).join('; ')}${skipped.length > 3 ? `; and ${String(skipped.length - 3)} more` : ''}.`;
  const readyDevelopment = order.ready.filter(entry => isDevelopmentTask(entry.result.task));
  const readySide = order.ready.filter(entry => !isDevelopmentTask(entry.result.task));
  // A pending task that already has an open issue is a promotion cut short: finish it first.
  for (const entry of order.ready) {
    const issue = links.tasks.get(entry.result.task.id)?.issue;
    if (issue?.state === 'open') add(context, act('2a', isDevelopmentTask(entry.result.task) ? track.development : track.side, taskFocus(entry), `Task ${entry.result.task.id} is in pending/ but issue #${String(issue.number)} is already open for it: finish its promotion.`, promote(entry, `Finish promoting task ${entry.result.task.id} (issue #${String(issue.number)} exists).`)));
  }
  const limit = Math.max(1, observation.maxDevelopmentInFlight ?? 1);
  const next = readyDevelopment[0];
  if (next !== undefined && inFlight < limit) {
    add(context, act('2a', track.development, taskFocus(next), `Task ${next.result.task.id} is the next pending development task (priority ${next.result.task.priority}, then age).${skippedNote}`, promote(next, `Next pending development task by priority, then age.${skippedNote}`)));
  } else if (next === undefined && skipped.length > 0 && inFlight === 0) {
    add(context, stalled('2a', track.development, undefined, `No pending development task can go now.${skippedNote}`));
  }
  const side = readySide[0];
  if (side !== undefined && sideInFlight === 0) {
    add(context, { rank: rank.sideWork, track: track.side, stage: '2a', focus: taskFocus(side), reason: `Promote ${side.result.task.type} task ${side.result.task.id} (not development work).`, action: promote(side, `${side.result.task.type} task, not development work: promoted while the loop waits.`) });
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
    const progress = workProgress(link, context.check, assignedTo(undefined));
    followProgress(context, progress, { stage: '3', track: track.capability, label: `capability update for PR #${String(sourcePr)}`, issue: link.issue, closeIssues: [link.issue, ...link.duplicates].map(issue => issue.number) });
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
    add(context, act('3a', track.capability, prFocus(pr, taskId), `PR #${String(pr.number)} (task ${taskId}) is merged and no capability update follows it yet: open one.`, { kind: 'openCapabilityIssue', reason: `PR #${String(pr.number)} (task ${taskId}) merged.`, pullNumber: pr.number }));
    busy = true;
  }
  return busy;
}

interface ItemInfo {
  /** 1, 2 or 3: the stage family. */
  readonly stage: '1' | '2' | '3';
  readonly track: number;
  /** How reasons name the item: "task add-login", "gap-analysis issue #3". */
  readonly label: string;
  readonly issue: IssueSummary | undefined;
  readonly closeIssues: readonly number[];
  readonly taskId?: string;
}

/** Turns one work item's progress into candidates and needs-you items (the same rules in 1x, 2x and 3x). */
function followProgress(context: Context, progress: WorkProgress, item: ItemInfo): void {
  const { observation } = context;
  const s = (letter: 'a' | 'b' | 'c'): StageId => `${item.stage}${letter}`;
  const optionalTask = item.taskId === undefined ? {} : { taskId: item.taskId };
  switch (progress.kind) {
    case 'merged':
      if (item.stage !== '2' && item.issue?.state === 'open') {
        add(context, { rank: rank.bookkeeping, track: item.track, stage: s('c'), focus: issueFocus(item.issue), reason: `PR #${String(progress.pr.number)} of ${item.label} is merged but the issue is still open: close it.`, action: { kind: 'closeIssue', reason: `PR #${String(progress.pr.number)} merged.`, issueNumber: item.issue.number } });
      }
      return;
    case 'ready': {
      const { pr } = progress.checked;
      const reason = `PR #${String(pr.number)} by ${pr.author.login} (${item.label}) is ready to merge${pr.isDraft ? ' (a draft: marked ready first)' : ''}.`;
      add(context, act(s('c'), item.track, prFocus(pr, item.taskId), reason, { kind: 'mergePullRequest', reason, pullNumber: pr.number, headSha: pr.headSha, markReady: pr.isDraft, closeIssues: item.closeIssues, stage: s('c') }));
      return;
    }
    case 'waitingOnPr': {
      const { pr, ci, verdict } = progress.checked;
      if (ci.awaitingApproval > 0) needs(context, { kind: 'workflowsAwaitingApproval', title: `Workflow runs on PR #${String(pr.number)} wait for your approval`, detail: `${String(ci.awaitingApproval)} workflow run(s) of ${item.label} need "Approve and run workflows".`, url: pr.url, pullNumber: pr.number, ...optionalTask, action: 'open' });
      const blocked = blockedForAto(verdict);
      if (blocked.length > 0) needs(context, { kind: 'mergeBlocked', title: blockedTitle(blocked, pr.number), author: pr.author.login, detail: blocked.map(rule => rule.detail).join('; '), url: pr.url, pullNumber: pr.number, ...optionalTask, action: 'open' });
      add(context, wait(s('b'), item.track, prFocus(pr, item.taskId), `Waiting for PR #${String(pr.number)} (${item.label}): ${unmetReasons(verdict).join('; ')}.`));
      return;
    }
    case 'failed':
      needs(context, { kind: 'runFailed', title: `The run of ${item.label} failed`, detail: `${capitalise(progress.why)}. ${item.stage === '2' ? 'Move the task back to pending/ to run it again, or to complete/ if it is done' : 'Re-assign the issue, or close it so ATO starts over'}; the loop goes on meanwhile.`, url: progress.pr.url, pullNumber: progress.pr.number, ...optionalTask, ...(item.issue === undefined ? {} : { issueNumber: item.issue.number }), action: 'open' });
      add(context, stalled(s('b'), item.track, prFocus(progress.pr, item.taskId), `The run of ${item.label} failed (${progress.why}): needs you.`));
      return;
    case 'issueClosed':
      needs(context, { kind: 'issueClosedOutsideLoop', title: `Issue #${String(progress.issue.number)} (${item.label}) was closed outside the loop`, detail: 'It was closed without a merged pull request. Move the task back to pending/ to run it again, or to complete/ if it is done.', url: progress.issue.url, issueNumber: progress.issue.number, ...optionalTask, action: 'open' });
      add(context, stalled(s('b'), item.track, issueFocus(progress.issue), `Issue #${String(progress.issue.number)} (${item.label}) was closed without a merged PR: needs you.`));
      return;
    case 'unassigned':
      add(context, act(s('a'), item.track, issueFocus(progress.issue), `Issue #${String(progress.issue.number)} (${item.label}) is open without an agent: assign it.`, { kind: 'dispatchIssue', reason: `Issue #${String(progress.issue.number)} (${item.label}) has no agent.`, issueNumber: progress.issue.number }));
      return;
    case 'waitingOnAgent':
      add(context, wait(item.stage === '2' ? '2b' : s('a'), item.track, issueFocus(progress.issue), `Waiting for ${progress.issue.assignees.join(', ')} to open a PR for issue #${String(progress.issue.number)} (${item.label}), opened ${ago(observation.now, progress.issue.createdAt)}.`));
      return;
    case 'noIssue':
      return;
  }
}

/** PRs that claim ATO's work but that ATO does not trust, and why: never linked, counted or merged. */
function ignoredNote(ignored: readonly IgnoredPullRequest[]): string {
  if (ignored.length === 0) return '';
  const shown = ignored.slice(0, 3).map(({ pr, why }) => `PR #${String(pr.number)} (${pr.headRefName}), ${why}`);
  const more = ignored.length > shown.length ? `; and ${String(ignored.length - shown.length)} more` : '';
  return ` Ignored, not trusted: ${shown.join('; ')}${more}.`;
}

/** What a person is asked about: GitHub's refusal, the policy, then what waiting will not change. */
function blockedTitle(blocked: readonly MergeRuleResult[], pullNumber: number): string {
  const pr = `PR #${String(pullNumber)}`;
  const has = (rule: MergeRuleResult['rule']): boolean => blocked.some(candidate => candidate.rule === rule);
  if (has('notRefused')) return `GitHub refused to merge ${pr}`;
  if (has('protectedPaths') || has('requiredLabel')) return `ATO may not merge ${pr}`;
  if (has('checksGreen')) return `${pr} has no CI`;
  if (has('reviews')) return `${pr} waits for a review GitHub requires`;
  return `GitHub blocks the merge of ${pr}`;
}

/**
 * Issues that repeat another's marker: ATO follows the oldest open one and names the others in every
 * reason until someone closes them (the loop model has no needs-you kind for this yet).
 */
function duplicateNote(links: PlanningLinks): string {
  const groups: [string, WorkLink][] = [['the gap analysis', links.gap], ...[...links.tasks].map(([id, link]): [string, WorkLink] => [`task ${id}`, link]), ...[...links.capabilities].map(([pr, link]): [string, WorkLink] => [`the capability update for PR #${String(pr)}`, link])];
  const notes = groups
    .filter(([, link]) => link.issue !== undefined && link.duplicates.length > 0)
    .map(([what, link]) => `${link.duplicates.map(issue => `#${String(issue.number)}`).join(', ')} (${what}, follows #${String(link.issue?.number ?? 0)})`);
  return notes.length === 0 ? '' : ` Duplicate issues ignored, close them: ${notes.join('; ')}.`;
}

/** A gap PR merged within the window whose new task file the queue does not show yet (the queue was read before the merge). */
function gapTaskNotArrived(gap: WorkLink, observation: PlanningObservation): { pr: PullRequestSummary; file: string } | undefined {
  const names = new Set(observation.queue.map(entry => entry.fileName));
  for (const pr of gap.pullRequests) {
    if (pr.state !== 'merged' || pr.mergedAt === null || pr.changedFilesTruncated) continue;
    if (observation.now.getTime() - Date.parse(pr.mergedAt) > gapTaskArrivalWindowMs) continue;
    const file = pr.changedFiles.find(path => /(^|\/)issue_queue\/pending\/[^/]+\.md$/i.test(path) && !names.has(path.slice(path.lastIndexOf('/') + 1)));
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
    // Every merge prompt names the PR's author: the user merges knowing whose code it is.
    const by = pr === undefined ? '' : ` by ${pr.author.login}`;
    needsYou.unshift({ kind: 'readyToMerge', title: `PR #${String(merge.pullNumber)}${by} is ready to merge`, detail: `${merge.reason} Auto-merge is off: merge it with one click.`, pullNumber: merge.pullNumber, ...(pr === undefined ? {} : { url: pr.url, author: pr.author.login }), action: 'merge' });
  }
  const note = `${duplicateNote(context.links)}${ignoredNote(context.ignored)}`;
  if (chosen === undefined) return { stage: '1a', reason: `Nothing to do.${note}`, focus: undefined, action: undefined, needsYou };
  return { stage: chosen.stage, reason: `${chosen.reason}${note}`, focus: chosen.focus, action: chosen.action, needsYou };
}

function add(context: Context, candidate: Candidate): void {
  context.candidates.push(candidate);
}

function needs(context: Context, item: LoopNeedsYou): void {
  context.needsYou.push(item);
}

function act(stage: StageId, trackOrder: number, focus: Focus | undefined, reason: string, action: PlannedAction): Candidate {
  return { rank: rank.act, track: trackOrder, stage, reason, focus, action };
}

function wait(stage: StageId, trackOrder: number, focus: Focus | undefined, reason: string): Candidate {
  return { rank: rank.wait, track: trackOrder, stage, reason, focus, action: undefined };
}

function stalled(stage: StageId, trackOrder: number, focus: Focus | undefined, reason: string): Candidate {
  return { rank: rank.stalled, track: trackOrder, stage, reason, focus, action: undefined };
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

function issueFocus(issue: IssueSummary): Focus {
  return { kind: 'issue', title: issue.title, number: issue.number, url: issue.url };
}

function prFocus(pr: PullRequestSummary, taskId?: string): Focus {
  return { kind: 'pullRequest', title: pr.title, number: pr.number, url: pr.url, ...(taskId === undefined ? {} : { taskId }) };
}

function taskFocus(entry: ValidQueueEntry): Focus {
  return { kind: 'task', title: entry.result.task.title, taskId: entry.result.task.id };
}

function quote(text: string): string {
  return `"${text.length > 80 ? `${text.slice(0, 79)}…` : text}"`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "5 min ago", "3 h ago", "2 days ago" (never negative: clocks differ). */
function ago(now: Date, iso: string): string {
  const ms = Math.max(0, now.getTime() - Date.parse(iso));
  if (Number.isNaN(ms)) return 'at an unknown time';
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${String(minutes)} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${String(hours)} h ago`;
  return `${String(Math.floor(hours / 24))} days ago`;
}
