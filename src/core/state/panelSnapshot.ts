import type { PanelSnapshot } from '../../shared/protocol';
import type { Redactor } from '../logging/redactor';
import type { AtoState } from './atoState';

/**
 * The full snapshot the control panel renders, built from the store. Pure; redacted as a whole, since
 * paths and messages can quote anything.
 */
export function buildPanelSnapshot(state: AtoState, redactor: Redactor): PanelSnapshot {
  const github = state.auth.github;
  const snapshot: PanelSnapshot = {
    version: 1,
    workspaceName: state.workspaceName ?? null,
    trusted: state.trusted,
    planning: state.planning.kind === 'partial'
      ? { ...state.planning, missing: [...state.planning.missing] }
      : state.planning.kind === 'ready' && state.queue !== undefined ? { ...state.planning, queue: { ...state.queue.counts } } : state.planning,
    auth: {
      github: github.kind,
      githubAccount: github.kind === 'session' ? github.account : null,
      gitlab: state.auth.gitlab,
      jules: state.auth.jules,
      anthropic: state.auth.anthropic,
    },
    settingsProblems: state.settingsProblems.map(problem => ({ ...problem })),
  };
  return redactor.redactValue(snapshot);
}
