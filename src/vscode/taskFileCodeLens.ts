import * as vscode from 'vscode';
import type { AtoState } from '../core/state/atoState';
import type { Store } from '../core/state/store';
import { taskFileLenses } from '../core/views/taskFileLenses';
import { taskFileSelector } from './taskFileLanguage';

/**
 * "Dispatch now · Preview agent" above a valid pending task file's front matter (PRODUCT §6), in a trusted
 * workspace only; which file gets which lens is core's taskFileLenses. Lenses follow the queue index and trust.
 */
export function registerTaskFileCodeLens(store: Store<AtoState>): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  let seen = { queue: store.state.queue, trusted: store.state.trusted };
  const subscription = store.onDidChange(state => {
    if (state.queue === seen.queue && state.trusted === seen.trusted) return;
    seen = { queue: state.queue, trusted: state.trusted };
    changed.fire();
  });
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses: document => taskFileLenses(store.state, document.uri.fsPath).map(lens => new vscode.CodeLens(
      new vscode.Range(lens.line, 0, lens.line, 0),
      { title: lens.title, command: lens.command, arguments: [lens.taskId] },
    )),
  };
  return vscode.Disposable.from(vscode.languages.registerCodeLensProvider(taskFileSelector, provider), changed, { dispose: () => { subscription.dispose(); } });
}
