import * as vscode from 'vscode';
import { folderStatusBarView } from '../core/views/folderViews';
import { plainText } from '../shared/codeSpans';
import type { FolderRegistry } from './folderRegistry';
import { markdownOf } from './markdownText';

/**
 * The loop indicator in the status bar: a pure render of the folders' stores. With several folders it shows
 * the active editor's folder, or a summary of all of them.
 */
export function createStatusBar(folders: FolderRegistry): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('ato.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'ATO';
  const render = (): void => {
    const view = folderStatusBarView(folders.views(), folders.activeFolder()?.key);
    item.text = plainText(view.text);
    item.tooltip = markdownOf(view.tooltip);
    item.command = view.command;
    item.backgroundColor = view.tone === 'normal' ? undefined : new vscode.ThemeColor(view.tone === 'warning' ? 'statusBarItem.warningBackground' : 'statusBarItem.errorBackground');
  };
  render();
  item.show();
  return vscode.Disposable.from(item, folders.onDidChange(render), vscode.window.onDidChangeActiveTextEditor(render));
}
