import assert from 'node:assert/strict';
import { placeSettingProblem, settingKeyPosition, settingSource } from '../../../../src/core/settings/settingProblemPlace';
import { readSettings } from '../../../../src/core/settings/settings';

describe('where a setting problem was set', () => {
  const problem = readSettings(key => (key === 'runs.stallMinutes' ? -3 : undefined)).problems[0];

  it('takes the most specific source VS Code reports', () => {
    assert.equal(settingSource({ workspaceFolderValue: -3, workspaceValue: 5, globalValue: 7 }), 'folder');
    assert.equal(settingSource({ workspaceValue: 5, globalValue: 7 }), 'workspace');
    assert.equal(settingSource({ globalValue: 7 }), 'user');
    assert.equal(settingSource(undefined), 'default');
  });

  it('names the folder when the value is the folder\'s own, in a multi-root window; otherwise reads as before', () => {
    assert.ok(problem);
    const placed = placeSettingProblem(problem, 'folder', 'web', true);
    assert.equal(placed.folder, 'web');
    assert.match(placed.message, /^Folder web, \.vscode\/settings\.json: Setting `ato\.runs\.stallMinutes` has an invalid value \(-3\)/);
    assert.equal(placed.setting, 'ato.runs.stallMinutes');
    assert.equal(placeSettingProblem(problem, 'folder', 'web', false).message, problem.message, 'one folder: the workspace is the folder');
    assert.deepEqual(placeSettingProblem(problem, 'user', 'web', true), problem);
    assert.deepEqual(placeSettingProblem(problem, 'workspace', 'web', true), problem);
  });

  it('finds the key in a settings file with comments, for the Problems entry', () => {
    const text = '{\n  // stall sooner\n  "ato.runs.stallMinutesX": 1,\n  "ato.runs.stallMinutes": -3\n}\n';
    assert.deepEqual(settingKeyPosition(text, 'ato.runs.stallMinutes'), { line: 3, character: 2, length: 23 });
    assert.equal(settingKeyPosition('{}', 'ato.runs.stallMinutes'), undefined);
  });
});
