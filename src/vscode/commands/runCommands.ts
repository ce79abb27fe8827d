import type * as vscode from 'vscode';
import { commandIds } from '../../core/views/commandIds';
import type { AtoServices } from '../atoServices';
import type { RunService } from '../runService';
import { registerCommand } from './registerCommand';

/** Dispatch Task, Cancel Run, Requeue Task, Show Run Log (each takes an id as argument or asks); the project MCP servers choice. */
export function registerRunCommands(services: AtoServices, runs: RunService): vscode.Disposable[] {
  // From the palette: nothing (the command asks); from a tree row: its model, which carries `ref`.
  const id = (value: unknown): string | undefined => {
    if (typeof value === 'string') return value;
    if (typeof value === 'object' && value !== null && 'ref' in value && typeof value.ref === 'string') return value.ref;
    return undefined;
  };
  return [
    registerCommand(services, commandIds.dispatchTask, { mutates: true }, async (taskId?: unknown) => { await runs.dispatch(id(taskId)); }),
    registerCommand(services, commandIds.cancelRun, { mutates: true }, async (runId?: unknown) => { await runs.cancel(id(runId)); }),
    // A task id (the panel, the palette), or a run's tree row, whose `ref` is the run id.
    registerCommand(services, commandIds.requeueTask, { mutates: true }, async (target?: unknown) => {
      const ref = id(target);
      const run = typeof target === 'object' ? services.store.state.runs.find(known => known.runId === ref) : undefined;
      await runs.requeue(run?.taskId ?? ref);
    }),
    registerCommand(services, commandIds.showRunLog, { mutates: false }, async (runId?: unknown) => { await runs.showLog(id(runId)); }),
    registerCommand(services, commandIds.chooseProjectMcpServers, { mutates: true }, async () => { await runs.chooseProjectMcpServers(); }),
  ];
}
