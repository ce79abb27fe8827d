import { relative, sep } from 'node:path';
import * as vscode from 'vscode';
import { draftFromDelegation, type DelegationTarget } from '../../core/tasks/delegation';
import { writeNewTaskFile } from '../../core/tasks/taskFileWriter';
import { planningPartPath } from '../../core/planning/planningLayout';
import { PlanningWriter } from '../../core/planning/planningWriter';
import { commandIds } from '../../core/views/commandIds';
import { folderArg } from '../../core/folders/folderSet';
import type { AtoServices } from '../atoServices';
import type { FolderRouter } from '../folderRegistry';
import { registerCommand } from './registerCommand';

/** New Task and Delegate to AI: both write a task file into `pending/`. */
export function registerTaskCommands(router: FolderRouter): vscode.Disposable[] {
  const planningWriter = new PlanningWriter(router.shared.redactor);
  return [
    registerCommand(router, commandIds.newTask, { mutates: true }, async ({ services }) => {
      const pending = planningPartPath(services.workspace.planningRoot, 'pending');
      const title = await vscode.window.showInputBox({ title: 'ATO: New Task', prompt: 'A short title for the task', placeHolder: 'Add a login form', ignoreFocusOut: true, validateInput: v => (v.trim() === '' ? 'Enter a title.' : undefined) });
      if (title === undefined) return;
      const draft = draftFromDelegation([], title, new Date());
      const { file } = await writeNewTaskFile(planningWriter, pending, { ...draft, prompt: 'Describe what the agent must do, and how to know it is done.' });
      await services.workspace.record({ kind: 'task.created', file: relativeToWorkspace(services, file), via: 'newTask' });
      await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
    }),
    // The folder is the clicked file's (the router reads the URI), or the active editor's.
    registerCommand(router, commandIds.delegateToAI, { mutates: true }, async ({ services }, clicked?: unknown, selected?: unknown) => {
      const pending = planningPartPath(services.workspace.planningRoot, 'pending');
      const root = services.workspace.workspaceRoot;
      const targets = await delegationTargets(root, clicked, selected);
      if (targets.length === 0) {
        void vscode.window.showWarningMessage('Delegate to AI works on files and folders of this workspace, or on a selection in an editor.');
        return;
      }
      const what = targets.length === 1 && targets[0] !== undefined ? targets[0].path : `${targets.length} items`;
      const instruction = await vscode.window.showInputBox({
        title: `ATO: Delegate ${what} to AI`,
        prompt: 'What should the agent do? (It becomes a task file in the queue.)',
        placeHolder: 'Add input validation and tests',
        ignoreFocusOut: true,
        validateInput: value => (value.trim() === '' ? 'Describe what the agent should do.' : undefined),
      });
      if (instruction === undefined) return;
      const { id, file } = await writeNewTaskFile(planningWriter, pending, draftFromDelegation(targets, instruction, new Date()));
      await services.workspace.record({ kind: 'task.created', id, file: relativeToWorkspace(services, file), via: 'delegateToAI', targets: targets.map(t => t.path) });
      const open = 'Open Task';
      const dispatchNow = 'Dispatch Now';
      void vscode.window.showInformationMessage(`ATO: queued "${id}".`, dispatchNow, open).then(choice => {
        if (choice === open) void vscode.window.showTextDocument(vscode.Uri.file(file));
        if (choice === dispatchNow) void vscode.commands.executeCommand(commandIds.dispatchTask, id, folderArg(services.workspace.folderKey));
      });
    }),
  ];
}

function relativeToWorkspace(services: AtoServices, file: string): string {
  return relative(services.workspace.workspaceRoot, file).split(sep).join('/');
}

/**
 * What was right-clicked: the explorer passes (clicked, allSelected); the editor passes the document's
 * URI, and the selection comes from the active editor. Anything outside the workspace is ignored.
 */
async function delegationTargets(root: string, clicked: unknown, selected: unknown): Promise<DelegationTarget[]> {
  const uris = Array.isArray(selected) && selected.length > 0 ? selected.filter(isUri) : isUri(clicked) ? [clicked] : [];
  const editor = vscode.window.activeTextEditor;
  if (uris.length === 0 && editor !== undefined) uris.push(editor.document.uri);
  const targets: DelegationTarget[] = [];
  for (const uri of uris) {
    if (uri.scheme !== 'file') continue;
    const path = relative(root, uri.fsPath);
    if (path === '' || path.startsWith('..') || path.includes(`..${sep}`) || /^[A-Za-z]:/.test(path) || path.startsWith(sep)) continue;
    const stat = await vscode.workspace.fs.stat(uri);
    const kind = stat.type & vscode.FileType.Directory ? 'folder' : 'file';
    const target: DelegationTarget = { path: path.split(sep).join('/'), kind };
    const selection = editor?.document.uri.toString() === uri.toString() && !editor.selection.isEmpty ? editor.selection : undefined;
    targets.push(selection === undefined ? target : {
      ...target,
      selection: { startLine: selection.start.line + 1, endLine: selection.end.line + 1, text: editor?.document.getText(selection) ?? '' },
    });
  }
  return targets;
}

function isUri(value: unknown): value is vscode.Uri {
  return value instanceof vscode.Uri;
}
