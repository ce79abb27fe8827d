import assert from 'node:assert/strict';
import { apiUrlFor, graphqlUrlFor, parseRemoteUrl, repoCoordinatesFromRemote } from '../../../../../src/core/forges/github/remoteUrl';

describe('parseRemoteUrl', () => {
  const table: readonly (readonly [string, { host: string; owner: string; name: string } | undefined])[] = [
    ['https://github.com/octo/app.git', { host: 'github.com', owner: 'octo', name: 'app' }],
    ['https://github.com/octo/app', { host: 'github.com', owner: 'octo', name: 'app' }],
    ['https://github.com/octo/app/', { host: 'github.com', owner: 'octo', name: 'app' }],
    ['https://x-access-token:ghp_secret@github.com/octo/app.git', { host: 'github.com', owner: 'octo', name: 'app' }],
    ['https://user@GitHub.com/Octo/App.git', { host: 'github.com', owner: 'Octo', name: 'App' }],
    ['http://127.0.0.1:43111/octo/app.git', { host: '127.0.0.1:43111', owner: 'octo', name: 'app' }],
    ['https://ghe.example.com:8443/team/tool.git', { host: 'ghe.example.com:8443', owner: 'team', name: 'tool' }],
    ['git@github.com:octo/app.git', { host: 'github.com', owner: 'octo', name: 'app' }],
    ['git@github.com:octo/app', { host: 'github.com', owner: 'octo', name: 'app' }],
    ['github.com:octo/app.git', { host: 'github.com', owner: 'octo', name: 'app' }],
    ['org-123@github.com:octo/my.repo.git', { host: 'github.com', owner: 'octo', name: 'my.repo' }],
    ['ssh://git@github.com/octo/app.git', { host: 'github.com', owner: 'octo', name: 'app' }],
    ['ssh://git@ssh.github.com:443/octo/app.git', { host: 'github.com', owner: 'octo', name: 'app' }],
    ['ssh://git@ghe.example.com:2222/team/tool', { host: 'ghe.example.com', owner: 'team', name: 'tool' }],
    ['git+ssh://git@github.com/octo/app.git', { host: 'github.com', owner: 'octo', name: 'app' }],
    ['git://github.com/octo/app.git', { host: 'github.com', owner: 'octo', name: 'app' }],
    ['  https://www.github.com/octo/app.git\n', { host: 'github.com', owner: 'octo', name: 'app' }],
    ['https://gitlab.com/group/sub/project.git', undefined],
    ['https://github.com/octo', undefined],
    ['/home/me/repos/app', undefined],
    ['file:///home/me/repos/app.git', undefined],
    ['C:/repos/app', undefined],
    ['../app.git', undefined],
    ['', undefined],
  ];
  for (const [remote, expected] of table) {
    it(`${JSON.stringify(remote)} → ${expected === undefined ? 'not an owner/name remote' : `${expected.host} ${expected.owner}/${expected.name}`}`, () => {
      assert.deepEqual(parseRemoteUrl(remote), expected);
    });
  }

  it('never keeps credentials', () => {
    const parsed = parseRemoteUrl('https://x-access-token:ghp_abcdefghijklmnopqrstuvwxyz@github.com/octo/app.git');
    assert.ok(parsed !== undefined);
    assert.ok(!JSON.stringify(parsed).includes('ghp_'));
  });
});

describe('apiUrlFor and graphqlUrlFor', () => {
  const table: readonly (readonly [string, string | undefined, string, string])[] = [
    ['github.com', undefined, 'https://api.github.com', 'https://api.github.com/graphql'],
    ['github.com', 'https://api.github.com', 'https://api.github.com', 'https://api.github.com/graphql'],
    ['github.com', 'https://api.github.com/', 'https://api.github.com', 'https://api.github.com/graphql'],
    ['ghe.example.com', undefined, 'https://ghe.example.com/api/v3', 'https://ghe.example.com/api/graphql'],
    // The default setting value says nothing: the host decides.
    ['ghe.example.com', 'https://api.github.com', 'https://ghe.example.com/api/v3', 'https://ghe.example.com/api/graphql'],
    ['ghe.example.com:8443', undefined, 'https://ghe.example.com:8443/api/v3', 'https://ghe.example.com:8443/api/graphql'],
    ['octocorp.ghe.com', undefined, 'https://api.octocorp.ghe.com', 'https://api.octocorp.ghe.com/graphql'],
    // An explicit, non-default setting wins (the fake GitHub in tests, a proxy).
    ['127.0.0.1:43111', 'http://127.0.0.1:43111', 'http://127.0.0.1:43111', 'http://127.0.0.1:43111/graphql'],
    ['github.com', 'https://proxy.example/github/', 'https://proxy.example/github', 'https://proxy.example/github/graphql'],
  ];
  for (const [host, configured, api, graphql] of table) {
    it(`${host} with ${configured ?? 'no setting'} → ${api}`, () => {
      assert.equal(apiUrlFor(host, configured), api);
      assert.equal(graphqlUrlFor(api), graphql);
    });
  }

  it('repoCoordinatesFromRemote puts both together', () => {
    assert.deepEqual(repoCoordinatesFromRemote('git@ghe.example.com:team/tool.git'), { owner: 'team', name: 'tool', apiUrl: 'https://ghe.example.com/api/v3' });
    assert.deepEqual(repoCoordinatesFromRemote('http://127.0.0.1:5000/octo/app.git', 'http://127.0.0.1:5000'), { owner: 'octo', name: 'app', apiUrl: 'http://127.0.0.1:5000' });
    assert.equal(repoCoordinatesFromRemote('/not/a/remote'), undefined);
  });
});
