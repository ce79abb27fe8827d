// Runs in a window with two folders (test/e2e/runExtHostTests.mjs --multi-root opens a .code-workspace
// with api/ and web/, each a git repository; docs/ beside them is added and removed at run time).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { AtoApi } from '../../src/extension';
import { waitFor } from './waitFor';

const taskFile = (id: string): string => `---
id: ${id}
type: feature
agent: counter
---
# Write the result file for ${id}

**Prompt:**
Write result.txt.
`;

/** A command's folder argument, as the tree and the panel pass it. */
const inFolder = (folder: vscode.WorkspaceFolder): { atoFolder: string } => ({ atoFolder: folder.uri.toString() });

describe('a multi-root window: each folder is its own ATO workspace', () => {
  let api: AtoApi;
  let apiFolder: vscode.WorkspaceFolder;
  let webFolder: vscode.WorkspaceFolder;

  const folderState = (name: string) => api.folders().find(folder => folder.name === name)?.state;

  before(async () => {
    const extension = vscode.extensions.getExtension<AtoApi>('ato-team.ato');
    assert.ok(extension, 'ATO is installed');
    api = await extension.activate();
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.deepEqual(folders.map(folder => folder.name), ['api', 'web'], 'the test workspace has two folders');
    [apiFolder, webFolder] = folders as [vscode.WorkspaceFolder, vscode.WorkspaceFolder];
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('starts one service set per folder, each reading its own planning folder', async () => {
    await waitFor('both folders to be read', () => api.folders().length === 2 && api.folders().every(folder => folder.state.planning.kind === 'missing'));
    assert.deepEqual(api.folders().map(folder => [folder.name, folder.path]), [['api', apiFolder.uri.fsPath], ['web', webFolder.uri.fsPath]]);
    assert.deepEqual(api.folders().map(folder => folder.state.workspaceName), ['api', 'web'], 'each is named by its folder');
  });

  it('Initialize Planning Folder acts on the folder its argument names (a tree row of that folder), and only there', async () => {
    await vscode.commands.executeCommand('ato.initPlanningFolder', inFolder(webFolder));
    assert.ok(existsSync(join(webFolder.uri.fsPath, 'planning', 'vision', 'goal.md')));
    assert.ok(!existsSync(join(apiFolder.uri.fsPath, 'planning')), 'nothing is written in the other folder');
    await waitFor('web to be ready and api still without one', () => folderState('web')?.planning.kind === 'ready' && folderState('api')?.planning.kind === 'missing');
  });

  it('without a folder argument, the active editor\'s folder is the one', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.window.showTextDocument(vscode.Uri.joinPath(apiFolder.uri, 'README.md'));
    await vscode.commands.executeCommand('ato.initPlanningFolder');
    assert.ok(existsSync(join(apiFolder.uri.fsPath, 'planning', 'vision', 'goal.md')));
    await waitFor('api to be ready', () => folderState('api')?.planning.kind === 'ready');
  });

  it('with nothing to imply a folder, the command asks which one (and acts on the pick)', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const opened = vscode.commands.executeCommand('ato.openEventLog');
    // The picker lists the folders in the window's order; the second is web.
    await new Promise(resolve => setTimeout(resolve, 800));
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await opened;
    await waitFor('the event log of web to open', () => vscode.window.activeTextEditor?.document.uri.fsPath.startsWith(join(webFolder.uri.fsPath, '.ato')) ?? false);
  });

  it('the panel\'s title-bar loop actions act on the folder the panel shows, without asking, whatever editor is active', async () => {
    await vscode.commands.executeCommand('ato.switchPanelFolder', webFolder.uri.toString());
    await vscode.window.showTextDocument(vscode.Uri.joinPath(apiFolder.uri, 'README.md'));
    const manifest = vscode.extensions.getExtension('ato-team.ato')?.packageJSON as { contributes: { commands: { command: string; title: string }[]; menus: Record<string, { command: string; when?: string }[]> } };
    const titleOf = (command: string): string | undefined => manifest.contributes.commands.find(entry => entry.command === command)?.title;
    const inTitleBar = manifest.contributes.menus['view/title']?.filter(item => item.when === 'view == ato.controlPanel').map(item => item.command) ?? [];
    const loopActions = inTitleBar.filter(command => ['Preview Next Tick', 'Run One Tick'].includes(titleOf(command) ?? ''));
    assert.equal(loopActions.length, 2, `the panel's title bar has its loop actions (${inTitleBar.join(', ')})`);
    for (const command of loopActions) {
      // A picker would leave the command waiting: it must answer, with the panel's folder.
      const ran = await Promise.race([vscode.commands.executeCommand(command), new Promise(resolve => setTimeout(() => { resolve('still waiting (a picker?)'); }, 5000))]);
      assert.equal(ran, webFolder.uri.toString(), `${command} acts on the panel's folder (web), not the editor's (api)`);
    }
  });

  it('a palette command acts on the folder of the row selected in the focused tree; an editor used after that decides again', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('ato.tree.focus');
    // The two folders' top-level rows, collapsed: the last is web's.
    await vscode.commands.executeCommand('list.collapseAll');
    await vscode.commands.executeCommand('list.focusLast');
    await vscode.commands.executeCommand('list.select');
    const eventLogOf = (folder: vscode.WorkspaceFolder): boolean => vscode.window.activeTextEditor?.document.uri.fsPath.startsWith(join(folder.uri.fsPath, '.ato')) ?? false;
    const opened = await Promise.race([vscode.commands.executeCommand('ato.openEventLog').then(() => 'opened'), new Promise(resolve => setTimeout(() => { resolve('still waiting (a picker?)'); }, 5000))]);
    assert.equal(opened, 'opened', 'no picker: the tree\'s selection names the folder');
    await waitFor('the event log of web to open', () => eventLogOf(webFolder));
    // Then the user works in an editor of api: the palette follows the editor again.
    await vscode.window.showTextDocument(vscode.Uri.joinPath(apiFolder.uri, 'README.md'));
    await vscode.commands.executeCommand('ato.openEventLog');
    await waitFor('the event log of api to open', () => eventLogOf(apiFolder));
  });

  it('an invalid setting in one folder\'s .vscode/settings.json is reported naming that folder (state, Problems, Doctor); the other reports nothing; fixed, it clears', async function () {
    this.timeout(60_000);
    const webSettings = vscode.workspace.getConfiguration('ato', webFolder.uri);
    const settingsFile = vscode.Uri.joinPath(webFolder.uri, '.vscode', 'settings.json');
    const diagnostics = (): vscode.Diagnostic[] => vscode.languages.getDiagnostics(settingsFile).filter(diagnostic => diagnostic.source === 'ATO');
    await webSettings.update('runs.stallMinutes', -3, vscode.ConfigurationTarget.WorkspaceFolder);
    try {
      await waitFor('web to report the setting', () => (folderState('web')?.settingsProblems.length ?? 0) > 0, 20_000);
      const problem = folderState('web')?.settingsProblems[0];
      assert.ok(problem !== undefined);
      assert.equal(problem.setting, 'ato.runs.stallMinutes');
      assert.match(problem.message, /^Folder web, \.vscode\/settings\.json: Setting `ato\.runs\.stallMinutes` has an invalid value \(-3\)/);
      assert.deepEqual(folderState('api')?.settingsProblems, [], 'api has no such setting and reports nothing');
      await waitFor('a Problems entry on web\'s settings file', () => diagnostics().length === 1);
      const entry = diagnostics()[0];
      assert.ok(entry !== undefined);
      assert.equal(entry.code, 'ato.runs.stallMinutes');
      assert.match(entry.message, /^Folder web, \.vscode\/settings\.json: Setting ato\.runs\.stallMinutes has an invalid value/);
      assert.match(readFileSync(settingsFile.fsPath, 'utf8').split('\n')[entry.range.start.line] ?? '', /"ato\.runs\.stallMinutes"/, 'the entry points at the setting\'s line');
      assert.deepEqual(vscode.languages.getDiagnostics(vscode.Uri.joinPath(apiFolder.uri, '.vscode', 'settings.json')), []);
      await vscode.commands.executeCommand('ato.doctor', inFolder(webFolder));
      await waitFor('the doctor report', () => vscode.window.activeTextEditor?.document.getText().startsWith('# ATO Doctor') ?? false, 30_000);
      assert.match(vscode.window.activeTextEditor?.document.getText() ?? '', /✗ Folder web, \.vscode\/settings\.json: Setting `ato\.runs\.stallMinutes`/);
    } finally {
      await webSettings.update('runs.stallMinutes', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    }
    await waitFor('the problem to clear', () => folderState('web')?.settingsProblems.length === 0 && diagnostics().length === 0, 20_000);
  });

  it('each folder has its own queue: a task file in one folder is not in the other\'s', async () => {
    writeFileSync(join(apiFolder.uri.fsPath, 'planning', 'issue_queue', 'pending', 'api-task.task.md'), taskFile('api-task'));
    writeFileSync(join(webFolder.uri.fsPath, 'planning', 'issue_queue', 'pending', 'web-task.task.md'), taskFile('web-task'));
    const ids = (name: string): string[] => folderState(name)?.queue?.pending.ready.map(entry => entry.result.task.id) ?? [];
    await waitFor('both queues to list their task', () => ids('api').includes('api-task') && ids('web').includes('web-task'), 20_000);
    assert.deepEqual(ids('api'), ['api-task']);
    assert.deepEqual(ids('web'), ['web-task']);
  });

  it('dispatching in one folder runs there: its run, its worktree branch, its complete/; the other folder is untouched', async function () {
    this.timeout(60_000);
    await vscode.commands.executeCommand('ato.dispatchTask', 'web-task', inFolder(webFolder));
    await waitFor('the web run to succeed', () => folderState('web')?.runs.some(run => run.taskId === 'web-task' && run.state === 'succeeded') ?? false, 40_000);
    const web = webFolder.uri.fsPath;
    assert.ok(existsSync(join(web, 'planning', 'issue_queue', 'complete', 'web-task.task.md')));
    assert.match(execFileSync('git', ['show', 'ato/web-task:result.txt'], { cwd: web, encoding: 'utf8' }), /^done: /);
    assert.deepEqual(folderState('api')?.runs ?? [], [], 'no run in api');
    assert.ok(existsSync(join(apiFolder.uri.fsPath, 'planning', 'issue_queue', 'pending', 'api-task.task.md')), 'api\'s task waits in its pending/');
  });

  it('a task id of the other folder is not found in this one: nothing runs', async () => {
    await vscode.commands.executeCommand('ato.dispatchTask', 'api-task', inFolder(webFolder));
    await new Promise(resolve => setTimeout(resolve, 500));
    assert.ok(existsSync(join(apiFolder.uri.fsPath, 'planning', 'issue_queue', 'pending', 'api-task.task.md')));
    assert.ok(!(folderState('web')?.runs.some(run => run.taskId === 'api-task') ?? false));
  });

  it('a folder added at run time gets its own ATO; removed, its ATO stops and leaves the others running', async () => {
    const docs = vscode.Uri.file(join(dirname(apiFolder.uri.fsPath), 'docs'));
    assert.ok(vscode.workspace.updateWorkspaceFolders(2, 0, { uri: docs }));
    await waitFor('docs to join with its own state', () => api.folders().map(folder => folder.name).join() === 'api,web,docs' && folderState('docs')?.planning.kind === 'missing', 20_000);
    assert.ok(vscode.workspace.updateWorkspaceFolders(2, 1));
    await waitFor('docs to leave', () => api.folders().map(folder => folder.name).join() === 'api,web', 20_000);
    assert.equal(folderState('web')?.planning.kind, 'ready');
    // The remaining folders still act: a refresh reads both.
    await vscode.commands.executeCommand('ato.refresh');
    assert.equal(folderState('api')?.queue?.pending.ready.length, 1);
  });
});
