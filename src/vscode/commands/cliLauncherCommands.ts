import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { installLauncher, isOnPath, launcherDirectory, launcherFiles, uninstallLauncher, type InstallOutcome, type UninstallOutcome } from '../../core/launcher/launcherInstall';
import type { LauncherTarget } from '../../core/launcher/launcherScript';
import type { AtoServices, SharedServices } from '../atoServices';
import type { FolderRouter } from '../folderRegistry';
import { commandIds } from '../../core/views/commandIds';
import { registerWindowCommand } from './registerCommand';

/** Every name a launcher may have, whatever the platform wrote. */
const launcherNames = ['ato', 'ato.cmd'] as const;

/** The bundled CLI, run by the executable of this extension host (VS Code's node, or Electron run as node). */
function launcherTarget(cli: string): LauncherTarget {
  return { cli, vscodeNode: process.execPath };
}

function pathAdvice(directory: string): string {
  return process.platform === 'win32'
    ? `Add ${directory} to your user PATH (Settings › System › About › Advanced system settings › Environment Variables), then open a new terminal.`
    : `Add it to your shell's profile (~/.profile, ~/.bashrc or ~/.zshrc): export PATH="${directory}:$PATH" — then open a new terminal.`;
}

/**
 * "ATO: Install 'ato' Command in PATH" and its Uninstall, like VS Code's own "Install 'code' command in
 * PATH": a launcher in the user's bin folder that runs this extension's bundled CLI, so `ato` works in any
 * terminal. `cli`: the extension's dist/cli.js. Each returns its outcome (the extension-host tests read it).
 */
export function registerCliLauncherCommands(router: FolderRouter, cli: string): vscode.Disposable[] {
  // A window command: the launcher is the user's, not a folder's; the change is recorded in every folder's event log.
  const record = async (event: Parameters<AtoServices['workspace']['record']>[0]): Promise<void> => {
    for (const folder of router.folders) await folder.services.workspace.record(event);
  };
  return [
    registerWindowCommand(router.shared, commandIds.installCliLauncher, { mutates: true }, async (): Promise<InstallOutcome> => {
      const { directory, why } = launcherDirectory(process.env, homedir());
      const outcome = await installLauncher(directory, launcherFiles(process.platform, launcherTarget(cli)));
      if (outcome.kind === 'conflict') {
        void vscode.window.showErrorMessage(`ATO did not install 'ato': ${outcome.path} is already there and ${outcome.reason}. Remove or rename it, then run this command again.`);
        return outcome;
      }
      await record({ kind: 'cli.launcherInstalled', directory, written: [...outcome.written], unchanged: [...outcome.unchanged] });
      const installed = `'ato' is in ${directory}, ${why}; it runs this extension's CLI.`;
      if (isOnPath(directory, process.env['PATH'], process.platform)) {
        void vscode.window.showInformationMessage(`${installed} Open a new terminal and run: ato --help`);
      } else {
        const copy = 'Copy PATH Line';
        void vscode.window.showWarningMessage(`${installed} That folder is not on your PATH. ${pathAdvice(directory)}`, copy).then(async choice => {
          if (choice === copy) await vscode.env.clipboard.writeText(process.platform === 'win32' ? directory : `export PATH="${directory}:$PATH"`);
        });
      }
      return outcome;
    }),
    registerWindowCommand(router.shared, commandIds.uninstallCliLauncher, { mutates: true }, async (): Promise<UninstallOutcome> => {
      const { directory } = launcherDirectory(process.env, homedir());
      const outcome = await uninstallLauncher(directory, launcherNames);
      const kept = outcome.kept.map(file => `${file.path} stays: ${file.reason}.`).join(' ');
      if (outcome.removed.length > 0) {
        await record({ kind: 'cli.launcherRemoved', removed: [...outcome.removed] });
        void vscode.window.showInformationMessage(`Removed ${outcome.removed.join(' and ')}. ${kept}`.trim());
      } else {
        void vscode.window.showInformationMessage(`ATO has no 'ato' command in ${directory} to remove. ${kept}`.trim());
      }
      return outcome;
    }),
  ];
}

/**
 * After an update the extension lives in a new folder and the launcher would point at the old one: a
 * launcher ATO wrote is rewritten for this extension at activation. None is created, and a file ATO did
 * not write is never touched.
 */
export async function refreshCliLauncher(services: Pick<SharedServices, 'log'>, cli: string): Promise<void> {
  const { directory } = launcherDirectory(process.env, homedir());
  const outcome = await installLauncher(directory, launcherFiles(process.platform, launcherTarget(cli)), { onlyIfInstalled: true });
  if (outcome.kind === 'installed' && outcome.written.length > 0) services.log.info('the ato launcher now runs this extension: %s', outcome.written.join(', '));
}
