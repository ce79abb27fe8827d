import assert from 'node:assert/strict';
import { readMarkers } from '../../../../../../src/core/loop/texts/markers';
import { bodyWithLoopLinks, checkReportedPullRequest, type LoopRepository } from '../../../../../../src/core/loop/tracks/planning/reportedPullRequest';

const repo: LoopRepository = { protocol: 'https:', webHost: 'github.com', owner: 'Octo', name: 'app' };

describe('checkReportedPullRequest: the PR a remote agent\'s session reported, on the loop\'s repository only', () => {
  it('takes a PR URL of the loop\'s repository with its head branch (owner and name case-insensitive, as GitHub)', () => {
    assert.deepEqual(checkReportedPullRequest({ url: 'https://github.com/octo/App/pull/12', headRef: 'jules/123' }, repo), { ok: true, pullRequest: { number: 12, url: 'https://github.com/octo/App/pull/12', headRef: 'jules/123' } });
  });

  for (const [what, url] of [
    ['another repository', 'https://github.com/octo/other/pull/12'],
    ['another owner', 'https://github.com/evil/app/pull/12'],
    ['another host', 'https://github.example.com/octo/app/pull/12'],
    ['plain HTTP', 'http://github.com/octo/app/pull/12'],
    ['an issue, not a PR', 'https://github.com/octo/app/issues/12'],
    ['a PR page below the PR', 'https://github.com/octo/app/pull/12/files'],
    ['credentials in the URL', 'https://user:pw@github.com/octo/app/pull/12'],
    ['no number', 'https://github.com/octo/app/pull/0'],
    ['not a URL', 'octo/app#12'],
  ] as const) {
    it(`refuses ${what}`, () => {
      const check = checkReportedPullRequest({ url, headRef: 'jules/1' }, repo);
      assert.equal(check.ok, false);
    });
  }

  it('refuses a PR reported without its head branch', () => {
    const check = checkReportedPullRequest({ url: 'https://github.com/octo/app/pull/12' }, repo);
    assert.deepEqual(check, { ok: false, reason: 'the session reported https://github.com/octo/app/pull/12 without its head branch, so ATO cannot tell it from another PR' });
  });

  it('takes plain HTTP when the loop\'s GitHub is served over it (a GitHub on a host:port)', () => {
    const check = checkReportedPullRequest({ url: 'http://127.0.0.1:4000/octo/app/pull/3', headRef: 'jules/9' }, { protocol: 'http:', webHost: '127.0.0.1:4000', owner: 'octo', name: 'app' });
    assert.equal(check.ok, true);
  });
});

describe('bodyWithLoopLinks: what ATO appends to a remote agent\'s PR body', () => {
  it('appends Closes #issue and the task marker to the agent\'s text, on lines of their own', () => {
    const body = bodyWithLoopLinks('Made by Jules.\n\nFixes the login.', 7, 'add-login');
    assert.equal(body, 'Made by Jules.\n\nFixes the login.\n\nCloses #7\n\n<!-- ato:task=add-login -->\n');
  });

  it('is idempotent: a body that has both is left alone', () => {
    const once = bodyWithLoopLinks('Made by Jules.', 7, 'add-login');
    assert.ok(once !== undefined);
    assert.equal(bodyWithLoopLinks(once, 7, 'add-login'), undefined);
  });

  it('adds only what is missing', () => {
    assert.equal(bodyWithLoopLinks('Text\n\nCloses #7', 7, 'add-login'), 'Text\n\nCloses #7\n\n<!-- ato:task=add-login -->\n');
    assert.equal(bodyWithLoopLinks('Text\n\n<!-- ato:task=add-login -->', 7, 'add-login')?.match(/^Closes #7$/m)?.length, 1);
  });

  it('closes a code block the agent left open, so the marker and Closes are read', () => {
    const body = bodyWithLoopLinks('Log:\n```\nnpm test', 7, 'add-login');
    assert.ok(body !== undefined);
    assert.deepEqual(readMarkers(body), [{ kind: 'task', taskId: 'add-login' }]);
    assert.match(body, /^```\n\nCloses #7\n\n<!-- ato:task=add-login -->\n$/m);
  });

  it('a marker of the task inside the agent\'s code block does not count', () => {
    const body = bodyWithLoopLinks('```\n<!-- ato:task=add-login -->\n```\nCloses #7', 7, 'add-login');
    assert.deepEqual(readMarkers(body ?? ''), [{ kind: 'task', taskId: 'add-login' }]);
  });
});
