import assert from 'node:assert/strict';
import type { AtoEvent } from '../../../../src/core/events/eventLog';
import { eventLine, eventMessage, eventsOfTask, taskEventsText } from '../../../../src/core/events/taskEvents';

const at = (second: number): string => `2026-12-07T20:41:${String(second).padStart(2, '0')}.123Z`;
const event = (second: number, kind: string, fields: Record<string, unknown> = {}): AtoEvent => ({ v: 1, time: at(second), kind, ...fields });

describe('the events of one task, one line each', () => {
  const log: AtoEvent[] = [
    event(0, 'extension.activated', { version: '0.1.0' }),
    event(1, 'task.created', { id: 'add-login', file: 'planning/issue_queue/pending/add-login.task.md', via: 'newTask' }),
    event(2, 'queue.moved', { taskId: 'add-login', from: 'pending', to: 'processed', runId: 'run-1' }),
    event(3, 'queue.moved', { taskId: 'other', from: 'pending', to: 'processed', runId: 'run-2' }),
    event(4, 'fleet.windowClosed', { vendor: 'anthropic', agentId: 'claude-code', runId: 'run-1', why: 'a 429 retry-after' }),
    event(5, 'fleet.windowClosed', { vendor: 'anthropic', agentId: 'claude-code', runId: 'run-2', why: 'a 429 retry-after' }),
    event(6, 'run.transition', { runId: 'run-1', taskId: 'add-login', agentId: 'claude-code', from: 'running', to: 'failed', reason: 'exit 1:\nboom' }),
    event(7, 'loop.requeue', { taskId: 'add-login', result: 'done', message: 'requeued' }),
    event(8, 'task.created', { id: 'add-login-2' }),
  ];

  it('keeps the events naming the task, and those of its runs that name only the run', () => {
    assert.deepEqual(eventsOfTask(log, 'add-login').map(e => e.time.slice(17, 19)), ['01', '02', '04', '06', '07']);
    assert.deepEqual(eventsOfTask(log, 'other').map(e => e.kind), ['queue.moved', 'fleet.windowClosed']);
    assert.deepEqual(eventsOfTask(log, 'nobody'), []);
  });

  it('a line: UTC time to the second, kind, run (or -), and the message on one line', () => {
    assert.equal(eventLine(log[6]!), '2026-12-07 20:41:06Z  run.transition  run-1  running → failed: exit 1: boom');
    assert.equal(eventLine(log[7]!), '2026-12-07 20:41:07Z  loop.requeue  -  requeued');
    assert.equal(eventLine(log[4]!), '2026-12-07 20:41:04Z  fleet.windowClosed  run-1  a 429 retry-after');
  });

  it('an event without a sentence shows its other fields as name=value', () => {
    assert.equal(eventMessage(log[1]!), 'id=add-login file=planning/issue_queue/pending/add-login.task.md via=newTask');
    assert.equal(eventMessage(event(0, 'doctor.ran', { connections: [{ service: 'github', outcome: 'ok' }] })), 'connections=[{"service":"github","outcome":"ok"}]');
  });

  it('a very long message is cut to 500 characters', () => {
    const line = eventMessage(event(0, 'loop.tickFailed', { message: 'x'.repeat(2000) }));
    assert.equal(line.length, 500);
    assert.ok(line.endsWith('…'));
  });

  it('the view\'s text: a header with the count, a note of skipped lines, then the lines; or says there is none', () => {
    const text = taskEventsText('other', eventsOfTask(log, 'other'), 1);
    assert.deepEqual(text.split('\n'), [
      '# Events of task other: 2 events, oldest first (time UTC · kind · run · message). Updates as ATO records more.',
      '# 1 line(s) of the log are not events (cut short by a crash, or edited) and were skipped.',
      '',
      '2026-12-07 20:41:03Z  queue.moved  run-2  pending → processed',
      '2026-12-07 20:41:05Z  fleet.windowClosed  run-2  a 429 retry-after',
      '',
    ]);
    assert.equal(taskEventsText('nobody', [], 0).split('\n')[2], 'No event of this task is recorded yet.');
  });
});
