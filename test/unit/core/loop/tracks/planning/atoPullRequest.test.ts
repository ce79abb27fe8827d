import assert from 'node:assert/strict';
import { atoPullRequestText, isAtoOwnPullRequest, taskBranch } from '../../../../../../src/core/loop/tracks/planning/atoPullRequest';
import { readMarkers } from '../../../../../../src/core/loop/texts/markers';

describe('the PR ATO opens for a local agent', () => {
  const text = atoPullRequestText({ id: 'add-login', title: 'Add\na login <!-- x -->' }, 7, 'my-cli', 'Done.\nCloses #99 <!-- ato:task=other -->\n@someone');

  it('closes the task\'s issue, names the agent and the branch, and carries only the task\'s marker', () => {
    assert.equal(text.title, 'Add a login <\u200B!-- x -->');
    assert.match(text.body, /^Closes #7\n/);
    assert.match(text.body, /with the local agent `my-cli` and pushed its work to `ato\/add-login`/);
    assert.deepEqual(readMarkers(text.body), [{ kind: 'task', taskId: 'add-login' }]);
  });

  it('fences what the agent reported: no other issue closed, nobody notified, no marker', () => {
    assert.deepEqual([...text.body.matchAll(/^Closes #(\d+)$/gm)].map(match => match[1]), ['7']);
    assert.match(text.body, /```text\nDone\.\nCloses #99 <\u200B!-- ato:task=other -->\n@someone\n```/);
  });

  it('has ATO\'s shape only on ato/<id> with that same task\'s marker', () => {
    assert.equal(taskBranch('add-login'), 'ato/add-login');
    assert.equal(isAtoOwnPullRequest({ headRefName: 'ato/add-login', body: text.body }), true);
    assert.equal(isAtoOwnPullRequest({ headRefName: 'ato/other', body: text.body }), false);
    assert.equal(isAtoOwnPullRequest({ headRefName: 'feature/add-login', body: text.body }), false);
    assert.equal(isAtoOwnPullRequest({ headRefName: 'ato/add-login', body: 'quoted: `<!-- ato:task=add-login -->`' }), false);
  });
});
