import type { SettingProblem } from './settings';

/** Where a setting's effective value comes from, the most specific first (VS Code's `inspect`). */
export type SettingSource = 'folder' | 'workspace' | 'user' | 'default';

export interface InspectedSetting {
  readonly workspaceFolderValue?: unknown;
  readonly workspaceValue?: unknown;
  readonly globalValue?: unknown;
}

export function settingSource(inspected: InspectedSetting | undefined): SettingSource {
  if (inspected?.workspaceFolderValue !== undefined) return 'folder';
  if (inspected?.workspaceValue !== undefined) return 'workspace';
  if (inspected?.globalValue !== undefined) return 'user';
  return 'default';
}

/** A setting problem as one folder reports it: where its value was set, so the user knows which file to fix. */
export interface PlacedSettingProblem extends SettingProblem {
  /** Set when the value comes from this folder's own `.vscode/settings.json` (it is this folder's alone). */
  readonly folder?: string;
}

/**
 * In a multi-root window a folder's own setting names the folder ("Folder web, .vscode/settings.json: …"):
 * the other folders do not have the problem, and the message says which file to open. A value from the user
 * or the workspace file is every folder's, and reads as it always did.
 */
export function placeSettingProblem(problem: SettingProblem, source: SettingSource, folderName: string, multiRoot: boolean): PlacedSettingProblem {
  if (source !== 'folder') return problem;
  return { ...problem, folder: folderName, message: multiRoot ? `Folder ${folderName}, .vscode/settings.json: ${problem.message}` : problem.message };
}

/** Where a setting's key is written in a settings file (JSON with comments): its first line and column, for a diagnostic. */
export function settingKeyPosition(text: string, setting: string): { readonly line: number; readonly character: number; readonly length: number } | undefined {
  const quoted = JSON.stringify(setting);
  const lines = text.split(/\r?\n/);
  for (const [line, content] of lines.entries()) {
    const character = content.indexOf(quoted);
    if (character >= 0) return { line, character, length: quoted.length };
  }
  return undefined;
}
