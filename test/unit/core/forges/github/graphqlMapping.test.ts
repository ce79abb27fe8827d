import assert from 'node:assert/strict';
import { parseOrThrow } from '../../../../../src/core/forges/github/githubClient';
import { isGitHubError } from '../../../../../src/core/forges/github/githubError';
import type { PullRequestSummary } from '../../../../../src/core/forges/github/githubModel';
import { mapIssue, mapPullRequest } from '../../../../../src/core/forges/github/graphqlMapping';
import { issueNodeSchema, pullRequestNodeSchema } from '../../../../../src/core/forges/github/graphqlSchemas';
import { graphqlIssue, graphqlPullRequest } from './payloads';

function pullRequest(payload: unknown): { summary: PullRequestSummary; warnings: string[] } {
  const warnings: string[] = [];
  const summary = mapPullRequest(parseOrThrow(pullRequestNodeSchema, payload, 'test', 200), text => warnings.push(text));
  return { summary, warnings };
}

describe('GraphQL pull request → PullRequestSummary', () => {
  it('maps every field ATO reads', () => {
    const { summary, warnings } = pullRequest(graphqlPullRequest(7));
    assert.deepEqual(summary, {
      number: 7,
      nodeId: 'PR_7',
      title: 'Change 7',
      body: 'Fixes #6',
      url: 'https://github.com/octo/app/pull/7',
      state: 'open',
      isDraft: false,
      author: { login: 'Copilot', isBot: true },
      authorAssociation: 'NONE',
      isCrossRepository: false,
      headRepository: 'octo/app',
      headRefName: 'copilot/change-7',
      headSha: 'a'.repeat(40),
      baseRefName: 'main',
      mergeable: 'mergeable',
      mergeStateStatus: 'CLEAN',
      reviewDecision: 'reviewRequired',
      reviewRequests: ['alice', 'core'],
      reviews: [{ author: 'bob', state: 'APPROVED', authorCanPush: true }, { author: 'carol', state: 'COMMENTED', authorCanPush: false }],
      reviewRules: { approvals: 2, codeOwners: true },
      timeline: [
        { kind: 'readyForReview', actor: 'alice', subject: null, at: '2026-11-02T09:00:00Z' },
        { kind: 'reviewRequested', actor: 'Copilot', subject: 'alice', at: '2026-11-02T09:30:00Z' },
      ],
      labels: ['ato:task'],
      changedFiles: ['src/a.ts', 'docs/README.md'],
      changedFilesTruncated: false,
      renames: [{ path: 'docs/README.md', previousPath: null }],
      closingIssues: [6],
      checks: {
        rollupState: 'PENDING',
        contexts: [
          { kind: 'checkRun', name: 'ci/build', status: 'COMPLETED', conclusion: 'SUCCESS', required: true, url: 'https://ci/1', startedAt: '2026-11-02T09:10:00Z' },
          { kind: 'status', name: 'deploy', status: 'PENDING', conclusion: null, required: false, url: null, startedAt: '2026-11-02T09:11:00Z' },
        ],
        requiredContexts: ['ci/build', 'lint'],
        awaitingApproval: 1,
        truncated: false,
      },
      createdAt: '2026-11-01T10:00:00Z',
      updatedAt: '2026-11-02T10:00:00Z',
      mergedAt: null,
    });
    assert.deepEqual(warnings, []);
  });

  it('a null rollup is "no CI": no state, no contexts', () => {
    const payload = graphqlPullRequest(7, { commits: { nodes: [{ commit: { oid: 'a'.repeat(40), statusCheckRollup: null, checkSuites: { nodes: [] } } }] } });
    const { summary, warnings } = pullRequest(payload);
    assert.equal(summary.checks.rollupState, null);
    assert.deepEqual(summary.checks.contexts, []);
    assert.equal(summary.checks.awaitingApproval, 0);
    assert.equal(summary.checks.truncated, false);
    assert.deepEqual(summary.checks.requiredContexts, ['ci/build', 'lint'], 'required checks that never reported stay visible');
    assert.deepEqual(warnings, []);
  });

  it('GitHub\'s own isRequired wins over the base branch list', () => {
    const payload = graphqlPullRequest(7);
    const commit = (payload['commits'] as { nodes: { commit: { statusCheckRollup: { contexts: { nodes: Record<string, unknown>[] } } } }[] }).nodes[0]!.commit;
    commit.statusCheckRollup.contexts.nodes = [
      { __typename: 'CheckRun', name: 'ci/build', status: 'IN_PROGRESS', conclusion: null, detailsUrl: null, startedAt: null, isRequired: false },
      { __typename: 'StatusContext', context: 'deploy', state: 'SUCCESS', targetUrl: null, createdAt: '2026-11-02T09:11:00Z', isRequired: true },
    ];
    const { summary } = pullRequest(payload);
    assert.deepEqual(summary.checks.contexts.map(c => [c.name, c.required]), [['ci/build', false], ['deploy', true]]);
  });

  it('more contexts or files than one page are flagged as truncated', () => {
    const payload = graphqlPullRequest(7, { files: { totalCount: 250, nodes: [{ path: 'a', changeType: 'ADDED' }] } });
    const commit = (payload['commits'] as { nodes: { commit: { statusCheckRollup: { contexts: { pageInfo: { hasNextPage: boolean } } } } }[] }).nodes[0]!.commit;
    commit.statusCheckRollup.contexts.pageInfo.hasNextPage = true;
    const { summary } = pullRequest(payload);
    assert.equal(summary.changedFilesTruncated, true);
    assert.equal(summary.checks.truncated, true);
  });

  it('sub-fields GitHub nulled (SAML, permissions) are left out with a warning, never a guess', () => {
    const payload = graphqlPullRequest(7, { files: null, labels: null, latestReviews: { nodes: [null, { state: 'APPROVED', authorCanPushToRepository: true, author: null }] } });
    const commit = (payload['commits'] as { nodes: { commit: Record<string, unknown> }[] }).nodes[0]!.commit;
    commit['checkSuites'] = null;
    const { summary, warnings } = pullRequest(payload);
    assert.deepEqual(summary.changedFiles, []);
    assert.equal(summary.changedFilesTruncated, true, 'unknown files must not pass a protected-path check');
    assert.deepEqual(summary.labels, []);
    assert.deepEqual(summary.reviews, [{ author: 'ghost', state: 'APPROVED', authorCanPush: true }]);
    assert.equal(summary.checks.awaitingApproval, 0);
    assert.deepEqual(warnings, [
      'changed files of pull request #7 could not be read',
      '1 reviews of pull request #7 could not be read',
      'check suites of pull request #7 could not be read',
    ]);
  });

  it('states, drafts, merges, conflicts, decisions and a deleted author', () => {
    const { summary } = pullRequest(graphqlPullRequest(9, {
      state: 'MERGED', isDraft: true, mergedAt: '2026-11-03T00:00:00Z', mergeable: 'CONFLICTING', mergeStateStatus: 'DIRTY',
      reviewDecision: 'CHANGES_REQUESTED', author: null,
    }));
    assert.equal(summary.state, 'merged');
    assert.equal(summary.isDraft, true);
    assert.equal(summary.mergedAt, '2026-11-03T00:00:00Z');
    assert.equal(summary.mergeable, 'conflicting');
    assert.equal(summary.mergeStateStatus, 'DIRTY');
    assert.equal(summary.reviewDecision, 'changesRequested');
    assert.deepEqual(summary.author, { login: 'ghost', isBot: false });
    assert.equal(pullRequest(graphqlPullRequest(9, { state: 'CLOSED', mergeable: 'UNKNOWN', reviewDecision: null })).summary.state, 'closed');
  });

  const missing: readonly (readonly [string, (payload: Record<string, unknown>) => void])[] = [
    ['headRefOid', payload => { delete payload['headRefOid']; }],
    ['number', payload => { payload['number'] = '7'; }],
    ['state', payload => { payload['state'] = 'DRAFT'; }],
    ['commits', payload => { delete payload['commits']; }],
    ['a check run without its name', payload => {
      const commit = (payload['commits'] as { nodes: { commit: { statusCheckRollup: { contexts: { nodes: Record<string, unknown>[] } } } }[] }).nodes[0]!.commit;
      delete commit.statusCheckRollup.contexts.nodes[0]!['name'];
    }],
    ['an unknown context type', payload => {
      const commit = (payload['commits'] as { nodes: { commit: { statusCheckRollup: { contexts: { nodes: Record<string, unknown>[] } } } }[] }).nodes[0]!.commit;
      commit.statusCheckRollup.contexts.nodes[0]!['__typename'] = 'SomethingNew';
    }],
  ];
  for (const [what, spoil] of missing) {
    it(`${what} missing or wrong → malformed`, () => {
      const payload = graphqlPullRequest(7);
      spoil(payload);
      assert.throws(() => pullRequest(payload), (error: unknown) => isGitHubError(error, 'malformed') && error.message.includes('unexpected answer at '));
    });
  }
});

describe('GraphQL issue → IssueSummary', () => {
  it('maps the fields, bot assignees from assignment events, and the linked pull requests of this repository (once each, oldest first)', () => {
    const warnings: string[] = [];
    const summary = mapIssue(parseOrThrow(issueNodeSchema, graphqlIssue(4, { state: 'CLOSED', stateReason: 'NOT_PLANNED', closedAt: '2026-11-03T00:00:00Z' }), 'test', 200), text => warnings.push(text));
    assert.deepEqual(summary, {
      number: 4,
      nodeId: 'I_4',
      title: 'Issue 4',
      body: 'text',
      state: 'closed',
      stateReason: 'not_planned',
      labels: ['ato:task'],
      assignees: ['alice', 'copilot-swe-agent'],
      author: 'alice',
      createdAt: '2026-11-01T10:00:00Z',
      updatedAt: '2026-11-02T10:00:00Z',
      closedAt: '2026-11-03T00:00:00Z',
      url: 'https://github.com/octo/app/issues/4',
      linkedPullRequests: [5, 9],
    });
    assert.deepEqual(warnings, []);
  });

  it('a state reason GitHub adds later reads as none; a missing title is malformed', () => {
    const summary = mapIssue(parseOrThrow(issueNodeSchema, graphqlIssue(4, { stateReason: 'SOMETHING_NEW' }), 'test', 200), () => undefined);
    assert.equal(summary.stateReason, null);
    const payload = graphqlIssue(4);
    delete payload['title'];
    assert.throws(() => parseOrThrow(issueNodeSchema, payload, 'test', 200), (error: unknown) => isGitHubError(error, 'malformed'));
  });
});
