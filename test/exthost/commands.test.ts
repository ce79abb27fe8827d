import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { AtoApi } from '../../src/extension';
import { activateAto } from './atoUnderTest';
import { waitFor } from './waitFor';

describe('commands in a real workspace', () => {
  let api: AtoApi;
  let root: string;

  before(async () => {
    ({ api, root } = await activateAto());
  });

  it('Initialize Planning Folder creates the layout, and never overwrites what exists', async () => {
    await vscode.commands.executeCommand('ato.initPlanningFolder');
    const goal = join(root, 'planning', 'vision', 'goal.md');
    assert.ok(existsSync(goal));
    for (const folder of ['pending', 'processed', 'complete']) assert.ok(existsSync(join(root, 'planning', 'issue_queue', folder)));
    await waitFor('the store to see the ready planning folder', () => api.state().planning.kind === 'ready');

    writeFileSync(goal, '# My own goal\n');
    await vscode.commands.executeCommand('ato.initPlanningFolder');
    assert.equal(readFileSync(goal, 'utf8'), '# My own goal\n');
  });

  it('a key set by command lands in SecretStorage: the state knows it is set, never its value', async () => {
    const value = 'glpat-exthostTestValue123456';
    await vscode.commands.executeCommand('ato.setGitLabToken', value);
    await waitFor('the GitLab key to show as set', () => api.state().auth.gitlab);
    assert.ok(!JSON.stringify(api.state()).includes(value));
    await vscode.commands.executeCommand('ato.clearKey', 'gitlab.token');
    await waitFor('the GitLab key to show as cleared', () => !api.state().auth.gitlab);
  });

  it('a key that cannot be one is refused with a message, and nothing is stored', async () => {
    await vscode.commands.executeCommand('ato.setJulesKey', 'has spaces in it');
    await new Promise(resolve => setTimeout(resolve, 300));
    assert.equal(api.state().auth.jules, false);
  });

  it('an invalid setting is reported by name and the default is used', async () => {
    const configuration = vscode.workspace.getConfiguration('ato');
    await configuration.update('eventLog.maxFiles', 0, vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor('the settings problem', () => api.state().settingsProblems.some(p => p.setting === 'ato.eventLog.maxFiles'));
      const problem = api.state().settingsProblems.find(p => p.setting === 'ato.eventLog.maxFiles');
      assert.match(problem?.message ?? '', /`ato\.eventLog\.maxFiles`.*Using the default, 5/);
    } finally {
      await configuration.update('eventLog.maxFiles', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor('the problem to clear', () => api.state().settingsProblems.length === 0);
  });

  it('Doctor opens a readable report', async () => {
    await vscode.commands.executeCommand('ato.doctor');
    await waitFor('the doctor report', () => vscode.window.activeTextEditor?.document.getText().startsWith('# ATO Doctor') ?? false);
    const report = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.match(report, /Planning folder at .*planning: task files: 0 in pending\//);
  });

  it('every event is a valid NDJSON line in .ato/events.ndjson, which git ignores', async () => {
    await vscode.commands.executeCommand('ato.refresh');
    await waitFor('the event log', () => existsSync(join(root, '.ato', 'events.ndjson')));
    const lines = readFileSync(join(root, '.ato', 'events.ndjson'), 'utf8').trim().split('\n');
    const kinds = lines.map(line => (JSON.parse(line) as { kind: string }).kind);
    for (const kind of ['extension.activated', 'planning.initialized', 'secret.stored', 'secret.cleared', 'doctor.ran']) assert.ok(kinds.includes(kind), `${kind} in ${kinds.join(', ')}`);
    assert.equal(readFileSync(join(root, '.ato', '.gitignore'), 'utf8').trim().split('\n').pop(), '*');
  });
});
