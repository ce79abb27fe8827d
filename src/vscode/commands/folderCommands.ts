import * as vscode from 'vscode';
import { folderArg } from '../../core/folders/folderSet';
import { commandIds, viewIds, type CommandId } from '../../core/views/commandIds';
import type { ControlPanelHandle } from '../controlPanel';
import type { FolderRegistry } from '../folderRegistry';
import { registerWindowCommand } from './registerCommand';

/** Multi-root: which folder the control panel shows (its title bar's folder button, or the palette), and its title bar's actions on that folder. */
export function registerFolderCommands(folders: FolderRegistry, panel: ControlPanelHandle): vscode.Disposable[] {
  return [
    registerWindowCommand(folders.shared, commandIds.switchPanelFolder, { mutates: false }, async (key?: unknown) => {
      const named = typeof key === 'string' ? folders.get(key) : undefined;
      const folder = named ?? await folders.pick('ATO: Show Folder in Control Panel', folders.folders);
      if (folder === undefined) return undefined;
      panel.show(folder.key);
      await vscode.commands.executeCommand(`${viewIds.controlPanel}.focus`);
      return folder.key;
    }),
    // The panel's title bar: its loop actions act on the folder the panel shows, whatever editor is active;
    // only with no folder shown does the command itself ask. Answers the folder key it ran on.
    ...([[commandIds.previewTickInPanel, commandIds.previewTick], [commandIds.runTickInPanel, commandIds.runTick]] as const).map(([id, command]) =>
      registerWindowCommand(folders.shared, id, { mutates: true }, () => runInPanelFolder(panel, command))),
  ];
}

async function runInPanelFolder(panel: ControlPanelHandle, command: CommandId): Promise<string | undefined> {
  const shown = panel.shown;
  await vscode.commands.executeCommand(command, ...(shown === undefined ? [] : [folderArg(shown.key)]));
  return shown?.key;
}
