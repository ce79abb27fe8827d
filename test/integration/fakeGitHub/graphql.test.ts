import { strict as assert } from 'node:assert';
import { extendSchema, type GraphQLSchema, isInputObjectType, isInterfaceType, isObjectType, parse, printType } from 'graphql';
import { fakeGraphqlSchema, previewSdl, publicGraphqlSchema } from '../../fakes/github/graphql/schema';
import { graphql, pick, smallScenario, useFakeGitHub } from './fakeGitHubKit';

/** Every difference between two schemas: added/removed types, and added/removed/changed fields or input fields. */
function schemaDiff(before: GraphQLSchema, after: GraphQLSchema): string[] {
  const diff: string[] = [];
  const beforeTypes = before.getTypeMap();
  const afterTypes = after.getTypeMap();
  for (const name of Object.keys(afterTypes)) if (!(name in beforeTypes)) diff.push(`+type ${name}`);
  for (const name of Object.keys(beforeTypes)) if (!(name in afterTypes)) diff.push(`-type ${name}`);
  for (const [name, type] of Object.entries(afterTypes)) {
    const old = beforeTypes[name];
    if (old === undefined || printType(old) === printType(type)) continue;
    const fields = (candidate: typeof type): Map<string, string> => {
      if (isInputObjectType(candidate)) return new Map(Object.values(candidate.getFields()).map(field => [field.name, String(field.type)]));
      if (!isObjectType(candidate) && !isInterfaceType(candidate)) return new Map([['(type)', printType(candidate)]]);
      return new Map(Object.values(candidate.getFields()).map(field => [field.name, `${String(field.type)} ${field.args.map(arg => `${arg.name}:${String(arg.type)}`).join(',')}`]));
    };
    const [was, now] = [fields(old), fields(type)];
    for (const [field, signature] of now) {
      if (!was.has(field)) diff.push(`+${name}.${field}`);
      else if (was.get(field) !== signature) diff.push(`~${name}.${field}`);
    }
    for (const field of was.keys()) if (!now.has(field)) diff.push(`-${name}.${field}`);
  }
  return diff.sort();
}

const snapshotQuery = `query Snapshot($owner: String!, $name: String!, $pull: Int!) {
  rateLimit { cost limit remaining resetAt }
  repository(owner: $owner, name: $name) {
    id nameWithOwner
    defaultBranchRef { name target { oid } }
    pullRequests(states: [OPEN], first: 100, orderBy: { field: CREATED_AT, direction: ASC }) {
      totalCount pageInfo { hasNextPage endCursor }
      nodes {
        id number title body url state isDraft author { login __typename }
        headRefName headRefOid baseRefName mergeable mergeStateStatus reviewDecision createdAt updatedAt mergedAt closed merged
        reviewRequests(first: 10) { nodes { requestedReviewer { __typename ... on User { login } ... on Bot { login } ... on Team { slug } } } }
        latestReviews(first: 10) { nodes { author { login } state } }
        timelineItems(itemTypes: [REVIEW_REQUESTED_EVENT, READY_FOR_REVIEW_EVENT], last: 20) {
          nodes { __typename ... on ReviewRequestedEvent { createdAt actor { login } requestedReviewer { ... on User { login } } } ... on ReadyForReviewEvent { createdAt actor { login } } }
        }
        labels(first: 20) { nodes { name } }
        files(first: 100) { totalCount nodes { path } }
        closingIssuesReferences(first: 10) { nodes { number } }
        baseRef { branchProtectionRule { requiredStatusCheckContexts } refUpdateRule { requiredStatusCheckContexts } }
        commits(last: 1) { nodes { commit { oid
          statusCheckRollup { state contexts(first: 100) { totalCount pageInfo { hasNextPage } nodes { __typename
            ... on CheckRun { name status conclusion detailsUrl startedAt isRequired(pullRequestNumber: $pull) }
            ... on StatusContext { context state targetUrl createdAt isRequired(pullRequestNumber: $pull) } } } }
          checkSuites(first: 10) { nodes { status conclusion app { slug } workflowRun { databaseId event } checkRuns(first: 1) { totalCount } } }
        } } }
      }
    }
    issues(states: [OPEN, CLOSED], labels: ["ato"], first: 50, orderBy: { field: UPDATED_AT, direction: DESC }) {
      totalCount
      nodes {
        id number title body url state stateReason createdAt updatedAt closedAt author { login }
        labels(first: 10) { nodes { name } } assignees(first: 10) { nodes { login } }
        timelineItems(itemTypes: [CROSS_REFERENCED_EVENT, CONNECTED_EVENT], first: 50) {
          nodes { __typename ... on CrossReferencedEvent { createdAt source { __typename ... on PullRequest { number } } } ... on ConnectedEvent { subject { ... on PullRequest { number } } } }
        }
      }
    }
  }
}`;

type Node = Record<string, unknown>;

describe('fake GitHub: GraphQL', function () {
  this.timeout(60_000);
  const fake = useFakeGitHub();

  it('serves GitHub\'s public schema plus exactly the Copilot preview fields', () => {
    assert.deepEqual(schemaDiff(publicGraphqlSchema(), fakeGraphqlSchema()), [
      '+AddAssigneesToAssignableInput.agentAssignment',
      '+CreateIssueInput.agentAssignment',
      '+Mutation.replaceActorsForAssignable',
      '+Repository.suggestedActors',
      '+UpdateIssueInput.agentAssignment',
      '+type ActorConnection',
      '+type ActorEdge',
      '+type AgentAssignmentInput',
      '+type ReplaceActorsForAssignableInput',
      '+type ReplaceActorsForAssignablePayload',
      '+type RepositorySuggestedActorFilter',
    ]);
    // The extension is valid SDL against the public schema (extendSchema checks it).
    assert.doesNotThrow(() => extendSchema(publicGraphqlSchema(), parse(previewSdl())));
  });

  it('answers ATO\'s snapshot query from the fake\'s state', async () => {
    const github = fake();
    const issue = await github.simulate.openPullRequest({ head: 'placeholder', title: 'placeholder', files: { 'x.txt': 'x\n' } }).then(async number => {
      // #1 is a human PR; the issue the loop tracks is #2.
      await github.simulate.closeIssue(number);
      const created = await fetch(`${github.apiUrl}/repos/octo/app/issues`, {
        method: 'POST', headers: { authorization: `token ${github.token}` },
        body: JSON.stringify({ title: 'Add a login form', labels: ['ato'], assignees: ['copilot-swe-agent[bot]', 'alice'] }),
      });
      return (await created.json() as { number: number }).number;
    });
    assert.equal(issue, 2);
    const pull = await github.simulate.copilotOpensPullRequest(issue, { files: { 'src/login.ts': 'export {};\n', 'src/form.ts': 'export {};\n' } });
    await github.simulate.copilotFinishes(pull);
    await github.simulate.setCheckRuns(pull, [{ name: 'ci/build', status: 'completed', conclusion: 'failure' }]);
    await github.simulate.setCheckRuns(pull, [{ name: 'ci/build', status: 'in_progress' }]);
    const head = github.state.repo().pull(pull)!.pull.headSha;
    await github.simulate.addStatus(head, { context: 'deploy/preview', state: 'success', targetUrl: 'https://preview.example/3' });
    await github.simulate.approve(pull, 'alice');

    const answer = await graphql(github, snapshotQuery, { owner: 'octo', name: 'app', pull });
    assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
    const repository = pick(answer.data, 'repository') as Node;
    assert.equal(repository['nameWithOwner'], 'octo/app');
    assert.equal(pick(repository, 'defaultBranchRef.target.oid'), await github.state.repo().ref('refs/heads/main'));
    assert.equal(pick(repository, 'pullRequests.totalCount'), 1);
    const node = pick(repository, 'pullRequests.nodes.0') as Node;
    assert.equal(node['number'], 3);
    assert.equal(node['title'], 'Add a login form');
    assert.equal(node['body'], 'Fixes #2');
    assert.equal(node['isDraft'], true);
    assert.deepEqual(node['author'], { login: 'copilot-swe-agent', __typename: 'Bot' });
    assert.equal(node['headRefOid'], head);
    assert.equal(node['mergeable'], 'MERGEABLE');
    assert.equal(node['mergeStateStatus'], 'DRAFT');
    assert.equal(node['reviewDecision'], null);
    assert.deepEqual(pick(node, 'reviewRequests.nodes'), [{ requestedReviewer: { __typename: 'User', login: 'octocat' } }]);
    assert.deepEqual(pick(node, 'latestReviews.nodes'), [{ author: { login: 'alice' }, state: 'APPROVED' }]);
    assert.deepEqual((pick(node, 'timelineItems.nodes') as Node[]).map(item => [item['__typename'], pick(item, 'actor.login'), pick(item, 'requestedReviewer.login')]), [['ReviewRequestedEvent', 'copilot-swe-agent', 'octocat']]);
    assert.deepEqual(pick(node, 'files.nodes'), [{ path: 'src/form.ts' }, { path: 'src/login.ts' }]);
    assert.deepEqual(pick(node, 'closingIssuesReferences.nodes'), [{ number: 2 }]);
    assert.deepEqual(pick(node, 'baseRef.branchProtectionRule.requiredStatusCheckContexts'), ['ci/build']);
    const commit = pick(node, 'commits.nodes.0.commit') as Node;
    assert.equal(commit['oid'], head);
    assert.equal(pick(commit, 'statusCheckRollup.state'), 'PENDING');
    const contexts = pick(commit, 'statusCheckRollup.contexts.nodes') as Node[];
    assert.deepEqual(contexts.map(context => [context['__typename'], context['name'] ?? context['context'], context['status'] ?? context['state'], context['conclusion'] ?? null, context['isRequired']]), [
      ['CheckRun', 'ci/build', 'COMPLETED', 'FAILURE', true],
      ['CheckRun', 'ci/build', 'IN_PROGRESS', null, true],
      ['StatusContext', 'deploy/preview', 'SUCCESS', null, false],
    ]);
    assert.deepEqual(pick(commit, 'checkSuites.nodes'), [{ status: 'IN_PROGRESS', conclusion: null, app: { slug: 'github-actions' }, workflowRun: { databaseId: (pick(commit, 'checkSuites.nodes.0.workflowRun') as Node)['databaseId'], event: 'pull_request' }, checkRuns: { totalCount: 2 } }]);

    const issues = pick(repository, 'issues.nodes') as Node[];
    assert.deepEqual(issues.map(item => item['number']), [2]);
    assert.deepEqual(pick(issues[0], 'assignees.nodes'), [{ login: 'alice' }], 'GraphQL assignees lists users; the coding agent is a Bot');
    assert.deepEqual(pick(issues[0], 'timelineItems.nodes'), [{ __typename: 'CrossReferencedEvent', createdAt: (pick(issues[0], 'timelineItems.nodes.0') as Node)['createdAt'], source: { __typename: 'PullRequest', number: 3 } }]);
    // pullRequests 1 + its 7 child connections × 100 + contexts and checkSuites 100 each + checkRuns 1000
    // + issues 1 + its 3 child connections × 50 = 2052 requests → 21 points.
    assert.equal(pick(answer.data, 'rateLimit.cost'), 21);
  });

  it('computes GitHub\'s cost formula, spends it from the graphql budget and logs it', async () => {
    const github = fake();
    github.resetRequests();
    // 1 request for pullRequests + 100 for their labels + 100 for their files = 201 → 2 points.
    const answer = await graphql(github, 'query Cost { rateLimit { cost remaining } repository(owner: "octo", name: "app") { pullRequests(first: 100) { nodes { labels(first: 10) { totalCount } files(first: 100) { totalCount } } } } }');
    assert.deepEqual(pick(answer.data, 'rateLimit'), { cost: 2, remaining: 4998 });
    assert.deepEqual(github.requests.map(request => [request.resource, request.points, request.graphqlOperationName]), [['graphql', 2, 'Cost']]);
    const cheap = await graphql(github, '{ rateLimit { cost remaining } }');
    assert.deepEqual(pick(cheap.data, 'rateLimit'), { cost: 1, remaining: 4997 });
  });

  it('enforces GitHub\'s pagination rules on connections', async () => {
    const missing = await graphql(fake(), '{ repository(owner: "octo", name: "app") { pullRequests { totalCount } } }');
    assert.equal(pick(missing.errors, '0.type'), 'MISSING_PAGINATION_BOUNDARIES');
    const excessive = await graphql(fake(), '{ repository(owner: "octo", name: "app") { pullRequests(first: 101) { totalCount } } }');
    assert.equal(pick(excessive.errors, '0.type'), 'EXCESSIVE_PAGINATION');
    assert.equal(missing.data, undefined);
  });

  it('pages connections with cursors', async () => {
    const github = fake();
    for (const title of ['one', 'two', 'three']) await fetch(`${github.apiUrl}/repos/octo/app/issues`, { method: 'POST', headers: { authorization: `token ${github.token}` }, body: JSON.stringify({ title }) });
    const first = await graphql(github, '{ repository(owner: "octo", name: "app") { issues(first: 2) { totalCount pageInfo { hasNextPage endCursor } nodes { title } } } }');
    assert.deepEqual(pick(first.data, 'repository.issues.nodes'), [{ title: 'one' }, { title: 'two' }]);
    assert.equal(pick(first.data, 'repository.issues.pageInfo.hasNextPage'), true);
    const cursor = String(pick(first.data, 'repository.issues.pageInfo.endCursor'));
    const second = await graphql(github, 'query($after: String) { repository(owner: "octo", name: "app") { issues(first: 2, after: $after) { pageInfo { hasNextPage } nodes { title } } } }', { after: cursor });
    assert.deepEqual(pick(second.data, 'repository.issues.nodes'), [{ title: 'three' }]);
    assert.equal(pick(second.data, 'repository.issues.pageInfo.hasNextPage'), false);
  });

  it('has no status check rollup without checks; a run awaiting approval is a WAITING suite outside the rollup', async () => {
    const github = fake();
    const pull = await github.simulate.openPullRequest({ head: 'feature', title: 'Feature', files: { 'f.txt': 'f\n' } });
    const query = `{ repository(owner: "octo", name: "app") { pullRequest(number: ${pull}) { commits(last: 1) { nodes { commit {
      statusCheckRollup { state contexts(first: 10) { totalCount } }
      checkSuites(first: 5) { nodes { status conclusion checkRuns(first: 1) { totalCount } } } } } } } } }`;
    const before = await graphql(github, query);
    assert.equal(pick(before.data, 'repository.pullRequest.commits.nodes.0.commit.statusCheckRollup'), null);
    await github.simulate.workflowAwaitingApproval(pull);
    const waiting = await graphql(github, query);
    assert.equal(pick(waiting.data, 'repository.pullRequest.commits.nodes.0.commit.statusCheckRollup'), null);
    assert.deepEqual(pick(waiting.data, 'repository.pullRequest.commits.nodes.0.commit.checkSuites.nodes'), [{ status: 'WAITING', conclusion: 'ACTION_REQUIRED', checkRuns: { totalCount: 0 } }]);
    await github.simulate.addStatus(github.state.repo().pull(pull)!.pull.headSha, { context: 'ci/build', state: 'success' });
    const withStatus = await graphql(github, query);
    assert.deepEqual(pick(withStatus.data, 'repository.pullRequest.commits.nodes.0.commit.statusCheckRollup'), { state: 'SUCCESS', contexts: { totalCount: 1 } });
  });

  it('suggestedActors lists the coding agent first when Copilot is enabled', async () => {
    const answer = await graphql(fake(), '{ repository(owner: "octo", name: "app") { suggestedActors(capabilities: [CAN_BE_ASSIGNED], first: 100) { nodes { login __typename ... on Bot { id } ... on User { id } } } } }');
    const nodes = pick(answer.data, 'repository.suggestedActors.nodes') as Node[];
    assert.deepEqual(nodes.map(node => [node['login'], node['__typename']]), [['copilot-swe-agent', 'Bot'], ['alice', 'User'], ['octocat', 'User']]);
  });

  it('replaceActorsForAssignable and addAssigneesToAssignable assign Copilot with its agentAssignment', async () => {
    const github = fake();
    const ids = await graphql(github, '{ repository(owner: "octo", name: "app") { id suggestedActors(capabilities: [CAN_BE_ASSIGNED], first: 1) { nodes { ... on Bot { id } } } } }');
    const botId = String(pick(ids.data, 'repository.suggestedActors.nodes.0.id'));
    const repositoryId = String(pick(ids.data, 'repository.id'));
    const created = await graphql(github, `mutation($repo: ID!) { createIssue(input: { repositoryId: $repo, title: "Gap analysis", body: "Find the gaps." }) { issue { id number } } }`, { repo: repositoryId });
    const issueId = String(pick(created.data, 'createIssue.issue.id'));
    const replaced = await graphql(github, `mutation($issue: ID!, $bot: ID!, $repo: ID!) {
      replaceActorsForAssignable(input: { assignableId: $issue, actorIds: [$bot], agentAssignment: { targetRepositoryId: $repo, baseRef: "main", customInstructions: "Be brief.", model: "gpt-5.4" } }) {
        assignable { ... on Issue { number } } } }`, { issue: issueId, bot: botId, repo: repositoryId });
    assert.equal(replaced.errors, undefined, JSON.stringify(replaced.errors));
    const number = Number(pick(created.data, 'createIssue.issue.number'));
    const state = github.state.repo().issue(number)!;
    assert.deepEqual(state.assignees, ['Copilot']);
    assert.deepEqual(state.agentAssignment, { target_repo: 'octo/app', base_branch: 'main', custom_instructions: 'Be brief.', model: 'gpt-5.4' });
    const userId = String(pick((await graphql(github, '{ user(login: "alice") { id } }')).data, 'user.id'));
    await graphql(github, 'mutation($issue: ID!, $user: ID!) { addAssigneesToAssignable(input: { assignableId: $issue, assigneeIds: [$user] }) { assignable { ... on Issue { number } } } }', { issue: issueId, user: userId });
    assert.deepEqual(github.state.repo().issue(number)!.assignees, ['Copilot', 'alice']);
  });

  it('markPullRequestReadyForReview takes a draft out of draft and records ready_for_review', async () => {
    const github = fake();
    const pull = await github.simulate.openPullRequest({ head: 'wip', title: 'WIP thing', draft: true, files: { 'w.txt': 'w\n' } });
    const id = String(pick((await graphql(github, `{ repository(owner: "octo", name: "app") { pullRequest(number: ${pull}) { id } } }`)).data, 'repository.pullRequest.id'));
    const answer = await graphql(github, 'mutation($id: ID!) { markPullRequestReadyForReview(input: { pullRequestId: $id }) { pullRequest { isDraft timelineItems(itemTypes: [READY_FOR_REVIEW_EVENT], first: 5) { nodes { __typename ... on ReadyForReviewEvent { actor { login } } } } } } }', { id });
    assert.deepEqual(pick(answer.data, 'markPullRequestReadyForReview.pullRequest'), { isDraft: false, timelineItems: { nodes: [{ __typename: 'ReadyForReviewEvent', actor: { login: 'octocat' } }] } });
    assert.deepEqual(github.state.repo().events(pull).map(event => event.event), ['ready_for_review']);
  });

  it('a field the fake does not implement is an error, never a silent null', async () => {
    const answer = await graphql(fake(), '{ repository(owner: "octo", name: "app") { nameWithOwner stargazerCount } }');
    assert.match(String(pick(answer.errors, '0.message')), /Repository\.stargazerCount is not implemented by the fake GitHub/);
    assert.deepEqual(pick(answer.errors, '0.path'), ['repository', 'stargazerCount']);
  });

  it('an unknown repository is NOT_FOUND, as on GitHub', async () => {
    const answer = await graphql(fake(), '{ repository(owner: "octo", name: "nope") { id } }');
    assert.deepEqual(answer.data, { repository: null });
    assert.equal(pick(answer.errors, '0.type'), 'NOT_FOUND');
    assert.equal(pick(answer.errors, '0.message'), 'Could not resolve to a Repository with the name \'octo/nope\'.');
  });

  describe('with Copilot off', () => {
    const off = useFakeGitHub(() => smallScenario({ repos: [{ owner: 'octo', name: 'app', copilot: false }] }));

    it('suggestedActors has no coding agent, and assigning it is dropped', async () => {
      const github = off();
      const answer = await graphql(github, '{ repository(owner: "octo", name: "app") { suggestedActors(capabilities: [CAN_BE_ASSIGNED], first: 10) { nodes { login } } } }');
      assert.deepEqual(pick(answer.data, 'repository.suggestedActors.nodes'), [{ login: 'octocat' }]);
      const created = await fetch(`${github.apiUrl}/repos/octo/app/issues/`, { method: 'POST', headers: { authorization: `token ${github.token}` }, body: JSON.stringify({ title: 't' }) });
      assert.equal(created.status, 201);
      const added = await fetch(`${github.apiUrl}/repos/octo/app/issues/1/assignees`, { method: 'POST', headers: { authorization: `token ${github.token}` }, body: JSON.stringify({ assignees: ['copilot-swe-agent[bot]'] }) });
      assert.deepEqual((await added.json() as { assignees: unknown[] }).assignees, []);
    });
  });
});
