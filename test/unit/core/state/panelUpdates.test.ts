import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Redactor } from '../../../../src/core/logging/redactor';
import type { RunRecord, RunState } from '../../../../src/core/runs/runRecord';
import type { AtoState } from '../../../../src/core/state/atoState';
import { buildPanelSnapshot } from '../../../../src/core/state/panelSnapshot';
import { fullPanelUpdate, PanelUpdateEncoder } from '../../../../src/core/state/panelUpdates';
import { panelParts, panelProtocolVersion, parseToWebviewMessage, type PanelSnapshot, type PanelUpdate } from '../../../../src/shared/protocol';
import { applyPanelUpdate } from '../../../../webview-ui/src/panelParts';
import { aBusyState, aQueueEntry, aRun } from '../../../support/panelState';
import { taskFileText } from '../../../support/simpleTaskParser';

/** What the webview gets: the update through JSON and the protocol's parser, as postMessage and main.ts do it. */
function overTheWire(update: PanelUpdate): PanelUpdate {
  const parsed = parseToWebviewMessage(JSON.parse(JSON.stringify(update)));
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  assert.equal(parsed.message.type, 'update');
  return parsed.message;
}

const wire = (snapshot: PanelSnapshot): unknown => JSON.parse(JSON.stringify(snapshot));

/** A run record changed as the run store changes one: a new object with new usage. */
function withTurns(state: AtoState, index: number, turns: number): AtoState {
  return { ...state, runs: state.runs.map((run, at) => at === index ? { ...run, usage: { ...run.usage, turns } } : run) };
}

describe('panel updates: the host sends what changed, the webview rebuilds the snapshot', () => {
  it('sends every part first, then nothing while nothing changed', () => {
    const { state } = aBusyState(50, 20);
    const redactor = new Redactor();
    const encoder = new PanelUpdateEncoder();
    const first = encoder.next(buildPanelSnapshot(state, redactor));
    assert.equal(first?.full, true);
    assert.equal(first.version, panelProtocolVersion);
    assert.deepEqual(Object.keys(first.parts).sort(), [...panelParts].sort());
    assert.equal(encoder.next(buildPanelSnapshot(state, redactor)), undefined);
  });

  it('one changed run: only that run goes, not the queue, not the run order', () => {
    const { state } = aBusyState(200, 50);
    const redactor = new Redactor();
    const encoder = new PanelUpdateEncoder();
    encoder.next(buildPanelSnapshot(state, redactor));
    const next = withTurns(state, 3, 29);
    const update = encoder.next(buildPanelSnapshot(next, redactor));
    assert.ok(update !== undefined);
    assert.equal(update.full, false);
    assert.deepEqual(Object.keys(update.parts), ['runs']);
    assert.equal(update.parts.runs?.ids, undefined);
    assert.deepEqual(update.parts.runs?.changed.map(run => [run.runId, run.turns]), [[state.runs[3]?.runId, 29]]);
  });

  it('a new run on top sends that run and the new order; the queue stays unsent', () => {
    const { state } = aBusyState(20, 5);
    const redactor = new Redactor();
    const encoder = new PanelUpdateEncoder();
    encoder.next(buildPanelSnapshot(state, redactor));
    const update = encoder.next(buildPanelSnapshot({ ...state, runs: [aRun(99, 'running'), ...state.runs] }, redactor));
    assert.deepEqual(update?.parts.runs?.changed.map(run => run.runId), ['run-00099']);
    assert.deepEqual(update.parts.runs.ids, ['run-00099', ...state.runs.map(run => run.runId)]);
    assert.equal(update.parts.queue, undefined);
  });

  it('sends the task list again when the queue\'s revision changes, and only then', () => {
    const { state, entries } = aBusyState(30, 2);
    const redactor = new Redactor();
    const encoder = new PanelUpdateEncoder();
    encoder.next(buildPanelSnapshot(state, redactor));
    // The same revision, as a new snapshot object of the store: not sent.
    assert.equal(encoder.next(buildPanelSnapshot({ ...state, queue: entries.snapshot() }, redactor)), undefined);
    entries.set(aQueueEntry('pending', 'new-one.task.md', taskFileText({ id: 'new-one', title: 'A new one' })));
    entries.commit();
    const queue = entries.snapshot();
    const update = encoder.next(buildPanelSnapshot({ ...state, queue }, redactor));
    assert.equal(update?.parts.queue?.revision, queue.revision);
    assert.equal(update.parts.queue.items.length, 31);
  });

  it('sends the queue again, same revision, when the redactor learned a secret a title holds', () => {
    const { state, entries } = aBusyState(0, 0);
    entries.set(aQueueEntry('pending', 'leak.task.md', taskFileText({ id: 'leak', title: 'uses hunter2-secret-value' })));
    entries.commit();
    const withQueue = { ...state, queue: entries.snapshot() };
    const redactor = new Redactor();
    const encoder = new PanelUpdateEncoder();
    encoder.next(buildPanelSnapshot(withQueue, redactor));
    redactor.addSecret('hunter2-secret-value');
    const update = encoder.next(buildPanelSnapshot(withQueue, redactor));
    assert.equal(update?.parts.queue?.revision, withQueue.queue.revision);
    assert.doesNotMatch(JSON.stringify(update.parts.queue), /hunter2/);
  });

  it('after reset, the next update is full again (the webview said ready)', () => {
    const { state } = aBusyState(5, 5);
    const redactor = new Redactor();
    const encoder = new PanelUpdateEncoder();
    encoder.next(buildPanelSnapshot(state, redactor));
    encoder.reset();
    assert.equal(encoder.next(buildPanelSnapshot(state, redactor))?.full, true);
  });

  it('runs with the same id twice go whole, in order, and arrive as they are', () => {
    const { state } = aBusyState(0, 3);
    const twice = [aRun(7, 'running'), aRun(7, 'failed')];
    const redactor = new Redactor();
    const encoder = new PanelUpdateEncoder();
    const first = overTheWire(encoder.next(buildPanelSnapshot(state, redactor))!);
    const shown = applyPanelUpdate(undefined, first);
    assert.ok(shown.ok);
    const next = buildPanelSnapshot({ ...state, runs: [...twice, ...state.runs] }, redactor);
    const update = overTheWire(encoder.next(next)!);
    assert.equal(update.parts.runs?.changed.length, 5);
    const applied = applyPanelUpdate(shown.snapshot, update);
    assert.ok(applied.ok);
    assert.deepEqual(applied.snapshot, wire(next));
  });

  it('fullPanelUpdate carries the whole snapshot, and the webview rebuilds exactly it', () => {
    const { state } = aBusyState(40, 10);
    const snapshot = buildPanelSnapshot(state, new Redactor());
    const applied = applyPanelUpdate(undefined, overTheWire(fullPanelUpdate(snapshot)));
    assert.ok(applied.ok);
    assert.deepEqual(applied.snapshot, wire(snapshot));
    assert.deepEqual([...applied.changed].sort(), [...panelParts].sort());
  });

  describe('any sequence of store changes: applying each update gives the host\'s snapshot', () => {
    const runStates: readonly RunState[] = ['queued', 'running', 'needsYou', 'succeeded', 'failed', 'cancelled'];
    type Step =
      | { readonly kind: 'changeRun'; readonly at: number; readonly turns: number }
      | { readonly kind: 'moveRun'; readonly at: number; readonly state: RunState }
      | { readonly kind: 'addRun'; readonly id: number }
      | { readonly kind: 'dropRun'; readonly at: number }
      | { readonly kind: 'addTask'; readonly id: number }
      | { readonly kind: 'trust'; readonly trusted: boolean }
      | { readonly kind: 'nothing' };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant('changeRun' as const), at: fc.nat(20), turns: fc.nat(500) }),
      fc.record({ kind: fc.constant('moveRun' as const), at: fc.nat(20), state: fc.constantFrom(...runStates) }),
      fc.record({ kind: fc.constant('addRun' as const), id: fc.integer({ min: 100, max: 130 }) }),
      fc.record({ kind: fc.constant('dropRun' as const), at: fc.nat(20) }),
      fc.record({ kind: fc.constant('addTask' as const), id: fc.nat(30) }),
      fc.record({ kind: fc.constant('trust' as const), trusted: fc.boolean() }),
      fc.constant({ kind: 'nothing' as const }),
    );

    it('holds for 150 random sequences', () => {
      fc.assert(fc.property(fc.array(step, { maxLength: 12 }), steps => {
        const { state: start, entries } = aBusyState(10, 8);
        let state: AtoState = start;
        const redactor = new Redactor();
        const encoder = new PanelUpdateEncoder();
        let shown = applyPanelUpdate(undefined, overTheWire(encoder.next(buildPanelSnapshot(state, redactor))!));
        assert.ok(shown.ok);
        for (const change of steps) {
          state = apply(state, change, entries);
          const snapshot = buildPanelSnapshot(state, redactor);
          const update = encoder.next(snapshot);
          if (update === undefined) {
            assert.deepEqual(shown.snapshot, wire(snapshot), 'nothing sent, nothing changed');
            continue;
          }
          const next = applyPanelUpdate(shown.snapshot, overTheWire(update));
          assert.ok(next.ok, next.ok ? '' : next.reason);
          assert.deepEqual(next.snapshot, wire(snapshot));
          shown = next;
        }
      }), { numRuns: 150 });
    });

    function apply(state: AtoState, change: Step, entries: ReturnType<typeof aBusyState>['entries']): AtoState {
      const runs: RunRecord[] = [...state.runs];
      switch (change.kind) {
        case 'changeRun':
          return runs[change.at] === undefined ? state : withTurns(state, change.at, change.turns);
        case 'moveRun': {
          const run = runs[change.at];
          if (run === undefined) return state;
          runs[change.at] = { ...run, state: change.state };
          return { ...state, runs };
        }
        case 'addRun':
          return { ...state, runs: [aRun(change.id, 'running'), ...runs.filter(run => run.runId !== aRun(change.id, 'running').runId)] };
        case 'dropRun':
          runs.splice(change.at, 1);
          return { ...state, runs };
        case 'addTask':
          entries.set(aQueueEntry('pending', `extra-${change.id}.task.md`, taskFileText({ id: `extra-${change.id}`, title: `Extra ${change.id}` })));
          entries.commit();
          return { ...state, queue: entries.snapshot() };
        case 'trust':
          return { ...state, trusted: change.trusted };
        case 'nothing':
          return { ...state };
      }
    }
  });
});
