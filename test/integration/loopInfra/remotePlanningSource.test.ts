import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { PlanningSourceError } from '../../../src/core/loop/tracks/planning/planningSourceError';
import { RemotePlanningSource, type RemotePlanningSourceOptions } from '../../../src/core/loop/tracks/planning/remotePlanningSource';
import { moveTaskRemote, queueDraft } from '../../../src/core/loop/tracks/planning/remoteQueueMoves';
import { queueFileProblems } from '../../../src/core/queue/queueFiles';
import { parseTaskFile } from '../../../src/core/tasks/parseTaskFile';
import { git } from '../../support/gitRepo';
import { MemoryGitHubPort } from '../../support/memoryGitHubPort';
import { useTempDir } from '../../support/tempDir';

const pendingA = 'planning/issue_queue/pending/a.task.md';
const seed: Record<string, string> = {
  'README.md': '# repo\n',
  'planning/vision/goal.md': '# Goal\nA login.\n',
  'planning/state/system_capabilities.md': '# Capabilities\nNone yet.\n',
  [pendingA]: '---\nid: a\npriority: high\n---\n# Task A\n\n**Prompt:**\nDo A.\n',
  'planning/issue_queue/pending/b.md': '# Task B\n',
  'planning/issue_queue/processed/c.task.md': '# Task C\n',
  'planning/issue_queue/complete/d.task.md': '# Task D\n',
  'planning/issue_queue/pending/README.md': 'not a task\n',
  'planning/issue_queue/pending/nested/e.task.md': '# Task E, in a sub-folder\n',
  'planning/issue_queue/pending/.hidden/f.task.md': '# hidden, not in the queue\n',
};

describe('RemotePlanningSource (planning/ from the remote-tracking branch, never the working tree)', function () {
  this.timeout(30_000);
  const temp = useTempDir('ato-remote-source-');

  async function setUp(files: Record<string, string> = seed): Promise<{ port: MemoryGitHubPort; work: string; head: () => Promise<string> }> {
    const remote = join(temp(), 'remote.git');
    const port = await MemoryGitHubPort.create(remote, files);
    const work = join(temp(), 'work');
    git(temp(), 'clone', '--quiet', remote, work);
    return { port, work, head: async () => (await port.getRef('refs/heads/main'))!.sha };
  }

  function source(work: string, overrides: Partial<RemotePlanningSourceOptions> = {}): RemotePlanningSource {
    return new RemotePlanningSource({ workspaceRoot: work, remote: 'origin', branch: 'main', planningPath: 'planning', fetch: true, ...overrides });
  }

  it('reads the queue, the goal and the capabilities of the branch, as QueueEntries with repository paths', async () => {
    const { work, head } = await setUp();
    const read = await source(work).read();
    assert.equal(read.revision, await head());
    assert.deepEqual(read.entries.map(entry => [entry.file, entry.relativePath, entry.folder, entry.fileName]), [
      ['planning/issue_queue/complete/d.task.md', 'issue_queue/complete/d.task.md', 'complete', 'd.task.md'],
      [pendingA, 'issue_queue/pending/a.task.md', 'pending', 'a.task.md'],
      ['planning/issue_queue/pending/b.md', 'issue_queue/pending/b.md', 'pending', 'b.md'],
      ['planning/issue_queue/pending/nested/e.task.md', 'issue_queue/pending/nested/e.task.md', 'pending', 'e.task.md'],
      ['planning/issue_queue/processed/c.task.md', 'issue_queue/processed/c.task.md', 'processed', 'c.task.md'],
    ]);
    assert.equal(read.entries.find(entry => entry.fileName === 'e.task.md')?.result.task?.id, 'e');
    const a = read.entries.find(entry => entry.fileName === 'a.task.md');
    assert.deepEqual(a?.result, parseTaskFile(seed[pendingA]!, 'a.task.md'));
    assert.equal(a.size, Buffer.byteLength(seed[pendingA]!));
    assert.equal(read.goal, seed['planning/vision/goal.md']);
    assert.equal(read.capabilities, seed['planning/state/system_capabilities.md']);
    assert.deepEqual(read.drafts, []);
  });

  it('sees moves made through the port after a fetch, and only the tracking ref moves', async () => {
    const { port, work, head } = await setUp();
    const planning = source(work, { fetch: false });
    const before = await planning.read({ fetch: true });
    const moved = await moveTaskRemote(port, { branch: 'main', from: pendingA, to: 'planning/issue_queue/processed/a.task.md', message: 'dispatch a', expectedHeadSha: before.revision });
    const stale = await planning.read();
    assert.equal(stale.revision, before.revision, 'fetch: false reads what was fetched last');
    const after = await planning.read({ fetch: true });
    assert.equal(after.revision, moved.headSha);
    assert.equal(after.revision, await head());
    assert.deepEqual(after.entries.filter(entry => entry.fileName === 'a.task.md').map(entry => entry.folder), ['processed']);
    // The working tree (not pulled) still has a.task.md in pending/: it is the branch's task, not a draft.
    assert.ok(existsSync(join(work, pendingA)));
    assert.deepEqual(after.drafts, []);
    assert.equal(git(work, 'rev-parse', 'HEAD'), before.revision);
  });

  it('never touches HEAD, the current branch, the index or the working tree, even with uncommitted changes', async () => {
    const { port, work, head } = await setUp();
    git(work, 'checkout', '--quiet', '-b', 'feature');
    writeFileSync(join(work, 'README.md'), '# edited, not staged\n');
    writeFileSync(join(work, 'staged.txt'), 'staged\n');
    git(work, 'add', 'staged.txt');
    writeFileSync(join(work, 'planning/issue_queue/pending/b.md'), '# Task B, edited locally\n');
    writeFileSync(join(work, 'untracked.txt'), 'untracked\n');
    await port.commitFiles('main', { expectedHeadSha: await head(), message: 'remote work', changes: [{ path: 'README.md', content: '# changed on the remote\n' }, { path: 'planning/issue_queue/pending/new.task.md', content: '# New\n' }] });
    const state = (): Record<string, string> => ({
      head: readFileSync(join(work, '.git', 'HEAD'), 'utf8'),
      headCommit: git(work, 'rev-parse', 'HEAD'),
      index: digest(readFileSync(join(work, '.git', 'index'))),
      status: git(work, 'status', '--porcelain=v2', '--branch', '--untracked-files=all'),
      tree: workingTreeDigest(work),
    });
    const before = state();
    const read = await source(work).read();
    assert.ok(read.entries.some(entry => entry.fileName === 'new.task.md'), 'the read saw the remote change');
    assert.equal(git(work, 'rev-parse', 'refs/remotes/origin/main'), read.revision);
    assert.deepEqual(state(), before);
    assert.equal(readFileSync(join(work, 'planning/issue_queue/pending/b.md'), 'utf8'), '# Task B, edited locally\n');
  });

  it('parses each blob once: an unchanged tree costs no parsing, a changed file costs one parse', async () => {
    const { port, work, head } = await setUp();
    const parsed: string[] = [];
    const planning = source(work, { parse: (text, fileName) => { parsed.push(fileName); return parseTaskFile(text, fileName); } });
    const first = await planning.read();
    assert.deepEqual(parsed.sort(), ['a.task.md', 'b.md', 'c.task.md', 'd.task.md', 'e.task.md']);
    parsed.length = 0;
    const again = await planning.read();
    assert.deepEqual(parsed, []);
    assert.equal(again.entries, first.entries, 'the same commit gives the same entries');
    await port.commitFiles('main', { expectedHeadSha: await head(), message: 'edit b, move a', changes: [
      { path: 'planning/issue_queue/pending/b.md', content: '# Task B v2\n' },
      { path: pendingA, content: null },
      { path: 'planning/issue_queue/processed/a.task.md', content: seed[pendingA]! },
    ] });
    const changed = await planning.read();
    assert.deepEqual(parsed, ['b.md'], 'a moved file with the same content and name is not parsed again');
    assert.equal(changed.entries.find(entry => entry.fileName === 'b.md')?.result.task?.title, 'Task B v2');
  });

  it('reports the same file problems as the local queue: too large, binary; and a symlink it cannot follow', async () => {
    const { port, work, head } = await setUp();
    const big = `# Big\n${'x'.repeat(1024 * 1024)}\n`;
    await port.commitFiles('main', { expectedHeadSha: await head(), message: 'bad files', changes: [
      { path: 'planning/issue_queue/pending/big.task.md', content: big },
      { path: 'planning/issue_queue/pending/binary.task.md', content: '# Bin\n\u0000\u0001' },
    ] });
    // The port writes regular files only: push a symlink from the clone.
    git(work, 'pull', '--quiet', '--ff-only', 'origin', 'main');
    symlinkSync('a.task.md', join(work, 'planning/issue_queue/pending/link.task.md'));
    git(work, 'add', 'planning/issue_queue/pending/link.task.md');
    git(work, 'commit', '--quiet', '-m', 'link');
    git(work, 'push', '--quiet', 'origin', 'HEAD:refs/heads/main');
    const read = await source(work).read();
    const problem = (name: string): string | undefined => read.entries.find(entry => entry.fileName === name)?.result.diagnostics[0]?.code;
    assert.equal(read.entries.find(entry => entry.fileName === 'big.task.md')?.result.task, undefined);
    assert.equal(problem('big.task.md'), queueFileProblems.tooLarge);
    assert.equal(problem('binary.task.md'), 'binary-file');
    assert.equal(problem('link.task.md'), queueFileProblems.unreadable);
  });

  it('never reads a queue folder that is a symlink on the branch, and names a symlinked sub-folder; both are reported', async () => {
    const { work } = await setUp();
    git(work, 'rm', '--quiet', '-r', 'planning/issue_queue/processed');
    mkdirSync(join(work, 'elsewhere'), { recursive: true });
    writeFileSync(join(work, 'elsewhere', 'x.task.md'), '# Behind the link\n');
    symlinkSync('../../elsewhere', join(work, 'planning/issue_queue/processed'));
    symlinkSync('../../../elsewhere', join(work, 'planning/issue_queue/pending/linked'));
    git(work, 'add', '--all');
    git(work, 'commit', '--quiet', '-m', 'symlinked queue folders');
    git(work, 'push', '--quiet', 'origin', 'HEAD:refs/heads/main');
    const read = await source(work).read();
    const problems = read.entries.filter(entry => entry.result.task === undefined).map(entry => [entry.file, entry.relativePath, entry.fileName, entry.result.diagnostics.map(d => d.code)]);
    assert.deepEqual(problems, [
      ['planning/issue_queue/pending/linked', 'issue_queue/pending/linked', 'linked/', ['symlinked-folder']],
      ['planning/issue_queue/processed', 'issue_queue/processed', 'processed/', [queueFileProblems.symlinkOutside]],
    ]);
    assert.ok(!read.entries.some(entry => entry.fileName === 'x.task.md' || entry.fileName === 'c.task.md'), 'nothing behind a link is a task');
    assert.match(read.entries.find(entry => entry.fileName === 'processed/')?.result.diagnostics[0]?.message ?? '', /is a symlink on main/);
  });

  it('task files only in the working tree are drafts until "Queue it" commits them', async () => {
    const { port, work } = await setUp();
    const draftPath = 'planning/issue_queue/pending/draft.task.md';
    mkdirSync(dirname(join(work, draftPath)), { recursive: true });
    writeFileSync(join(work, draftPath), '---\nid: draft\n---\n# A draft\n');
    writeFileSync(join(work, 'planning/issue_queue/pending/broken.task.md'), '---\ntype: [\n---\n');
    const planning = source(work);
    const read = await planning.read();
    assert.deepEqual(read.drafts.map(entry => [entry.file, entry.folder, entry.result.task?.title]), [
      ['planning/issue_queue/pending/broken.task.md', 'pending', undefined],
      [draftPath, 'pending', 'A draft'],
    ]);
    assert.ok(!read.entries.some(entry => entry.fileName === 'draft.task.md'));
    const again = await planning.read();
    assert.equal(again.drafts[1], read.drafts[1], 'an unchanged draft is not read again');
    await queueDraft(port, { branch: 'main', path: draftPath, text: readFileSync(join(work, draftPath), 'utf8'), expectedHeadSha: read.revision });
    const queued = await planning.read();
    assert.deepEqual(queued.drafts.map(entry => entry.fileName), ['broken.task.md']);
    assert.equal(queued.entries.find(entry => entry.fileName === 'draft.task.md')?.folder, 'pending');
  });

  it('fails with typed errors: a branch never fetched, a remote that cannot be fetched, a name git would take for an option', async () => {
    const { work } = await setUp();
    await assert.rejects(source(work, { branch: 'nope', fetch: false }).read(), error => PlanningSourceError.is(error, 'branchMissing'));
    await assert.rejects(source(work, { remote: 'nowhere' }).read(), error => PlanningSourceError.is(error, 'fetchFailed'));
    assert.throws(() => source(work, { branch: '--upload-pack=evil' }), error => PlanningSourceError.is(error, 'invalidName'));
    const empty = await source(work, { planningPath: 'missing' }).read();
    assert.deepEqual([empty.entries, empty.goal, empty.capabilities], [[], undefined, undefined], 'a missing planning folder is empty, not an error');
  });
});

function digest(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Every path (outside .git) with its content's digest. */
function workingTreeDigest(root: string): string {
  const lines: string[] = [];
  const walk = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.name === '.git') continue;
      if (entry.isDirectory()) walk(path);
      else lines.push(`${relative(root, path)} ${digest(readFileSync(path))}`);
    }
  };
  walk(root);
  return lines.sort().join('\n');
}
