import { join } from 'node:path';
import { restrictedModeText } from '../../shared/restrictedMode';
import { planningLayout } from '../planning/planningLayout';
import { secretDescriptions } from '../secrets/secrets';
import type { AtoState } from '../state/atoState';
import { requeueableRuns } from '../state/requeueableRuns';
import { commandIds, workbenchCommands, type CommandId, type WorkbenchCommandId } from './commandIds';
import { agentRows } from './agentTreeRows';
import { followedPullRequestRows } from './followedPullRequestRows';
import { loopRows, needsYouRows, redPullRequestRows } from './loopTreeRows';
import { queueRows, runRows } from './queueTreeRows';
import { queueTally } from './queueTally';
import { shownQueue } from '../state/shownQueue';
import { taskTitles } from '../queue/taskTitles';

/** One row of ATO's native tree, independent of VS Code's TreeItem. */
export interface TreeNodeModel {
  /** Stable across renders, so VS Code keeps expansion and selection. */
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string;
  /** A codicon id. */
  readonly icon: string;
  /** Opens this file when the row is clicked. */
  readonly openFile?: string;
  /** Runs this command when the row is clicked. */
  readonly command?: CommandId | WorkbenchCommandId;
  readonly commandArgs?: readonly string[];
  readonly contextValue?: string;
  /** What the row stands for, passed to its context-menu commands: a task id, a run id or a PR number. */
  readonly ref?: string;
  /** The row's page on GitHub (an issue, a PR, a check), for "open" in its menu. */
  readonly url?: string;
  readonly children?: readonly TreeNodeModel[];
  /** Starts collapsed (VS Code then keeps what the user chose, by `id`); parents start expanded otherwise. */
  readonly collapsed?: boolean;
  /** In a multi-root window: the key of the workspace folder the row belongs to (its commands act there). */
  readonly folder?: string;
}

/**
 * The rows of the tree for a state. Pure: the tree provider only maps these to TreeItems. An empty
 * result lets VS Code show the `viewsWelcome` content for that state (no folder, no planning folder).
 */
export function buildTreeModel(state: AtoState): readonly TreeNodeModel[] {
  const rows = planningRows(state);
  // Said first, where the user looks; an empty tree keeps the welcome view, which says it too.
  return state.trusted || rows.length === 0 ? rows : [restrictedModeRow, ...rows];
}

const restrictedModeRow: TreeNodeModel = {
  id: 'restricted',
  label: restrictedModeText.title,
  description: 'ATO shows state, takes no action',
  tooltip: `${restrictedModeText.detail}\nClick to manage workspace trust.`,
  icon: 'shield',
  command: workbenchCommands.manageTrust,
};

function planningRows(state: AtoState): readonly TreeNodeModel[] {
  const planning = state.planning;
  switch (planning.kind) {
    case 'noWorkspace':
    case 'unknown':
      return [];
    case 'missing':
      // With a GitHub remote the loop reads the remote's planning folder: show it even without a local one.
      return state.loop.mode === 'off' ? [] : [...loopRows(state), ...needsYouRows(state), ...redPullRequestRows(state), ...followedPullRequestRows(state), ...accountRows(state)];
    case 'error':
      return [{ id: 'planning', label: 'Planning folder unreadable', description: planning.path, tooltip: planning.message, icon: 'error', command: commandIds.refresh }];
    case 'partial':
      return [
        // The loop runs on a partial folder (a missing reviews/ does not stop it): show it first, as when ready.
        ...(state.loop.mode === 'off' ? [] : [...loopRows(state), ...needsYouRows(state), ...redPullRequestRows(state), ...followedPullRequestRows(state)]),
        {
          id: 'planning',
          label: 'Planning folder incomplete',
          description: `${planning.missing.length} missing`,
          tooltip: 'Click to create what is missing (existing files are kept).',
          icon: 'warning',
          command: commandIds.initPlanningFolder,
          children: planning.missing.map(part => ({ id: `planning/missing/${part}`, label: part, description: 'missing', icon: 'circle-slash' })),
        },
        ...accountRows(state),
      ];
    case 'ready':
      return [
        ...loopRows(state),
        ...needsYouRows(state),
        ...redPullRequestRows(state),
        ...followedPullRequestRows(state),
        {
          id: 'planning',
          label: 'Planning folder',
          description: planning.path,
          icon: 'folder-library',
          children: [
            { id: 'planning/goal', label: 'Goal', description: planningLayout.goal, icon: 'target', openFile: join(planning.path, planningLayout.goal) },
            { id: 'planning/capabilities', label: 'Capabilities', description: planningLayout.capabilities, icon: 'checklist', openFile: join(planning.path, planningLayout.capabilities) },
          ],
        },
        ...queueRows(queueTally(state) ?? { ...planning.queue, invalid: 0 }, shownQueue(state), planning.path),
        ...runRows(state.runs, requeueableRuns(state), taskTitles(shownQueue(state).queue)),
        ...agentRows(state),
        ...accountRows(state),
        ...settingsRows(state),
      ];
  }
}

function accountRows(state: AtoState): TreeNodeModel[] {
  const github = state.auth.github;
  const githubRow: TreeNodeModel =
    github.kind === 'session'
      ? { id: 'account/github', label: 'GitHub', description: `signed in as ${github.account}`, icon: 'github' }
      : github.kind === 'token'
        ? { id: 'account/github', label: 'GitHub', description: 'token set', icon: 'github' }
        : { id: 'account/github', label: 'GitHub', description: 'local mode — click to sign in', icon: 'github', command: commandIds.signInToGitHub };
  const keyRow = (id: 'gitlab.token' | 'jules.apiKey' | 'anthropic.apiKey', icon: string, command: CommandId, present: boolean): TreeNodeModel => ({
    id: `account/${id}`,
    label: secretDescriptions[id].label,
    description: present ? 'set' : 'not set',
    icon,
    ...(present ? {} : { command }),
  });
  return [
    {
      id: 'account',
      label: 'Accounts',
      description: github.kind === 'session' || github.kind === 'token' ? 'GitHub' : 'local mode',
      icon: 'account',
      children: [
        githubRow,
        keyRow('gitlab.token', 'git-merge', commandIds.setGitLabToken, state.auth.gitlab),
        keyRow('jules.apiKey', 'key', commandIds.setJulesKey, state.auth.jules),
        keyRow('anthropic.apiKey', 'key', commandIds.setAnthropicKey, state.auth.anthropic),
      ],
    },
  ];
}

function settingsRows(state: AtoState): TreeNodeModel[] {
  if (state.settingsProblems.length === 0) return [];
  return [
    {
      id: 'settings',
      label: 'Settings problems',
      description: String(state.settingsProblems.length),
      icon: 'warning',
      children: state.settingsProblems.map(problem => ({ id: `settings/${problem.setting}`, label: problem.setting, tooltip: problem.message, description: 'invalid — default used', icon: 'warning' })),
    },
  ];
}
