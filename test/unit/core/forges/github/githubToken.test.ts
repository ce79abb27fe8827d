import assert from 'node:assert/strict';
import { dotComEndpoint, type GitHubEndpoint, type GitHubHostSettings } from '../../../../../src/core/forges/github/githubHosts';
import { githubTokenFor, headlessTokenLookup, sessionProviderFor, type GitHubSessionProvider } from '../../../../../src/core/forges/github/githubToken';

const enterprise: GitHubEndpoint = { kind: 'enterprise', apiUrl: 'https://ghe.corp.example/api/v3', webHost: 'ghe.corp.example' };
const otherEnterprise: GitHubEndpoint = { kind: 'enterprise', apiUrl: 'https://ghe.other.example/api/v3', webHost: 'ghe.other.example' };

/** Every source answers with a token that names it, and remembers it was asked. */
function sources(available: { configured?: boolean; github?: boolean; 'github-enterprise'?: boolean }) {
  const asked: string[] = [];
  return {
    asked,
    configured: () => { asked.push('configured'); return Promise.resolve(available.configured === true ? 'stored-token' : undefined); },
    session: (provider: GitHubSessionProvider) => { asked.push(provider); return Promise.resolve(available[provider] === true ? `${provider}-session` : undefined); },
  };
}

describe('githubTokenFor: each token only for the endpoint it was issued for', () => {
  const dotcomHosts: GitHubHostSettings = { apiUrl: 'https://api.github.com' };
  const enterpriseHosts: GitHubHostSettings = { apiUrl: 'https://ghe.corp.example/api/v3', enterpriseUri: 'https://ghe.corp.example' };

  it('github.com: VS Code\'s github.com session first, else the stored token when it is for api.github.com', async () => {
    assert.equal(await githubTokenFor(dotComEndpoint, dotcomHosts, sources({ configured: true, github: true })), 'github-session');
    assert.equal(await githubTokenFor(dotComEndpoint, dotcomHosts, sources({ configured: true })), 'stored-token');
  });

  it('never gives the github.com session to an Enterprise', async () => {
    const asked = sources({ configured: false, github: true });
    assert.equal(await githubTokenFor(enterprise, { apiUrl: 'https://api.github.com' }, asked), undefined);
    assert.ok(!asked.asked.includes('github'), `asked ${asked.asked.join(', ')}`);
  });

  it('never gives a token stored for api.github.com to an Enterprise', async () => {
    assert.equal(await githubTokenFor(enterprise, { apiUrl: 'https://api.github.com', enterpriseUri: 'https://ghe.corp.example' }, sources({ configured: true })), undefined);
  });

  it('never gives a token stored for an Enterprise to github.com', async () => {
    const asked = sources({ configured: true });
    assert.equal(await githubTokenFor(dotComEndpoint, enterpriseHosts, asked), undefined);
    assert.ok(!asked.asked.includes('configured'));
  });

  it('an Enterprise: its github-enterprise session (when github-enterprise.uri is that host), else the token stored for its API', async () => {
    assert.equal(await githubTokenFor(enterprise, enterpriseHosts, sources({ configured: true, 'github-enterprise': true })), 'github-enterprise-session');
    assert.equal(await githubTokenFor(enterprise, enterpriseHosts, sources({ configured: true })), 'stored-token');
  });

  it('the github-enterprise session is not for another Enterprise', async () => {
    const hosts = { apiUrl: otherEnterprise.apiUrl, enterpriseUri: 'https://ghe.corp.example' };
    assert.equal(sessionProviderFor(otherEnterprise, hosts), undefined);
    assert.equal(await githubTokenFor(otherEnterprise, hosts, sources({ configured: true, 'github-enterprise': true })), 'stored-token');
    assert.equal(sessionProviderFor(enterprise, hosts), 'github-enterprise');
    assert.equal(sessionProviderFor(dotComEndpoint, hosts), 'github');
  });

  it('headless: the environment\'s token goes only to the configured API', async () => {
    const lookup = headlessTokenLookup({ apiUrl: 'http://127.0.0.1:43111' }, () => Promise.resolve('env-token'));
    assert.equal(await lookup({ kind: 'enterprise', apiUrl: 'http://127.0.0.1:43111', webHost: '127.0.0.1:43111' }), 'env-token');
    assert.equal(await lookup(dotComEndpoint), undefined);
    assert.equal(await headlessTokenLookup(dotcomHosts, () => Promise.resolve('env-token'))(dotComEndpoint), 'env-token');
  });
});
