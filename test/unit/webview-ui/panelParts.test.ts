import assert from 'node:assert/strict';
import { Redactor } from '../../../src/core/logging/redactor';
import { buildPanelSnapshot } from '../../../src/core/state/panelSnapshot';
import { fullPanelUpdate } from '../../../src/core/state/panelUpdates';
import { panelProtocolVersion, type PanelSnapshot, type PanelUpdate } from '../../../src/shared/protocol';
import { applyPanelUpdate } from '../../../webview-ui/src/panelParts';
import { aBusyState } from '../../support/panelState';

function shown(): PanelSnapshot {
  const applied = applyPanelUpdate(undefined, fullPanelUpdate(buildPanelSnapshot(aBusyState(20, 6).state, new Redactor())));
  assert.ok(applied.ok);
  return applied.snapshot;
}

describe('applyPanelUpdate (the webview keeps the last parts)', () => {
  it('keeps every part that did not come as the very same object, and every run not named', () => {
    const before = shown();
    const changedRun = { ...before.runs[2]!, turns: 99 };
    const applied = applyPanelUpdate(before, { type: 'update', version: panelProtocolVersion, full: false, parts: { runs: { changed: [changedRun] } } });
    assert.ok(applied.ok);
    assert.deepEqual([...applied.changed], ['runs']);
    const after = applied.snapshot;
    assert.equal(after.queue, before.queue);
    assert.equal(after.loop, before.loop);
    assert.equal(after.needsYou, before.needsYou);
    assert.equal(after.agents, before.agents);
    assert.equal(after.runs[2], changedRun);
    assert.deepEqual(after.runs.map((run, index) => index === 2 || run === before.runs[index]), after.runs.map(() => true));
  });

  it('puts runs in the order sent, new ones from the update, old ones kept', () => {
    const before = shown();
    const fresh = { ...before.runs[0]!, runId: 'run-new' };
    const ids = ['run-new', ...before.runs.slice(1).map(run => run.runId)];
    const applied = applyPanelUpdate(before, { type: 'update', version: panelProtocolVersion, full: false, parts: { runs: { ids, changed: [fresh] } } });
    assert.ok(applied.ok);
    assert.deepEqual(applied.snapshot.runs.map(run => run.runId), ids);
    assert.equal(applied.snapshot.runs[0], fresh);
  });

  it('refuses what it cannot apply, so the panel asks for everything again', () => {
    const before = shown();
    const update = (parts: PanelUpdate['parts'], full = false): PanelUpdate => ({ type: 'update', version: panelProtocolVersion, full, parts });
    assert.deepEqual(applyPanelUpdate(undefined, update({ runs: { changed: [] } })), { ok: false, reason: 'a partial update before any full one' });
    assert.equal(applyPanelUpdate(before, update({ runs: { ids: ['run-unknown'], changed: [] } })).ok, false, 'an order naming a run the panel never got');
    assert.equal(applyPanelUpdate(before, update({ runs: { changed: [{ ...before.runs[0]!, runId: 'run-unknown' }] } })).ok, false, 'a changed run outside the list');
    assert.match((applyPanelUpdate(before, update({ head: before }, true)) as { reason: string }).reason, /a full update without queue, runs, needsYou, loop, agents/);
  });
});
