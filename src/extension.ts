import { join } from 'node:path';
import * as vscode from 'vscode';
import { createLogger } from './core/logging/logger';
import { Redactor } from './core/logging/redactor';
import { initialAtoState, type AtoState } from './core/state/atoState';
import type { SharedServices } from './vscode/atoServices';
import { registerAgentCommands } from './vscode/commands/agentCommands';
import { refreshCliLauncher, registerCliLauncherCommands } from './vscode/commands/cliLauncherCommands';
import { registerDoctorCommand } from './vscode/commands/doctorCommand';
import { registerFolderCommands } from './vscode/commands/folderCommands';
import { registerLoopCommands } from './vscode/commands/loopCommands';
import { registerMaintenanceCommands } from './vscode/commands/maintenanceCommands';
import { registerPlanningCommands } from './vscode/commands/planningCommands';
import { registerRunCommands } from './vscode/commands/runCommands';
import { registerRunLandingCommands } from './vscode/commands/runLandingCommands';
import { registerSecretCommands } from './vscode/commands/secretCommands';
import { registerTaskCommands } from './vscode/commands/taskCommands';
import { registerTaskEventsCommand } from './vscode/commands/taskEventsCommand';
import { registerViewCommands } from './vscode/commands/viewCommands';
import { registerControlPanel } from './vscode/controlPanel';
import { FolderRegistry } from './vscode/folderRegistry';
import { logChannelSink } from './vscode/logChannelSink';
import { VscodeSecrets } from './vscode/secretStore';
import { createStatusBar } from './vscode/statusBar';
import { registerTaskFileCodeLens } from './vscode/taskFileCodeLens';
import { registerTaskEventsDocuments } from './vscode/taskEventsDocument';
import { registerTaskFileLanguage } from './vscode/taskFileLanguage';
import { createTreeView } from './vscode/treeView';

/** Stops every folder's planning loop; set while ATO is active. */
let closeLoops: (() => Promise<void>) | undefined;

/** What ATO exposes to other extensions and to its own extension-host tests. */
export interface AtoApi {
  /** How long `activate()` took, in milliseconds. */
  readonly activationMs: number;
  /** When `activate()` started and returned, on the `performance.now()` clock of the extension host. */
  readonly activationSpan: { readonly start: number; readonly end: number };
  /** The first folder's state (the only one in a one-folder window). */
  readonly state: () => AtoState;
  /** Every folder's state, in the window's order (multi-root: each folder is its own ATO workspace). */
  readonly folders: () => readonly { readonly name: string; readonly path: string; readonly state: AtoState }[];
}

/**
 * The composition root: build the window's shared services and the folder set (one service set per
 * workspace folder, from a factory), register views and commands, return. Everything that needs I/O
 * (settings problems, the planning folder, secrets, the queue index) starts after activation, so it stays
 * fast and does no network.
 */
export function activate(context: vscode.ExtensionContext): AtoApi {
  const started = performance.now();
  const channel = vscode.window.createOutputChannel('ATO', { log: true });
  const redactor = new Redactor();
  const log = createLogger(logChannelSink(channel), redactor);
  const secrets = new VscodeSecrets(context.secrets, redactor);
  const shared: SharedServices = { extensionVersion: String((context.extension.packageJSON as { version?: unknown }).version), channel, log, redactor, secrets, workspaceState: context.workspaceState };
  const folders = new FolderRegistry(shared);
  closeLoops = () => folders.close();
  const panel = registerControlPanel(context.extensionUri, folders, redactor, log.scoped('panel'));

  context.subscriptions.push(
    channel, folders,
    createStatusBar(folders),
    createTreeView(folders),
    panel,
    ...registerLoopCommands({ router: folders, isPanelVisible: () => panel.visible }),
    ...registerMaintenanceCommands(folders),
    ...registerViewCommands(folders),
    ...registerFolderCommands(folders, panel),
    ...registerPlanningCommands(folders, join(context.extensionPath, 'dist')),
    ...registerSecretCommands(folders),
    ...registerDoctorCommand(folders),
    ...registerTaskCommands(folders),
    ...registerRunCommands(folders),
    ...registerAgentCommands(folders),
    ...registerRunLandingCommands(folders),
    ...registerCliLauncherCommands(folders, join(context.extensionPath, 'dist', 'cli.js')),
    registerTaskEventsDocuments(folders),
    registerTaskEventsCommand(folders),
  );
  const ended = performance.now();
  const activationMs = ended - started;
  setTimeout(() => {
    folders.start();
    // Diagnostics, completion and hover for task files: registered just after activation, which they do not need to delay.
    context.subscriptions.push(registerTaskFileLanguage(folders));
    context.subscriptions.push(registerTaskFileCodeLens(folders));
    void refreshCliLauncher(shared, join(context.extensionPath, 'dist', 'cli.js')).catch((error: unknown) => { log.warn('the ato launcher could not be refreshed: %s', error); });
    log.info('ATO %s activated in %s ms (%d folders)', shared.extensionVersion, activationMs.toFixed(2), folders.folders.length);
    for (const folder of folders.folders) void folder.services.workspace.record({ kind: 'extension.activated', version: shared.extensionVersion, activationMs: Number(activationMs.toFixed(2)) });
  }, 0);
  const first = initialAtoState(undefined, vscode.workspace.isTrusted);
  return {
    activationMs,
    activationSpan: { start: started, end: ended },
    state: () => folders.folders[0]?.services.store.state ?? first,
    folders: () => folders.folders.map(folder => ({ name: folder.name, path: folder.path, state: folder.services.store.state })),
  };
}

export function deactivate(): Promise<void> | undefined {
  // Everything else is released through context.subscriptions; the loops first give their remote leases up
  // (VS Code waits for this promise, briefly).
  const closing = closeLoops?.();
  closeLoops = undefined;
  return closing;
}
