import * as vscode from 'vscode';
import { describeError } from '../../core/logging/redactor';
import type { SharedServices } from '../atoServices';
import type { FolderRouter } from '../folderRegistry';
import type { FolderServices } from '../folderServices';
import { workbenchCommands, type CommandId } from '../../core/views/commandIds';
import { restrictedModeText } from '../../shared/restrictedMode';

export interface CommandOptions {
  /** The command changes something (files, secrets, remotes): refused in Restricted Mode. */
  readonly mutates: boolean;
}

/**
 * Registers a command that acts on one workspace folder (PRODUCT §2): the folder its arguments name (a tree
 * row, the panel), the only one, the active editor's, or the one the user picks. Its failures are logged and
 * shown (redacted), never thrown into VS Code's generic "command failed" toast, and it refuses to act in an
 * untrusted workspace. The handler sees the arguments without the folder's.
 */
export function registerCommand(
  router: FolderRouter,
  id: CommandId,
  options: CommandOptions,
  handler: (folder: FolderServices, ...args: unknown[]) => Promise<unknown>,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    if (refusedInRestrictedMode(options)) return undefined;
    let folder: FolderServices | undefined;
    try {
      const resolved = await router.resolve(args, `${commandTitle(id)}: which folder?`);
      if (resolved === undefined) return undefined;
      folder = resolved.folder;
      return await handler(folder, ...resolved.args);
    } catch (error) {
      const failedIn = folder;
      report(failedIn?.services ?? router.shared, id, error, message => { void failedIn?.services.workspace.record({ kind: 'command.failed', command: id, error: message }); });
      return undefined;
    }
  });
}

/** Registers a command of the window (keys, the log, the panel): no folder to choose. */
export function registerWindowCommand(
  shared: SharedServices,
  id: CommandId,
  options: CommandOptions,
  handler: (...args: unknown[]) => Promise<unknown>,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    if (refusedInRestrictedMode(options)) return undefined;
    try {
      return await handler(...args);
    } catch (error) {
      report(shared, id, error, () => undefined);
      return undefined;
    }
  });
}

function refusedInRestrictedMode(options: CommandOptions): boolean {
  if (!options.mutates || vscode.workspace.isTrusted) return false;
  void vscode.window.showWarningMessage('ATO takes no action in Restricted Mode. Trust this workspace to let ATO act.', restrictedModeText.action).then(choice => {
    if (choice !== undefined) void vscode.commands.executeCommand(workbenchCommands.manageTrust);
  });
  return true;
}

function report(shared: SharedServices, id: CommandId, error: unknown, record: (message: string) => void): void {
  const message = shared.redactor.redact(describeError(error));
  shared.log.error('%s failed: %s', id, message);
  record(message);
  void vscode.window.showErrorMessage(`ATO: ${message}`, 'Show Log').then(choice => {
    if (choice !== undefined) shared.channel.show(true);
  });
}

let titles: ReadonlyMap<string, string> | undefined;

/** The command's title as the palette shows it ("ATO: Run One Tick"), for the folder picker's title. */
function commandTitle(id: CommandId): string {
  if (titles === undefined) {
    const manifest = vscode.extensions.getExtension('ato-team.ato')?.packageJSON as { contributes?: { commands?: { command?: unknown; title?: unknown; category?: unknown }[] } } | undefined;
    titles = new Map((manifest?.contributes?.commands ?? []).flatMap(command => (typeof command.command === 'string' && typeof command.title === 'string' ? [[command.command, `${typeof command.category === 'string' ? `${command.category}: ` : ''}${command.title}`] as const] : [])));
  }
  return titles.get(id) ?? 'ATO';
}
