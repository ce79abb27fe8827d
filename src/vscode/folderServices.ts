import * as vscode from 'vscode';
import type { FolderRef } from '../core/folders/folderSet';
import { initialAtoState } from '../core/state/atoState';
import { Store } from '../core/state/store';
import type { AtoServices, SharedServices } from './atoServices';
import { LoopService } from './loopService';
import { QueueService } from './queueService';
import { RunService } from './runService';
import { WorkspaceMonitor } from './workspaceMonitor';

/** One workspace folder's ATO: its state, monitor, queue, runs (dispatcher, fleet) and loop (with its lease). */
export interface FolderServices extends FolderRef {
  readonly folder: vscode.WorkspaceFolder;
  readonly services: AtoServices;
  readonly queue: QueueService;
  readonly runs: RunService;
  readonly loop: LoopService;
  /** Starts watching, reading and the loop: after activation returns. */
  start(): void;
  /** Stops the loop (its remote lease given up, its lock freed) and releases everything; VS Code may await it. */
  close(): Promise<void>;
}

export interface FolderServicesContext {
  readonly shared: SharedServices;
  /** How many folders the window has now (one folder is named as the workspace, and owns the context keys). */
  readonly folderCount: () => number;
}

/** The per-folder service set: the composition root calls this for each folder, and for each folder added later. */
export function createFolderServices(folder: vscode.WorkspaceFolder, context: FolderServicesContext): FolderServices {
  const { shared } = context;
  const displayName = (): string => (context.folderCount() === 1 ? vscode.workspace.name ?? folder.name : folder.name);
  const log = context.folderCount() > 1 ? shared.log.scoped(folder.name) : shared.log;
  const store = new Store(initialAtoState(displayName(), vscode.workspace.isTrusted), error => { log.error('a store listener failed: %s', error); });
  const workspace = new WorkspaceMonitor({ folder, displayName, ownsContextKeys: () => context.folderCount() === 1, multiRoot: () => context.folderCount() > 1 }, store, shared.secrets, shared.redactor, log.scoped('workspace'));
  const services: AtoServices = { ...shared, log, store, workspace };
  const queue = new QueueService(store, log.scoped('queue'), () => workspace.workspaceRoot);
  const runs = new RunService(services, queue);
  const loop = new LoopService(services, () => runs.activeRunCount(), () => runs.fleetRuns());
  const disposables: vscode.Disposable[] = [];
  let closing: Promise<void> | undefined;
  return {
    key: folder.uri.toString(),
    name: folder.name,
    path: folder.uri.fsPath,
    folder,
    services,
    queue,
    runs,
    loop,
    start() {
      workspace.start();
      loop.start();
      // The queue index follows the planning folder: started once it exists, restarted when it moves.
      const subscription = store.onDidChange(state => {
        const planning = state.planning;
        void queue.ensure(planning.kind === 'ready' || planning.kind === 'partial' ? planning.path : undefined);
      });
      disposables.push(new vscode.Disposable(() => { subscription.dispose(); }));
    },
    close() {
      closing ??= (async () => {
        for (const disposable of disposables.splice(0)) disposable.dispose();
        await loop.close();
        workspace.dispose();
        queue.dispose();
        runs.dispose();
        store.dispose();
      })();
      return closing;
    },
  };
}
