import assert from 'node:assert/strict';
import { chooseFolder, diffFolders, folderArg, folderNamedBy, folderOfPath, withoutFolderArgs, type FolderRef } from '../../../../src/core/folders/folderSet';

const api: FolderRef = { key: 'file:///work/api', name: 'api', path: '/work/api' };
const web: FolderRef = { key: 'file:///work/web', name: 'web', path: '/work/web' };
const nested: FolderRef = { key: 'file:///work/web/packages/ui', name: 'ui', path: '/work/web/packages/ui' };

describe('the folder set (multi-root: one ATO workspace per folder)', () => {
  it('says which folders start and which stop when the window\'s folders change', () => {
    assert.deepEqual(diffFolders([], [api, web]), { added: [api, web], removed: [] });
    assert.deepEqual(diffFolders([api.key, web.key], [web]), { added: [], removed: [api.key] });
    assert.deepEqual(diffFolders([api.key], [api, web]), { added: [web], removed: [] });
    assert.deepEqual(diffFolders([api.key, web.key], [web, api]), { added: [], removed: [] }, 'a reorder starts and stops nothing');
  });

  it('finds the folder of a file, the innermost when folders nest, and none outside them', () => {
    assert.equal(folderOfPath([api, web], '/work/api/src/a.ts'), api);
    assert.equal(folderOfPath([api, web], '/work/api'), api);
    assert.equal(folderOfPath([web, nested], '/work/web/packages/ui/x.ts'), nested);
    assert.equal(folderOfPath([nested, web], '/work/web/packages/ui/x.ts'), nested);
    assert.equal(folderOfPath([api, web], '/work/apiary/x.ts'), undefined, 'a sibling with the same prefix is not inside');
    assert.equal(folderOfPath([api, web], '/elsewhere/x.ts'), undefined);
  });

  it('reads the folder from a folder argument, a tree row or the first row of a selection, and strips folder arguments', () => {
    assert.equal(folderNamedBy(['7', folderArg(web.key)]), web.key);
    assert.equal(folderNamedBy([{ ref: 'task-a', folder: api.key }]), api.key);
    assert.equal(folderNamedBy([undefined, [{ ref: 'task-a', folder: api.key }]]), api.key);
    assert.equal(folderNamedBy(['7', { ref: 'x' }]), undefined);
    assert.deepEqual(withoutFolderArgs(['7', folderArg(web.key)]), ['7']);
  });

  it('acts on the named folder, the only folder, the active editor\'s folder, or asks', () => {
    assert.deepEqual(chooseFolder([api, web], { named: web.key, activeFile: '/work/api/a.ts' }), { kind: 'folder', folder: web });
    assert.deepEqual(chooseFolder([api], {}), { kind: 'folder', folder: api });
    assert.deepEqual(chooseFolder([api, web], { activeFile: '/work/web/README.md' }), { kind: 'folder', folder: web });
    assert.deepEqual(chooseFolder([api, web], {}), { kind: 'ask', among: [api, web] });
    assert.deepEqual(chooseFolder([api, web], { activeFile: '/tmp/other.md' }), { kind: 'ask', among: [api, web] });
    assert.deepEqual(chooseFolder([], {}), { kind: 'none' });
  });

  it('precedence: argument > the focused tree\'s selection > the active editor > ask', () => {
    // A palette command while a row of web is selected in the focused tree, and an editor of api is open.
    assert.deepEqual(chooseFolder([api, web], { selected: web.key, activeFile: '/work/api/a.ts' }), { kind: 'folder', folder: web });
    assert.deepEqual(chooseFolder([api, web], { selected: web.key }), { kind: 'folder', folder: web });
    assert.deepEqual(chooseFolder([api, web], { named: api.key, selected: web.key }), { kind: 'folder', folder: api });
    // A selected row of a folder that has left: the editor decides, else ask (never another folder silently).
    assert.deepEqual(chooseFolder([api, web], { selected: 'file:///work/gone', activeFile: '/work/api/a.ts' }), { kind: 'folder', folder: api });
    assert.deepEqual(chooseFolder([api, web], { selected: 'file:///work/gone' }), { kind: 'ask', among: [api, web] });
  });

  it('asks rather than act on another folder when the named one has left the window', () => {
    assert.deepEqual(chooseFolder([api], { named: web.key }), { kind: 'ask', among: [api] });
  });
});
