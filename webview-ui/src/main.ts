import '@vscode-elements/elements/dist/vscode-button/index.js';
import { parseToWebviewMessage } from '../../src/shared/protocol';
import { connectToHost } from './hostApi';
import { buildPanelModel } from './panelModel';
import { renderPanel } from './render';

const host = connectToHost();
const root = document.getElementById('app');

window.addEventListener('message', (event: MessageEvent) => {
  const parsed = parseToWebviewMessage(event.data);
  if (!parsed.ok) {
    // A message we cannot trust is dropped, and the drop is visible in the webview's devtools.
    // eslint-disable-next-line no-console -- the webview has no other log
    console.warn(`ATO panel: ignored ${parsed.error}`);
    return;
  }
  // The host sends only full snapshots (see src/shared/protocol.ts).
  if (root !== null) renderPanel(root, buildPanelModel(parsed.message.snapshot), host);
  document.body.dataset['ready'] = 'true';
});

host.post({ type: 'ready' });
