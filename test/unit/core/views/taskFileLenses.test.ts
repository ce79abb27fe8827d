import assert from 'node:assert/strict';
import { QueueEntries } from '../../../../src/core/queue/queueEntries';
import { commandIds } from '../../../../src/core/views/commandIds';
import { taskFileLenses } from '../../../../src/core/views/taskFileLenses';
import { aQueueEntry } from '../../../support/panelState';
import { taskFileText } from '../../../support/simpleTaskParser';
import { anAtoState } from '../../../support/stateBuilders';

function aQueue() {
  const entries = new QueueEntries();
  const files = {
    ready: aQueueEntry('pending', 'add-login.task.md', taskFileText({ id: 'add-login' })),
    blocked: aQueueEntry('pending', 'after-login.task.md', taskFileText({ id: 'after-login', dependsOn: ['add-login'] })),
    invalid: aQueueEntry('pending', 'broken.task.md', 'INVALID\n'),
    processed: aQueueEntry('processed', 'running.task.md', taskFileText({ id: 'running' })),
  };
  for (const entry of Object.values(files)) entries.set(entry);
  entries.commit();
  return { queue: entries.snapshot(), files };
}

describe('the CodeLens above a task file', () => {
  it('offers "Dispatch now" and "Preview agent" with the task\'s id on the first line of a valid pending task', () => {
    const { queue, files } = aQueue();
    const lenses = taskFileLenses(anAtoState({ queue }), files.ready.file);
    assert.deepEqual(lenses, [
      { title: 'Dispatch now', command: commandIds.dispatchTask, taskId: 'add-login', line: 0 },
      { title: 'Preview agent', command: commandIds.previewDispatch, taskId: 'add-login', line: 0 },
    ]);
    assert.deepEqual(taskFileLenses(anAtoState({ queue }), files.blocked.file).map(lens => lens.taskId), ['after-login', 'after-login'], 'a task waiting on a dependency too');
  });

  it('offers nothing for an invalid file, a task outside pending/, another file, an untrusted workspace or before the index has read the queue', () => {
    const { queue, files } = aQueue();
    assert.deepEqual(taskFileLenses(anAtoState({ queue }), files.invalid.file), []);
    assert.deepEqual(taskFileLenses(anAtoState({ queue }), files.processed.file), []);
    assert.deepEqual(taskFileLenses(anAtoState({ queue }), '/work/repo/README.md'), []);
    assert.deepEqual(taskFileLenses(anAtoState({ queue, trusted: false }), files.ready.file), []);
    assert.deepEqual(taskFileLenses(anAtoState({ queue: undefined }), files.ready.file), []);
  });
});
