import assert from 'node:assert/strict';
import { isGitHubError } from '../../../../../src/core/forges/github/githubError';
import { graphqlIssue, graphqlPullRequest, rateLimit, restIssue, snapshotPage } from './payloads';
import type { SeenRequest } from './scriptedFetch';
import { createTestPort, graphqlPath, repoPath } from './testPort';

interface GraphqlBody { readonly query: string; readonly variables: Record<string, unknown> }
const graphqlBody = (request: SeenRequest): GraphqlBody => request.body as GraphqlBody;

describe('GitHub adapter over a scripted fetch', () => {
  describe('snapshot', () => {
    it('reads 250 open PRs in 3 GraphQL requests, issues alongside, with the merge-info preview header', async () => {
      const { port, http } = await createTestPort();
      const prs = Array.from({ length: 250 }, (_, i) => graphqlPullRequest(i + 1));
      const issues = Array.from({ length: 120 }, (_, i) => graphqlIssue(1000 + i));
      http.on('POST', graphqlPath,
        { status: 200, body: { data: snapshotPage({ pullRequests: prs.slice(0, 100), hasNextPage: true, endCursor: 'c1', openIssues: issues.slice(0, 100), issuesHaveNextPage: true, closedIssues: [graphqlIssue(2000, { state: 'CLOSED' })], recentPullRequests: [graphqlPullRequest(3000, { state: 'MERGED' })] }) } },
        { status: 200, body: { data: snapshotPage({ first: false, pullRequests: prs.slice(100, 200), hasNextPage: true, endCursor: 'c2', openIssues: issues.slice(100) }) } },
        { status: 200, body: { data: snapshotPage({ first: false, pullRequests: prs.slice(200), hasNextPage: false, endCursor: 'c3' }) } });
      const snapshot = await port.snapshot({ issueLabels: ['ato:task', 'ato:gap'] });
      assert.equal(http.requests.length, 3);
      const variables = http.requests.map(request => graphqlBody(request).variables);
      assert.deepEqual(variables.map(v => [v['first'], v['withPullRequests'], v['pullRequestsAfter'], v['withIssues'], v['issuesAfter']]), [
        [true, true, null, true, null],
        [false, true, 'c1', true, 'issues-cursor'],
        [false, true, 'c2', false, null],
      ]);
      assert.deepEqual(variables[0]!['labels'], ['ato:task', 'ato:gap']);
      assert.ok(http.requests.every(r => r.headers['accept'] === 'application/vnd.github.merge-info-preview+json'));
      assert.equal(snapshot.openPullRequests.length, 250);
      assert.equal(snapshot.issues.length, 121);
      assert.deepEqual(snapshot.recentlyClosedPullRequests.map(pr => [pr.number, pr.state]), [[3000, 'merged']]);
      assert.equal(snapshot.defaultBranch, 'main');
      assert.equal(snapshot.defaultBranchSha, 'b'.repeat(40));
      assert.equal(snapshot.repositoryId, 'R_1');
      assert.deepEqual(snapshot.rateLimit, { resource: 'graphql', limit: 5000, remaining: 4990, resetAt: rateLimit.resetAt });
      assert.deepEqual(snapshot.warnings, []);
      assert.equal(port.usage.points, 9, 'three times the reported cost of 3');
      assert.equal(port.usage.requests, 3);
    });

    it('without labels asks for no issues', async () => {
      const { port, http } = await createTestPort();
      http.on('POST', graphqlPath, { status: 200, body: { data: snapshotPage({ pullRequests: [] }) } });
      const snapshot = await port.snapshot({ issueLabels: [] });
      assert.equal(graphqlBody(http.requests[0]!).variables['withIssues'], false);
      assert.deepEqual(snapshot.issues, []);
    });

    it('partial data next to errors (SAML on a sub-field): maps what is there and records a warning', async () => {
      const { port, http, lines } = await createTestPort();
      const blocked = graphqlPullRequest(2, { files: null });
      http.on('POST', graphqlPath, { status: 200, body: {
        data: snapshotPage({ pullRequests: [graphqlPullRequest(1), null as unknown as Record<string, unknown>, blocked] }),
        errors: [{ type: 'FORBIDDEN', path: ['repository', 'pullRequests', 'nodes', 1], message: 'Resource protected by organization SAML enforcement.' }],
      } });
      const snapshot = await port.snapshot({ issueLabels: [] });
      assert.deepEqual(snapshot.openPullRequests.map(pr => pr.number), [1, 2]);
      assert.equal(snapshot.openPullRequests[1]!.changedFilesTruncated, true);
      assert.deepEqual(snapshot.warnings, [
        'repository.pullRequests.nodes.1: Resource protected by organization SAML enforcement. (FORBIDDEN)',
        '1 open pull requests could not be read',
        'changed files of pull request #2 could not be read',
      ]);
      assert.ok(lines.some(line => line.level === 'warn' && line.message.includes('read with gaps')));
    });

    it('a missing repository is notFound; a missing page part is malformed; a repeated cursor does not loop', async () => {
      const { port, http } = await createTestPort();
      http.on('POST', graphqlPath, { status: 200, body: { data: { rateLimit, repository: null }, errors: [{ type: 'NOT_FOUND', path: ['repository'], message: "Could not resolve to a Repository with the name 'octo/app'." }] } });
      await assert.rejects(port.snapshot({ issueLabels: [] }), (error: unknown) => isGitHubError(error, 'notFound'));
      http.on('POST', graphqlPath, { status: 200, body: { data: snapshotPage({}) } });
      await assert.rejects(port.snapshot({ issueLabels: [] }), (error: unknown) => isGitHubError(error, 'malformed'));
      http.on('POST', graphqlPath, { status: 200, body: { data: snapshotPage({ pullRequests: [], hasNextPage: true, endCursor: null }) } });
      await assert.rejects(port.snapshot({ issueLabels: [] }), (error: unknown) => isGitHubError(error, 'malformed') && error.message.includes('cursor'));
    });

    it('GraphQL errors without data: FORBIDDEN → auth; RATE_LIMITED → rateLimited', async () => {
      const { port, http } = await createTestPort();
      http.on('POST', graphqlPath, { status: 200, body: { errors: [{ type: 'FORBIDDEN', message: 'no' }] } });
      await assert.rejects(port.snapshot({ issueLabels: [] }), (error: unknown) => isGitHubError(error, 'auth'));
      http.on('POST', graphqlPath, { status: 200, body: { errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded' }] } });
      await assert.rejects(port.snapshot({ issueLabels: [] }), (error: unknown) => isGitHubError(error, 'rateLimited') && error.retryAfterMs !== undefined);
    });
  });

  it('sends the API version, the token and a user agent', async () => {
    const { port, http } = await createTestPort();
    http.on('GET', `${repoPath}/issues`, { status: 200, body: [] });
    await port.probeChanges();
    const headers = http.requests[0]!.headers;
    assert.equal(headers['x-github-api-version'], '2022-11-28');
    assert.equal(headers['authorization'], 'token ghp_testtoken000000000000000000000000');
    assert.match(headers['user-agent'] ?? '', /^ato-test/);
    assert.equal(new URL(http.requests[0]!.url).search, '?state=all&sort=updated&direction=desc&per_page=1');
  });

  it('probeChanges: true first, false on a 304, true when the list changed', async () => {
    const { port, http } = await createTestPort();
    http.on('GET', `${repoPath}/issues`,
      { status: 200, body: [restIssue(1)], headers: { etag: '"1"' } },
      { status: 304, headers: { etag: '"1"' } },
      { status: 200, body: [restIssue(1)], headers: { etag: '"2"' } });
    assert.equal(await port.probeChanges(), true);
    assert.equal(await port.probeChanges(), false);
    assert.equal(await port.probeChanges(), true);
    assert.deepEqual({ requests: port.usage.requests, notModified: port.usage.notModified, points: port.usage.points }, { requests: 3, notModified: 1, points: 2 });
  });

  it('getPullRequest asks GitHub for isRequired with the PR number; a missing PR is notFound', async () => {
    const { port, http } = await createTestPort();
    http.on('POST', graphqlPath, { status: 200, body: { data: { rateLimit, repository: { pullRequest: graphqlPullRequest(7) } } } });
    const pr = await port.getPullRequest(7);
    assert.equal(pr.number, 7);
    const body = graphqlBody(http.requests[0]!);
    assert.match(body.query, /isRequired\(pullRequestNumber: \$number\)/);
    assert.equal(body.variables['number'], 7);
    http.on('POST', graphqlPath, { status: 200, body: { data: { rateLimit, repository: { pullRequest: null } }, errors: [{ type: 'NOT_FOUND', message: 'no PR' }] } });
    await assert.rejects(port.getPullRequest(8), (error: unknown) => isGitHubError(error, 'notFound'));
  });

  it('commitFiles: from a stale head nothing is written', async () => {
    const { port, http } = await createTestPort();
    http.on('GET', `${repoPath}/git/ref/heads/main`, { status: 200, body: { ref: 'refs/heads/main', object: { sha: 'c'.repeat(40), type: 'commit' } } });
    await assert.rejects(port.commitFiles('main', { expectedHeadSha: 'b'.repeat(40), message: 'm', changes: [{ path: 'a', content: 'x' }] }),
      (error: unknown) => isGitHubError(error, 'conflict'));
    assert.deepEqual(http.requests.map(r => r.method), ['GET']);
  });

  it('commitFiles: tree on the base tree (inline content, null sha deletes), commit on the expected head, fast-forward only', async () => {
    const { port, http } = await createTestPort();
    const head = 'b'.repeat(40);
    http.on('GET', `${repoPath}/git/ref/heads/feature/x`, { status: 200, body: { ref: 'refs/heads/feature/x', object: { sha: head } } });
    http.on('GET', `${repoPath}/git/commits/${head}`, { status: 200, body: { sha: head, message: 'base', tree: { sha: 't'.repeat(40) }, parents: [] } });
    http.on('POST', `${repoPath}/git/trees`, { status: 201, body: { sha: 'n'.repeat(40), tree: [] } });
    http.on('POST', `${repoPath}/git/commits`, { status: 201, body: { sha: 'd'.repeat(40) } });
    http.on('PATCH', `${repoPath}/git/refs/heads/feature/x`, { status: 200, body: { ref: 'refs/heads/feature/x', object: { sha: 'd'.repeat(40) } } });
    const sha = await port.commitFiles('feature/x', { expectedHeadSha: head, message: 'm', changes: [{ path: 'a.md', content: 'é' }, { path: 'gone.md', content: null }] });
    assert.equal(sha, 'd'.repeat(40));
    const writes = http.requests.filter(r => r.method !== 'GET').map(r => [r.method, new URL(r.url).pathname, r.body]);
    assert.deepEqual(writes, [
      ['POST', `${repoPath}/git/trees`, { base_tree: 't'.repeat(40), tree: [{ path: 'a.md', mode: '100644', type: 'blob', content: 'é' }, { path: 'gone.md', mode: '100644', type: 'blob', sha: null }] }],
      ['POST', `${repoPath}/git/commits`, { message: 'm', tree: 'n'.repeat(40), parents: [head] }],
      ['PATCH', `${repoPath}/git/refs/heads/feature/x`, { sha: 'd'.repeat(40), force: false }],
    ]);
  });

  it('updateRefFastForward: 422 on an existing ref → conflict, on a missing ref → notFound; createRef on an existing ref → conflict', async () => {
    const { port, http } = await createTestPort();
    http.on('PATCH', `${repoPath}/git/refs/ato/lease`, { status: 422, body: { message: 'Update is not a fast forward' } });
    http.on('GET', `${repoPath}/git/ref/ato/lease`, { status: 200, body: { ref: 'refs/ato/lease', object: { sha: 'a'.repeat(40) } } }, { status: 404, body: { message: 'Not Found' } });
    await assert.rejects(port.updateRefFastForward('refs/ato/lease', 'b'.repeat(40)), (error: unknown) => isGitHubError(error, 'conflict'));
    await assert.rejects(port.updateRefFastForward('refs/ato/lease', 'b'.repeat(40)), (error: unknown) => isGitHubError(error, 'notFound'));
    http.on('POST', `${repoPath}/git/refs`, { status: 422, body: { message: 'Reference already exists' } });
    http.on('GET', `${repoPath}/git/ref/ato/lease`, { status: 200, body: { ref: 'refs/ato/lease', object: { sha: 'a'.repeat(40) } } });
    await assert.rejects(port.createRef('refs/ato/lease', 'b'.repeat(40)), (error: unknown) => isGitHubError(error, 'conflict'));
    assert.deepEqual(http.requests.filter(r => r.method === 'POST').map(r => r.body), [{ ref: 'refs/ato/lease', sha: 'b'.repeat(40) }]);
  });

  it('ensureLabel: leaves an existing label, creates a missing one, and accepts losing the race', async () => {
    const { port, http } = await createTestPort();
    http.on('GET', `${repoPath}/labels/ato%3Atask`, { status: 200, body: { name: 'ato:task' } });
    await port.ensureLabel('ato:task', '#ededed', 'd');
    assert.deepEqual(http.requests.map(r => r.method), ['GET']);
    http.on('GET', `${repoPath}/labels/ato%3Agap`, { status: 404, body: { message: 'Not Found' } });
    http.on('POST', `${repoPath}/labels`, { status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }] } });
    await port.ensureLabel('ato:gap', '#ededed', 'gap analysis');
    assert.deepEqual(http.requests.at(-1)!.body, { name: 'ato:gap', color: 'ededed', description: 'gap analysis' });
    http.on('POST', `${repoPath}/labels`, { status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'Label', code: 'invalid', field: 'color' }] } });
    await assert.rejects(port.ensureLabel('ato:gap', 'nope', ''), (error: unknown) => isGitHubError(error, 'invalid'));
  });

  it('getFileText: base64 content, undefined on 404, raw bytes for a big file, refuses a directory', async () => {
    const { port, http } = await createTestPort();
    const path = `${repoPath}/contents/planning/vision/goal.md`;
    http.on('GET', path,
      { status: 200, body: { type: 'file', encoding: 'base64', content: Buffer.from('# Goal ✓\n').toString('base64').replace(/(.{10})/g, '$1\n') } },
      { status: 404, body: { message: 'Not Found' } },
      { status: 200, body: { type: 'file', encoding: 'none', content: '', size: 2_000_000 } },
      { status: 200, rawBody: 'big text', headers: { 'content-type': 'text/plain; charset=utf-8' } },
      { status: 200, body: [{ type: 'file', name: 'x' }] });
    assert.equal(await port.getFileText('planning/vision/goal.md', 'main'), '# Goal ✓\n');
    assert.equal(new URL(http.requests[0]!.url).search, '?ref=main');
    assert.equal(await port.getFileText('planning/vision/goal.md', 'main'), undefined);
    assert.equal(await port.getFileText('planning/vision/goal.md', 'main'), 'big text');
    assert.equal(http.requests.at(-1)!.headers['accept'], 'application/vnd.github.raw+json');
    await assert.rejects(port.getFileText('planning/vision/goal.md', 'main'), (error: unknown) => isGitHubError(error, 'invalid'));
  });

  it('createIssue and addAssignees pass agent_assignment through; updateIssue sends only what changes', async () => {
    const { port, http } = await createTestPort();
    http.on('POST', `${repoPath}/issues`, { status: 201, body: restIssue(5) });
    http.on('POST', `${repoPath}/issues/5/assignees`, { status: 201, body: restIssue(5) });
    http.on('PATCH', `${repoPath}/issues/5`, { status: 200, body: restIssue(5, { state: 'closed', state_reason: 'not_planned' }) });
    const agentAssignment = { base_branch: 'main', custom_instructions: 'be brief' };
    await port.createIssue({ title: 't', body: 'b', labels: ['ato:task'], assignees: ['copilot-swe-agent[bot]'], agentAssignment });
    await port.addAssignees(5, ['copilot-swe-agent[bot]'], agentAssignment);
    const closed = await port.updateIssue(5, { state: 'closed', stateReason: 'not_planned' });
    assert.equal(closed.stateReason, 'not_planned');
    assert.deepEqual(http.requests.map(r => r.body), [
      { title: 't', body: 'b', labels: ['ato:task'], assignees: ['copilot-swe-agent[bot]'], agent_assignment: agentAssignment },
      { assignees: ['copilot-swe-agent[bot]'], agent_assignment: agentAssignment },
      { state: 'closed', state_reason: 'not_planned' },
    ]);
  });

  it('listIssuesByLabel follows every page and leaves pull requests out', async () => {
    const { port, http } = await createTestPort();
    http.on('GET', `${repoPath}/issues`, request => new URL(request.url).searchParams.get('page') === '2'
      ? { status: 200, body: [restIssue(3)] }
      : { status: 200, body: [restIssue(1), restIssue(2, { pull_request: { url: 'x' } })], headers: { link: `<https://ghe.test${repoPath}/issues?labels=ato%3Atask&page=2>; rel="next", <https://ghe.test${repoPath}/issues?page=2>; rel="last"` } });
    const issues = await port.listIssuesByLabel('ato:task', 'open');
    assert.deepEqual(issues.map(issue => issue.number), [1, 3]);
    assert.equal(new URL(http.requests[0]!.url).searchParams.get('labels'), 'ato:task');
    assert.equal(new URL(http.requests[0]!.url).searchParams.get('per_page'), '100');
  });

  it('suggestedActors reads every page with the Copilot GraphQL-Features header', async () => {
    const { port, http } = await createTestPort();
    http.on('POST', graphqlPath,
      { status: 200, body: { data: { rateLimit, repository: { suggestedActors: { pageInfo: { hasNextPage: true, endCursor: 'p1' }, nodes: [{ login: 'copilot-swe-agent', __typename: 'Bot', id: 'BOT_1' }] } } } } },
      { status: 200, body: { data: { rateLimit, repository: { suggestedActors: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [{ login: 'alice', __typename: 'User', id: 'U_1' }] } } } } });
    assert.deepEqual(await port.suggestedActors(), [{ login: 'copilot-swe-agent', id: 'BOT_1', type: 'Bot' }, { login: 'alice', id: 'U_1', type: 'User' }]);
    assert.ok(http.requests.every(r => r.headers['graphql-features'] === 'issues_copilot_assignment_api_support,coding_agent_model_selection'));
    assert.deepEqual(http.requests.map(r => graphqlBody(r).variables['after']), [null, 'p1']);
  });

  it('merge pins the sha; markReadyForReview uses the GraphQL mutation (1 point)', async () => {
    const { port, http } = await createTestPort();
    http.on('PUT', `${repoPath}/pulls/7/merge`, { status: 200, body: { sha: 'm'.repeat(40), merged: true, message: 'Pull Request successfully merged' } });
    assert.deepEqual(await port.mergePullRequest(7, { sha: 'a'.repeat(40), method: 'squash' }), { merged: true, sha: 'm'.repeat(40), message: 'Pull Request successfully merged' });
    assert.deepEqual(http.requests[0]!.body, { sha: 'a'.repeat(40), merge_method: 'squash' });
    http.on('POST', graphqlPath, { status: 200, body: { data: { markPullRequestReadyForReview: { pullRequest: { id: 'PR_7', isDraft: false } } } } });
    const before = port.usage.points;
    await port.markReadyForReview('PR_7');
    assert.deepEqual(graphqlBody(http.requests[1]!).variables, { pullRequestId: 'PR_7' });
    assert.equal(port.usage.points - before, 1);
  });
});
