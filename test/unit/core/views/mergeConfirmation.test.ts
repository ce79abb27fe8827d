import assert from 'node:assert/strict';
import { mergeConfirmation } from '../../../../src/core/views/mergeConfirmation';
import { aFollowedPullRequest, aLoopState, readyToMerge } from '../../../support/loopStates';

describe('the confirmation before a merge', () => {
  it('names the PR\'s title, author, short head SHA and the merge method', () => {
    const loop = aLoopState({ followedPullRequests: [aFollowedPullRequest(12, { title: 'Add a login form', author: 'alice', headSha: 'abcdef1234567890' })] });
    const confirmation = mergeConfirmation(loop, 12, 'rebase');
    assert.equal(confirmation.message, 'Merge PR #12 "Add a login form"?');
    assert.match(confirmation.detail, /^Title: Add a login form\nAuthor: alice\nHead: abcdef1\nMethod: rebase\n/);
    assert.doesNotMatch(confirmation.detail, /abcdef12/, 'the head is shown short');
    assert.equal(confirmation.confirm, 'Merge');
  });

  it('takes the author from the needs-you item when the loop does not follow the PR, and says what it has not read', () => {
    const loop = aLoopState({ followedPullRequests: [], needsYou: [{ ...readyToMerge, pullNumber: 30, author: 'bob' }] });
    const confirmation = mergeConfirmation(loop, 30, 'squash');
    assert.equal(confirmation.message, 'Merge PR #30?');
    assert.match(confirmation.detail, /^Title: \(not read yet\)\nAuthor: bob\nHead: \(not read yet\)\nMethod: squash\n/);
  });
});
