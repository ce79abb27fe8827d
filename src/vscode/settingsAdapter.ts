import * as vscode from 'vscode';
import { readSettings, settingsSection, type SettingsReadResult } from '../core/settings/settings';

/** Reads ATO's settings from VS Code's configuration, validated by the core. */
export function readVscodeSettings(scope?: vscode.Uri): SettingsReadResult {
  const configuration = vscode.workspace.getConfiguration(settingsSection, scope);
  return readSettings(key => configuration.get<unknown>(key));
}
