import assert from 'node:assert/strict';
import { unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { AtoApi } from '../../src/extension';
import { activateAto } from './atoUnderTest';
import { waitFor } from './waitFor';

const task = `---
id: exthost-lens
type: feature
agent: counter
---
# Write the result file from a CodeLens

**Prompt:**
Write result.txt.
`;

/** The lenses VS Code itself collects for a file, resolved (title and command filled in). */
async function lensesOf(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return await vscode.commands.executeCommand<vscode.CodeLens[] | undefined>('vscode.executeCodeLensProvider', uri, 10) ?? [];
}

describe('the CodeLens on task files, in the real extension host', () => {
  let api: AtoApi;
  let root: string;
  const pending = (name: string): vscode.Uri => vscode.Uri.file(join(root, 'planning', 'issue_queue', 'pending', name));

  before(async () => {
    ({ api, root } = await activateAto());
    await vscode.commands.executeCommand('ato.initPlanningFolder');
  });

  it('a valid pending task gets "Dispatch now" and "Preview agent" on its front matter; each runs its command with the task', async function () {
    this.timeout(60_000);
    const file = pending('exthost-lens.task.md');
    writeFileSync(file.fsPath, task);
    await waitFor('the queue index to list the task', () => api.state().queue?.pending.ready.some(entry => entry.result.task.id === 'exthost-lens') ?? false, 20_000);
    await vscode.window.showTextDocument(file);
    let lenses: vscode.CodeLens[] = [];
    await waitFor('the lenses', async () => (lenses = await lensesOf(file)).length === 2, 10_000);
    assert.deepEqual(lenses.map(lens => [lens.range.start.line, lens.command?.title, lens.command?.command, lens.command?.arguments]), [
      [0, 'Dispatch now', 'ato.dispatchTask', ['exthost-lens']],
      [0, 'Preview agent', 'ato.previewDispatch', ['exthost-lens']],
    ]);

    const [dispatch, preview] = lenses.map(lens => lens.command);
    assert.ok(dispatch && preview);
    await vscode.commands.executeCommand(preview.command, ...((preview.arguments ?? []) as unknown[]));
    await waitFor('the dispatch preview', () => vscode.window.activeTextEditor?.document.getText().startsWith('# Dispatch preview: exthost-lens') ?? false, 10_000);
    assert.match(vscode.window.activeTextEditor?.document.getText() ?? '', /counter/, 'it names the agent the task asks for');

    await vscode.commands.executeCommand(dispatch.command, ...((dispatch.arguments ?? []) as unknown[]));
    await waitFor('the run to succeed', () => api.state().runs.some(run => run.taskId === 'exthost-lens' && run.state === 'succeeded'), 40_000);
  });

  it('an invalid task file gets no lens', async function () {
    this.timeout(30_000);
    const file = pending('exthost-lens-broken.task.md');
    writeFileSync(file.fsPath, '---\nid: [not, a, string\n---\n# Broken\n');
    await waitFor('the queue index to report the file', () => api.state().queue?.invalid.some(entry => entry.file === file.fsPath) ?? false, 20_000);
    await vscode.window.showTextDocument(file);
    try {
      assert.deepEqual(await lensesOf(file), []);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      unlinkSync(file.fsPath);
    }
  });
});
