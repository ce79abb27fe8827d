import { strict as assert } from 'node:assert';
import { Octokit } from '@octokit/rest';
import { useFakeGitHub } from './fakeGitHubKit';

/** The client ATO's adapter uses, against the fake: what it sends is accepted and what it gets back it can read. */
describe('fake GitHub: @octokit/rest as a client', function () {
  this.timeout(60_000);
  const fake = useFakeGitHub();

  function octokit(): Octokit {
    return new Octokit({ baseUrl: fake().apiUrl, auth: fake().token, log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined } });
  }

  it('issues: create with Copilot\'s agent_assignment, paginate, and a conditional request answered 304', async () => {
    const client = octokit();
    const created = await client.rest.issues.create({
      owner: 'octo', repo: 'app', title: 'Gap analysis', labels: ['ato'], assignees: ['copilot-swe-agent[bot]'],
      // Documented by GitHub but absent from the OpenAPI schema; Octokit passes it through.
      agent_assignment: { base_branch: 'main' },
    });
    assert.equal(created.status, 201);
    assert.deepEqual(fake().state.repo().issue(created.data.number)?.agentAssignment, { base_branch: 'main' });
    for (let index = 0; index < 4; index++) await client.rest.issues.create({ owner: 'octo', repo: 'app', title: `More ${index}` });
    const all = await client.paginate(client.rest.issues.listForRepo, { owner: 'octo', repo: 'app', per_page: 2, state: 'all' });
    assert.equal(all.length, 5);
    const first = await client.rest.issues.listForRepo({ owner: 'octo', repo: 'app', labels: 'ato' });
    const etag = first.headers.etag ?? '';
    await assert.rejects(client.rest.issues.listForRepo({ owner: 'octo', repo: 'app', labels: 'ato', headers: { 'if-none-match': etag } }), (error: { status?: number }) => error.status === 304);
  });

  it('git data: blob, tree on a base, commit and a fast-forward ref update; a stale merge is a 409', async () => {
    const client = octokit();
    const main = await client.rest.git.getRef({ owner: 'octo', repo: 'app', ref: 'heads/main' });
    const base = await client.rest.git.getCommit({ owner: 'octo', repo: 'app', commit_sha: main.data.object.sha });
    const blob = await client.rest.git.createBlob({ owner: 'octo', repo: 'app', content: Buffer.from('hello\n').toString('base64'), encoding: 'base64' });
    const tree = await client.rest.git.createTree({ owner: 'octo', repo: 'app', base_tree: base.data.tree.sha, tree: [{ path: 'planning/issue_queue/pending/a.task.md', mode: '100644', type: 'blob', sha: blob.data.sha }] });
    const commit = await client.rest.git.createCommit({ owner: 'octo', repo: 'app', message: 'Queue a task', tree: tree.data.sha, parents: [main.data.object.sha] });
    await client.rest.git.updateRef({ owner: 'octo', repo: 'app', ref: 'heads/main', sha: commit.data.sha, force: false });
    assert.equal(await fake().state.repo().readFile('main', 'planning/issue_queue/pending/a.task.md'), 'hello\n');
    assert.equal(await fake().state.repo().readFile('main', 'README.md'), '# app\n');
    await assert.rejects(client.rest.git.updateRef({ owner: 'octo', repo: 'app', ref: 'heads/main', sha: main.data.object.sha, force: false }), (error: { status?: number }) => error.status === 422);

    const pull = await fake().simulate.openPullRequest({ head: 'feature', title: 'Feature', files: { 'f.txt': 'f\n' } });
    await assert.rejects(client.rest.pulls.merge({ owner: 'octo', repo: 'app', pull_number: pull, sha: main.data.object.sha, merge_method: 'squash' }), (error: { status?: number }) => error.status === 409);
  });

  it('GraphQL through octokit.graphql, with variables', async () => {
    const client = octokit();
    const result = await client.graphql<{ repository: { nameWithOwner: string; defaultBranchRef: { name: string } } }>(
      'query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { nameWithOwner defaultBranchRef { name } } }',
      { owner: 'octo', name: 'app' },
    );
    assert.deepEqual(result.repository, { nameWithOwner: 'octo/app', defaultBranchRef: { name: 'main' } });
  });
});
