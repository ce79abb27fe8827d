import { restrictedModeText } from '../../shared/restrictedMode';
import { pullCareCounts } from '../../shared/pullCare';
import type { AtoState } from '../state/atoState';
import { waitsForAHuman } from '../state/panelSnapshot';
import { commandIds, workbenchCommands, type CommandId, type WorkbenchCommandId } from './commandIds';
import { queueTally } from './queueTally';
import { formatClock, loopNotRunningReason, stageLabel, tickError } from './loopText';

export interface StatusBarView {
  readonly text: string;
  readonly tooltip: string;
  readonly tone: 'normal' | 'warning' | 'error';
  /** What a click runs: the control panel, or in Restricted Mode the Workspace Trust editor. */
  readonly command: CommandId | WorkbenchCommandId;
}

/** What the status bar shows for a state. Pure, so it is unit-tested outside VS Code. */
export function statusBarView(state: AtoState): StatusBarView {
  if (!state.trusted) return { text: `$(shield) ATO: ${restrictedModeText.title}`, tooltip: `${restrictedModeText.title}: ${restrictedModeText.detail} Click to manage workspace trust.`, tone: 'warning', command: workbenchCommands.manageTrust };
  return { ...stateView(state), command: commandIds.openControlPanel };
}

function stateView(state: AtoState): Omit<StatusBarView, 'command'> {
  if (state.settingsProblems.length > 0) {
    return { text: '$(warning) ATO: check settings', tooltip: state.settingsProblems.map(p => p.message).join('\n'), tone: 'warning' };
  }
  // With a GitHub remote the loop runs from the remote's planning folder, whatever the working tree holds.
  if (state.loop.mode !== 'off') return loopStatus(state);
  const planning = state.planning;
  switch (planning.kind) {
    case 'noWorkspace':
      return { text: '$(hubot) ATO', tooltip: 'Open a folder to use ATO.', tone: 'normal' };
    case 'unknown':
      return { text: '$(loading~spin) ATO', tooltip: 'Reading the planning folder…', tone: 'normal' };
    case 'missing':
      return { text: '$(hubot) ATO: no planning folder', tooltip: 'Run "ATO: Initialize Planning Folder" to start.', tone: 'normal' };
    case 'partial':
      return { text: '$(warning) ATO: planning incomplete', tooltip: `Missing: ${planning.missing.join(', ')}`, tone: 'warning' };
    case 'error':
      return { text: '$(error) ATO', tooltip: `The planning folder could not be read: ${planning.message}`, tone: 'error' };
    case 'ready': {
      const mode = state.auth.github.kind === 'session' || state.auth.github.kind === 'token' ? 'GitHub' : 'local';
      const counts = queueTally(state) ?? { ...planning.queue, invalid: 0 };
      const { pending, processed, invalid } = counts;
      const running = activeRuns(state);
      const waiting = needsYouCount(state);
      const error = tickError(state.loop);
      return {
        text: `${error !== undefined ? '$(error)' : running > 0 ? '$(sync~spin)' : '$(hubot)'} ATO: ${pending} pending · ${processed} dispatched${running > 0 ? ` · ${running} running` : ''}${waiting > 0 ? ` · $(bell-dot) ${waiting}` : ''}`,
        tooltip: `ATO (${mode} mode): ${pending} pending, ${processed} dispatched, ${counts.complete} complete${invalid > 0 ? `, ${invalid} invalid task file${invalid === 1 ? '' : 's'}` : ''}${running > 0 ? `, ${running} agent runs in progress` : ''}${waiting > 0 ? `; ${waiting} waiting for you` : ''}.${error === undefined ? '' : ` The loop failed: ${error}`} Click to open the control panel.`,
        tone: error !== undefined ? 'error' : waiting > 0 ? 'warning' : 'normal',
      };
    }
  }
}

/** The loop indicator: stage, pending tasks, active runs, red PRs, needs-you count; spinning while a tick runs. */
function loopStatus(state: AtoState): Omit<StatusBarView, 'command'> {
  const loop = state.loop;
  const running = activeRuns(state);
  const { red, fixing } = pullCareCounts(loop.redPullRequests);
  const waiting = needsYouCount(state);
  const error = tickError(loop);
  const notRunning = loopNotRunningReason(state);
  const icon = loop.ticking ? '$(sync~spin)' : error !== undefined ? '$(error)' : notRunning !== undefined ? '$(circle-slash)' : loop.running ? '$(hubot)' : '$(debug-pause)';
  // The GitHub loop's truth is its planning branch, not the working tree.
  const pending = loop.mode === 'github' && loop.counts !== undefined ? loop.counts.pending : state.queue?.counts.pending;
  const parts = [
    ...(pending === undefined ? [] : [`${pending} pending`]),
    ...(running > 0 ? [`${running} running`] : []),
    ...(red > 0 || fixing > 0 ? [`$(git-pull-request) ${[...(red > 0 ? [`${red} red`] : []), ...(fixing > 0 ? [`${fixing} fixing`] : [])].join(' ')}`] : []),
    ...(waiting > 0 ? [`$(bell-dot) ${waiting}`] : []),
  ];
  const stage = loop.stage;
  if (loop.running && loop.pausedUnfocused === true && !loop.ticking) {
    return {
      text: '$(debug-pause) ATO paused (window unfocused)',
      tooltip: `The loop stopped polling: this window has been unfocused for longer than \`ato.loop.pauseWhenUnfocusedMinutes\`. It catches up with one tick as soon as the window has focus again. Click to open the control panel.`,
      tone: 'normal',
    };
  }
  const lines = [
    `ATO loop (${loop.mode === 'github' ? 'GitHub' : 'local'} mode) — ${loop.ticking ? 'a tick is running' : notRunning !== undefined ? 'not running' : loop.running ? 'running' : 'paused'}`,
    ...(notRunning === undefined ? [] : [notRunning]),
    stage === undefined ? 'Stage: not known yet (no tick so far).' : `Stage ${stageLabel(stage.stage)}: ${stage.reason}`,
    ...(error === undefined ? [] : [`The last tick failed: ${error}`]),
    ...(loop.running && loop.nextTickAt !== undefined ? [`Next tick at ${formatClock(loop.nextTickAt)}.`] : []),
    ...(loop.lastTickAt === undefined ? [] : [`Last tick at ${formatClock(loop.lastTickAt)}.`]),
    ...(running > 0 ? [`${running} agent runs in progress.`] : []),
    ...(red > 0 ? [`${red} pull requests with failing checks.`] : []),
    ...(fixing > 0 ? [`${fixing} pull ${fixing === 1 ? 'request' : 'requests'} being fixed by an agent (done once CI is green on the new head).`] : []),
    ...(waiting > 0 ? [`${waiting} waiting for you.`] : []),
    'Click to open the control panel.',
  ];
  return {
    text: `${icon} ATO${stage === undefined ? '' : ` ${stage.stage}`}${parts.length > 0 ? `: ${parts.join(' · ')}` : ''}`,
    tooltip: lines.join('\n'),
    tone: error !== undefined ? 'error' : waiting > 0 ? 'warning' : 'normal',
  };
}

function activeRuns(state: AtoState): number {
  return state.runs.filter(run => run.state === 'running' || run.state === 'preparing').length;
}

/**
 * How many things wait for a human: the loop's items, invalid task files, unreadable run records, runs waiting for an answer, and
 * tasks whose latest run failed with no other try scheduled (the same rule as the control panel's inbox).
 */
export function needsYouCount(state: AtoState): number {
  let count = state.loop.needsYou.length + state.runProblems.length + (state.queue?.invalid.length ?? 0);
  const seen = new Set<string>();
  // Runs are newest first: the first record of a task is its latest.
  for (const run of state.runs) {
    const latest = !seen.has(run.taskId);
    seen.add(run.taskId);
    if (run.state === 'needsYou' || (run.state === 'failed' && latest && waitsForAHuman(run))) count++;
  }
  return count;
}
