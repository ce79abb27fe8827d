import type { IssueSummary } from '../../../forges/github/githubModel';
import type { Focus, LoopNeedsYou, MergeRuleResult, PlannedAction, RequeueTaskAction, StageId, WorkItem } from '../../engine/loopModel';
import { copilotAgentId } from './loopAgentChoice';
import { agentInBody } from '../../texts/markers';
import { blockedForAto, unmetReasons } from '../../policy/mergePolicy';
import { capitalise, issueName, workFocus, workName } from './workNames';
import type { WorkProgress } from './workProgress';

/**
 * The stage classifier's working parts: candidates (a stage, its reason, focus and maybe an action) that the
 * tracks propose and `decide` ranks, and the rules that turn one work item's progress into candidates and
 * needs-you items — the same rules for the gap analysis (1x), a task (2x) and a capability update (3x).
 */

// Candidates sort by rank, then track (gap, capability, development, side work), then the order found.
export const rank = { bookkeeping: 0, act: 1, openGap: 2, sideWork: 3, wait: 4, stalled: 5 } as const;
export const track = { gap: 0, capability: 1, development: 2, side: 3 } as const;

export interface Candidate {
  readonly rank: number;
  readonly track: number;
  readonly stage: StageId;
  readonly reason: string;
  readonly focus: Focus | undefined;
  readonly action: PlannedAction | undefined;
  /**
   * Something only a person can sort out, as a clause for other reasons ("the run of task a failed (…)"):
   * whatever the stage is, its reason names it too.
   */
  readonly needsYou?: string;
}

/** What the tracks add to as they look at the work. */
export interface Candidates {
  readonly candidates: Candidate[];
  readonly needsYou: LoopNeedsYou[];
  /** Needs-you clauses with no candidate of their own (a task in processed/ that has no issue). */
  readonly notes: string[];
}

export function act(stage: StageId, trackOrder: number, focus: Focus | undefined, reason: string, action: PlannedAction): Candidate {
  return { rank: rank.act, track: trackOrder, stage, reason, focus, action };
}

export function wait(stage: StageId, trackOrder: number, focus: Focus | undefined, reason: string): Candidate {
  return { rank: rank.wait, track: trackOrder, stage, reason, focus, action: undefined };
}

/** A track that cannot go on without a person; `needsYou` is the clause other reasons quote. */
export function stalled(stage: StageId, trackOrder: number, focus: Focus | undefined, reason: string, needsYou?: string): Candidate {
  return { rank: rank.stalled, track: trackOrder, stage, reason, focus, action: undefined, ...(needsYou === undefined ? {} : { needsYou }) };
}

/** One work item as the rules see it. */
export interface ItemInfo {
  /** 1, 2 or 3: the stage family. */
  readonly stage: '1' | '2' | '3';
  readonly track: number;
  readonly work: WorkItem;
  /** The work's title, for its focus. */
  readonly title: string;
  readonly issue: IssueSummary | undefined;
  readonly closeIssues: readonly number[];
  /** A task in processed/ that may go back to pending/ when its run failed or its issue was closed. */
  readonly requeue?: RequeueTaskAction;
}

/** Turns one work item's progress into candidates and needs-you items (the same rules in 1x, 2x and 3x). */
export function followProgress(into: Candidates, progress: WorkProgress, item: ItemInfo, now: Date): void {
  const s = (letter: 'a' | 'b' | 'c'): StageId => `${item.stage}${letter}`;
  const work = workName(item.work);
  const optionalTask = item.work.taskId === undefined ? {} : { taskId: item.work.taskId };
  const focus = (parts: Parameters<typeof workFocus>[2]): Focus => workFocus(item.work, item.title, { issue: item.issue, ...parts });
  switch (progress.kind) {
    case 'merged':
      if (item.stage !== '2' && item.issue?.state === 'open') {
        const pr = `PR #${String(progress.pr.number)}`;
        into.candidates.push({ rank: rank.bookkeeping, track: item.track, stage: s('c'), focus: focus({ pullRequest: progress.pr }), reason: `${pr} (${work}) is merged but its issue #${String(item.issue.number)} is still open: close it.`, action: { kind: 'closeIssue', reason: `${pr} (${work}) is merged.`, issueNumber: item.issue.number } });
      }
      return;
    case 'ready': {
      const { pr } = progress.checked;
      const reason = `PR #${String(pr.number)} by ${pr.author.login} (${work}) is ready to merge${pr.isDraft ? ' (a draft: marked ready first)' : ''}.`;
      into.candidates.push(act(s('c'), item.track, focus({ pullRequest: pr }), reason, { kind: 'mergePullRequest', reason: 'It passes every rule of the merge policy.', pullNumber: pr.number, headSha: pr.headSha, markReady: pr.isDraft, closeIssues: item.closeIssues, stage: s('c') }));
      return;
    }
    case 'waitingOnPr': {
      const { pr, ci, verdict } = progress.checked;
      if (ci.awaitingApproval > 0) into.needsYou.push({ kind: 'workflowsAwaitingApproval', title: `Workflow runs on PR #${String(pr.number)} wait for your approval`, detail: `${capitalise(work)} has ${runs(ci.awaitingApproval)} waiting for "Approve and run workflows".`, url: pr.url, pullNumber: pr.number, ...optionalTask, action: 'open' });
      const blocked = blockedForAto(verdict);
      if (blocked.length > 0) into.needsYou.push({ kind: 'mergeBlocked', title: `${blockedTitle(blocked, pr.number)} (${work})`, author: pr.author.login, detail: `${capitalise(blocked.map(rule => rule.detail).join('; '))}.`, url: pr.url, pullNumber: pr.number, ...optionalTask, action: 'open' });
      into.candidates.push(wait(s('b'), item.track, focus({ pullRequest: pr }), `Waiting for PR #${String(pr.number)} (${work}): ${unmetReasons(verdict).join('; ')}.`));
      return;
    }
    case 'failed': {
      const next = item.stage !== '2' ? 'Re-assign the issue, or close it so ATO starts over' : item.requeue === undefined ? 'Move the task back to pending/ to run it again, or to complete/ if it is done' : requeueAdvice;
      into.needsYou.push({ kind: 'runFailed', title: `The run of ${work} failed`, detail: `${capitalise(progress.why)}. ${next}; the loop goes on meanwhile.`, url: progress.pr.url, pullNumber: progress.pr.number, ...optionalTask, ...(item.issue === undefined ? {} : { issueNumber: item.issue.number }), ...offer(item.requeue) });
      const clause = `the run of ${work} failed (${progress.why})`;
      into.candidates.push(stalled(s('b'), item.track, focus({ pullRequest: progress.pr }), `${capitalise(clause)}: needs you.`, clause));
      return;
    }
    case 'issueClosed': {
      const issue = issueName(item.work, progress.issue.number);
      const next = item.requeue === undefined ? 'Move the task back to pending/ to run it again, or to complete/ if it is done' : requeueAdvice;
      into.needsYou.push({ kind: 'issueClosedOutsideLoop', title: `${capitalise(issue)} was closed outside the loop`, detail: `It was closed without a merged pull request. ${next}.`, url: progress.issue.url, issueNumber: progress.issue.number, ...optionalTask, ...offer(item.requeue) });
      const clause = `${issue} was closed without a merged PR`;
      into.candidates.push(stalled(s('b'), item.track, focus({ issue: progress.issue }), `${capitalise(clause)}: needs you.`, clause));
      return;
    }
    case 'unassigned': {
      const issue = capitalise(issueName(item.work, progress.issue.number));
      const local = localAgentOf(progress.issue);
      if (local !== undefined) {
        into.candidates.push(act(s('a'), item.track, focus({ issue: progress.issue }), `${issue} is for the local agent ${local}, with no run in flight and no PR: start its run.`, { kind: 'dispatchIssue', reason: `No run of ${local} works on ${work} (ATO restarted, or the run stopped before its PR).`, issueNumber: progress.issue.number }));
        return;
      }
      into.candidates.push(act(s('a'), item.track, focus({ issue: progress.issue }), `${issue} is open without an agent: assign it.`, { kind: 'dispatchIssue', reason: `No agent works on ${work} yet.`, issueNumber: progress.issue.number }));
      return;
    }
    case 'waitingOnAgent':
      into.candidates.push(wait(item.stage === '2' ? '2b' : s('a'), item.track, focus({ issue: progress.issue }), waitingText(progress.issue, issueName(item.work, progress.issue.number), ago(now, progress.issue.createdAt))));
      return;
    case 'noIssue':
      return;
  }
}

/** The local agent an issue records (its agent marker), if it is not the Copilot coding agent. */
function localAgentOf(issue: IssueSummary): string | undefined {
  const agent = agentInBody(issue.body);
  return agent === undefined || agent === copilotAgentId ? undefined : agent;
}

function waitingText(issue: IssueSummary, name: string, age: string): string {
  const local = localAgentOf(issue);
  return local === undefined
    ? `Waiting for ${issue.assignees.join(', ')} to open a PR for ${name}, opened ${age}.`
    : `Waiting for the local agent ${local} to finish ${name}, opened ${age}; ATO then pushes its branch and opens the PR.`;
}

/** What the user is told when a needs-you item offers the one-click requeue. */
export const requeueAdvice = 'Requeue it to run it again (back to pending/, its old issue closed: the next promotion opens a new one), or move it to complete/ if it is done';

/** A needs-you item's one-click action: requeue when the task may go back to pending/, else open it on GitHub. */
export function offer(requeue: RequeueTaskAction | undefined): Pick<LoopNeedsYou, 'action' | 'requeue'> {
  return requeue === undefined ? { action: 'open' } : { action: 'requeue', requeue };
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

function runs(count: number): string {
  return count === 1 ? '1 workflow run' : `${String(count)} workflow runs`;
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
