import type { PanelAction, PanelSnapshot, ToHostMessage } from '../../src/shared/protocol';
import { isMutatingMessage } from '../../src/shared/protocol';
import { restrictedModeText } from '../../src/shared/restrictedMode';
import { restrictedReason } from './listModel';

export interface PanelButton {
  /** The `data-action` marker: the panel action, or the message type for the others (`newTask`). */
  readonly action: PanelAction | 'newTask';
  readonly message: ToHostMessage;
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
  /** Said under the title, before anything else: Restricted Mode, with the way out. */
  readonly notice: PanelSection | undefined;
  /** Sections above the lists (the planning folder). */
  readonly sections: readonly PanelSection[];
  /** Sections below the lists (accounts, settings, tools); the loop has its own header (loopModel.ts). */
  readonly footer: readonly PanelSection[];
}

/** Turns a snapshot into what the panel shows. Pure: unit-tested without a browser. */
export function buildPanelModel(snapshot: PanelSnapshot): PanelModel {
  const button = (action: PanelAction | 'newTask', label: string, icon: string, secondary = false): PanelButton => {
    const message: ToHostMessage = action === 'newTask' ? { type: 'newTask' } : { type: 'action', action };
    return { action, message, label, icon, secondary, disabledReason: !snapshot.trusted && isMutatingMessage(message) ? restrictedReason : undefined };
  };
  const sections: PanelSection[] = [];
  const footer: PanelSection[] = [];
  const notice: PanelSection | undefined = snapshot.trusted ? undefined : {
    id: 'trust',
    title: restrictedModeText.title,
    rows: [{ icon: 'shield', text: restrictedModeText.detail, tone: 'warning' }],
    buttons: [button('manageTrust', restrictedModeText.action, 'shield')],
  };

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
        title: 'Planning folder',
        rows: [
          { icon: 'inbox', text: `${planning.queue.pending} pending`, tone: 'normal' },
          { icon: 'sync', text: `${planning.queue.processed} dispatched`, tone: 'normal' },
          { icon: 'pass', text: `${planning.queue.complete} complete`, tone: 'normal' },
          ...(snapshot.queue !== null && snapshot.queue.counts.invalid > 0 ? [{ icon: 'error', text: `${snapshot.queue.counts.invalid} invalid`, tone: 'error' as const }] : []),
        ],
        buttons: [button('newTask', 'New Task', 'add', true)],
      });
      break;
  }

  const auth = snapshot.auth;
  const github = auth.github === 'session' ? `GitHub: signed in as ${auth.githubAccount ?? 'unknown'}` : auth.github === 'token' ? 'GitHub: token set' : auth.github === 'unknown' ? 'GitHub: checking…' : 'GitHub: not signed in — local mode';
  const signedIn = auth.github === 'session' || auth.github === 'token';
  footer.push({
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
    footer.push({
      id: 'settings',
      title: 'Settings',
      rows: snapshot.settingsProblems.map(problem => ({ icon: 'warning', text: problem.message, tone: 'warning' as const })),
      buttons: [],
    });
  }

  footer.push({ id: 'tools', title: 'Tools', rows: [], buttons: [button('doctor', 'Run Doctor', 'pulse', true), button('showLog', 'Show Log', 'output', true), button('refresh', 'Refresh', 'refresh', true)] });

  const problems = snapshot.settingsProblems.length;
  const badge = !snapshot.trusted
    ? { text: 'Restricted Mode', tone: 'warning' as const }
    : problems > 0
      ? { text: problems === 1 ? '1 settings problem' : `${problems} settings problems`, tone: 'warning' as const }
      : { text: 'Trusted', tone: 'normal' as const };
  return { title: snapshot.workspaceName ?? 'No folder open', badge, notice, sections, footer };
}
