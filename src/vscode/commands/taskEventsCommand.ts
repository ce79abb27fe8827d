import * as vscode from 'vscode';
import type { AtoServices } from '../atoServices';
import type { FolderRouter } from '../folderRegistry';
import { commandIds } from '../../core/views/commandIds';
import { taskEventsUri } from '../taskEventsDocument';
import { registerCommand } from './registerCommand';

/**
 * The task a target names: a task id, or a tree row's `ref` (a task row names its task, a run row its run,
 * whose task it is). Anything else is undefined, never guessed at.
 */
export function taskOfTarget(services: AtoServices, target: unknown): string | undefined {
  const ref = typeof target === 'string' ? target : typeof target === 'object' && target !== null && 'ref' in target && typeof target.ref === 'string' ? target.ref : undefined;
  if (ref === undefined || ref.trim() === '') return undefined;
  return services.store.state.runs.find(run => run.runId === ref)?.taskId ?? ref;
}

/**
 * "ATO: Show Task Events": the event log of one task (from a task or run row, a panel row, or asks which
 * task), in a read-only view that follows the log. Returns the view's URI (the extension-host tests read it).
 */
export function registerTaskEventsCommand(router: FolderRouter): vscode.Disposable {
  return registerCommand(router, commandIds.showTaskEvents, { mutates: false }, async ({ services, queue, key }, target?: unknown): Promise<string | undefined> => {
    const knownTaskIds = (): ReadonlySet<string> | undefined => queue.knownIds();
    let taskId = taskOfTarget(services, target);
    if (taskId === undefined) {
      const ids = [...new Set([...services.store.state.runs.map(run => run.taskId), ...(knownTaskIds() ?? [])])].sort();
      taskId = ids.length === 0
        ? await vscode.window.showInputBox({ title: 'ATO: Show Task Events', prompt: 'The id of the task whose events to show' })
        : await vscode.window.showQuickPick(ids, { title: 'ATO: Show Task Events', placeHolder: 'Which task\'s events?' });
      if (taskId === undefined || taskId.trim() === '') return undefined;
    }
    const uri = taskEventsUri(taskId.trim(), router.folders.length > 1 ? key : undefined);
    await vscode.window.showTextDocument(uri, { preview: true });
    return uri.toString();
  });
}
