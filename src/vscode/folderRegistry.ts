import * as vscode from 'vscode';
import { chooseFolder, diffFolders, folderNamedBy, folderOfPath, withoutFolderArgs } from '../core/folders/folderSet';
import { contextKeys } from '../core/views/commandIds';
import { folderSummary, type FolderView } from '../core/views/folderViews';
import type { SharedServices } from './atoServices';
import { createFolderServices, type FolderServices } from './folderServices';

/** What commands need of the folder set: which folder a command acts on. */
export interface FolderRouter {
  readonly shared: SharedServices;
  readonly folders: readonly FolderServices[];
  /**
   * The folder a command acts on: named by its arguments (a tree row, the panel), else the only folder, else
   * the folder of the tree's selected row while the tree has focus, else the active editor's; else the user
   * picks (undefined when they cancel, or when no folder is open).
   */
  resolve(args: readonly unknown[], title: string): Promise<{ readonly folder: FolderServices; readonly args: unknown[] } | undefined>;
}

/**
 * The window's ATO workspaces: one service set per file-system folder, in the window's order, started and
 * stopped as folders are added and removed (onDidChangeWorkspaceFolders). Views subscribe to `onDidChange`,
 * which fires for any folder's state and for the set itself.
 */
export class FolderRegistry implements FolderRouter, vscode.Disposable {
  private readonly byKey = new Map<string, { readonly services: FolderServices; readonly subscription: { dispose(): void } }>();
  private ordered: readonly FolderServices[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private started = false;
  /** How many folders the window has, counted before the added ones are built (their names and logs depend on it). */
  private count = 0;
  private readonly disposables: vscode.Disposable[] = [];
  /** The folder of the row selected in ATO's tree while the tree has focus (set by the tree view). */
  private treeSelection: () => string | undefined = () => undefined;

  constructor(readonly shared: SharedServices) {
    this.sync();
  }

  get folders(): readonly FolderServices[] {
    return this.ordered;
  }

  /** The folders with their states, as the views render them. */
  views(): FolderView[] {
    return this.ordered.map(folder => ({ key: folder.key, name: folder.name, path: folder.path, state: folder.services.store.state }));
  }

  forPath(file: string): FolderServices | undefined {
    return folderOfPath(this.ordered, file);
  }

  get(key: string): FolderServices | undefined {
    return this.byKey.get(key)?.services;
  }

  /** The active editor's folder, if it has one of ours. */
  activeFolder(): FolderServices | undefined {
    const uri = vscode.window.activeTextEditor?.document.uri;
    return uri?.scheme === 'file' ? this.forPath(uri.fsPath) : undefined;
  }

  /** The tree tells which folder its focused selection names: a palette command then acts there. */
  useTreeSelection(selected: () => string | undefined): vscode.Disposable {
    this.treeSelection = selected;
    return new vscode.Disposable(() => { this.treeSelection = () => undefined; });
  }

  start(): void {
    this.started = true;
    for (const folder of this.ordered) folder.start();
    this.disposables.push(vscode.workspace.onDidChangeWorkspaceFolders(() => { this.sync(); }));
  }

  async resolve(args: readonly unknown[], title: string): Promise<{ readonly folder: FolderServices; readonly args: unknown[] } | undefined> {
    const active = vscode.window.activeTextEditor?.document.uri;
    // A file the command was run on (the explorer's context menu) names its folder too.
    const clicked = args.flatMap(arg => (Array.isArray(arg) ? arg as unknown[] : [arg])).find((arg): arg is vscode.Uri => arg instanceof vscode.Uri && arg.scheme === 'file');
    const named = folderNamedBy(args) ?? (clicked === undefined ? undefined : this.forPath(clicked.fsPath)?.key);
    const choice = chooseFolder(this.ordered, { named, selected: this.treeSelection(), activeFile: active?.scheme === 'file' ? active.fsPath : undefined });
    const rest = withoutFolderArgs(args);
    switch (choice.kind) {
      case 'folder':
        return { folder: choice.folder, args: rest };
      case 'none':
        void vscode.window.showWarningMessage('ATO: open a folder first — ATO works on the folders of the workspace.');
        return undefined;
      case 'ask': {
        const picked = await this.pick(title, choice.among);
        return picked === undefined ? undefined : { folder: picked, args: rest };
      }
    }
  }

  /** A quick pick of the folders, each with its state in a few words. */
  async pick(title: string, among: readonly FolderServices[] = this.ordered): Promise<FolderServices | undefined> {
    const items = among.map(folder => ({ label: folder.name, description: folderSummary(folder.services.store.state), detail: folder.path, folder }));
    const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Which folder?' });
    return picked?.folder;
  }

  /** Starts what was added and stops what was removed; the order follows the window's. */
  private sync(): void {
    const wanted = (vscode.workspace.workspaceFolders ?? []).filter(folder => folder.uri.scheme === 'file');
    const refs = wanted.map(folder => ({ key: folder.uri.toString(), name: folder.name, path: folder.uri.fsPath, folder }));
    const { added, removed } = diffFolders(this.byKey.keys(), refs);
    this.count = refs.length;
    for (const key of removed) {
      const entry = this.byKey.get(key);
      if (entry === undefined) continue;
      this.byKey.delete(key);
      entry.subscription.dispose();
      this.shared.log.info('folder %s left the window: its ATO stops', entry.services.name);
      void entry.services.close().catch((error: unknown) => { this.shared.log.warn('stopping ATO for %s: %s', entry.services.name, error); });
    }
    for (const ref of added) {
      const services = createFolderServices(ref.folder, { shared: this.shared, folderCount: () => this.count });
      const subscription = services.services.store.onDidChange(() => { this.changed.fire(); });
      this.byKey.set(ref.key, { services, subscription });
      if (this.started) {
        this.shared.log.info('folder %s joined the window: its ATO starts', services.name);
        services.start();
      }
    }
    this.ordered = refs.flatMap(ref => {
      const services = this.byKey.get(ref.key)?.services;
      return services === undefined ? [] : [services];
    });
    void vscode.commands.executeCommand('setContext', contextKeys.multiRoot, this.ordered.length > 1);
    // A folder count that crosses one changes every folder's name and who sets the context keys.
    if (this.started && (added.length > 0 || removed.length > 0)) for (const folder of this.ordered) folder.services.workspace.scheduleRefresh();
    if (added.length > 0 || removed.length > 0) this.changed.fire();
  }

  /** For `deactivate`: every folder's loop gives its lease up before the window goes. */
  async close(): Promise<void> {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    const entries = [...this.byKey.values()];
    this.byKey.clear();
    this.ordered = [];
    for (const entry of entries) entry.subscription.dispose();
    await Promise.all(entries.map(entry => entry.services.close()));
  }

  dispose(): void {
    void this.close();
    this.changed.dispose();
  }
}
