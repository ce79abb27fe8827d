import assert from 'node:assert/strict';
import type { LoopNeedsYou } from '../../../../../src/core/loop/engine/loopModel';
import { newNeedsYou } from '../../../../../src/core/loop/engine/newNeedsYou';

const ready = (pullNumber: number): LoopNeedsYou => ({ kind: 'readyToMerge', title: `PR #${String(pullNumber)} is ready`, detail: 'auto-merge is off', pullNumber, action: 'merge' });

describe('newNeedsYou', () => {
  it('reports each item once, and again only after it went away and came back', () => {
    const seen = new Set<string>();
    assert.deepEqual(newNeedsYou([ready(1)], seen).map(i => i.pullNumber), [1]);
    assert.deepEqual(newNeedsYou([ready(1), ready(2)], seen).map(i => i.pullNumber), [2]);
    assert.deepEqual(newNeedsYou([ready(1), ready(2)], seen), []);
    assert.deepEqual(newNeedsYou([ready(2)], seen), []);
    assert.deepEqual(newNeedsYou([ready(1), ready(2)], seen).map(i => i.pullNumber), [1]);
  });

  it('tells items of different kinds about the same PR apart', () => {
    const seen = new Set<string>();
    newNeedsYou([ready(3)], seen);
    const approval: LoopNeedsYou = { kind: 'workflowsAwaitingApproval', title: 'PR #3 waits', detail: 'approve its runs', pullNumber: 3, action: 'open' };
    assert.deepEqual(newNeedsYou([ready(3), approval], seen), [approval]);
  });
});
