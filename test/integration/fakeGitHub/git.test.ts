import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFiles } from '../../support/gitRepo';
import { useTempDir } from '../../support/tempDir';
import { api, gitAsync as git, pick, useFakeGitHub } from './fakeGitHubKit';

type Json = Record<string, unknown>;

describe('fake GitHub: git', function () {
  this.timeout(60_000);
  const fake = useFakeGitHub();
  const temp = useTempDir('fake-github-git-');

  it('clones, pushes a branch and fetches over smart HTTP; pushes are logged as git traffic', async () => {
    const github = fake();
    const clone = join(temp(), 'clone');
    await git(temp(), 'clone', '--quiet', github.gitUrl('octo', 'app'), clone);
    assert.equal(readFileSync(join(clone, 'README.md'), 'utf8'), '# app\n');
    await git(clone, 'switch', '--quiet', '-c', 'feature/login');
    writeFiles(clone, { 'src/login.ts': 'export const login = 1;\n' });
    await git(clone, 'add', '--all');
    await git(clone, 'commit', '--quiet', '-m', 'Add login');
    await git(clone, 'push', '--quiet', 'origin', 'feature/login');
    const pushed = await git(clone, 'rev-parse', 'HEAD');
    assert.equal(await github.state.repo().ref('refs/heads/feature/login'), pushed);
    const ref = await api(github, 'GET', '/repos/octo/app/git/ref/heads/feature/login');
    assert.equal(pick(ref.body, 'object.sha'), pushed);

    // Someone else moves main through the API; a fetch sees it.
    const file = await api(github, 'PUT', '/repos/octo/app/contents/CHANGELOG.md', { message: 'Changelog', content: Buffer.from('# Changes\n').toString('base64') });
    assert.equal(file.status, 201, file.text);
    await git(clone, 'fetch', '--quiet', 'origin');
    assert.equal(await git(clone, 'rev-parse', 'origin/main'), pick(file.body, 'commit.sha'));
    assert.equal(await git(clone, 'show', 'origin/main:CHANGELOG.md'), '# Changes');
    const gitRequests = github.requests.filter(request => request.resource === 'git');
    assert.ok(gitRequests.some(request => request.path === '/octo/app.git/git-receive-pack' && request.status === 200));
    assert.ok(gitRequests.every(request => request.points === 0));
  });

  it('an open pull request follows pushes to its head branch', async () => {
    const github = fake();
    const pull = await github.simulate.openPullRequest({ head: 'feature', title: 'Feature', files: { 'a.txt': 'a\n' } });
    const clone = join(temp(), 'clone');
    await git(temp(), 'clone', '--quiet', '--branch', 'feature', github.gitUrl('octo', 'app'), clone);
    writeFiles(clone, { 'b.txt': 'b\n' });
    await git(clone, 'add', '--all');
    await git(clone, 'commit', '--quiet', '-m', 'More');
    await git(clone, 'push', '--quiet', 'origin', 'feature');
    const head = await git(clone, 'rev-parse', 'HEAD');
    const answer = await api(github, 'GET', `/repos/octo/app/pulls/${pull}`);
    assert.equal(pick(answer.body, 'head.sha'), head);
    assert.equal(pick(answer.body, 'changed_files'), 2);
    assert.equal(await github.state.repo().ref(`refs/pull/${pull}/head`), head);
  });

  it('a fast-forward-only ref update is a compare-and-swap: of two racing updates from the same commit, exactly one wins (20 trials)', async () => {
    const github = fake();
    const tree = pick((await api(github, 'POST', '/repos/octo/app/git/trees', { tree: [{ path: 'lease.json', mode: '100644', type: 'blob', content: '{}' }] })).body, 'sha');
    const commit = async (message: string, parent: unknown): Promise<string> =>
      String(pick((await api(github, 'POST', '/repos/octo/app/git/commits', { message, tree, parents: [parent] })).body, 'sha'));
    let old = await commit('lease 0', pick((await api(github, 'GET', '/repos/octo/app/git/ref/heads/main')).body, 'object.sha'));
    assert.equal((await api(github, 'POST', '/repos/octo/app/git/refs', { ref: 'refs/ato/lease', sha: old })).status, 201);
    for (let trial = 1; trial <= 20; trial++) {
      const [mine, theirs] = await Promise.all([commit(`mine ${trial}`, old), commit(`theirs ${trial}`, old)]);
      const answers = await Promise.all([mine, theirs].map(sha => api(github, 'PATCH', '/repos/octo/app/git/refs/ato/lease', { sha, force: false })));
      const winners = answers.filter(answer => answer.status === 200);
      assert.equal(winners.length, 1, `trial ${trial}: ${answers.map(answer => `${answer.status} ${answer.text}`).join(' | ')}`);
      const loser = answers.find(answer => answer.status !== 200);
      assert.ok(loser);
      assert.equal(loser.status, 422);
      assert.equal((loser.body as Json)['message'], 'Update is not a fast forward');
      const winner = String(pick(winners[0]?.body, 'object.sha'));
      assert.equal(await github.state.repo().ref('refs/ato/lease'), winner);
      old = winner;
    }
  });

  it('reads refs outside heads and tags as GitHub does', async () => {
    const github = fake();
    const main = String(pick((await api(github, 'GET', '/repos/octo/app/git/ref/heads/main')).body, 'object.sha'));
    await api(github, 'POST', '/repos/octo/app/git/refs', { ref: 'refs/ato/lease', sha: main });
    const lease = await api(github, 'GET', '/repos/octo/app/git/ref/ato/lease');
    assert.deepEqual([lease.status, pick(lease.body, 'ref'), pick(lease.body, 'object.type')], [200, 'refs/ato/lease', 'commit']);
    const invalid = await api(github, 'POST', '/repos/octo/app/git/refs', { ref: 'heads/no-prefix', sha: main });
    assert.equal(invalid.status, 422);
    const unknown = await api(github, 'POST', '/repos/octo/app/git/refs', { ref: 'refs/heads/x', sha: '1'.repeat(40) });
    assert.deepEqual([unknown.status, pick(unknown.body, 'message')], [422, 'Object does not exist']);
  });
});
