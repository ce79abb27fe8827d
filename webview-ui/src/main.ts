import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import { foreignProtocolVersion, parseToWebviewMessage } from '../../src/shared/protocol';
import { connectToHost } from './hostApi';
import { PanelView } from './render';
import { parseUiState } from './uiState';

const host = connectToHost();
const root = document.getElementById('app');
const view = root === null ? undefined : new PanelView(root, host, parseUiState(host.getState()), state => { host.setState(state); });

window.addEventListener('message', (event: MessageEvent) => {
  // Checked first: an update of another version fails every schema, and the user must learn why.
  const foreign = foreignProtocolVersion(event.data);
  if (foreign !== undefined) {
    view?.showProtocolMismatch(foreign.version);
    document.body.dataset['ready'] = 'true';
    return;
  }
  const parsed = parseToWebviewMessage(event.data);
  if (!parsed.ok) {
    // A message we cannot trust is dropped, and the drop is visible in the webview's devtools.
    // eslint-disable-next-line no-console -- the webview has no other log
    console.warn(`ATO panel: ignored ${parsed.error}`);
    return;
  }
  const message = parsed.message;
  switch (message.type) {
    case 'update':
      // Only the parts that changed come (src/shared/protocol.ts); one that cannot be applied asks for a full update.
      if (view !== undefined && !view.update(message)) {
        // eslint-disable-next-line no-console -- the webview has no other log
        console.warn('ATO panel: an update did not fit what the panel has; asked the host for all of it');
        host.post({ type: 'ready' });
        return;
      }
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
