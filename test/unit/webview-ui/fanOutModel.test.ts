import assert from 'node:assert/strict';
import { Redactor } from '../../../src/core/logging/redactor';
import { buildPanelSnapshot } from '../../../src/core/state/panelSnapshot';
import type { RunRecord } from '../../../src/core/runs/runRecord';
import { fanOutLines } from '../../../webview-ui/src/fanOutModel';
import { aRunRecord } from '../../support/runRecords';
import { anAtoState } from '../../support/stateBuilders';

/** The panel's runs (newest first) as the real snapshot builder makes them. */
const runsOf = (...records: RunRecord[]) => buildPanelSnapshot(anAtoState({ runs: records }), new Redactor()).runs;
const at = (minute: number) => `2026-11-21T10:${String(minute).padStart(2, '0')}:00.000Z`;

describe('the fan-out lines', () => {
  const answer = [
    { taskId: 'one', status: 'started' as const, detail: 'on counter · run r-one' },
    { taskId: 'two', status: 'waiting' as const, detail: 'waits: counter: starts are spaced out (next in 7.3 s)' },
    { taskId: 'three', status: 'refused' as const, detail: 'no eligible agent' },
  ];

  it('say the first answer while no new run of the task is in the snapshot', () => {
    const lines = fanOutLines(answer, runsOf(aRunRecord({ runId: 'old-two', taskId: 'two', state: 'failed', startedAt: at(0) })), new Set(['old-two']));
    assert.deepEqual(lines.map(line => [line.title, line.detail, line.tone, line.runState]), [
      ['one: started', 'on counter · run r-one', 'normal', undefined],
      ['two: waiting', 'waits: counter: starts are spaced out (next in 7.3 s)', 'warning', undefined],
      ['three: refused', 'no eligible agent', 'error', undefined],
    ]);
  });

  it('follow the run the dispatch started: a waiting task that started, one that finished, one that failed', () => {
    const runs = runsOf(
      aRunRecord({ runId: 'r-two', taskId: 'two', agentId: 'counter', state: 'running', startedAt: at(2) }),
      aRunRecord({ runId: 'r-one', taskId: 'one', agentId: 'counter', state: 'succeeded', startedAt: at(1), endedAt: at(3) }),
      aRunRecord({ runId: 'old-two', taskId: 'two', state: 'failed', startedAt: at(0) }),
    );
    const lines = fanOutLines(answer, runs, new Set(['old-two']));
    assert.deepEqual(lines.map(line => [line.outcome, line.runState, line.title, line.detail, line.icon]), [
      ['started', 'succeeded', 'one: succeeded', 'on counter · run r-one', 'pass'],
      ['waiting', 'running', 'two: running', 'on counter · run r-two', 'sync'],
      ['refused', undefined, 'three: refused', 'no eligible agent', 'circle-slash'],
    ]);
    const failed = fanOutLines(answer.slice(1, 2), runsOf(aRunRecord({ runId: 'r-two', taskId: 'two', agentId: 'counter', state: 'failed', startedAt: at(2), endedAt: at(4), failure: { class: 'fatal', message: 'exit 1' } })), new Set());
    assert.deepEqual(failed.map(line => [line.title, line.detail, line.tone]), [['two: failed', 'on counter · run r-two · fatal: exit 1', 'error']]);
  });

  it('a refused task is never matched to a run, even one that is new', () => {
    const [line] = fanOutLines(answer.slice(2), runsOf(aRunRecord({ runId: 'r-three', taskId: 'three', state: 'running', startedAt: at(1) })), new Set());
    assert.equal(line?.title, 'three: refused');
  });

  it('name each task by its title with its id, as the queue and the Runs section do (issue 14)', () => {
    const titles = new Map([['one', 'Add a login form'], ['two', 'Fix the typo']]);
    const lines = fanOutLines(answer, runsOf(aRunRecord({ runId: 'r-one', taskId: 'one', agentId: 'counter', state: 'running', startedAt: at(1) })), new Set(), titles);
    assert.deepEqual(lines.map(line => [line.taskId, line.title]), [['one', 'Add a login form (one): running'], ['two', 'Fix the typo (two): waiting'], ['three', 'three: refused']]);
  });
});
