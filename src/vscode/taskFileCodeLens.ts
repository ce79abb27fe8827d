import * as vscode from 'vscode';
import { folderArg } from '../core/folders/folderSet';
import { taskFileLenses } from '../core/views/taskFileLenses';
import type { FolderRegistry } from './folderRegistry';
import { taskFileSelector } from './taskFileLanguage';

/**
 * "Dispatch now · Preview agent" above a valid pending task file's front matter (PRODUCT §6), in a trusted
 * workspace only; which file gets which lens is core's taskFileLenses, from the state of the file's folder.
 * Lenses follow the queue indexes and trust; in a multi-root window their commands name the file's folder.
 */
export function registerTaskFileCodeLens(folders: FolderRegistry): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const seenOf = (): unknown[] => folders.folders.flatMap(folder => [folder.services.store.state.queue, folder.services.store.state.trusted]);
  let seen = seenOf();
  const subscription = folders.onDidChange(() => {
    const now = seenOf();
    if (now.length === seen.length && now.every((value, i) => value === seen[i])) return;
    seen = now;
    changed.fire();
  });
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses: document => {
      const folder = folders.forPath(document.uri.fsPath);
      if (folder === undefined) return [];
      return taskFileLenses(folder.services.store.state, document.uri.fsPath).map(lens => new vscode.CodeLens(
        new vscode.Range(lens.line, 0, lens.line, 0),
        { title: lens.title, command: lens.command, arguments: [lens.taskId, ...(folders.folders.length > 1 ? [folderArg(folder.key)] : [])] },
      ));
    },
  };
  return vscode.Disposable.from(vscode.languages.registerCodeLensProvider(taskFileSelector, provider), changed, subscription);
}
