import assert from 'node:assert/strict';
import type { TreeNodeModel } from '../../../../src/core/views/treeModel';
import { buildTreeModel } from '../../../../src/core/views/treeModel';
import { buildFolderTreeModel, folderStatusBarView, folderSummary, type FolderView } from '../../../../src/core/views/folderViews';
import { statusBarView } from '../../../../src/core/views/statusBarModel';
import { aLoopState } from '../../../support/loopStates';
import { anAtoState, planningExamples } from '../../../support/stateBuilders';

const api: FolderView = { key: 'file:///work/api', name: 'api', path: '/work/api', state: anAtoState({ workspaceName: 'api' }) };
const web: FolderView = { key: 'file:///work/web', name: 'web', path: '/work/web', state: anAtoState({ workspaceName: 'web', planning: planningExamples.missing }) };

function allRows(rows: readonly TreeNodeModel[]): TreeNodeModel[] {
  return rows.flatMap(row => [row, ...allRows(row.children ?? [])]);
}

describe('the tree and status bar of a multi-root window', () => {
  it('one folder: the tree is unchanged', () => {
    assert.deepEqual(buildFolderTreeModel([api]), buildTreeModel(api.state));
    assert.deepEqual(buildFolderTreeModel([]), []);
  });

  it('two folders: one top-level node each, with that folder\'s rows, unique ids and the folder on every row', () => {
    const roots = buildFolderTreeModel([api, web]);
    assert.deepEqual(roots.map(root => root.label), ['api', 'web']);
    assert.equal(roots[0]?.children?.length, buildTreeModel(api.state).length);
    const rows = allRows(roots);
    assert.equal(new Set(rows.map(row => row.id)).size, rows.length, 'ids are unique across folders');
    roots.forEach((root, i) => {
      const key = [api, web][i]?.key;
      for (const row of allRows(root.children ?? [])) assert.equal(row.folder, key);
    });
  });

  it('a folder without a planning folder says so, with the action that creates it for that folder', () => {
    const webNode = buildFolderTreeModel([api, web])[1];
    assert.ok(webNode !== undefined);
    assert.equal(webNode.description, 'no planning folder');
    const row = webNode.children?.[0];
    assert.ok(row !== undefined);
    assert.equal(row.label, 'No planning folder yet');
    assert.equal(row.command, 'ato.initPlanningFolder');
    assert.equal(row.folder, web.key);
  });

  it('summarises a folder in a few words', () => {
    assert.equal(folderSummary(anAtoState({ queue: undefined })), '3 pending');
    assert.equal(folderSummary(anAtoState({ loop: aLoopState({ running: true, counts: undefined, needsYou: [] }) })), '3 pending · loop running');
    assert.equal(folderSummary(anAtoState({ loop: aLoopState({ running: true, pausedUnfocused: true, counts: undefined, needsYou: [] }) })), '3 pending · loop paused (unfocused)');
    assert.equal(folderSummary(anAtoState({ trusted: false })), 'Restricted Mode');
  });

  it('the status bar: one folder as before; the active editor\'s folder by name; else a summary of the loops', () => {
    assert.deepEqual(folderStatusBarView([api], undefined), statusBarView(api.state));
    const named = folderStatusBarView([api, web], api.key);
    assert.match(named.text, /ATO \(api\): 3 pending/);
    const running = (folder: FolderView): FolderView => ({ ...folder, state: { ...folder.state, loop: aLoopState({ running: true }) } });
    const summary = folderStatusBarView([running(api), running(web)], undefined);
    assert.match(summary.text, /ATO: 2 loops running/);
    assert.match(summary.tooltip, /- api: .*loop running/);
    assert.match(folderStatusBarView([api, web], undefined).text, /ATO: 2 folders · 3 pending/);
  });

  it('the status bar says the loops are paused while the window is unfocused', () => {
    const paused = (folder: FolderView): FolderView => ({ ...folder, state: { ...folder.state, loop: aLoopState({ running: true, pausedUnfocused: true }) } });
    assert.equal(folderStatusBarView([paused(api), paused(web)], undefined).text, '$(debug-pause) ATO paused (window unfocused)');
    assert.equal(statusBarView(paused(api).state).text, '$(debug-pause) ATO paused (window unfocused)');
    assert.doesNotMatch(statusBarView({ ...api.state, loop: aLoopState({ running: false, pausedUnfocused: true }) }).text, /paused \(window unfocused\)/, 'a loop the user paused is not "paused (window unfocused)"');
  });
});
