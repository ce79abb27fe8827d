import type { AtoState } from '../state/atoState';

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
      return {
        text: `${running > 0 ? '$(sync~spin)' : '$(hubot)'} ATO: ${pending} pending · ${processed} dispatched${running > 0 ? ` · ${running} running` : ''}`,
        tooltip: `ATO (${mode} mode): ${pending} pending, ${processed} dispatched, ${counts.complete} complete${running > 0 ? `, ${running} agent runs in progress` : ''}. Click to open the control panel.`,
        tone: 'normal',
      };
    }
  }
}

