import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AtoApi } from '../../src/extension';

/** Activates ATO in the test window and returns its API and the open workspace folder. */
export async function activateAto(): Promise<{ api: AtoApi; root: string }> {
  const extension = vscode.extensions.getExtension<AtoApi>('ato-team.ato');
  assert.ok(extension, 'ATO is installed');
  const api = await extension.activate();
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is open');
  return { api, root: folder.uri.fsPath };
}
