import assert from 'node:assert/strict';
import { planningFolderUrl } from '../../../../../src/core/loop/github/createGitHubLoop';

describe('the planning folder\'s page on the planning branch ("Open on GitHub" for a task file the checkout lacks)', () => {
  const repo = { protocol: 'https:', webHost: 'github.com', owner: 'octo', name: 'repo' };

  it('is the blob address of the folder on the branch, ending in /', () => {
    assert.equal(planningFolderUrl(repo, 'main', 'planning'), 'https://github.com/octo/repo/blob/main/planning/');
    assert.equal(planningFolderUrl({ ...repo, protocol: 'http:', webHost: 'ghe.example:8443' }, 'release/2.x', 'docs/plan ning'), 'http://ghe.example:8443/octo/repo/blob/release/2.x/docs/plan%20ning/');
    assert.equal(planningFolderUrl(repo, 'main', './planning/'), 'https://github.com/octo/repo/blob/main/planning/');
  });

  it('encodes what a branch or folder name could smuggle into the address', () => {
    assert.equal(planningFolderUrl(repo, 'a?b#c', 'p'), 'https://github.com/octo/repo/blob/a%3Fb%23c/p/');
  });
});
