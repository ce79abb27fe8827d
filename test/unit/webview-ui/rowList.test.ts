import assert from 'node:assert/strict';
import { Redactor } from '../../../src/core/logging/redactor';
import { buildPanelSnapshot } from '../../../src/core/state/panelSnapshot';
import type { PanelSnapshot } from '../../../src/shared/protocol';
import { buildQueueRows, queueRows, runRows, type ListRow } from '../../../webview-ui/src/listModel';
import { allRows, GroupedRowList } from '../../../webview-ui/src/rowList';
import { initialUiState } from '../../../webview-ui/src/uiState';
import { aBusyState } from '../../support/panelState';

const header = (key: string, count: number): ListRow => ({ kind: 'group', key, group: key, label: key, count, collapsed: false });
const check = (name: string): ListRow => ({ kind: 'check', key: `check:${name}`, name, actions: [] });

describe('grouped row lists (rows built when shown)', () => {
  it('builds only the rows asked for, once each, and knows where each built row is', () => {
    const built: string[] = [];
    const rowOf = (name: string): ListRow => {
      built.push(name);
      return check(name);
    };
    const list = new GroupedRowList([{ header: header('g1', 2), members: ['a', 'b'] }, { header: header('g2', 0), members: [] }, { header: header('g3', 1), members: ['c'] }], rowOf);
    assert.equal(list.length, 6);
    assert.deepEqual(built, [], 'nothing built before it is asked for');
    const c = list.at(5);
    assert.equal(c?.key, 'check:c');
    assert.deepEqual(built, ['c']);
    assert.equal(list.at(5), c, 'the same object when asked again');
    assert.deepEqual(built, ['c']);
    assert.deepEqual(allRows(list).map(row => row.key), ['g1', 'check:a', 'check:b', 'g2', 'g3', 'check:c']);
    assert.equal(list.indexOf(c), 5);
    assert.equal(list.indexOf(check('c')), -1, 'a row it did not build is not in it');
    for (const index of [-1, 6, 1.5, Number.NaN]) assert.equal(list.at(index), undefined, String(index));
  });

  it('a row equal to the one the previous list built is that object; a changed one is new', () => {
    const first = new GroupedRowList([{ header: header('g', 2), members: ['a', 'b'] }], check);
    const [, a, b] = allRows(first);
    const second = new GroupedRowList([{ header: header('g', 2), members: ['a', 'b'] }], name => name === 'b' ? { ...check('b'), name: 'b changed' } : check(name), first);
    assert.equal(second.at(1), a);
    assert.notEqual(second.at(2), b);
    assert.equal(second.at(2)?.kind === 'check' && second.at(2)?.key, 'check:b');
  });

  it('the queue and the runs of 10,000 tasks and 1,000 runs: a screenful of rows costs a screenful, and matches the whole list', () => {
    const snapshot: PanelSnapshot = buildPanelSnapshot(aBusyState(10_000, 1000).state, new Redactor());
    const ui = { ...initialUiState, collapsed: [] };
    const lazy = queueRows(snapshot, ui, new Set());
    const whole = buildQueueRows(snapshot, ui);
    assert.equal(lazy.length, whole.length);
    for (const index of [0, 1, 5000, whole.length - 1]) assert.deepEqual(lazy.at(index), whole[index]);
    // The rows the previous list built and that did not change are kept, so their elements are.
    const again = queueRows(snapshot, ui, new Set(), lazy);
    assert.equal(again.at(1), lazy.at(1));
    const selected = lazy.at(1);
    assert.ok(selected?.kind === 'task');
    const next = again.at(2);
    const picked = queueRows(snapshot, ui, new Set([selected.task.id]), again);
    assert.notEqual(picked.at(1), selected, 'a row whose selection changed is a new row');
    assert.equal(picked.at(2), next);
    assert.equal(runRows(snapshot, ui).length, 1000 + new Set(snapshot.runs.map(run => run.state)).size);
  });
});
