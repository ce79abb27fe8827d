import assert from 'node:assert/strict';
import { commandIds, workbenchCommands } from '../../../../src/core/views/commandIds';
import { dispatchFixes } from '../../../../src/core/views/dispatchFixes';

const offered = (status: Parameters<typeof dispatchFixes>[0]['status']) => dispatchFixes({ status }, 'add-login').map(fix => [fix.label, fix.command, fix.args]);

describe('what a refused dispatch offers', () => {
  it('"no agent can start now": retry the task, run Doctor, open the agent\'s settings', () => {
    assert.deepEqual(offered('busy'), [
      ['Retry', commandIds.dispatchTask, ['add-login']],
      ['Run Doctor', commandIds.doctor, []],
      ['Agent Settings…', commandIds.configureAgent, []],
    ]);
  });

  it('no agent can take the task: the preview that says why, the agents\' settings, Doctor', () => {
    assert.deepEqual(offered('noAgent').map(([label, command]) => [label, command]), [['Preview Dispatch', commandIds.previewDispatch], ['Agent Settings…', commandIds.configureAgent], ['Run Doctor', commandIds.doctor]]);
    assert.deepEqual(offered('noAgent')[0]?.[2], ['add-login']);
  });

  it('an unmet precondition or a failure: Doctor; a task with errors: the Problems panel; nothing where no action helps', () => {
    assert.deepEqual(offered('unmet').map(([label]) => label), ['Run Doctor']);
    assert.deepEqual(offered('failed').map(([label]) => label), ['Run Doctor']);
    assert.deepEqual(offered('invalid'), [['Show Problems', workbenchCommands.showProblems, []]]);
    for (const status of ['started', 'blocked', 'notPending', 'notFound'] as const) assert.deepEqual(offered(status), [], status);
  });
});
