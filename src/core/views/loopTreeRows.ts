import { isExternalUrl, stageMeanings } from '../../shared/loopSnapshot';
import { attemptsText, pullCareCounts, pullCareLabels } from '../../shared/pullCare';
import { julesPlanSteps } from '../agents/jules/julesPlanSteps';
import { focusRefCaption, localModeLoopText, loopCountsText, unfocusedPauseText } from '../../shared/loopWords';
import type { LoopNeedsYou, LoopState, NeedsYouKind, WorkKind } from '../loop/engine/loopModel';
import { queueEntryId } from '../queue/queueEntry';
import { taskTitles } from '../queue/taskTitles';
import { shownQueue } from '../state/shownQueue';
import { taskNameText } from '../../shared/taskName';
import { describeRunRecordProblem } from '../runs/runRecordProblemText';
import type { AtoState } from '../state/atoState';
import { requeueableRuns } from '../state/requeueableRuns';
import { waitsForAHuman } from '../state/panelSnapshot';
import { commandIds, treeItemContexts } from './commandIds';
import { needsYouLink, pullRequestPage } from './loopLinks';
import { describeOutcome, formatClock, loopNotRunningReason, loopUnavailableReason, stageLabel, tickError, trackNames, trackPlanSummary } from './loopText';
import { maxTreeTasks } from './queueTreeRows';
import type { TreeNodeModel } from './treeModel';
import { focusLabel, focusUrl, workLabel } from '../loop/tracks/planning/workNames';

const needsYouIcons: Readonly<Record<NeedsYouKind, string>> = {
  readyToMerge: 'git-merge',
  workflowsAwaitingApproval: 'workflow',
  issueClosedOutsideLoop: 'issue-closed',
  runFailed: 'error',
  invalidTask: 'warning',
  fixAttemptsExhausted: 'debug-disconnect',
  mergeBlocked: 'shield',
};

const focusIcons: Readonly<Record<WorkKind, string>> = { gapAnalysis: 'search', task: 'tasklist', capabilityUpdate: 'book' };

/** A row that opens `url` on click (through ATO's own command, which opens only links the state holds). */
function opens(url: string | undefined): Partial<TreeNodeModel> {
  return url !== undefined && isExternalUrl(url) ? { url, command: commandIds.openPullRequest, commandArgs: [url] } : {};
}

/** The Loop section: its state, stage and reason, focus, the plan's actions, the last and next tick, the budget. */
export function loopRows(state: AtoState): TreeNodeModel[] {
  const loop = state.loop;
  if (loop.mode === 'off') {
    const reason = loopUnavailableReason(state);
    return [{ id: 'loop', label: 'Loop', description: 'off', tooltip: `The planning loop is off: ${reason}`, icon: 'circle-slash', children: [{ id: 'loop/off', label: 'Off', description: reason, tooltip: reason, icon: 'info' }] }];
  }
  const error = tickError(loop);
  const notRunning = loopNotRunningReason(state);
  // Local mode has no GitHub loop to show: one row saying how to turn it on, as the panel's one line (issue 14).
  if (loop.mode === 'local' && loop.stage === undefined) {
    return [{ id: 'loop', label: 'Loop', description: 'local mode', tooltip: `${localModeLoopText}${notRunning === undefined ? '' : `\n${notRunning}`}`, icon: 'device-desktop' }];
  }
  // Held while the window is unfocused: still running (Pause pauses it), but no tick until focus returns.
  const unfocused = loop.running && loop.pausedUnfocused === true && !loop.ticking && error === undefined && notRunning === undefined;
  const status = loop.ticking ? 'ticking' : error !== undefined ? 'error' : notRunning !== undefined ? 'not running' : unfocused ? 'paused (window unfocused)' : loop.running ? 'running' : 'paused';
  const children: TreeNodeModel[] = [];
  if (notRunning !== undefined) children.push({ id: 'loop/notRunning', label: 'Not running', description: notRunning, tooltip: notRunning, icon: 'info' });
  const stage = loop.stage;
  if (stage === undefined) {
    children.push({ id: 'loop/stage', label: 'Stage not known yet', description: 'no tick so far', icon: 'milestone' });
  } else {
    children.push({ id: 'loop/stage', label: `Stage ${stageLabel(stage.stage)}`, description: stage.reason, tooltip: `${stageMeanings[stage.stage]}.\n${stage.reason}`, icon: 'milestone' });
    if (stage.focus !== undefined) {
      const focus = stage.focus;
      const url = focusUrl(focus);
      children.push({
        id: 'loop/focus',
        label: focus.title,
        description: focusLabel(focus),
        tooltip: [`Focus: ${workLabel(focus)} — ${focus.title}`, ...(focus.issue === undefined ? [] : [focusRefCaption(`Issue #${String(focus.issue.number)}`, focus.issue.title, focus.title)]), ...(focus.pullRequest === undefined ? [] : [focusRefCaption(`PR #${String(focus.pullRequest.number)}`, focus.pullRequest.title, focus.title)])].join('\n'),
        icon: focusIcons[focus.kind],
        ...opens(url),
        ...(url !== undefined && isExternalUrl(url) ? { contextValue: treeItemContexts.link } : {}),
      });
    }
  }
  if (loop.counts !== undefined) {
    const counts = loopCountsText(loop.counts);
    children.push({ id: 'loop/counts', label: 'Planning branch', description: counts.text, tooltip: counts.tooltip, icon: 'list-ordered' });
  }
  if (error !== undefined) children.push({ id: 'loop/error', label: 'The last tick failed', description: error, tooltip: error, icon: 'error' });
  if (loop.plan !== undefined) {
    children.push({
      id: 'loop/plan',
      label: 'Next tick would',
      description: `preview at ${formatClock(loop.plan.at)}`,
      icon: 'debug-step-over',
      children: loop.plan.tracks.map(track => ({
        id: `loop/plan/${track.track}`,
        label: `${trackNames[track.track]}: ${trackPlanSummary(track)}`,
        description: track.reason,
        tooltip: track.reason,
        icon: track.action !== undefined ? 'arrow-right' : track.held !== undefined ? 'bell' : 'circle-slash',
      })),
    });
  }
  if (loop.lastReport !== undefined) {
    const outcomes = loop.lastReport.outcomes;
    const failed = outcomes.filter(outcome => outcome.result === 'failed').length;
    children.push({
      id: 'loop/lastTick',
      label: 'Last tick',
      description: `${loop.lastTickAt === undefined ? '' : `${formatClock(loop.lastTickAt)} · `}${outcomes.length === 0 ? 'nothing to do' : `${outcomes.length - failed} done or skipped, ${failed} failed`}`,
      icon: failed > 0 ? 'warning' : 'history',
      ...(outcomes.length > 0 ? {
        children: outcomes.map((outcome, index) => ({
          id: `loop/lastTick/${index}`,
          label: describeOutcome(outcome),
          tooltip: describeOutcome(outcome),
          icon: outcome.result === 'done' ? 'pass' : outcome.result === 'skipped' ? 'circle-slash' : 'error',
        })),
      } : {}),
    });
  }
  if (loop.drafts.length > 0) {
    children.push({
      id: 'loop/drafts',
      label: 'Local drafts',
      description: `${String(loop.drafts.length)} not on the planning branch`,
      tooltip: 'Task files in your working tree that the planning branch does not have. "Queue it" commits one to pending/.',
      icon: 'cloud-upload',
      children: loop.drafts.slice(0, maxTreeTasks).map(draft => ({
        id: `loop/drafts/${draft.path}`,
        label: draft.title,
        description: draft.valid ? draft.path : `${draft.path} — has errors`,
        tooltip: draft.path,
        icon: draft.valid ? 'file' : 'warning',
        ref: draft.path,
        ...(draft.valid && state.trusted ? { contextValue: treeItemContexts.localDraft } : {}),
      })),
    });
  }
  if (notRunning === undefined) children.push({ id: 'loop/nextTick', label: 'Next tick', description: !loop.running ? 'paused' : unfocused ? unfocusedPauseText.nextTick : loop.nextTickAt === undefined ? 'not scheduled' : `at ${formatClock(loop.nextTickAt)}`, icon: 'clock' });
  const budget = budgetText(loop);
  if (budget !== undefined) children.push({ id: 'loop/budget', label: 'GitHub budget', description: budget.text, tooltip: budget.tooltip, icon: 'dashboard' });
  return [{
    id: 'loop',
    label: 'Loop',
    description: `${stage === undefined ? '' : `${stage.stage} · `}${status}${loop.mode === 'local' ? ' · local mode' : ''}`,
    tooltip: [stage === undefined ? `The loop is ${status}.` : `Stage ${stageLabel(stage.stage)}: ${stage.reason}`, ...(unfocused ? [unfocusedPauseText.detail] : [])].join('\n'),
    icon: loop.ticking ? 'sync~spin' : error !== undefined ? 'error' : notRunning !== undefined ? 'circle-slash' : loop.running && !unfocused ? 'sync' : 'debug-pause',
    ...(state.trusted && notRunning === undefined ? { contextValue: loop.running ? treeItemContexts.loopRunning : treeItemContexts.loopPaused } : {}),
    children,
  }];
}

function budgetText(loop: LoopState): { readonly text: string; readonly tooltip: string } | undefined {
  const parts: string[] = [];
  const tips: string[] = [];
  for (const [name, value] of [['core', loop.rateLimit.core], ['GraphQL', loop.rateLimit.graphql]] as const) {
    if (value === undefined) continue;
    parts.push(`${name} ${value.remaining}/${value.limit}`);
    tips.push(`${name}: ${value.remaining} of ${value.limit} left, resets at ${formatClock(value.resetAt)}`);
  }
  return parts.length === 0 ? undefined : { text: parts.join(' · '), tooltip: tips.join('\n') };
}

function loopNeedsYouRow(item: LoopNeedsYou, index: number): TreeNodeModel {
  const link = needsYouLink(item);
  const pull = item.pullNumber;
  const requeue = item.action === 'requeue' ? item.taskId : undefined;
  const context = item.kind === 'readyToMerge' && pull !== undefined ? treeItemContexts.readyPullRequest
    : item.kind === 'workflowsAwaitingApproval' && pull !== undefined ? treeItemContexts.awaitingApprovalPullRequest
      : requeue !== undefined ? treeItemContexts.requeueableLoopTask
        : link !== undefined ? treeItemContexts.link : undefined;
  return {
    id: `needsYou/loop/${item.kind}/${pull ?? item.issueNumber ?? item.taskId ?? `#${index}`}`,
    label: item.title,
    description: item.detail,
    tooltip: `${item.title}\n${item.detail}`,
    icon: needsYouIcons[item.kind],
    // A click opens the page (never merges); merge and approve are in the row's menu and inline icons.
    ...opens(item.url === undefined ? undefined : pullRequestPage(item.url)),
    ...(link !== undefined ? { url: link } : {}),
    // A requeue names the task (a click still opens the page); merge and approve name the PR.
    ...(requeue !== undefined ? { ref: requeue } : pull !== undefined ? { ref: String(pull) } : {}),
    ...(context === undefined ? {} : { contextValue: context }),
  };
}

/** Needs you: the loop's items, runs waiting for an answer or failed for good, unreadable run records, invalid task files. */
export function needsYouRows(state: AtoState): TreeNodeModel[] {
  const children: TreeNodeModel[] = state.loop.needsYou.slice(0, maxTreeTasks).map(loopNeedsYouRow);
  const requeueable = requeueableRuns(state);
  const seen = new Set<string>();
  let runItems = 0;
  const jules = new Set(state.agents.filter(agent => agent.kind === 'jules').map(agent => agent.id));
  // As the panel names them: from the queue the views show (the planning branch in GitHub mode).
  const titles = taskTitles(shownQueue(state).queue);
  for (const run of state.runs) {
    const latest = !seen.has(run.taskId);
    seen.add(run.taskId);
    const task = taskNameText(run.taskId, titles.get(run.taskId));
    if (run.state === 'needsYou' && jules.has(run.agentId) && run.failure === undefined) {
      // A Jules run waiting for its plan: approve inline, or read the plan (the reason) in the tooltip and log.
      runItems++;
      // Its steps are its rows (readable at any width), and the last row approves it (as the inline action does).
      const plan = run.history.at(-1)?.reason ?? '';
      const steps = julesPlanSteps(plan);
      const stepRows: TreeNodeModel[] = steps.map((step, index) => ({ id: `needsYou/run/${run.runId}/step/${String(index + 1)}`, label: `${String(index + 1)}. ${step}`, tooltip: `Step ${String(index + 1)} of ${String(steps.length)}: ${step}`, icon: 'circle-small' }));
      const approveRow: TreeNodeModel = { id: `needsYou/run/${run.runId}/approve`, label: 'Approve plan', description: `Jules starts on ${run.taskId}`, icon: 'check', command: commandIds.approvePlan, commandArgs: [run.taskId] };
      children.push({ id: `needsYou/run/${run.runId}`, label: `${run.agentId} asks you to approve its plan for ${task}`, description: steps.length === 1 ? '1 step' : `${String(steps.length)} steps`, tooltip: plan, icon: 'checklist', command: commandIds.showRunLog, commandArgs: [run.runId], ref: run.taskId, contextValue: treeItemContexts.planAwaitingApproval, children: [...stepRows, approveRow] });
    } else if (run.state === 'needsYou') {
      runItems++;
      children.push({ id: `needsYou/run/${run.runId}`, label: `${run.agentId} needs you on ${task}`, description: run.history.at(-1)?.reason ?? '', icon: 'bell-dot', command: commandIds.showRunLog, commandArgs: [run.runId], ref: run.runId, contextValue: treeItemContexts.activeRun });
    } else if (run.state === 'failed' && latest && waitsForAHuman(run)) {
      runItems++;
      children.push({ id: `needsYou/run/${run.runId}`, label: `${task} failed on ${run.agentId}`, description: run.failure === undefined ? 'The run failed.' : `${run.failure.class}: ${run.failure.message}`, icon: 'error', command: commandIds.showRunLog, commandArgs: [run.runId], ref: run.runId, contextValue: requeueable.has(run.runId) ? treeItemContexts.requeueableRun : treeItemContexts.finishedRun });
    }
  }
  for (const problem of state.runProblems.slice(0, maxTreeTasks)) {
    const { title, detail } = describeRunRecordProblem(problem);
    children.push({ id: `needsYou/runRecord/${problem.runId}`, label: title, description: detail, tooltip: `${title}\n${detail}`, icon: 'file-binary', openFile: problem.file });
  }
  for (const entry of state.queue?.invalid.slice(0, maxTreeTasks) ?? []) {
    children.push({ id: `needsYou/invalid/${entry.relativePath}`, label: `Invalid task file ${queueEntryId(entry)}`, description: entry.result.diagnostics.find(d => d.severity === 'error')?.message ?? 'invalid', icon: 'warning', openFile: entry.file });
  }
  if (children.length === 0) return [];
  const total = state.loop.needsYou.length + runItems + state.runProblems.length + (state.queue?.invalid.length ?? 0);
  return [{ id: 'needsYou', label: 'Needs you', description: String(total), icon: 'bell-dot', children }];
}

/** Red PRs, each with its failing checks as children (click a check to open its log on GitHub). */
export function redPullRequestRows(state: AtoState): TreeNodeModel[] {
  const prs = state.loop.redPullRequests;
  if (prs.length === 0) return [];
  return [{
    id: 'redPrs',
    label: 'Red PRs',
    description: redPullRequestCount(prs),
    icon: 'git-pull-request',
    children: prs.slice(0, maxTreeTasks).map(pr => ({
      id: `redPr/${pr.number}`,
      label: `#${pr.number} ${pr.title}`,
      description: pr.care === undefined
        ? `${pr.failingChecks.length} failing · ${pr.fixAttempts === 1 ? '1 fix attempt' : `${pr.fixAttempts} fix attempts`}${pr.isDraft ? ' · draft' : ''}`
        : `${pullCareLabels[pr.care.state]} · ${attemptsText(pr.care.attempts, pr.care.maxAttempts)}${pr.failingChecks.length > 0 ? ` · ${pr.failingChecks.length} failing` : ''}${pr.isDraft ? ' · draft' : ''}`,
      tooltip: [
        pr.title,
        `Failing: ${pr.failingChecks.map(check => check.name).join(', ') || 'none named'}`,
        ...(pr.care === undefined ? [] : [`${pullCareLabels[pr.care.state]}: ${pr.care.reason}`, ...(pr.care.lastFix === undefined ? [] : [`Last fix: attempt ${pr.care.lastFix.attempt} by ${pr.care.lastFix.agent} at ${pr.care.lastFix.at} on ${pr.care.lastFix.headSha.slice(0, 7)}`])]),
      ].join('\n'),
      icon: pr.care?.state === 'fixing' ? 'sync' : pr.care?.state === 'fixed' ? 'pass' : pr.isDraft ? 'git-pull-request-draft' : 'git-pull-request',
      ref: String(pr.number),
      ...(isExternalUrl(pr.url) ? { url: pr.url, contextValue: treeItemContexts.redPullRequest } : {}),
      ...(pr.failingChecks.length > 0 ? {
        children: pr.failingChecks.map((check, index) => ({
          id: `redPr/${pr.number}/check/${index}`,
          label: check.name,
          description: 'failing',
          icon: 'error',
          ...opens(check.url ?? undefined),
          ...(check.url !== null && isExternalUrl(check.url) ? { contextValue: treeItemContexts.link } : {}),
        })),
      } : {}),
    })),
  }];
}

/** "3", or "2 red · 1 fixing" once the maintenance track works on some. */
function redPullRequestCount(prs: AtoState['loop']['redPullRequests']): string {
  const { red, fixing } = pullCareCounts(prs);
  return fixing === 0 ? String(prs.length) : `${String(red)} red · ${String(fixing)} fixing`;
}
