import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import { parseToWebviewMessage } from '../../src/shared/protocol';
import { connectToHost } from './hostApi';
import { PanelView } from './render';
import { parseUiState } from './uiState';

const host = connectToHost();
const root = document.getElementById('app');
const view = root === null ? undefined : new PanelView(root, host, parseUiState(host.getState()), state => { host.setState(state); });

window.addEventListener('message', (event: MessageEvent) => {
  const parsed = parseToWebviewMessage(event.data);
  if (!parsed.ok) {
    // A message we cannot trust is dropped, and the drop is visible in the webview's devtools.
    // eslint-disable-next-line no-console -- the webview has no other log
    console.warn(`ATO panel: ignored ${parsed.error}`);
    return;
  }
  const message = parsed.message;
  switch (message.type) {
    case 'snapshot':
      // Snapshots are always full (see src/shared/protocol.ts).
      view?.render(message.snapshot);
      document.body.dataset['ready'] = 'true';
      return;
    case 'dispatchResult':
      view?.showDispatchResult(message.outcomes);
      return;
    case 'preview':
      view?.showPreview(message.preview);
      return;
  }
});

// Elapsed times of active runs tick locally between snapshots.
setInterval(() => { view?.tick(); }, 1000);

host.post({ type: 'ready' });
