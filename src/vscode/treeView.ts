import * as vscode from 'vscode';
import { folderArg } from '../core/folders/folderSet';
import { viewIds } from '../core/views/commandIds';
import { buildFolderTreeModel } from '../core/views/folderViews';
import type { TreeNodeModel } from '../core/views/treeModel';
import { plainText } from '../shared/codeSpans';
import type { FolderRegistry } from './folderRegistry';
import { markdownOf } from './markdownText';

/** Maps the core tree model to VS Code's tree. `getChildren` only reads the stores. */
class AtoTreeDataProvider implements vscode.TreeDataProvider<TreeNodeModel> {
  private readonly changed = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: readonly TreeNodeModel[];

  constructor(private readonly folders: FolderRegistry) {
    this.roots = buildFolderTreeModel(folders.views());
  }

  update(): void {
    this.roots = buildFolderTreeModel(this.folders.views());
    this.changed.fire(undefined);
  }

  getChildren(element?: TreeNodeModel): TreeNodeModel[] {
    return [...(element === undefined ? this.roots : element.children ?? [])];
  }

  getTreeItem(node: TreeNodeModel): vscode.TreeItem {
    const hasChildren = node.children !== undefined && node.children.length > 0;
    // Labels and descriptions are plain text (code ticks dropped); tooltips render code spans as code.
    const item = new vscode.TreeItem(plainText(node.label), !hasChildren ? vscode.TreeItemCollapsibleState.None : node.collapsed === true ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
    item.id = node.id;
    item.iconPath = new vscode.ThemeIcon(node.icon);
    if (node.description !== undefined) item.description = plainText(node.description);
    if (node.tooltip !== undefined) item.tooltip = markdownOf(node.tooltip);
    if (node.contextValue !== undefined) item.contextValue = node.contextValue;
    if (node.openFile !== undefined) {
      item.resourceUri = vscode.Uri.file(node.openFile);
      item.command = { command: 'vscode.open', title: 'Open', arguments: [item.resourceUri] };
    } else if (node.command !== undefined) {
      // A row of one folder in a multi-root window: its ATO command acts on that folder.
      const folder = node.folder !== undefined && node.command.startsWith('ato.') ? [folderArg(node.folder)] : [];
      item.command = { command: node.command, title: node.label, arguments: [...(node.commandArgs ?? []), ...folder] };
    }
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/**
 * Where the user last was, the tree's selection or an editor: VS Code tells an extension neither which view
 * has focus nor when it gets it, so a selection made after the last editor activity (switching, clicking,
 * typing) in a visible tree stands for "the tree has focus". Counted, not timed: only the order matters.
 */
class TreeFocus implements vscode.Disposable {
  private step = 0;
  private selectedAt = -1;
  private editorAt = -1;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly view: vscode.TreeView<TreeNodeModel>) {
    this.subscriptions = [
      view.onDidChangeSelection(() => { this.selectedAt = ++this.step; }),
      vscode.window.onDidChangeActiveTextEditor(editor => { if (editor !== undefined) this.editorAt = ++this.step; }),
      vscode.window.onDidChangeTextEditorSelection(() => { this.editorAt = ++this.step; }),
    ];
  }

  /** The folder of the selected row (the first of several), while the tree is taken to have focus. */
  selectedFolder(): string | undefined {
    if (!this.view.visible || this.selectedAt <= this.editorAt) return undefined;
    return this.view.selection[0]?.folder;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

/** Several queue rows can be selected at once, for Dispatch Tasks (fan-out). */
export function createTreeView(folders: FolderRegistry): vscode.Disposable {
  const provider = new AtoTreeDataProvider(folders);
  const view = vscode.window.createTreeView(viewIds.tree, { treeDataProvider: provider, showCollapseAll: true, canSelectMany: true });
  const focus = new TreeFocus(view);
  return vscode.Disposable.from(view, provider, focus, folders.useTreeSelection(() => focus.selectedFolder()), folders.onDidChange(() => { provider.update(); }));
}
