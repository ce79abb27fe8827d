import assert from 'node:assert/strict';
import { runStates, type RunState } from '../../../../src/core/runs/runRecord';
import { canTransition, RunError, runTransitions, transition } from '../../../../src/core/runs/runTransitions';
import { aRunRecord } from '../../../support/runRecords';

describe('run state machine', () => {
  let tick = 0;
  const clock = () => new Date(Date.UTC(2026, 10, 21, 10, 0, ++tick));

  it('walks a run from queued to succeeded, recording every step with its reason and time', () => {
    tick = 0;
    let record = aRunRecord();
    record = transition(record, 'preparing', 'worktree', clock);
    record = transition(record, 'running', 'claude-code started (pid 42)', clock);
    record = transition(record, 'succeeded', 'exit 0', clock);
    assert.equal(record.state, 'succeeded');
    assert.deepEqual(record.history.map(entry => [entry.state, entry.reason]), [['queued', 'dispatch'], ['preparing', 'worktree'], ['running', 'claude-code started (pid 42)'], ['succeeded', 'exit 0']]);
    assert.equal(record.history[3]?.at, '2026-11-21T10:00:03.000Z');
    assert.equal(record.endedAt, '2026-11-21T10:00:03.000Z');
    assert.equal(record.attempts, 1);
  });

  it('is pure: the input record is not changed', () => {
    const record = aRunRecord();
    const copy = structuredClone(record);
    transition(record, 'preparing', 'x', clock);
    assert.deepEqual(record, copy);
  });

  it('counts an attempt each time the run enters preparing (a transient retry goes back through queued)', () => {
    let record = aRunRecord();
    for (const state of ['preparing', 'running', 'queued', 'preparing', 'running', 'queued', 'preparing'] as const) record = transition(record, state, state, clock);
    assert.equal(record.attempts, 3);
    assert.equal(record.endedAt, undefined);
  });

  it('lets a human answer, retry or give up from needsYou', () => {
    for (const next of ['running', 'queued', 'succeeded', 'failed', 'cancelled'] as const) {
      const waiting = transition(transition(transition(aRunRecord(), 'preparing', '', clock), 'running', '', clock), 'needsYou', 'plan approval', clock);
      assert.equal(transition(waiting, next, 'human', clock).state, next);
    }
  });

  it('refuses illegal moves with a typed error, and final states have no way out', () => {
    const illegal: [RunState, RunState][] = [['queued', 'running'], ['queued', 'succeeded'], ['queued', 'needsYou'], ['running', 'running'], ['running', 'preparing'], ['succeeded', 'failed'], ['failed', 'queued'], ['cancelled', 'running']];
    for (const [from, to] of illegal) {
      const record = aRunRecord({ state: from });
      assert.throws(() => transition(record, to, 'x', clock), (e: unknown) => RunError.is(e, 'illegalTransition') && e.from === from && e.to === to && e.runId === 'run-1', `${from} → ${to}`);
    }
    assert.throws(() => transition(aRunRecord({ state: 'failed' }), 'queued', 'x', clock), /start a new run/);
  });

  it('defines every state, every target is a state, and every non-final state can fail or be cancelled', () => {
    assert.deepEqual(Object.keys(runTransitions).sort(), [...runStates].sort());
    for (const from of runStates) {
      for (const to of runTransitions[from]) assert.ok(runStates.includes(to));
      const final = runTransitions[from].length === 0;
      assert.equal(final, ['succeeded', 'failed', 'cancelled'].includes(from), from);
      if (!final) assert.ok(canTransition(from, 'failed') && canTransition(from, 'cancelled'), from);
      assert.equal(canTransition(from, from), false, `${from} → itself`);
    }
  });
});
