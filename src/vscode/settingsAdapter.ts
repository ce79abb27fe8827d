import * as vscode from 'vscode';
import { settingSource, type SettingSource } from '../core/settings/settingProblemPlace';
import { readSettings, settingsSection, userOnlySettings, type SettingsReadResult } from '../core/settings/settings';

/**
 * Reads ATO's settings from VS Code's configuration, validated by the core. A `userOnly` setting (API URLs,
 * what runs, whom ATO trusts) is taken from the user's settings alone: VS Code already ignores a `machine`
 * setting in workspace settings, and reading `globalValue` keeps it so even if that ever changes.
 */
export function readVscodeSettings(scope?: vscode.Uri): SettingsReadResult {
  const configuration = vscode.workspace.getConfiguration(settingsSection, scope);
  return readSettings(key => (userOnlySettings.has(key) ? configuration.inspect(key)?.globalValue : configuration.get<unknown>(key)));
}

/**
 * VS Code's `github-enterprise.uri` (the Enterprise its `github-enterprise` sign-in is for), from the user's
 * settings only: the setting is window-scoped, so a repository's workspace settings could set it otherwise.
 */
export function readGitHubEnterpriseUri(): string | undefined {
  const value = vscode.workspace.getConfiguration('github-enterprise').inspect('uri')?.globalValue;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Where a setting's value for this folder comes from: the folder's own settings, the workspace file, the user's. */
export function vscodeSettingSource(setting: string, scope: vscode.Uri): SettingSource {
  return settingSource(vscode.workspace.getConfiguration(undefined, scope).inspect(setting));
}
