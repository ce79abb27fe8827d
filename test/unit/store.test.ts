import assert from 'node:assert/strict';
import { Store } from '../../src/core/state/store';

describe('Store', () => {
  it('notifies subscribers with the new state and skips no-op updates', () => {
    const store = new Store({ count: 0 });
    const seen: number[] = [];
    store.onDidChange(state => seen.push(state.count));
    store.update(state => ({ count: state.count + 1 }));
    store.update(state => state);
    store.update(state => ({ count: state.count + 1 }));
    assert.deepEqual(seen, [1, 2]);
    assert.equal(store.state.count, 2);
  });
});
