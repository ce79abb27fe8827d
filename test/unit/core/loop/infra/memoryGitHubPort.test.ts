import assert from 'node:assert/strict';
import { join } from 'node:path';
import { isGitHubError } from '../../../../../src/core/forges/github/githubError';
import { MemoryGitHubPort } from '../../../../support/memoryGitHubPort';
import { useTempDir } from '../../../../support/tempDir';

describe('MemoryGitHubPort (the git-data part of GitHubPort over a real bare repository)', () => {
  const temp = useTempDir('ato-memport-');

  async function port(): Promise<{ port: MemoryGitHubPort; head: string }> {
    const memory = await MemoryGitHubPort.create(join(temp(), 'remote.git'), { 'a.txt': 'one\n' });
    const head = (await memory.getRef('refs/heads/main'))?.sha;
    assert.ok(head !== undefined);
    return { port: memory, head };
  }

  it('commitFiles makes one commit on the expected head; a stale head is a conflict and writes nothing', async () => {
    const { port: memory, head } = await port();
    const sha = await memory.commitFiles('main', { expectedHeadSha: head, message: 'change', changes: [{ path: 'a.txt', content: null }, { path: 'dir/b.txt', content: 'two\n' }] });
    assert.deepEqual((await memory.getCommit(sha)).parents, [head]);
    assert.equal(await memory.getFileText('a.txt', sha), undefined);
    assert.equal(await memory.getFileText('dir/b.txt', 'main'), 'two\n');
    await assert.rejects(memory.commitFiles('main', { expectedHeadSha: head, message: 'late', changes: [{ path: 'c.txt', content: 'x' }] }), error => isGitHubError(error, 'conflict'));
    assert.equal((await memory.getRef('heads/main'))?.sha, sha, 'the branch did not move');
  });

  it('updateRefFastForward moves a ref forward only; createRef refuses an existing ref', async () => {
    const { port: memory, head } = await port();
    const tree = await memory.createTree([{ path: 'lease', content: 'x' }]);
    const root = await memory.createCommit({ message: '{"n":1}', treeSha: tree, parents: [] });
    await memory.createRef('refs/ato/lease', root);
    await assert.rejects(memory.createRef('refs/ato/lease', root), error => isGitHubError(error, 'conflict'));
    const child = await memory.createCommit({ message: '{"n":2}', treeSha: tree, parents: [root] });
    const sibling = await memory.createCommit({ message: '{"n":3}', treeSha: tree, parents: [root] });
    await memory.updateRefFastForward('refs/ato/lease', child);
    await assert.rejects(memory.updateRefFastForward('refs/ato/lease', sibling), error => isGitHubError(error, 'conflict'));
    await assert.rejects(memory.updateRefFastForward('refs/ato/lease', head), error => isGitHubError(error, 'conflict'));
    const lease = await memory.getRef('refs/ato/lease');
    assert.equal(lease?.sha, child);
    assert.deepEqual(await memory.getCommit(child), { sha: child, message: '{"n":2}', treeSha: tree, parents: [root] });
    assert.equal(await memory.getRef('refs/ato/missing'), undefined);
  });

  it('methods outside git data are not supported', async () => {
    const { port: memory } = await port();
    await assert.rejects(memory.getIssue(), /does not support getIssue/);
  });
});
