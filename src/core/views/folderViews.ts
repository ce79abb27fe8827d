import type { FolderRef } from '../folders/folderSet';
import { initialAtoState, type AtoState } from '../state/atoState';
import { commandIds } from './commandIds';
import { needsYouCount, statusBarView, type StatusBarView } from './statusBarModel';
import { buildTreeModel, type TreeNodeModel } from './treeModel';

/** One workspace folder and its ATO state, as the views render it. */
export interface FolderView extends FolderRef {
  readonly state: AtoState;
}

/**
 * The tree of a window: one folder's rows as they are; with two or more folders, one top-level node per
 * folder holding that folder's rows, each row carrying the folder's key (its commands act there) and an id
 * unique across folders.
 */
export function buildFolderTreeModel(folders: readonly FolderView[]): readonly TreeNodeModel[] {
  const [only, ...others] = folders;
  if (only === undefined) return [];
  if (others.length === 0) return buildTreeModel(only.state);
  return folders.map(folder => {
    const rows = buildTreeModel(folder.state);
    const children = rows.length > 0 ? rows : [emptyFolderRow(folder.state)];
    return {
      id: `folder:${folder.key}`,
      label: folder.name,
      description: folderSummary(folder.state),
      tooltip: `${folder.path}\n${folderSummary(folder.state)}`,
      icon: 'root-folder',
      folder: folder.key,
      children: children.map(row => inFolder(row, folder.key)),
    };
  });
}

/** A folder without a planning folder gets a row that says so (in a one-folder window the welcome view says it). */
function emptyFolderRow(state: AtoState): TreeNodeModel {
  if (state.planning.kind === 'unknown' || state.planning.kind === 'noWorkspace') return { id: 'reading', label: 'Reading the planning folder…', icon: 'loading~spin' };
  return { id: 'planning', label: 'No planning folder yet', description: 'click to initialize', tooltip: 'Run ATO: Initialize Planning Folder for this folder.', icon: 'new-folder', command: commandIds.initPlanningFolder };
}

function inFolder(row: TreeNodeModel, key: string): TreeNodeModel {
  return { ...row, id: `folder:${key}/${row.id}`, folder: key, ...(row.children === undefined ? {} : { children: row.children.map(child => inFolder(child, key)) }) };
}

/** A folder's state in a few words, for its tree node and the status bar's summary. */
export function folderSummary(state: AtoState): string {
  if (!state.trusted) return 'Restricted Mode';
  const { planning, loop } = state;
  if (planning.kind === 'unknown' || planning.kind === 'noWorkspace') return 'reading…';
  if (planning.kind === 'error') return 'planning folder unreadable';
  if (planning.kind === 'missing' && loop.mode === 'off') return 'no planning folder';
  const pending = pendingOf(state);
  const waiting = needsYouCount(state);
  const parts = [
    ...(pending === undefined ? [] : [`${pending} pending`]),
    ...(loopRunning(state) ? [loop.pausedUnfocused === true ? 'loop paused (unfocused)' : 'loop running'] : []),
    ...(waiting > 0 ? [`${waiting} need you`] : []),
  ];
  return parts.length === 0 ? 'ready' : parts.join(' · ');
}

/** Pending tasks as the loop counts them (its planning branch in GitHub mode), else the queue's. */
function pendingOf(state: AtoState): number | undefined {
  const { loop, planning } = state;
  if (loop.mode === 'github' && loop.counts !== undefined) return loop.counts.pending;
  return state.queue?.counts.pending ?? (planning.kind === 'ready' ? planning.queue.pending : undefined);
}

function loopRunning(state: AtoState): boolean {
  return state.loop.mode !== 'off' && state.loop.running;
}

/**
 * The status bar of a window: one folder's view; with several, the active editor's folder (named), or
 * else a summary of all of them ("2 loops running").
 */
export function folderStatusBarView(folders: readonly FolderView[], activeKey: string | undefined): StatusBarView {
  const [only, ...others] = folders;
  if (only === undefined) return statusBarView(initialAtoState(undefined, true));
  if (others.length === 0) return statusBarView(only.state);
  const active = folders.find(folder => folder.key === activeKey);
  // Trust is the window's: Restricted Mode is said the same way whatever the folder.
  if (active !== undefined || !only.state.trusted) {
    const shown = active ?? only;
    const view = statusBarView(shown.state);
    return { ...view, text: view.text.replace(/\bATO\b/, `ATO (${shown.name})`), tooltip: `Folder ${shown.name}: ${view.tooltip}` };
  }
  const views = folders.map(folder => ({ folder, view: statusBarView(folder.state) }));
  const running = folders.filter(folder => loopRunning(folder.state));
  const paused = running.filter(folder => folder.state.loop.pausedUnfocused === true);
  const pending = folders.reduce((sum, folder) => sum + (pendingOf(folder.state) ?? 0), 0);
  const waiting = folders.reduce((sum, folder) => sum + needsYouCount(folder.state), 0);
  const tone = views.some(entry => entry.view.tone === 'error') ? 'error' : views.some(entry => entry.view.tone === 'warning') ? 'warning' : 'normal';
  const lines = [`ATO in ${folders.length} folders:`, ...folders.map(folder => `- ${folder.name}: ${folderSummary(folder.state)}`), 'Click to open the control panel.'];
  if (paused.length > 0 && paused.length === running.length) return { text: '$(debug-pause) ATO paused (window unfocused)', tooltip: lines.join('\n'), tone: 'normal', command: commandIds.openControlPanel };
  const parts = [
    running.length > 0 ? `${running.length} ${running.length === 1 ? 'loop' : 'loops'} running` : `${folders.length} folders`,
    ...(pending > 0 ? [`${pending} pending`] : []),
    ...(waiting > 0 ? [`$(bell-dot) ${waiting}`] : []),
  ];
  return { text: `$(hubot) ATO: ${parts.join(' · ')}`, tooltip: lines.join('\n'), tone, command: commandIds.openControlPanel };
}

