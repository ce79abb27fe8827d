import assert from 'node:assert/strict';
import { stat, utimes, writeFile } from 'node:fs/promises';
import { decideStall, describeQuiet, StallWatch, stallReasonPrefix, stallSettingsOf, type StallVerdict } from '../../../../src/core/dispatch/stallWatch';
import { Redactor } from '../../../../src/core/logging/redactor';
import type { RunRecord } from '../../../../src/core/runs/runRecord';
import { RunStore } from '../../../../src/core/runs/runStore';
import { aRunRecord } from '../../../support/runRecords';
import { useTempDir } from '../../../support/tempDir';

const minute = 60_000;
const startedAt = Date.parse('2026-11-21T10:00:00.000Z');
const settings = { stallMs: 15 * minute, policy: 'needsYou' as const };

/** A run that entered `running` at 10:00 (and a state after it, when given). */
function running(then?: { state: RunRecord['state']; atMs: number; reason: string }): RunRecord {
  const base = aRunRecord({ runId: 'r1', state: 'running' });
  const history = [...base.history, { state: 'running' as const, at: new Date(startedAt).toISOString(), reason: 'x started' }];
  if (then !== undefined) history.push({ state: then.state, at: new Date(then.atMs).toISOString(), reason: then.reason });
  return { ...base, state: then?.state ?? 'running', history };
}

describe('decideStall: is a run stalled? (an injected clock)', () => {
  it('a running run quiet for the stall time is stalled, per policy; a shorter silence is fine', () => {
    assert.deepEqual(decideStall({ record: running(), logChangedMs: undefined, nowMs: startedAt + 14 * minute, settings }), { kind: 'fine' });
    assert.deepEqual(decideStall({ record: running(), logChangedMs: undefined, nowMs: startedAt + 15 * minute, settings }), { kind: 'stalled', action: 'needsYou', reason: 'no output for 15 min' });
    assert.deepEqual(decideStall({ record: running(), logChangedMs: undefined, nowMs: startedAt + 15 * minute, settings: { ...settings, policy: 'retry' } }), { kind: 'stalled', action: 'retry', reason: 'no output for 15 min' });
  });

  it('output counts as a sign of life: the silence is measured from the log\'s last change', () => {
    const output = startedAt + 10 * minute;
    assert.deepEqual(decideStall({ record: running(), logChangedMs: output, nowMs: output + 14 * minute, settings }), { kind: 'fine' });
    assert.deepEqual(decideStall({ record: running(), logChangedMs: output, nowMs: output + 16 * minute, settings }), { kind: 'stalled', action: 'needsYou', reason: 'no output for 16 min' });
  });

  it('0 minutes is off; runs that are not running are never stalled', () => {
    assert.deepEqual(decideStall({ record: running(), logChangedMs: undefined, nowMs: startedAt + 1000 * minute, settings: { ...settings, stallMs: 0 } }), { kind: 'fine' });
    for (const state of ['preparing', 'queued', 'succeeded', 'failed'] as const) {
      assert.deepEqual(decideStall({ record: { ...running(), state }, logChangedMs: undefined, nowMs: startedAt + 100 * minute, settings }), { kind: 'fine' }, state);
    }
    const waitingForAnswer = running({ state: 'needsYou', atMs: startedAt + minute, reason: 'plan awaits approval' });
    assert.deepEqual(decideStall({ record: waitingForAnswer, logChangedMs: startedAt + 50 * minute, nowMs: startedAt + 100 * minute, settings }), { kind: 'fine' }, 'a needs-you that is not a stall is left alone');
  });

  it('a run marked stalled resumes when it writes again, and not before', () => {
    const stalledAt = startedAt + 15 * minute;
    const stalled = running({ state: 'needsYou', atMs: stalledAt, reason: `${stallReasonPrefix}no output for 15 min` });
    assert.deepEqual(decideStall({ record: stalled, logChangedMs: startedAt, nowMs: stalledAt + 60 * minute, settings }), { kind: 'fine' });
    assert.deepEqual(decideStall({ record: stalled, logChangedMs: stalledAt + 1000, nowMs: stalledAt + 2000, settings }), { kind: 'resumed', reason: 'output resumed after a stall' });
  });

  it('says the silence in minutes, or seconds under one; reads its settings in minutes', () => {
    assert.equal(describeQuiet(15 * minute + 59_000), '15 min');
    assert.equal(describeQuiet(2500), '2 s');
    assert.deepEqual(stallSettingsOf({ 'runs.stallMinutes': 0.5, 'runs.stallPolicy': 'retry' }), { stallMs: 30_000, policy: 'retry' });
  });
});

describe('StallWatch: rebuilt after a restart from the run records and the logs on disk', () => {
  const temp = useTempDir('ato-stall-');

  it('a fresh watch (a restart) finds a run that has been quiet since before it started, once', async () => {
    const store = new RunStore({ workspaceRoot: temp(), redactor: new Redactor() });
    await store.write(running());
    await writeFile(store.logFile('r1'), 'started\n');
    const lastOutput = new Date(startedAt + 2 * minute);
    await utimes(store.logFile('r1'), lastOutput, lastOutput);
    let now = new Date(startedAt + 16 * minute);
    const verdicts: [string, StallVerdict][] = [];
    // What a restart has: the records and the logs, nothing remembered from before.
    const records = (await store.list()).records;
    const watch = new StallWatch({
      settings: () => settings,
      runs: () => records,
      logChangedMs: runId => stat(store.logFile(runId)).then(stats => stats.mtimeMs),
      onVerdict: (runId, verdict) => { verdicts.push([runId, verdict]); return Promise.resolve(); },
      now: () => now,
    });
    await watch.check();
    assert.deepEqual(verdicts, [], 'quiet for 14 minutes since its last output: fine');
    now = new Date(startedAt + 17 * minute);
    await watch.check();
    await watch.check();
    assert.deepEqual(verdicts, [['r1', { kind: 'stalled', action: 'needsYou', reason: 'no output for 15 min' }]], 'told once');
    watch.dispose();
  });
});
