import assert from 'node:assert/strict';
import { planSteps } from '../../../webview-ui/src/planModel';

describe('a Jules plan split into its steps', () => {
  it('the needs-you detail as the snapshot carries it: the intro, then each numbered step', () => {
    assert.deepEqual(planSteps('Jules plan awaiting approval: 1. Read the login form; 2. Add validation; 3. Add tests'), {
      intro: 'Jules plan awaiting approval',
      steps: ['Read the login form', 'Add validation', 'Add tests'],
    });
  });

  it('a step starts only at the next number in sequence, after a space', () => {
    assert.deepEqual(planSteps('Plan: 1. Bump v1. 2. and 3. later; 2. Keep 1. and 10. as text').steps, ['Bump v1. 2. and 3. later', 'Keep 1. and 10. as text']);
  });

  it('no numbered steps: all of it is the intro', () => {
    assert.deepEqual(planSteps('Jules plan awaiting approval: (the plan is not listed yet)'), { intro: 'Jules plan awaiting approval: (the plan is not listed yet)', steps: [] });
  });
});
