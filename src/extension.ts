import { join } from 'node:path';
import * as vscode from 'vscode';
import { createLogger } from './core/logging/logger';
import { Redactor } from './core/logging/redactor';
import { initialAtoState, type AtoState } from './core/state/atoState';
import { Store } from './core/state/store';
import type { AtoServices } from './vscode/atoServices';
import { registerAgentCommands } from './vscode/commands/agentCommands';
import { registerDoctorCommand } from './vscode/commands/doctorCommand';
import { registerLoopCommands } from './vscode/commands/loopCommands';
import { registerPlanningCommands } from './vscode/commands/planningCommands';
import { registerRunCommands } from './vscode/commands/runCommands';
import { registerRunLandingCommands } from './vscode/commands/runLandingCommands';
import { registerSecretCommands } from './vscode/commands/secretCommands';
import { registerTaskCommands } from './vscode/commands/taskCommands';
import { registerViewCommands } from './vscode/commands/viewCommands';
import { registerControlPanel } from './vscode/controlPanel';
import { logChannelSink } from './vscode/logChannelSink';
import { LoopService } from './vscode/loopService';
import { QueueService } from './vscode/queueService';
import { RunService } from './vscode/runService';
import { VscodeSecrets } from './vscode/secretStore';
import { createStatusBar } from './vscode/statusBar';
import { registerTaskFileCodeLens } from './vscode/taskFileCodeLens';
import { registerTaskFileLanguage } from './vscode/taskFileLanguage';
import { createTreeView } from './vscode/treeView';
import { WorkspaceMonitor } from './vscode/workspaceMonitor';

/** Stops this window's planning loop; set while ATO is active. */
let closeLoop: (() => Promise<void>) | undefined;

/** What ATO exposes to other extensions and to its own extension-host tests. */
export interface AtoApi {
  /** How long `activate()` took, in milliseconds. */
  readonly activationMs: number;
  /** When `activate()` started and returned, on the `performance.now()` clock of the extension host. */
  readonly activationSpan: { readonly start: number; readonly end: number };
  readonly state: () => AtoState;
}

/**
 * The composition root: build the services, register views and commands, return. Everything that needs
 * I/O (settings problems, the planning folder, secrets, the queue index) starts after activation, so it
 * stays fast and does no network.
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
  const services: AtoServices = { extensionVersion: String((context.extension.packageJSON as { version?: unknown }).version), channel, log, redactor, store, secrets, workspace, workspaceState: context.workspaceState };
  const queue = new QueueService(store, log.scoped('queue'), () => workspace.workspaceRoot);
  const runs = new RunService(services, queue);
  const loop = new LoopService(services, () => runs.activeRunCount(), () => runs.fleetRuns());
  closeLoop = () => loop.close();
  const panel = registerControlPanel(context.extensionUri, store, redactor, log.scoped('panel'));

  context.subscriptions.push(
    channel, store, workspace, queue, runs,
    createStatusBar(store),
    createTreeView(store),
    panel,
    loop,
    ...registerLoopCommands({ services, getController: () => loop.controller, isPanelVisible: () => panel.visible }),
    ...registerViewCommands(services),
    ...registerPlanningCommands(services, join(context.extensionPath, 'dist')),
    ...registerSecretCommands(services),
    ...registerDoctorCommand(services),
    ...registerTaskCommands(services),
    ...registerRunCommands(services, runs, () => loop.controller),
    ...registerRunLandingCommands(services, runs),
    ...registerAgentCommands(services, runs),
  );
  const ended = performance.now();
  const activationMs = ended - started;
  setTimeout(() => {
    workspace.start();
    loop.start();
    // Diagnostics, completion and hover for task files: registered just after activation, which they do not need to delay.
    context.subscriptions.push(registerTaskFileLanguage(store, { workspaceRoot: () => workspace.workspaceRoot, agentIds: () => runs.agentIds(), knownIds: () => queue.knownIds() }));
    context.subscriptions.push(registerTaskFileCodeLens(store));
    // The queue index follows the planning folder: started once it exists, restarted when it moves.
    context.subscriptions.push(store.onDidChange(state => {
      const planning = state.planning;
      void queue.ensure(planning.kind === 'ready' || planning.kind === 'partial' ? planning.path : undefined);
    }));
    log.info('ATO %s activated in %s ms', services.extensionVersion, activationMs.toFixed(2));
    void workspace.record({ kind: 'extension.activated', version: services.extensionVersion, activationMs: Number(activationMs.toFixed(2)) });
  }, 0);
  return { activationMs, activationSpan: { start: started, end: ended }, state: () => store.state };
}

export function deactivate(): Promise<void> | undefined {
  // Everything else is released through context.subscriptions; the loop first gives its remote lease up
  // (VS Code waits for this promise, briefly).
  const closing = closeLoop?.();
  closeLoop = undefined;
  return closing;
}
