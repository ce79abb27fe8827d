import * as vscode from 'vscode';
import { createLogger } from './core/logging/logger';
import { Redactor } from './core/logging/redactor';
import { initialAtoState, type AtoState } from './core/state/atoState';
import { Store } from './core/state/store';
import type { AtoServices } from './vscode/atoServices';
import { registerDoctorCommand } from './vscode/commands/doctorCommand';
import { registerPlanningCommands } from './vscode/commands/planningCommands';
import { registerSecretCommands } from './vscode/commands/secretCommands';
import { registerTaskCommands } from './vscode/commands/taskCommands';
import { registerViewCommands } from './vscode/commands/viewCommands';
import { registerControlPanel } from './vscode/controlPanel';
import { logChannelSink } from './vscode/logChannelSink';
import { VscodeSecrets } from './vscode/secretStore';
import { createStatusBar } from './vscode/statusBar';
import { createTreeView } from './vscode/treeView';
import { WorkspaceMonitor } from './vscode/workspaceMonitor';

/** What ATO exposes to other extensions and to its own extension-host tests. */
export interface AtoApi {
  /** How long `activate()` took, in milliseconds. */
  readonly activationMs: number;
  readonly state: () => AtoState;
}

/**
 * The composition root: build the services, register views and commands, return. Everything that needs
 * I/O (settings problems, the planning folder, secrets) starts after activation, so it stays fast and
 * does no network.
 */
export function activate(context: vscode.ExtensionContext): AtoApi {
  const started = performance.now();
  const channel = vscode.window.createOutputChannel('ATO', { log: true });
  const redactor = new Redactor();
  const log = createLogger(logChannelSink(channel), redactor);
  const folderName = vscode.workspace.workspaceFolders?.[0] === undefined ? undefined : vscode.workspace.name;
  const store = new Store(initialAtoState(folderName, vscode.workspace.isTrusted), error => { log.error('a store listener failed: %s', error); });
  const secrets = new VscodeSecrets(context.secrets, redactor);
  const workspace = new WorkspaceMonitor(store, secrets, redactor, log.scoped('workspace'));
  const services: AtoServices = { extensionVersion: String((context.extension.packageJSON as { version?: unknown }).version), channel, log, redactor, store, secrets, workspace };

  context.subscriptions.push(
    channel,
    store,
    workspace,
    createStatusBar(store),
    createTreeView(store),
    registerControlPanel(context.extensionUri, store, redactor, log.scoped('panel')),
    ...registerViewCommands(services),
    ...registerPlanningCommands(services),
    ...registerSecretCommands(services),
    ...registerDoctorCommand(services),
    ...registerTaskCommands(services),
  );
  const activationMs = performance.now() - started;
  setTimeout(() => {
    workspace.start();
    log.info('ATO %s activated in %s ms', services.extensionVersion, activationMs.toFixed(2));
    void workspace.record({ kind: 'extension.activated', version: services.extensionVersion, activationMs: Number(activationMs.toFixed(2)) });
  }, 0);
  return { activationMs, state: () => store.state };
}

export function deactivate(): void {
  // Everything is released through context.subscriptions.
}
