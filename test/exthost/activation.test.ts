import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AtoApi } from '../../src/extension';

const extensionId = 'ato-team.ato';
const heavyModules = /node_modules[\\/](@octokit|@gitbeaker|@anthropic-ai|chokidar)[\\/]/;

describe('activation', () => {
  let extension: vscode.Extension<AtoApi>;
  let api: AtoApi;

  before(async () => {
    const found = vscode.extensions.getExtension<AtoApi>(extensionId);
    assert.ok(found, `${extensionId} is installed`);
    extension = found;
    api = await extension.activate();
  });

  it('activate() returns within 15 ms', () => {
    // eslint-disable-next-line no-console -- the figure is reported by the test run
    console.log(`ATO activate() took ${api.activationMs.toFixed(2)} ms`);
    assert.ok(api.activationMs <= 15, `activate() took ${api.activationMs.toFixed(2)} ms`);
  });

  it('loads no SDK at activation (Octokit, Gitbeaker, Anthropic, chokidar load on first use)', () => {
    const loaded = Object.keys(require.cache);
    assert.ok(loaded.some(path => path.endsWith('extension.js') && path.includes('dist')), 'the extension bundle is among the loaded modules');
    assert.deepEqual(loaded.filter(path => heavyModules.test(path)), []);
  });

  it('registers exactly the commands it contributes', async () => {
    const manifest = extension.packageJSON as { contributes: { commands: { command: string }[]; views: Record<string, { id: string }[]> } };
    const contributed = manifest.contributes.commands.map(c => c.command).sort();
    // VS Code adds `<viewId>.focus` and similar commands for every view; those are not ours to register.
    const viewIds = Object.values(manifest.contributes.views).flat().map(view => view.id);
    const registered = (await vscode.commands.getCommands(true))
      .filter(id => id.startsWith('ato.') && !viewIds.some(view => id.startsWith(`${view}.`)))
      .sort();
    assert.deepEqual(registered, contributed);
  });

  it('the control panel and the tree are contributed views that can be focused', async () => {
    await vscode.commands.executeCommand('ato.controlPanel.focus');
    await vscode.commands.executeCommand('ato.tree.focus');
  });
});
