import * as vscode from 'vscode';
import type { FolderRouter } from '../folderRegistry';
import { commandIds, viewIds } from '../../core/views/commandIds';
import { registerCommand, registerWindowCommand } from './registerCommand';

export function registerViewCommands(router: FolderRouter): vscode.Disposable[] {
  const { shared } = router;
  return [
    registerWindowCommand(shared, commandIds.openControlPanel, { mutates: false }, async () => {
      await vscode.commands.executeCommand(`${viewIds.controlPanel}.focus`);
    }),
    // Every folder: refresh is cheap, and which folder looks stale is not for the user to work out.
    registerWindowCommand(shared, commandIds.refresh, { mutates: false }, async () => {
      await Promise.all(router.folders.map(folder => folder.services.workspace.refresh()));
    }),
    registerWindowCommand(shared, commandIds.showLog, { mutates: false }, () => {
      shared.channel.show(true);
      return Promise.resolve();
    }),
    registerCommand(router, commandIds.openEventLog, { mutates: false }, async ({ services }) => {
      const log = await services.workspace.events();
      if (log === undefined) {
        void vscode.window.showInformationMessage(vscode.workspace.isTrusted ? 'ATO keeps an event log only for a folder: open one first.' : 'In Restricted Mode ATO writes no event log.');
        return;
      }
      await log.flush();
      try {
        await vscode.window.showTextDocument(vscode.Uri.file(log.file), { preview: true });
      } catch {
        void vscode.window.showInformationMessage('The event log is empty: ATO has recorded nothing in this workspace yet.');
      }
    }),
  ];
}
