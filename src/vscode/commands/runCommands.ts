import * as vscode from 'vscode';
import type { LoopController, LoopState } from '../../core/loop/engine/loopModel';
import { commandIds } from '../../core/views/commandIds';
import type { AtoServices } from '../atoServices';
import type { FolderRouter } from '../folderRegistry';
import { registerCommand } from './registerCommand';

/** Dispatch Task, Dispatch Tasks (fan-out), Preview Dispatch, Cancel Run, Requeue Task, Approve Agent Plan, Show Run Log (each takes an id as argument or asks); the project MCP servers choice. */
export function registerRunCommands(router: FolderRouter): vscode.Disposable[] {
  // From the palette: nothing (the command asks); from a tree row: its model, which carries `ref`.
  const id = (value: unknown): string | undefined => {
    if (typeof value === 'string') return value;
    if (typeof value === 'object' && value !== null && 'ref' in value && typeof value.ref === 'string') return value.ref;
    return undefined;
  };
  const ids = (first: unknown, selection: unknown): string[] | undefined => {
    const values = Array.isArray(first) ? first : Array.isArray(selection) ? selection : first === undefined ? [] : [first];
    const found = values.map(id).filter((value): value is string => value !== undefined);
    return found.length === 0 ? undefined : found;
  };
  return [
    registerCommand(router, commandIds.dispatchTask, { mutates: true }, async ({ runs }, taskId?: unknown) => { await runs.dispatch(id(taskId)); }),
    // An array of task ids (the panel), the tree's clicked row and its selection (canSelectMany), or nothing (asks).
    registerCommand(router, commandIds.dispatchTasks, { mutates: true }, ({ runs }, first?: unknown, selection?: unknown) => runs.fleet.dispatchMany(ids(first, selection))),
    // The answer is the preview document (the panel shows it in place: `{ editor: false }`); else it opens as Markdown too.
    registerCommand(router, commandIds.previewDispatch, { mutates: false }, ({ runs }, taskId?: unknown, options?: unknown) => runs.fleet.previewDispatch(id(taskId), !(typeof options === 'object' && options !== null && 'editor' in options && options.editor === false))),
    registerCommand(router, commandIds.cancelRun, { mutates: true }, async ({ runs }, runId?: unknown) => { await runs.cancel(id(runId)); }),
    // A task id (the panel, the palette), or a run's tree row, whose `ref` is the run id.
    // A task the loop offers to requeue (GitHub mode: its run failed on GitHub) goes through the loop's guarded
    // action on the planning branch; anything else is a local run's task, moved in the working tree.
    registerCommand(router, commandIds.requeueTask, { mutates: true }, async ({ services, runs, loop: loopService }, target?: unknown) => {
      const ref = id(target);
      const run = typeof target === 'object' ? services.store.state.runs.find(known => known.runId === ref) : undefined;
      const loop = loopService.controller;
      const offers = loop === undefined || run !== undefined ? [] : loopRequeueOffers(services.store.state.loop);
      let taskId = run?.taskId ?? ref;
      if (taskId === undefined && offers.length > 0) {
        const local = { label: 'A task of a local run…', description: '', id: undefined };
        const picked = await vscode.window.showQuickPick([...offers.map(offer => ({ label: offer.taskId, description: offer.title, id: offer.taskId })), local], { title: 'ATO: Requeue Task', placeHolder: 'Which task goes back to pending/ to run again?' });
        if (picked === undefined) return;
        taskId = picked.id;
      }
      if (loop !== undefined && taskId !== undefined && offers.some(offer => offer.taskId === taskId)) {
        await requeueThroughLoop(services, loop, taskId);
        return;
      }
      await runs.requeue(taskId);
    }),
    // A task id (the panel's Approve button, the palette's argument), or a run's tree row (its `ref` is the run id).
    registerCommand(router, commandIds.approvePlan, { mutates: true }, async ({ services, runs }, target?: unknown) => {
      const ref = id(target);
      const run = typeof target === 'object' ? services.store.state.runs.find(known => known.runId === ref) : undefined;
      await runs.fleet.approvePlan(run?.taskId ?? ref);
    }),
    // A task id (a needs-you item's button) and optionally the new budget in USD; without them it asks.
    registerCommand(router, commandIds.raiseBudgetAndResume, { mutates: true }, async ({ runs }, taskId?: unknown, budgetUsd?: unknown) => { await runs.fleet.raiseBudgetAndResume(id(taskId), typeof budgetUsd === 'number' ? budgetUsd : undefined); }),
    registerCommand(router, commandIds.showRunLog, { mutates: false }, async ({ runs }, runId?: unknown) => { await runs.showLog(id(runId)); }),
    registerCommand(router, commandIds.chooseProjectMcpServers, { mutates: true }, async ({ runs }) => { await runs.chooseProjectMcpServers(); }),
  ];
}

/** The tasks the loop's needs-you items offer to requeue (GitHub mode). */
function loopRequeueOffers(loop: LoopState): { readonly taskId: string; readonly title: string }[] {
  return loop.needsYou.flatMap(item => (item.action === 'requeue' && item.taskId !== undefined ? [{ taskId: item.taskId, title: item.title }] : []));
}

async function requeueThroughLoop(services: AtoServices, loop: LoopController, taskId: string): Promise<void> {
  const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `ATO: requeueing ${taskId}…` }, () => loop.requeueTask(taskId));
  const message = services.redactor.redact(outcome.message);
  services.log.info('requeue %s through the loop: %s %s', taskId, outcome.result, message);
  if (outcome.result === 'failed') void vscode.window.showWarningMessage(`ATO: ${message}`);
  else void vscode.window.showInformationMessage(`ATO: ${message}`);
}
