import { strict as assert } from 'node:assert';
import { type FakeGitHub, startFakeGitHub } from '../../fakes/github/fakeGitHub';
import { openApiValidator } from '../../fakes/github/openapiValidator';
import { checkRoutes } from '../../fakes/github/rest/checkRoutes';
import { contentRoutes } from '../../fakes/github/rest/contentRoutes';
import { gitRoutes } from '../../fakes/github/rest/gitRoutes';
import { issueRoutes } from '../../fakes/github/rest/issueRoutes';
import { pullRoutes } from '../../fakes/github/rest/pullRoutes';
import { repoRoutes } from '../../fakes/github/rest/repoRoutes';
import { api, assertValid, assertValidComponent, pick, smallScenario } from './fakeGitHubKit';

type Json = Record<string, unknown>;

/**
 * Statuses whose schema in the description can match no body: the 409 of a contents PUT is
 * `oneOf [basic-error, repository-rule-violation-error]`, two schemas without required fields, so every
 * object matches both. Those answers are checked against the schema GitHub's error actually has.
 */
const ambiguous: Readonly<Record<string, string>> = { 'repos/create-or-update-file-contents 409': 'basic-error' };

/** The component schema each REST timeline event must match (the `anyOf` alone accepts almost anything). */
const timelineSchemas: Readonly<Record<string, string>> = {
  'labeled': 'labeled-issue-event',
  'unlabeled': 'unlabeled-issue-event',
  'assigned': 'timeline-assigned-issue-event',
  'unassigned': 'timeline-unassigned-issue-event',
  'renamed': 'renamed-issue-event',
  'review_requested': 'review-requested-issue-event',
  'cross-referenced': 'timeline-cross-referenced-event',
  'commented': 'timeline-comment-event',
  'reviewed': 'timeline-reviewed-event',
  'closed': 'state-change-issue-event',
  'reopened': 'state-change-issue-event',
  'merged': 'state-change-issue-event',
  'connected': 'state-change-issue-event',
  'ready_for_review': 'state-change-issue-event',
  'copilot_work_started': 'state-change-issue-event',
  'copilot_work_finished': 'state-change-issue-event',
  'copilot_work_finished_failure': 'state-change-issue-event',
};

describe('fake GitHub: every REST route answers what GitHub\'s OpenAPI description allows', function () {
  this.timeout(60_000);
  let fake: FakeGitHub;
  const covered = new Set<string>();
  let issueNumber = 0;
  let copilotPull = 0;

  /** Calls the fake and validates the answer against the operation's schema for the status received. */
  async function call(operationId: string, method: string, path: string, expectedStatus: number, body?: unknown, headers?: Record<string, string>): Promise<unknown> {
    const answer = await api(fake, method, path, body, headers);
    assert.equal(answer.status, expectedStatus, `${method} ${path}: ${answer.text}`);
    const logged = fake.requests.at(-1);
    assert.equal(logged?.operationId, operationId, `${method} ${path} is served as ${String(logged?.operationId)}`);
    const component = ambiguous[`${operationId} ${expectedStatus}`];
    if (component !== undefined) assertValidComponent(component, answer.body);
    else if (expectedStatus !== 204) assertValid(operationId, expectedStatus, answer.body);
    covered.add(`${method} ${operationId}`);
    return answer.body;
  }

  before(async () => {
    openApiValidator();
    fake = await startFakeGitHub({ scenario: smallScenario() });
    const created = await api(fake, 'POST', '/repos/octo/app/issues', { title: 'Add a login form', body: 'Users need to sign in.', labels: ['ato', 'feature'], assignees: ['alice'] });
    issueNumber = (created.body as Json)['number'] as number;
    await api(fake, 'POST', `/repos/octo/app/issues/${issueNumber}/assignees`, { assignees: ['copilot-swe-agent[bot]'], agent_assignment: { base_branch: 'main', custom_instructions: 'Keep it small.' } });
    copilotPull = await fake.simulate.copilotOpensPullRequest(issueNumber, { files: { 'src/login.ts': 'export const login = true;\n' } });
    await fake.simulate.copilotFinishes(copilotPull);
    await fake.simulate.setCheckRuns(copilotPull, [{ name: 'ci/build', status: 'completed', conclusion: 'success' }, { name: 'lint', status: 'in_progress' }]);
    const head = fake.state.repo().pull(copilotPull)!.pull.headSha;
    await fake.simulate.addStatus(head, { context: 'deploy/preview', state: 'success', targetUrl: 'https://preview.example/1' });
    await fake.simulate.comment(copilotPull, 'Looks good, one nit.', 'alice');
    await fake.simulate.approve(copilotPull, 'alice');
  });

  after(async () => {
    await fake.stop();
  });

  it('users, rate limit and the repository', async () => {
    const user = await call('users/get-authenticated', 'GET', '/user', 200) as Json;
    assert.equal(user['login'], 'octocat');
    const rate = await call('rate-limit/get', 'GET', '/rate_limit', 200) as { resources: { core: Json; graphql: Json } };
    assert.equal(rate.resources.core['limit'], 5000);
    const repo = await call('repos/get', 'GET', '/repos/octo/app', 200) as Json;
    assert.equal(repo['full_name'], 'octo/app');
    assert.equal(repo['default_branch'], 'main');
    assert.equal(repo['clone_url'], fake.gitUrl('octo', 'app'));
    await call('repos/get', 'GET', '/repos/octo/missing', 404);
  });

  it('labels', async () => {
    const labels = await call('issues/list-labels-for-repo', 'GET', '/repos/octo/app/labels', 200) as Json[];
    assert.deepEqual(labels.map(label => label['name']), ['ato', 'feature']);
    const created = await call('issues/create-label', 'POST', '/repos/octo/app/labels', 201, { name: 'ato:task', color: '1d76db', description: 'A task' }) as Json;
    assert.equal(created['color'], '1d76db');
    const duplicate = await call('issues/create-label', 'POST', '/repos/octo/app/labels', 422, { name: 'ATO:TASK' }) as { errors: Json[] };
    assert.equal(duplicate.errors[0]?.['code'], 'already_exists');
    const label = await call('issues/get-label', 'GET', '/repos/octo/app/labels/ato%3Atask', 200) as Json;
    assert.equal(label['name'], 'ato:task');
    await call('issues/get-label', 'GET', '/repos/octo/app/labels/nope', 404);
  });

  it('issues: list (with pull requests), create, get, update', async () => {
    const listed = await call('issues/list-for-repo', 'GET', '/repos/octo/app/issues?state=all&per_page=100', 200) as Json[];
    const pull = listed.find(item => item['number'] === copilotPull);
    assert.ok(pull?.['pull_request'] !== undefined, 'pull requests appear in the issue list with a pull_request key');
    assert.equal(listed.find(item => item['number'] === issueNumber)?.['pull_request'], undefined);
    const created = await call('issues/create', 'POST', '/repos/octo/app/issues', 201, {
      title: 'Write the docs', body: 'Explain the setup.', labels: ['docs'], assignees: ['copilot-swe-agent[bot]'],
      agent_assignment: { target_repo: 'octo/app', base_branch: 'main', model: 'claude-sonnet-4.6' },
    }) as Json;
    const number = created['number'] as number;
    assert.deepEqual((created['assignees'] as Json[]).map(user => [user['login'], user['type']]), [['Copilot', 'Bot']]);
    assert.deepEqual(fake.state.repo().issue(number)?.agentAssignment, { target_repo: 'octo/app', base_branch: 'main', model: 'claude-sonnet-4.6' });
    const got = await call('issues/get', 'GET', `/repos/octo/app/issues/${number}`, 200) as Json;
    assert.equal(got['title'], 'Write the docs');
    const updated = await call('issues/update', 'PATCH', `/repos/octo/app/issues/${number}`, 200, { title: 'Write the setup docs', state: 'closed', state_reason: 'not_planned', labels: ['ato'] }) as Json;
    assert.equal(updated['state'], 'closed');
    assert.equal(updated['state_reason'], 'not_planned');
    assert.equal((updated['closed_by'] as Json)['login'], 'octocat');
    const reopened = await call('issues/update', 'PATCH', `/repos/octo/app/issues/${number}`, 200, { state: 'open' }) as Json;
    assert.equal(reopened['state_reason'], 'reopened');
    await call('issues/get', 'GET', '/repos/octo/app/issues/999', 404);
    await call('issues/create', 'POST', '/repos/octo/app/issues', 422, { title: 'x', assignees: ['stranger'] });
  });

  it('assignees, comments and labels of an issue', async () => {
    const added = await call('issues/add-assignees', 'POST', `/repos/octo/app/issues/${issueNumber}/assignees`, 201, { assignees: ['octocat', 'not-a-collaborator'] }) as Json;
    assert.deepEqual((added['assignees'] as Json[]).map(user => user['login']), ['alice', 'Copilot', 'octocat']);
    const removed = await call('issues/remove-assignees', 'DELETE', `/repos/octo/app/issues/${issueNumber}/assignees`, 200, { assignees: ['octocat'] }) as Json;
    assert.deepEqual((removed['assignees'] as Json[]).map(user => user['login']), ['alice', 'Copilot']);
    const comment = await call('issues/create-comment', 'POST', `/repos/octo/app/issues/${issueNumber}/comments`, 201, { body: 'Picked up by Copilot.' }) as Json;
    assert.equal(comment['body'], 'Picked up by Copilot.');
    const comments = await call('issues/list-comments', 'GET', `/repos/octo/app/issues/${issueNumber}/comments`, 200) as Json[];
    assert.deepEqual(comments.map(item => item['id']), [comment['id']]);
    const labels = await call('issues/add-labels', 'POST', `/repos/octo/app/issues/${issueNumber}/labels`, 200, { labels: ['ato:task'] }) as Json[];
    assert.deepEqual(labels.map(label => label['name']), ['ato', 'feature', 'ato:task']);
    const left = await call('issues/remove-label', 'DELETE', `/repos/octo/app/issues/${issueNumber}/labels/feature`, 200) as Json[];
    assert.deepEqual(left.map(label => label['name']), ['ato', 'ato:task']);
    await call('issues/remove-label', 'DELETE', `/repos/octo/app/issues/${issueNumber}/labels/feature`, 404);
  });

  it('timelines of an issue and of Copilot\'s pull request, each event valid for its own schema', async () => {
    const issueTimeline = await call('issues/list-events-for-timeline', 'GET', `/repos/octo/app/issues/${issueNumber}/timeline?per_page=100`, 200) as Json[];
    const pullTimeline = await call('issues/list-events-for-timeline', 'GET', `/repos/octo/app/issues/${copilotPull}/timeline?per_page=100`, 200) as Json[];
    for (const event of [...issueTimeline, ...pullTimeline]) {
      const schema = timelineSchemas[String(event['event'])];
      assert.ok(schema !== undefined, `unexpected event ${String(event['event'])}`);
      assertValidComponent(schema, event);
    }
    assert.ok(issueTimeline.some(event => event['event'] === 'cross-referenced' && (event['source'] as { issue: Json }).issue['number'] === copilotPull));
    const names = pullTimeline.map(event => event['event']);
    for (const name of ['copilot_work_started', 'renamed', 'copilot_work_finished', 'review_requested', 'commented', 'reviewed']) assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
    const work = pullTimeline.find(event => event['event'] === 'copilot_work_finished');
    assert.equal((work?.['performed_via_github_app'] as Json)['slug'], 'copilot-swe-agent');
    const request = pullTimeline.find(event => event['event'] === 'review_requested');
    assert.equal((request?.['requested_reviewer'] as Json)['login'], 'octocat');
    assert.equal((request?.['review_requester'] as Json)['login'], 'Copilot');
  });

  it('pull requests: list, get, files, reviews, review requests, create and update', async () => {
    const listed = await call('pulls/list', 'GET', '/repos/octo/app/pulls', 200) as Json[];
    assert.deepEqual(listed.map(pull => pull['number']), [copilotPull]);
    const byHead = await call('pulls/list', 'GET', `/repos/octo/app/pulls?head=octo:${String((listed[0]?.['head'] as Json)['ref'])}`, 200) as Json[];
    assert.equal(byHead.length, 1);
    const pull = await call('pulls/get', 'GET', `/repos/octo/app/pulls/${copilotPull}`, 200) as Json;
    assert.equal((pull['user'] as Json)['login'], 'Copilot');
    assert.equal((pull['user'] as Json)['type'], 'Bot');
    assert.equal(pull['title'], 'Add a login form');
    assert.equal(pull['body'], `Fixes #${issueNumber}`);
    assert.equal(pull['draft'], true);
    assert.equal(pull['mergeable'], true);
    assert.equal(pull['changed_files'], 1);
    const files = await call('pulls/list-files', 'GET', `/repos/octo/app/pulls/${copilotPull}/files`, 200) as Json[];
    assert.deepEqual(files.map(file => [file['filename'], file['status'], file['additions']]), [['src/login.ts', 'added', 1]]);
    const reviews = await call('pulls/list-reviews', 'GET', `/repos/octo/app/pulls/${copilotPull}/reviews`, 200) as Json[];
    assert.deepEqual(reviews.map(review => [(review['user'] as Json)['login'], review['state']]), [['alice', 'APPROVED']]);
    await fake.simulate.pushFiles('feature/docs', { 'docs/setup.md': '# Setup\n' }, 'Add setup docs');
    const created = await call('pulls/create', 'POST', '/repos/octo/app/pulls', 201, { title: 'Setup docs', head: 'feature/docs', base: 'main', body: 'Part of #1' }) as Json;
    const number = created['number'] as number;
    await call('pulls/create', 'POST', '/repos/octo/app/pulls', 422, { title: 'Again', head: 'feature/docs', base: 'main' });
    const requested = await call('pulls/request-reviewers', 'POST', `/repos/octo/app/pulls/${number}/requested_reviewers`, 201, { reviewers: ['alice'] }) as Json;
    assert.deepEqual((requested['requested_reviewers'] as Json[]).map(user => user['login']), ['alice']);
    await call('pulls/request-reviewers', 'POST', `/repos/octo/app/pulls/${number}/requested_reviewers`, 422, { reviewers: ['octocat'] });
    const updated = await call('pulls/update', 'PATCH', `/repos/octo/app/pulls/${number}`, 200, { title: 'Setup docs, reviewed', state: 'closed' }) as Json;
    assert.equal(updated['state'], 'closed');
    assert.equal(updated['merged'], false);
  });

  it('merging: 405 for a draft, 409 for a moved head, then 200', async () => {
    const draft = await call('pulls/merge', 'PUT', `/repos/octo/app/pulls/${copilotPull}/merge`, 405, { merge_method: 'squash' }) as Json;
    assert.equal(draft['message'], 'Pull Request is still a draft');
    const query = '{ repository(owner: "octo", name: "app") { pullRequest(number: ' + String(copilotPull) + ') { id } } }';
    const id = ((await api(fake, 'POST', '/graphql', { query })).body as { data: { repository: { pullRequest: { id: string } } } }).data.repository.pullRequest.id;
    await api(fake, 'POST', '/graphql', { query: `mutation { markPullRequestReadyForReview(input: { pullRequestId: "${id}" }) { pullRequest { isDraft } } }` });
    const moved = await call('pulls/merge', 'PUT', `/repos/octo/app/pulls/${copilotPull}/merge`, 409, { merge_method: 'squash', sha: '0123456789012345678901234567890123456789' }) as Json;
    assert.equal(moved['message'], 'Head branch was modified. Review and try the merge again.');
    const head = fake.state.repo().pull(copilotPull)!.pull.headSha;
    const merged = await call('pulls/merge', 'PUT', `/repos/octo/app/pulls/${copilotPull}/merge`, 200, { merge_method: 'squash', sha: head }) as Json;
    assert.equal(merged['merged'], true);
    assert.equal(await fake.state.repo().ref('refs/heads/main'), merged['sha']);
  });

  it('collaborator permission levels: write for collaborators (the token\'s user is one), read for anyone else on a public repository', async () => {
    const level = async (login: string): Promise<unknown[]> => {
      const body = await call('repos/get-collaborator-permission-level', 'GET', `/repos/octo/app/collaborators/${login}/permission`, 200) as Json;
      return [body['permission'], pick(body, 'user.login')];
    };
    assert.deepEqual(await level('alice'), ['write', 'alice']);
    assert.deepEqual(await level('octocat'), ['write', 'octocat'], 'the token\'s user is a collaborator of the organization\'s repository');
    assert.deepEqual(await level('mallory'), ['read', 'mallory']);
  });

  it('a pull request from a fork: the head lives in the fork, GraphQL calls it cross-repository', async () => {
    const number = await fake.simulate.openPullRequest({ head: 'ato/add-login', title: 'From my fork', author: 'mallory', fromFork: 'mallory', files: { 'src/fork.ts': 'export const fork = 1;\n' } });
    const pull = await call('pulls/get', 'GET', `/repos/octo/app/pulls/${String(number)}`, 200) as Json;
    assert.deepEqual([pick(pull, 'head.label'), pick(pull, 'head.repo.full_name'), pick(pull, 'head.repo.fork'), pick(pull, 'head.user.login'), pick(pull, 'base.repo.full_name')], ['mallory:ato/add-login', 'mallory/app', true, 'mallory', 'octo/app']);
    const fromFork = await call('pulls/list', 'GET', '/repos/octo/app/pulls?head=mallory:ato/add-login', 200) as Json[];
    assert.deepEqual(fromFork.map(item => item['number']), [number]);
    assert.deepEqual(await call('pulls/list', 'GET', '/repos/octo/app/pulls?head=octo:ato/add-login', 200), [], 'no branch of that name here');
    const query = `{ repository(owner: "octo", name: "app") { pullRequest(number: ${String(number)}) { isCrossRepository authorAssociation headRepository { nameWithOwner isFork } headRepositoryOwner { login } } } }`;
    const node = pick((await api(fake, 'POST', '/graphql', { query })).body, 'data.repository.pullRequest');
    assert.deepEqual(node, { isCrossRepository: true, authorAssociation: 'NONE', headRepository: { nameWithOwner: 'mallory/app', isFork: true }, headRepositoryOwner: { login: 'mallory' } });
    await call('pulls/update', 'PATCH', `/repos/octo/app/pulls/${String(number)}`, 200, { state: 'closed' });
  });

  it('a renamed file: REST gives its previous_filename, GraphQL calls it RENAMED under its new path', async () => {
    await fake.simulate.pushFiles('main', { 'docs/setup.md': '# Setup\n\nRun `npm ci`, then `npm start`.\n' }, 'Docs');
    const number = await fake.simulate.openPullRequest({ head: 'move-docs', title: 'Move the docs', files: { 'docs/setup.md': null, 'guide/setup.md': '# Setup\n\nRun `npm ci`, then `npm start`.\n' } });
    const files = await call('pulls/list-files', 'GET', `/repos/octo/app/pulls/${String(number)}/files`, 200) as Json[];
    assert.deepEqual(files.map(file => [file['filename'], file['status'], file['previous_filename']]), [['guide/setup.md', 'renamed', 'docs/setup.md']]);
    const query = `{ repository(owner: "octo", name: "app") { pullRequest(number: ${String(number)}) { files(first: 10) { nodes { path changeType } } } } }`;
    assert.deepEqual(pick((await api(fake, 'POST', '/graphql', { query })).body, 'data.repository.pullRequest.files.nodes'), [{ path: 'guide/setup.md', changeType: 'RENAMED' }]);
    await call('pulls/update', 'PATCH', `/repos/octo/app/pulls/${String(number)}`, 200, { state: 'closed' });
  });

  it('checks and the combined status of a commit', async () => {
    const head = fake.state.repo().pull(copilotPull)!.pull.headSha;
    const runs = await call('checks/list-for-ref', 'GET', `/repos/octo/app/commits/${head}/check-runs`, 200) as { total_count: number; check_runs: Json[] };
    assert.deepEqual(runs.check_runs.map(run => [run['name'], run['status'], run['conclusion']]).sort(), [['ci/build', 'completed', 'success'], ['lint', 'in_progress', null]]);
    const status = await call('repos/get-combined-status-for-ref', 'GET', `/repos/octo/app/commits/${head}/status`, 200) as Json;
    assert.equal(status['state'], 'success');
    assert.equal(status['total_count'], 1);
    const onMain = await call('checks/list-for-ref', 'GET', '/repos/octo/app/commits/main/check-runs', 200) as { total_count: number };
    assert.equal(onMain.total_count, 0);
  });

  it('contents: a file, a folder, raw text, create and update', async () => {
    const file = await call('repos/get-content', 'GET', '/repos/octo/app/contents/README.md', 200) as Json;
    assert.equal(Buffer.from(String(file['content']), 'base64').toString('utf8'), '# app\n');
    const folder = await call('repos/get-content', 'GET', '/repos/octo/app/contents/src?ref=main', 200) as Json[];
    assert.ok(folder.some(entry => entry['path'] === 'src/index.ts' && entry['type'] === 'file'));
    const raw = await api(fake, 'GET', '/repos/octo/app/contents/README.md', undefined, { accept: 'application/vnd.github.raw+json' });
    assert.equal(raw.text, '# app\n');
    await call('repos/get-content', 'GET', '/repos/octo/app/contents/nope.md', 404);
    const created = await call('repos/create-or-update-file-contents', 'PUT', '/repos/octo/app/contents/notes/todo.md', 201, {
      message: 'Add todo', content: Buffer.from('- [ ] ship\n').toString('base64'), branch: 'main',
    }) as { content: Json; commit: Json };
    await call('repos/create-or-update-file-contents', 'PUT', '/repos/octo/app/contents/notes/todo.md', 422, { message: 'No sha', content: Buffer.from('x').toString('base64') });
    await call('repos/create-or-update-file-contents', 'PUT', '/repos/octo/app/contents/notes/todo.md', 409, { message: 'Old sha', content: Buffer.from('x').toString('base64'), sha: '0'.repeat(40) });
    const updated = await call('repos/create-or-update-file-contents', 'PUT', '/repos/octo/app/contents/notes/todo.md', 200, {
      message: 'Tick todo', content: Buffer.from('- [x] ship\n').toString('base64'), sha: created.content['sha'],
    }) as { commit: Json };
    assert.equal(await fake.state.repo().readFile('main', 'notes/todo.md'), '- [x] ship\n');
    assert.equal(await fake.state.repo().ref('refs/heads/main'), updated.commit['sha']);
  });

  it('git data: blobs, trees, commits and refs (refs/ato/* included)', async () => {
    const main = await call('git/get-ref', 'GET', '/repos/octo/app/git/ref/heads/main', 200) as { object: Json };
    const mainSha = String(main.object['sha']);
    await call('git/get-ref', 'GET', '/repos/octo/app/git/ref/heads/nope', 404);
    const blob = await call('git/create-blob', 'POST', '/repos/octo/app/git/blobs', 201, { content: 'lease: tick 1\n', encoding: 'utf-8' }) as Json;
    const readBlob = await call('git/get-blob', 'GET', `/repos/octo/app/git/blobs/${String(blob['sha'])}`, 200) as Json;
    assert.equal(Buffer.from(String(readBlob['content']), 'base64').toString('utf8'), 'lease: tick 1\n');
    const tree = await call('git/create-tree', 'POST', '/repos/octo/app/git/trees', 201, { tree: [{ path: 'lease.json', mode: '100644', type: 'blob', sha: blob['sha'] }] }) as Json;
    const withBase = await call('git/create-tree', 'POST', '/repos/octo/app/git/trees', 201, {
      base_tree: mainSha, tree: [{ path: 'README.md', mode: '100644', type: 'blob', content: '# app v2\n' }, { path: 'src/index.ts', sha: null }],
    }) as Json;
    const recursive = await call('git/get-tree', 'GET', `/repos/octo/app/git/trees/${String(withBase['sha'])}?recursive=1`, 200) as { tree: Json[] };
    const paths = recursive.tree.map(entry => entry['path']);
    assert.ok(paths.includes('README.md') && paths.includes('src/login.ts') && !paths.includes('src/index.ts'), paths.join(', '));
    const withoutFolder = await call('git/create-tree', 'POST', '/repos/octo/app/git/trees', 201, { base_tree: mainSha, tree: [{ path: 'src', sha: null }] }) as { tree: Json[] };
    assert.ok(!withoutFolder.tree.some(entry => entry['path'] === 'src'), 'sha: null on a folder removes it');
    const readTree = await call('git/get-tree', 'GET', `/repos/octo/app/git/trees/${String(tree['sha'])}`, 200) as { tree: Json[] };
    assert.deepEqual(readTree.tree.map(entry => entry['path']), ['lease.json']);
    const commit = await call('git/create-commit', 'POST', '/repos/octo/app/git/commits', 201, { message: 'lease', tree: tree['sha'], parents: [] }) as Json;
    const read = await call('git/get-commit', 'GET', `/repos/octo/app/git/commits/${String(commit['sha'])}`, 200) as Json;
    assert.equal(read['message'], 'lease');
    await call('git/get-commit', 'GET', `/repos/octo/app/git/commits/${'1'.repeat(40)}`, 404);
    const created = await call('git/create-ref', 'POST', '/repos/octo/app/git/refs', 201, { ref: 'refs/ato/lease', sha: commit['sha'] }) as Json;
    assert.equal(created['ref'], 'refs/ato/lease');
    const exists = await call('git/create-ref', 'POST', '/repos/octo/app/git/refs', 422, { ref: 'refs/ato/lease', sha: commit['sha'] }) as Json;
    assert.equal(exists['message'], 'Reference already exists');
    const next = await call('git/create-commit', 'POST', '/repos/octo/app/git/commits', 201, { message: 'lease 2', tree: tree['sha'], parents: [commit['sha']] }) as Json;
    await call('git/update-ref', 'PATCH', '/repos/octo/app/git/refs/ato/lease', 200, { sha: next['sha'], force: false });
    const notForward = await call('git/update-ref', 'PATCH', '/repos/octo/app/git/refs/ato/lease', 422, { sha: commit['sha'], force: false }) as Json;
    assert.equal(notForward['message'], 'Update is not a fast forward');
    const matching = await call('git/list-matching-refs', 'GET', '/repos/octo/app/git/matching-refs/ato/', 200) as Json[];
    assert.deepEqual(matching.map(ref => ref['ref']), ['refs/ato/lease']);
    await call('git/delete-ref', 'DELETE', '/repos/octo/app/git/refs/ato/lease', 204);
    await call('git/delete-ref', 'DELETE', '/repos/octo/app/git/refs/ato/lease', 422);
  });

  it('an unknown route is GitHub\'s 404', async () => {
    const answer = await api(fake, 'GET', '/repos/octo/app/no-such-thing');
    assert.equal(answer.status, 404);
    assert.equal((answer.body as Json)['message'], 'Not Found');
    assert.equal(typeof (answer.body as Json)['documentation_url'], 'string');
    assertValidComponent('basic-error', answer.body);
  });

  it('the check has teeth: a body missing a required field, or of the wrong shape, is rejected', async () => {
    const pull = (await api(fake, 'GET', `/repos/octo/app/pulls/${copilotPull}`)).body as Json;
    const validate = openApiValidator().response('pulls/get', 200);
    assert.equal(validate(pull), true);
    const headless = { ...pull };
    delete headless['head'];
    assert.equal(validate(headless), false);
    assert.ok(validate.errors?.some(error => error.keyword === 'required'));
    assert.equal(validate({ ...pull, state: 42 }), false);
    assert.equal(openApiValidator().response('issues/list-for-repo', 200)([{ number: 1, title: 'incomplete' }]), false);
  });

  it('request bodies are checked against the OpenAPI description (422 when invalid)', async () => {
    const answer = await api(fake, 'PUT', `/repos/octo/app/pulls/${copilotPull}/merge`, { merge_method: 'bogus' });
    assert.equal(answer.status, 422);
    assert.match(String((answer.body as Json)['message']), /^Invalid request\./);
    const missing = await api(fake, 'POST', '/repos/octo/app/git/refs', { ref: 'refs/heads/x' });
    assert.equal(missing.status, 422);
  });

  it('covers every REST route the fake serves', () => {
    const routes = [...repoRoutes, ...issueRoutes, ...pullRoutes, ...checkRoutes, ...contentRoutes, ...gitRoutes];
    const missing = routes.filter(route => !covered.has(`${route.method} ${route.operationId}`)).map(route => `${route.method} ${route.pattern}`);
    assert.deepEqual([...new Set(missing)], []);
  });
});
