import assert from 'node:assert/strict';
import { julesPlanSteps } from '../../../../../src/core/agents/jules/julesPlanSteps';
import { julesRunStatus, updateRunView } from '../../../../../src/core/agents/jules/julesStatus';

describe('the steps of a Jules plan, from a run\'s reason', () => {
  it('reads back the steps julesStatus wrote, in order', () => {
    const view = updateRunView({}, { name: 'a/1', createTime: '2026-12-07T20:00:00Z', planGenerated: { plan: { steps: [{ index: 1, title: 'Add validation' }, { index: 0, title: 'Read the\nform' }, { index: 2, description: 'Test it' }] } } });
    const status = julesRunStatus({ name: 'sessions/1', state: 'AWAITING_PLAN_APPROVAL' }, view);
    assert.ok(status.state === 'needsYou');
    assert.deepEqual(julesPlanSteps(status.reason), ['Read the form', 'Add validation', 'Test it']);
  });

  it('splits only where the next number in sequence starts', () => {
    assert.deepEqual(julesPlanSteps('1. Upgrade to node 2. soon; 2. Ship 4. it'), ['Upgrade to node 2. soon', 'Ship 4. it']);
    assert.deepEqual(julesPlanSteps('1. Go to version 3. then; 2. Done'), ['Go to version 3. then', 'Done']);
    assert.deepEqual(julesPlanSteps('1. Read the form 2. Add validation'), ['Read the form', 'Add validation']);
  });

  it('a plan not listed yet is one row; nothing is no row', () => {
    assert.deepEqual(julesPlanSteps('Jules plan awaiting approval: (the plan is not listed yet)'), ['(the plan is not listed yet)']);
    assert.deepEqual(julesPlanSteps(''), []);
  });
});
