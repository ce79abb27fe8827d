import type { PanelAction, PanelSnapshot } from '../../src/shared/protocol';
import { mutatingPanelActions } from '../../src/shared/protocol';

export interface PanelButton {
  readonly action: PanelAction;
  readonly label: string;
  readonly icon: string;
  readonly secondary: boolean;
  /** Why the button is disabled, or undefined when it is enabled. */
  readonly disabledReason: string | undefined;
}

export interface PanelRow {
  readonly icon: string;
  readonly text: string;
  readonly detail?: string;
  readonly tone: 'normal' | 'warning' | 'error';
}

export interface PanelSection {
  readonly id: string;
  readonly title: string;
  readonly rows: readonly PanelRow[];
  readonly buttons: readonly PanelButton[];
}

export interface PanelModel {
  readonly title: string;
  readonly badge: { readonly text: string; readonly tone: 'normal' | 'warning' | 'error' } | undefined;
  readonly sections: readonly PanelSection[];
}

const restrictedReason = 'Restricted Mode: trust this workspace to let ATO act.';

/** Turns a snapshot into what the panel shows. Pure: unit-tested without a browser. */
export function buildPanelModel(snapshot: PanelSnapshot): PanelModel {
  const button = (action: PanelAction, label: string, icon: string, secondary = false): PanelButton => ({
    action,
    label,
    icon,
    secondary,
    disabledReason: !snapshot.trusted && mutatingPanelActions.has(action) ? restrictedReason : undefined,
  });
  const sections: PanelSection[] = [];

  const planning = snapshot.planning;
  switch (planning.kind) {
    case 'noWorkspace':
      sections.push({ id: 'planning', title: 'Planning folder', rows: [{ icon: 'folder', text: 'Open a folder to use ATO.', tone: 'normal' }], buttons: [] });
      break;
    case 'unknown':
      sections.push({ id: 'planning', title: 'Planning folder', rows: [{ icon: 'loading', text: 'Reading the planning folder…', tone: 'normal' }], buttons: [] });
      break;
    case 'missing':
      sections.push({
        id: 'planning',
        title: 'Planning folder',
        rows: [{ icon: 'folder', text: 'No planning folder yet.', detail: planning.path, tone: 'warning' }],
        buttons: [button('initPlanningFolder', 'Initialize Planning Folder', 'new-folder')],
      });
      break;
    case 'partial':
      sections.push({
        id: 'planning',
        title: 'Planning folder',
        rows: [{ icon: 'warning', text: `Incomplete: ${planning.missing.join(', ')} missing.`, detail: planning.path, tone: 'warning' }],
        buttons: [button('initPlanningFolder', 'Fill the Gaps', 'new-folder')],
      });
      break;
    case 'error':
      sections.push({
        id: 'planning',
        title: 'Planning folder',
        rows: [{ icon: 'error', text: `Could not be read: ${planning.message}`, detail: planning.path, tone: 'error' }],
        buttons: [button('refresh', 'Retry', 'refresh', true)],
      });
      break;
    case 'ready':
      sections.push({
        id: 'planning',
        title: 'Queue',
        rows: [
          { icon: 'inbox', text: `${planning.queue.pending} pending`, tone: 'normal' },
          { icon: 'sync', text: `${planning.queue.processed} dispatched`, tone: 'normal' },
          { icon: 'pass', text: `${planning.queue.complete} complete`, tone: 'normal' },
        ],
        buttons: [],
      });
      break;
  }

  const auth = snapshot.auth;
  const github = auth.github === 'session' ? `GitHub: signed in as ${auth.githubAccount ?? 'unknown'}` : auth.github === 'token' ? 'GitHub: token set' : auth.github === 'unknown' ? 'GitHub: checking…' : 'GitHub: not signed in — local mode';
  const signedIn = auth.github === 'session' || auth.github === 'token';
  sections.push({
    id: 'accounts',
    title: 'Accounts',
    rows: [
      { icon: 'github', text: github, tone: 'normal' },
      { icon: 'key', text: `GitLab token ${auth.gitlab ? 'set' : 'not set'}`, tone: 'normal' },
      { icon: 'key', text: `Jules API key ${auth.jules ? 'set' : 'not set'}`, tone: 'normal' },
      { icon: 'key', text: `Anthropic API key ${auth.anthropic ? 'set' : 'not set'}`, tone: 'normal' },
    ],
    buttons: signedIn ? [] : [button('signInToGitHub', 'Sign in to GitHub', 'github'), button('setGitHubToken', 'Use a Token', 'key', true)],
  });

  if (snapshot.settingsProblems.length > 0) {
    sections.push({
      id: 'settings',
      title: 'Settings',
      rows: snapshot.settingsProblems.map(problem => ({ icon: 'warning', text: problem.message, tone: 'warning' as const })),
      buttons: [],
    });
  }

  sections.push({ id: 'tools', title: 'Tools', rows: [], buttons: [button('doctor', 'Run Doctor', 'pulse', true), button('showLog', 'Show Log', 'output', true), button('refresh', 'Refresh', 'refresh', true)] });

  const badge = !snapshot.trusted
    ? { text: 'Restricted Mode', tone: 'warning' as const }
    : snapshot.settingsProblems.length > 0
      ? { text: 'Check settings', tone: 'warning' as const }
      : undefined;
  return { title: snapshot.workspaceName ?? 'No folder open', badge, sections };
}
