import assert from 'node:assert/strict';
import { parseWorktreeList } from '../../../../src/core/git/worktreeList';

describe('parseWorktreeList', () => {
  it('reads every kind of entry git prints', () => {
    const text = [
      'worktree /repo', 'HEAD 1111111111111111111111111111111111111111', 'branch refs/heads/main', '',
      'worktree /repo/.ato/worktrees/a', 'HEAD 2222222222222222222222222222222222222222', 'branch refs/heads/ato/a', 'locked initializing', '',
      'worktree /repo/.ato/worktrees/b', 'HEAD 3333333333333333333333333333333333333333', 'detached', 'locked', 'prunable gitdir file points to non-existent location', '',
      'worktree /bare.git', 'bare', 'some-future-key value', '',
    ].join('\n');
    assert.deepEqual(parseWorktreeList(text), [
      { path: '/repo', head: '1111111111111111111111111111111111111111', branch: 'main', locked: false, lockReason: undefined, prunable: false },
      { path: '/repo/.ato/worktrees/a', head: '2222222222222222222222222222222222222222', branch: 'ato/a', locked: true, lockReason: 'initializing', prunable: false },
      { path: '/repo/.ato/worktrees/b', head: '3333333333333333333333333333333333333333', branch: undefined, locked: true, lockReason: undefined, prunable: true },
      { path: '/bare.git', head: undefined, branch: undefined, locked: false, lockReason: undefined, prunable: false },
    ]);
  });

  it('accepts CRLF, paths with spaces and an empty input', () => {
    assert.deepEqual(parseWorktreeList('worktree C:/my repo\r\nHEAD abc\r\nbranch refs/heads/x\r\n\r\n').map(e => [e.path, e.branch]), [['C:/my repo', 'x']]);
    assert.deepEqual(parseWorktreeList(''), []);
  });
});
