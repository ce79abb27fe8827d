import * as vscode from 'vscode';
import { secretDescriptions, secretIds, validateSecretInput, type SecretId } from '../../core/secrets/secrets';
import type { EventInput } from '../../core/events/eventLog';
import type { FolderRouter } from '../folderRegistry';
import { commandIds, type CommandId } from '../../core/views/commandIds';
import { registerWindowCommand } from './registerCommand';

const setCommands: readonly (readonly [CommandId, SecretId, string])[] = [
  [commandIds.setGitHubToken, 'github.token', 'A fine-grained or classic token with access to the repository (Contents, Issues, Pull requests).'],
  [commandIds.setGitLabToken, 'gitlab.token', 'A personal or project access token with the api scope.'],
  [commandIds.setJulesKey, 'jules.apiKey', 'The API key from jules.google.com → Settings → API keys.'],
  [commandIds.setAnthropicKey, 'anthropic.apiKey', 'The API key from console.anthropic.com.'],
];

/**
 * Commands that put keys into SecretStorage and take them out. Each `set` command asks in a password box;
 * for automation it also accepts the value as its first argument. Values go only to SecretStorage:
 * never to settings, logs, events or messages. Keys are the window's (the user's), not a folder's: each
 * folder's event log records the change and each folder's state shows it.
 */
export function registerSecretCommands(router: FolderRouter): vscode.Disposable[] {
  const services = router.shared;
  const recorded = async (event: EventInput): Promise<void> => {
    await Promise.all(router.folders.map(async folder => {
      await folder.services.workspace.record(event);
      await folder.services.workspace.refresh();
    }));
  };
  const setters = setCommands.map(([command, id, prompt]) =>
    registerWindowCommand(services, command, { mutates: true }, async (value?: unknown) => {
      const label = secretDescriptions[id].label;
      const entered = typeof value === 'string'
        ? value
        : await vscode.window.showInputBox({ title: `ATO: Set ${label}`, prompt, password: true, ignoreFocusOut: true, validateInput: validateSecretInput });
      if (entered === undefined) return;
      const problem = validateSecretInput(entered);
      if (problem !== undefined) throw new Error(`${label} not stored: ${problem}`);
      await services.secrets.store(id, entered);
      services.log.info('%s stored in SecretStorage', label);
      await recorded({ kind: 'secret.stored', secret: id });
      void vscode.window.showInformationMessage(`ATO: ${label} stored in VS Code's secret storage.`);
    }),
  );

  const clear = registerWindowCommand(services, commandIds.clearKey, { mutates: true }, async (value?: unknown) => {
    let id: SecretId | undefined;
    if (typeof value === 'string' && (secretIds as readonly string[]).includes(value)) {
      id = value as SecretId;
    } else {
      const present: SecretId[] = [];
      for (const candidate of secretIds) if (await services.secrets.has(candidate)) present.push(candidate);
      if (present.length === 0) {
        void vscode.window.showInformationMessage('ATO has no stored keys.');
        return;
      }
      const picked = await vscode.window.showQuickPick(
        present.map(candidate => ({ label: secretDescriptions[candidate].label, id: candidate })),
        { title: 'ATO: Clear a Stored Key', placeHolder: 'Which key should ATO forget?' },
      );
      id = picked?.id;
    }
    if (id === undefined) return;
    await services.secrets.delete(id);
    services.log.info('%s removed from SecretStorage', secretDescriptions[id].label);
    await recorded({ kind: 'secret.cleared', secret: id });
    void vscode.window.showInformationMessage(`ATO: ${secretDescriptions[id].label} removed.`);
  });

  const signIn = registerWindowCommand(services, commandIds.signInToGitHub, { mutates: true }, async () => {
    const account = await services.secrets.signInToGitHub();
    services.log.info('signed in to GitHub as %s', account);
    await recorded({ kind: 'github.signedIn', account });
    void vscode.window.showInformationMessage(`ATO: signed in to GitHub as ${account}.`);
  });

  return [...setters, clear, signIn];
}
