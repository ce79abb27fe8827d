import type { AtoState } from '../state/atoState';
import { waitsForAHuman } from '../state/panelSnapshot';

export interface StatusBarView {
  readonly text: string;
  readonly tooltip: string;
  readonly tone: 'normal' | 'warning' | 'error';
}

/** What the status bar shows for a state. Pure, so it is unit-tested outside VS Code. */
export function statusBarView(state: AtoState): StatusBarView {
  if (!state.trusted) return { text: '$(shield) ATO: restricted', tooltip: 'Restricted Mode: ATO shows state but takes no action.', tone: 'warning' };
  if (state.settingsProblems.length > 0) {
    return { text: '$(warning) ATO: check settings', tooltip: state.settingsProblems.map(p => p.message).join('\n'), tone: 'warning' };
  }
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
      const counts = state.queue?.counts ?? planning.queue;
      const { pending, processed } = counts;
      const running = state.runs.filter(run => run.state === 'running' || run.state === 'preparing').length;
      const waiting = needsYouCount(state);
      return {
        text: `${running > 0 ? '$(sync~spin)' : '$(hubot)'} ATO: ${pending} pending · ${processed} dispatched${running > 0 ? ` · ${running} running` : ''}${waiting > 0 ? ` · $(bell-dot) ${waiting}` : ''}`,
        tooltip: `ATO (${mode} mode): ${pending} pending, ${processed} dispatched, ${counts.complete} complete${running > 0 ? `, ${running} agent runs in progress` : ''}${waiting > 0 ? `; ${waiting} waiting for you` : ''}. Click to open the control panel.`,
        tone: waiting > 0 ? 'warning' : 'normal',
      };
    }
  }
}


/**
 * How many things wait for a human: invalid task files, runs waiting for an answer, and tasks whose latest
 * run failed with no other try scheduled (the same rule as the control panel's inbox).
 */
export function needsYouCount(state: AtoState): number {
  let count = state.queue?.invalid.length ?? 0;
  const seen = new Set<string>();
  // Runs are newest first: the first record of a task is its latest.
  for (const run of state.runs) {
    const latest = !seen.has(run.taskId);
    seen.add(run.taskId);
    if (run.state === 'needsYou' || (run.state === 'failed' && latest && waitsForAHuman(run))) count++;
  }
  return count;
}
