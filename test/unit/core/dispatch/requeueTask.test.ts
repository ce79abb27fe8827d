import assert from 'node:assert/strict';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requeueTask, type RequeueOptions, type RequeueOutcome } from '../../../../src/core/dispatch/requeueTask';
import type { EventInput } from '../../../../src/core/events/eventLog';
import { Redactor } from '../../../../src/core/logging/redactor';
import { QueueIndex } from '../../../../src/core/queue/queueIndex';
import { newRunRecord, type RunRecord } from '../../../../src/core/runs/runRecord';
import { RunStore } from '../../../../src/core/runs/runStore';
import { transition } from '../../../../src/core/runs/runTransitions';
import { parseTaskFile } from '../../../../src/core/tasks/parseTaskFile';
import { useTempDir } from '../../../support/tempDir';

const reasonOf = (outcome: RequeueOutcome): string => ('reason' in outcome ? outcome.reason : '');

describe('requeueTask (real files, a real run store and queue index)', () => {
  const temp = useTempDir('ato-requeue-');
  let index: QueueIndex | undefined;
  afterEach(() => { index?.dispose(); index = undefined; });

  const clock = (iso: string) => () => new Date(iso);
  const queueFile = (folder: string, name = 'fix-it.task.md'): string => join(temp(), 'planning', 'issue_queue', folder, name);

  async function setUp(folder: 'pending' | 'processed' | 'complete', runs: readonly RunRecord[] = []): Promise<{ options: RequeueOptions; store: RunStore; events: EventInput[] }> {
    for (const name of ['pending', 'processed', 'complete']) mkdirSync(join(temp(), 'planning', 'issue_queue', name), { recursive: true });
    writeFileSync(queueFile(folder), '---\nid: fix-it\n---\n# Fix it\n');
    index = new QueueIndex({ planningRoot: join(temp(), 'planning'), parse: parseTaskFile, workspaceRoot: temp() });
    await index.coldIndex();
    const store = new RunStore({ workspaceRoot: temp(), redactor: new Redactor() });
    for (const run of runs) await store.write(run);
    const events: EventInput[] = [];
    const options: RequeueOptions = { workspaceRoot: temp(), planningRoot: index.planningRoot, index, runs: store, events: { append: event => { events.push(event); return Promise.resolve(); } }, now: clock('2026-05-01T12:00:00Z') };
    return { options, store, events };
  }

  function run(runId: string, state: 'failed' | 'cancelled' | 'running' | 'succeeded', startedAt = '2026-05-01T10:00:00Z'): RunRecord {
    const base = newRunRecord({ runId, taskId: 'fix-it', taskFile: 'planning/issue_queue/processed/fix-it.task.md', taskType: 'feature', agentId: 'counter', reason: 'test' }, clock(startedAt));
    const running = transition(transition(base, 'preparing', 'dispatching', clock(startedAt)), 'running', 'started', clock(startedAt));
    if (state === 'running') return running;
    const ended = transition(running, state, state === 'succeeded' ? 'done' : 'exit 1', clock('2026-05-01T10:05:00Z'));
    return state === 'failed' ? { ...ended, failure: { class: 'fatal', message: 'exit 1' }, followUp: { kind: 'needsYou', reason: 'no other agent can take the task' } } : ended;
  }

  it('moves a failed task from processed/ to pending/, keeps the run\'s history and marks it requeued', async () => {
    const failed = run('20260501T100000Z-aaaaaa', 'failed');
    const { options, store, events } = await setUp('processed', [failed]);
    const outcome = await requeueTask('fix-it', options);
    assert.deepEqual(outcome, { status: 'requeued', taskId: 'fix-it', file: queueFile('pending'), lastRunId: failed.runId });
    assert.ok(existsSync(queueFile('pending')) && !existsSync(queueFile('processed')), 'in pending/, and only there');
    assert.deepEqual(index?.byId('fix-it').map(entry => entry.folder), ['pending'], 'the index knows at once');
    const record = await store.read(failed.runId);
    assert.ok(record.ok);
    assert.deepEqual(record.record.history, failed.history, 'the history is kept as it was');
    assert.equal(record.record.state, 'failed');
    assert.deepEqual(record.record.followUp, { kind: 'requeued', at: '2026-05-01T12:00:00.000Z', reason: 'requeued: fix-it.task.md is back in pending/' });
    assert.deepEqual(events.map(event => event.kind), ['queue.moved', 'task.requeued']);
    assert.deepEqual(events[0], { kind: 'queue.moved', taskId: 'fix-it', from: 'processed', to: 'pending', reason: 'requeued', runId: failed.runId });
  });

  it('is idempotent: a second requeue moves and writes nothing', async () => {
    const { options, store, events } = await setUp('processed', [run('20260501T100000Z-aaaaaa', 'cancelled')]);
    await requeueTask('fix-it', options);
    const first = await store.read('20260501T100000Z-aaaaaa');
    const again = await requeueTask('fix-it', { ...options, now: clock('2026-05-02T00:00:00Z') });
    assert.equal(again.status, 'alreadyPending');
    assert.deepEqual(await store.read('20260501T100000Z-aaaaaa'), first);
    assert.equal(events.length, 2, 'no new event');
  });

  it('after a crash between the move and the record, requeueing again completes the record', async () => {
    const failed = run('20260501T100000Z-aaaaaa', 'failed');
    const { options, store, events } = await setUp('processed', [failed]);
    renameSync(queueFile('processed'), queueFile('pending')); // the move landed, then the process died
    const outcome = await requeueTask('fix-it', options);
    assert.equal(outcome.status, 'alreadyPending');
    const record = await store.read(failed.runId);
    assert.ok(record.ok);
    assert.equal(record.record.followUp?.kind, 'requeued');
    assert.deepEqual(events.map(event => event.kind), ['task.requeued']);
  });

  it('refuses while a run of the task is in progress — by its record, or in this process — and moves nothing', async () => {
    const { options, events } = await setUp('processed', [run('20260501T100000Z-aaaaaa', 'failed'), run('20260501T110000Z-bbbbbb', 'running', '2026-05-01T11:00:00Z')]);
    const byRecord = await requeueTask('fix-it', options);
    assert.equal(byRecord.status, 'active');
    assert.match(reasonOf(byRecord), /Run 20260501T110000Z-bbbbbb of "fix-it" is still running: cancel it first/);
    assert.ok(existsSync(queueFile('processed')));

    const inProcess = await requeueTask('fix-it', { ...options, runs: new RunStore({ workspaceRoot: join(temp(), 'elsewhere'), redactor: new Redactor() }), activeRuns: () => [run('20260501T120000Z-cccccc', 'running')] });
    assert.equal(inProcess.status, 'active');
    assert.ok(existsSync(queueFile('processed')));
    assert.deepEqual(events, []);
  });

  it('refuses a complete task, an unknown id and an id two files share', async () => {
    const complete = await setUp('complete');
    assert.equal((await requeueTask('fix-it', complete.options)).status, 'complete');
    assert.ok(existsSync(queueFile('complete')));
    assert.equal((await requeueTask('no-such-task', complete.options)).status, 'notFound');

    writeFileSync(queueFile('processed', 'other.task.md'), '---\nid: fix-it\n---\n# Fix it too\n');
    await index?.coldIndex();
    const duplicate = await requeueTask('fix-it', complete.options);
    assert.equal(duplicate.status, 'duplicate');
    assert.match(reasonOf(duplicate), /fix-it\.task\.md, other\.task\.md|other\.task\.md, fix-it\.task\.md/);
  });

  it('requeues a task in processed/ that has no run record (the record is not there to mark)', async () => {
    const { options, events } = await setUp('processed');
    assert.deepEqual(await requeueTask('fix-it', options), { status: 'requeued', taskId: 'fix-it', file: queueFile('pending'), lastRunId: undefined });
    assert.deepEqual(events.map(event => event.kind), ['queue.moved']);
  });
});
