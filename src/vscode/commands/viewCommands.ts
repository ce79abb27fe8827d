import * as vscode from 'vscode';
import type { AtoServices } from '../atoServices';
import { commandIds, viewIds } from '../../core/views/commandIds';
import { registerCommand } from './registerCommand';

export function registerViewCommands(services: AtoServices): vscode.Disposable[] {
  return [
    registerCommand(services, commandIds.openControlPanel, { mutates: false }, async () => {
      await vscode.commands.executeCommand(`${viewIds.controlPanel}.focus`);
    }),
    registerCommand(services, commandIds.refresh, { mutates: false }, async () => {
      await services.workspace.refresh();
    }),
    registerCommand(services, commandIds.showLog, { mutates: false }, () => {
      services.channel.show(true);
      return Promise.resolve();
    }),
    registerCommand(services, commandIds.openEventLog, { mutates: false }, async () => {
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
