import * as vscode from 'vscode';
import { commandIds, viewIds } from '../../core/views/commandIds';
import type { ControlPanelHandle } from '../controlPanel';
import type { FolderRegistry } from '../folderRegistry';
import { registerWindowCommand } from './registerCommand';

/** Multi-root: which folder the control panel shows (its title bar's folder button, or the palette). */
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
  ];
}
