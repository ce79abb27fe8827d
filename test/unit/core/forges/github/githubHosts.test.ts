import assert from 'node:assert/strict';
import { configuredEndpoint, dotComEndpoint, enterpriseEndpoints, resolveGitHubRemote, type GitHubHostSettings } from '../../../../../src/core/forges/github/githubHosts';

const defaults: GitHubHostSettings = { apiUrl: 'https://api.github.com' };

describe('resolveGitHubRemote: a token goes only to the host it was issued for', () => {
  describe('github.com remotes go to api.github.com', () => {
    for (const remote of ['https://github.com/octo/app.git', 'git@github.com:octo/app.git', 'ssh://git@ssh.github.com:443/octo/app.git', 'https://www.github.com/octo/app']) {
      it(remote, () => {
        assert.deepEqual(resolveGitHubRemote(remote, defaults), { kind: 'github', endpoint: dotComEndpoint, owner: 'octo', name: 'app' });
      });
    }

    it('even when an Enterprise is configured (its API is for its own host)', () => {
      const resolved = resolveGitHubRemote('git@github.com:octo/app.git', { apiUrl: 'https://ghe.corp.example/api/v3' });
      assert.deepEqual(resolved, { kind: 'github', endpoint: dotComEndpoint, owner: 'octo', name: 'app' });
    });
  });

  describe('any other host is not a GitHub remote unless the user configured it', () => {
    const strangers = [
      'https://evil.example/octo/app.git',
      'git@evil.example:octo/app.git',
      'https://ghe.corp.example/team/tool.git',
      'https://octocorp.ghe.com/team/tool.git',
      'http://127.0.0.1:43111/octo/app.git',
    ];
    for (const remote of strangers) {
      it(`${remote} with the default settings: no endpoint, the reason names the host and the settings`, () => {
        const resolved = resolveGitHubRemote(remote, defaults);
        assert.equal(resolved.kind, 'notGitHub');
        const host = remote.replace(/^(?:https?:\/\/|git@)/, '').replace(/[/:].*$/, '').replace(/^127\.0\.0\.1$/, '127.0.0.1:43111');
        assert.ok(resolved.reason.includes(host), resolved.reason);
        assert.match(resolved.reason, /ato\.github\.apiUrl/);
        assert.match(resolved.reason, /github-enterprise\.uri/);
        assert.match(resolved.reason, /ATO_GITHUB_API_URL/);
        assert.match(resolved.reason, /no request/);
      });
    }

    it('a host that only looks like the configured one is not it', () => {
      const hosts = { apiUrl: 'https://ghe.corp.example/api/v3' };
      for (const remote of ['https://ghe.corp.example.evil.example/team/tool.git', 'https://evil-ghe.corp.example/team/tool.git', 'https://ghe.corp.example:8443/team/tool.git']) {
        assert.equal(resolveGitHubRemote(remote, hosts).kind, 'notGitHub', remote);
      }
    });

    it('a remote that is no owner/name URL says so', () => {
      const resolved = resolveGitHubRemote('/srv/git/app.git', defaults);
      assert.equal(resolved.kind, 'notGitHub');
      assert.match(resolved.reason, /not a GitHub repository URL/);
    });
  });

  describe('a configured Enterprise', () => {
    it('ato.github.apiUrl https://H/api/v3: remotes on H, over https or ssh', () => {
      const hosts = { apiUrl: 'https://ghe.corp.example/api/v3' };
      const endpoint = { kind: 'enterprise', apiUrl: 'https://ghe.corp.example/api/v3', webHost: 'ghe.corp.example' };
      for (const remote of ['https://ghe.corp.example/team/tool.git', 'git@ghe.corp.example:team/tool.git', 'ssh://git@ghe.corp.example:2222/team/tool.git']) {
        assert.deepEqual(resolveGitHubRemote(remote, hosts), { kind: 'github', endpoint, owner: 'team', name: 'tool' }, remote);
      }
    });

    it('an API on a port: an https remote must name the same port, an ssh one the host', () => {
      const hosts = { apiUrl: 'http://127.0.0.1:43111' };
      assert.equal(resolveGitHubRemote('http://127.0.0.1:43111/octo/app.git', hosts).kind, 'github');
      assert.equal(resolveGitHubRemote('http://127.0.0.1:43112/octo/app.git', hosts).kind, 'notGitHub');
      assert.equal(resolveGitHubRemote('http://127.0.0.1/octo/app.git', hosts).kind, 'notGitHub');
      assert.equal(resolveGitHubRemote('git@127.0.0.1:octo/app.git', hosts).kind, 'github');
    });

    it('GHE.com: api.<sub>.ghe.com serves remotes on <sub>.ghe.com', () => {
      const resolved = resolveGitHubRemote('https://octocorp.ghe.com/team/tool.git', { apiUrl: 'https://api.octocorp.ghe.com' });
      assert.deepEqual(resolved, { kind: 'github', endpoint: { kind: 'enterprise', apiUrl: 'https://api.octocorp.ghe.com', webHost: 'octocorp.ghe.com' }, owner: 'team', name: 'tool' });
    });

    it('VS Code\'s github-enterprise.uri: its host, with the API derived from it', () => {
      const server = resolveGitHubRemote('git@ghe.corp.example:team/tool.git', { ...defaults, enterpriseUri: 'https://ghe.corp.example' });
      assert.deepEqual(server.kind === 'github' ? server.endpoint : undefined, { kind: 'enterprise', apiUrl: 'https://ghe.corp.example/api/v3', webHost: 'ghe.corp.example' });
      const cloud = resolveGitHubRemote('https://octocorp.ghe.com/team/tool', { ...defaults, enterpriseUri: 'https://octocorp.ghe.com/' });
      assert.deepEqual(cloud.kind === 'github' ? cloud.endpoint : undefined, { kind: 'enterprise', apiUrl: 'https://api.octocorp.ghe.com', webHost: 'octocorp.ghe.com' });
    });

    it('both settings for one host: the configured API URL wins', () => {
      const endpoints = enterpriseEndpoints({ apiUrl: 'https://proxy.corp.example/api/v3', enterpriseUri: 'https://proxy.corp.example' });
      assert.deepEqual(endpoints, [{ kind: 'enterprise', apiUrl: 'https://proxy.corp.example/api/v3', webHost: 'proxy.corp.example' }]);
    });

    it('github.com set as an Enterprise is ignored', () => {
      assert.deepEqual(enterpriseEndpoints({ apiUrl: 'https://github.com/api/v3', enterpriseUri: 'https://github.com' }), []);
    });
  });

  it('configuredEndpoint: the API a token given to ATO is for', () => {
    assert.deepEqual(configuredEndpoint(defaults), dotComEndpoint);
    assert.deepEqual(configuredEndpoint({ apiUrl: 'https://api.github.com/' }), dotComEndpoint);
    assert.deepEqual(configuredEndpoint({ apiUrl: 'https://ghe.corp.example/api/v3/' }), { kind: 'enterprise', apiUrl: 'https://ghe.corp.example/api/v3', webHost: 'ghe.corp.example' });
    assert.deepEqual(configuredEndpoint({ apiUrl: 'https://api.github.com', enterpriseUri: 'https://ghe.corp.example' }), dotComEndpoint, 'the Enterprise sign-in does not make the stored token an Enterprise one');
  });
});
