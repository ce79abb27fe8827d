import assert from 'node:assert/strict';
import { graphqlUrlFor, parseRemoteUrl } from '../../../../../src/core/forges/github/remoteUrl';

describe('parseRemoteUrl', () => {
  const table: readonly (readonly [string, { host: string; owner: string; name: string; via: 'http' | 'ssh' } | undefined])[] = [
    ['https://github.com/octo/app.git', { host: 'github.com', owner: 'octo', name: 'app', via: 'http' }],
    ['https://github.com/octo/app', { host: 'github.com', owner: 'octo', name: 'app', via: 'http' }],
    ['https://github.com/octo/app/', { host: 'github.com', owner: 'octo', name: 'app', via: 'http' }],
    ['https://x-access-token:ghp_secret@github.com/octo/app.git', { host: 'github.com', owner: 'octo', name: 'app', via: 'http' }],
    ['https://user@GitHub.com/Octo/App.git', { host: 'github.com', owner: 'Octo', name: 'App', via: 'http' }],
    ['http://127.0.0.1:43111/octo/app.git', { host: '127.0.0.1:43111', owner: 'octo', name: 'app', via: 'http' }],
    ['https://ghe.example.com:8443/team/tool.git', { host: 'ghe.example.com:8443', owner: 'team', name: 'tool', via: 'http' }],
    ['git@github.com:octo/app.git', { host: 'github.com', owner: 'octo', name: 'app', via: 'ssh' }],
    ['git@github.com:octo/app', { host: 'github.com', owner: 'octo', name: 'app', via: 'ssh' }],
    ['github.com:octo/app.git', { host: 'github.com', owner: 'octo', name: 'app', via: 'ssh' }],
    ['org-123@github.com:octo/my.repo.git', { host: 'github.com', owner: 'octo', name: 'my.repo', via: 'ssh' }],
    ['ssh://git@github.com/octo/app.git', { host: 'github.com', owner: 'octo', name: 'app', via: 'ssh' }],
    ['ssh://git@ssh.github.com:443/octo/app.git', { host: 'github.com', owner: 'octo', name: 'app', via: 'ssh' }],
    ['ssh://git@ghe.example.com:2222/team/tool', { host: 'ghe.example.com', owner: 'team', name: 'tool', via: 'ssh' }],
    ['git+ssh://git@github.com/octo/app.git', { host: 'github.com', owner: 'octo', name: 'app', via: 'ssh' }],
    ['git://github.com/octo/app.git', { host: 'github.com', owner: 'octo', name: 'app', via: 'ssh' }],
    ['  https://www.github.com/octo/app.git\n', { host: 'github.com', owner: 'octo', name: 'app', via: 'http' }],
    ['https://gitlab.com/group/sub/project.git', undefined],
    ['https://github.com/octo', undefined],
    ['/home/me/repos/app', undefined],
    ['file:///home/me/repos/app.git', undefined],
    ['C:/repos/app', undefined],
    ['../app.git', undefined],
    ['git@evil<script>.example:octo/app.git', undefined],
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

describe('graphqlUrlFor', () => {
  const table: readonly (readonly [string, string])[] = [
    ['https://api.github.com', 'https://api.github.com/graphql'],
    ['https://ghe.example.com/api/v3', 'https://ghe.example.com/api/graphql'],
    ['https://ghe.example.com:8443/api/v3/', 'https://ghe.example.com:8443/api/graphql'],
    ['https://api.octocorp.ghe.com', 'https://api.octocorp.ghe.com/graphql'],
    ['http://127.0.0.1:43111', 'http://127.0.0.1:43111/graphql'],
  ];
  for (const [api, graphql] of table) {
    it(`${api} → ${graphql}`, () => {
      assert.equal(graphqlUrlFor(api), graphql);
    });
  }
});
