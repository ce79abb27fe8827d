import * as vscode from 'vscode';
import type { AtoState } from '../core/state/atoState';
import { statusBarView } from '../core/views/statusBarModel';
import type { Store } from '../core/state/store';
import { plainText } from '../shared/codeSpans';
import { markdownOf } from './markdownText';

/** The loop indicator in the status bar: a pure render of the store. */
export function createStatusBar(store: Store<AtoState>): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('ato.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'ATO';
  const render = (state: AtoState): void => {
    const view = statusBarView(state);
    item.text = plainText(view.text);
    item.tooltip = markdownOf(view.tooltip);
    item.command = view.command;
    item.backgroundColor = view.tone === 'normal' ? undefined : new vscode.ThemeColor(view.tone === 'warning' ? 'statusBarItem.warningBackground' : 'statusBarItem.errorBackground');
  };
  render(store.state);
  item.show();
  const subscription = store.onDidChange(render);
  return vscode.Disposable.from(item, { dispose: () => { subscription.dispose(); } });
}
