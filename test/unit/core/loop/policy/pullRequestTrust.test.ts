import assert from 'node:assert/strict';
import type { RepoPermission } from '../../../../../src/core/forges/github/githubPort';
import { atoPullRequestText } from '../../../../../src/core/loop/tracks/planning/atoPullRequest';
import { authorTrust, loginsToCheck, trustedSnapshot, type TrustFacts } from '../../../../../src/core/loop/policy/pullRequestTrust';
import { WriteAccessCache } from '../../../../../src/core/loop/policy/writeAccessCache';
import { aPullRequest, aSignal, aSnapshot, defaultTime } from '../../../../support/githubBuilders';

const facts: TrustFacts = { agentAccounts: ['ato-bot'], allowForks: false, viewerLogin: 'octocat', writeAccess: new Map([['alice', true], ['mallory', false]]) };
const atoOwn = (taskId: string) => ({ headRefName: `ato/${taskId}`, body: atoPullRequestText({ id: taskId, title: 'Add login' }, 7, 'claude-code', 'Done.').body });
const by = (login: string, isBot = false, authorAssociation = 'NONE') => ({ author: { login, isBot }, authorAssociation });

describe('whom ATO trusts on GitHub', () => {
  describe('authorTrust', () => {
    const table: readonly (readonly [string, Parameters<typeof aPullRequest>[0], ReturnType<typeof authorTrust>['trusted']])[] = [
      ['the Copilot coding agent (a bot)', by('copilot-swe-agent', true), true],
      ['a user who took the name Copilot', by('Copilot', false), false],
      ['ATO\'s own PR for a local agent: the token\'s user, the task\'s marker on ato/<id>', { ...by('OctoCat'), ...atoOwn('add-login') }, true],
      ['the token\'s user without ATO\'s marker (a person\'s PR, no write access confirmed)', by('OctoCat'), false],
      ['the token\'s user, the marker of another task than its branch names', { ...by('octocat'), headRefName: 'ato/add-login', body: '<!-- ato:task=other -->' }, false],
      ['a stranger with ATO\'s marker copied onto ato/<id>', { ...by('eve'), ...atoOwn('add-login') }, false],
      ['a collaborator without write access, with ATO\'s marker copied', { ...by('mallory', false, 'COLLABORATOR'), ...atoOwn('add-login') }, false],
      ['a configured agent account', by('ato-bot[bot]', true), true],
      ['the repository\'s owner', by('octo', false, 'OWNER'), true],
      ['someone GitHub confirmed to have write access', by('alice', false, 'COLLABORATOR'), true],
      ['a collaborator GitHub says has no write access', by('mallory', false, 'COLLABORATOR'), false],
      ['a stranger', by('eve'), false],
    ];
    for (const [name, pr, trusted] of table) {
      it(`${name}: ${trusted ? 'trusted' : 'not trusted'}`, () => {
        assert.equal(authorTrust(aPullRequest(pr), facts).trusted, trusted);
      });
    }

    it('a remote agent\'s PR: trusted only as the number and head branch its session reported, not by a copied marker', () => {
      const reported: TrustFacts = { ...facts, agentPullRequests: new Map([[12, 'jules/1000001']]) };
      const jules = (number: number, headRefName: string, login = 'google-labs-jules[bot]') => aPullRequest({ ...by(login, true), number, headRefName, body: 'Closes #7\n\n<!-- ato:task=add-login -->' });
      assert.deepEqual(authorTrust(jules(12, 'jules/1000001'), reported), { trusted: true, as: 'agent' });
      assert.equal(authorTrust(jules(12, 'jules/1000001'), facts).trusted, false, 'no session reported it');
      assert.equal(authorTrust(jules(13, 'jules/1000001', 'eve'), reported).trusted, false, 'another number, the same branch name and marker');
      assert.equal(authorTrust(jules(12, 'eve/patch'), reported).trusted, false, 'the number, another head branch');
      assert.equal(authorTrust(aPullRequest({ ...by('eve'), number: 12, headRefName: 'jules/1000001', isCrossRepository: true, headRepository: 'eve/app' }), { ...reported, allowForks: true }).trusted, false, 'a fork\'s branch of that name');
    });

    it('says why, naming the author', () => {
      assert.deepEqual(authorTrust(aPullRequest(by('eve')), facts), { trusted: false, why: 'opened by eve, who is not one of ATO\'s agents and has no write access' });
    });

    it('the token\'s user\'s own PRs without ATO\'s marker are judged by write access, like anyone\'s', () => {
      const plain = aPullRequest(by('octocat', false, 'COLLABORATOR'));
      assert.deepEqual(authorTrust(plain, { ...facts, writeAccess: new Map([['octocat', true]]) }), { trusted: true, as: 'writer' });
      assert.equal(authorTrust(aPullRequest({ ...by('octocat', false, 'COLLABORATOR'), ...atoOwn('add-login') }), facts).trusted, true);
      assert.deepEqual(loginsToCheck([plain], { agentAccounts: [], allowForks: false, viewerLogin: 'octocat' }), ['octocat']);
    });

    it('a fork PR only with the opt-in, and then only from a trusted author', () => {
      const fork = aPullRequest({ ...by('alice', false, 'COLLABORATOR'), isCrossRepository: true, headRepository: 'alice/app' });
      assert.deepEqual(authorTrust(fork, facts), { trusted: false, why: 'opened from the fork alice/app; ATO trusts fork PRs only with `ato.loop.allowForkPullRequests`' });
      assert.equal(authorTrust(fork, { ...facts, allowForks: true }).trusted, true);
      assert.equal(authorTrust({ ...fork, author: { login: 'eve', isBot: false }, authorAssociation: 'NONE' }, { ...facts, allowForks: true }).trusted, false);
    });
  });

  describe('loginsToCheck: whose write access GitHub is asked about', () => {
    const base = { agentAccounts: [], allowForks: false, viewerLogin: 'octocat' };

    it('authors whose association can come with write access, and review requesters; never agents, owners or strangers', () => {
      const prs = [
        aPullRequest(by('Alice', false, 'COLLABORATOR')),
        aPullRequest(by('bob', false, 'MEMBER')),
        aPullRequest(by('octo', false, 'OWNER')),
        aPullRequest(by('eve', false, 'NONE')),
        aPullRequest(by('dave', false, 'CONTRIBUTOR')),
        aPullRequest({ ...by('copilot-swe-agent', true), timeline: [aSignal('reviewRequested', defaultTime, { actor: 'carol' }), aSignal('reviewRequested', defaultTime, { actor: 'octocat' })] }),
        aPullRequest({ ...by('frank', false, 'COLLABORATOR'), isCrossRepository: true }),
      ];
      assert.deepEqual(loginsToCheck(prs, base).sort(), ['alice', 'bob', 'carol']);
    });
  });

  describe('trustedSnapshot', () => {
    it('leaves out PRs it does not trust, open or closed, with the reason', () => {
      const stranger = aPullRequest({ number: 7, ...by('mallory', false, 'COLLABORATOR'), headRefName: 'ato/add-login' });
      const merged = aPullRequest({ number: 8, state: 'merged', ...by('eve') });
      const copilot = aPullRequest({ number: 9, ...by('copilot-swe-agent', true) });
      const { snapshot, ignored } = trustedSnapshot(aSnapshot({ openPullRequests: [stranger, copilot], recentlyClosedPullRequests: [merged] }), facts);
      assert.deepEqual(snapshot.openPullRequests.map(pr => pr.number), [9]);
      assert.deepEqual(snapshot.recentlyClosedPullRequests, []);
      assert.deepEqual(ignored.map(item => [item.pr.number, item.why]), [[7, 'opened by mallory, who is not one of ATO\'s agents and has no write access'], [8, 'opened by eve, who is not one of ATO\'s agents and has no write access']]);
    });

    it('counts a review request only when an agent, the author or someone with write access made it', () => {
      const pr = aPullRequest({
        ...by('copilot-swe-agent', true),
        reviewRequests: ['alice', 'bob', 'carol'],
        timeline: [
          aSignal('reviewRequested', defaultTime, { actor: 'eve', subject: 'alice' }),
          aSignal('reviewRequested', defaultTime, { actor: 'alice', subject: 'bob' }),
          aSignal('reviewRequested', defaultTime, { actor: 'Copilot', subject: 'carol' }),
        ],
      });
      const kept = trustedSnapshot(aSnapshot({ openPullRequests: [pr] }), facts).snapshot.openPullRequests[0];
      assert.ok(kept);
      assert.deepEqual(kept.timeline.map(signal => signal.actor), ['alice', 'Copilot']);
      assert.deepEqual(kept.reviewRequests, ['bob', 'carol'], 'eve\'s request for alice is not a signal');
    });
  });

  describe('WriteAccessCache', () => {
    it('asks GitHub once per login within the TTL, again after it, and admin/write count as write access', async () => {
      let now = 0;
      const asked: string[] = [];
      const permissions: Readonly<Record<string, RepoPermission>> = { alice: 'write', root: 'admin', eve: 'read', ghost: 'none' };
      const cache = new WriteAccessCache(login => { asked.push(login); return Promise.resolve(permissions[login] ?? 'none'); }, () => now, 60_000);
      assert.deepEqual([...await cache.lookup(['alice', 'root', 'eve', 'ghost', 'alice'])], [['alice', true], ['root', true], ['eve', false], ['ghost', false]]);
      now = 59_999;
      await cache.lookup(['alice', 'eve']);
      assert.deepEqual(asked, ['alice', 'root', 'eve', 'ghost']);
      now = 60_000;
      await cache.lookup(['eve']);
      assert.deepEqual(asked.slice(4), ['eve']);
    });

    it('remembers no failure', async () => {
      let fail = true;
      const cache = new WriteAccessCache(() => (fail ? Promise.reject(new Error('502')) : Promise.resolve('write')), () => 0, 60_000);
      await assert.rejects(cache.lookup(['alice']), /502/);
      fail = false;
      assert.equal((await cache.lookup(['alice'])).get('alice'), true);
    });
  });
});
