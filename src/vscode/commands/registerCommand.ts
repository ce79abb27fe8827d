import * as vscode from 'vscode';
import { describeError } from '../../core/logging/redactor';
import type { AtoServices } from '../atoServices';
import { workbenchCommands, type CommandId } from '../../core/views/commandIds';
import { restrictedModeText } from '../../shared/restrictedMode';

export interface CommandOptions {
  /** The command changes something (files, secrets, remotes): refused in Restricted Mode. */
  readonly mutates: boolean;
}

/**
 * Registers a command whose failures are logged and shown (redacted), never thrown into VS Code's
 * generic "command failed" toast, and which refuses to act in an untrusted workspace.
 */
export function registerCommand(
  services: AtoServices,
  id: CommandId,
  options: CommandOptions,
  handler: (...args: unknown[]) => Promise<unknown>,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    if (options.mutates && !vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('ATO takes no action in Restricted Mode. Trust this workspace to let ATO act.', restrictedModeText.action).then(choice => {
        if (choice !== undefined) void vscode.commands.executeCommand(workbenchCommands.manageTrust);
      });
      return undefined;
    }
    try {
      return await handler(...args);
    } catch (error) {
      const message = services.redactor.redact(describeError(error));
      services.log.error('%s failed: %s', id, message);
      void services.workspace.record({ kind: 'command.failed', command: id, error: message });
      void vscode.window.showErrorMessage(`ATO: ${message}`, 'Show Log').then(choice => {
        if (choice !== undefined) services.channel.show(true);
      });
      return undefined;
    }
  });
}
