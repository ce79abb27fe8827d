import assert from 'node:assert/strict';
import { join } from 'node:path';
import { moveTaskRemote, queueDraft, RemoteQueueMoveError } from '../../../../../src/core/loop/tracks/planning/remoteQueueMoves';
import { appendResultSection, renderResultSection } from '../../../../../src/core/tasks/taskResultSection';
import { MemoryGitHubPort } from '../../../../support/memoryGitHubPort';
import { useTempDir } from '../../../../support/tempDir';

const pending = 'planning/issue_queue/pending/add-login.task.md';
const processed = 'planning/issue_queue/processed/add-login.task.md';
const complete = 'planning/issue_queue/complete/add-login.task.md';
const task = '---\nid: add-login\n---\n# Add a login form\n\n**Prompt:**\nDo it.\n';

describe('remote queue moves (one commit per move, on the branch, through the port)', () => {
  const temp = useTempDir('ato-moves-');

  async function setUp(options: ConstructorParameters<typeof MemoryGitHubPort>[1] = {}): Promise<{ port: MemoryGitHubPort; head: string }> {
    const port = await MemoryGitHubPort.create(join(temp(), 'remote.git'), { [pending]: task, 'README.md': '# r\n' }, 'main', options);
    return { port, head: (await port.getRef('refs/heads/main'))!.sha };
  }

  /** Which of the three folders hold the task at `ref`. */
  async function folders(port: MemoryGitHubPort, ref = 'main'): Promise<string[]> {
    const found: string[] = [];
    for (const [folder, path] of [['pending', pending], ['processed', processed], ['complete', complete]] as const) {
      if (await port.getFileText(path, ref) !== undefined) found.push(folder);
    }
    return found;
  }

  it('moves a task with one commit that deletes the source and adds the destination', async () => {
    const { port, head } = await setUp();
    const outcome = await moveTaskRemote(port, { branch: 'main', from: pending, to: processed, message: 'Dispatch add-login', expectedHeadSha: head });
    assert.equal(outcome.status, 'committed');
    assert.equal(outcome.attempts, 1);
    const commit = await port.getCommit(outcome.headSha);
    assert.deepEqual(commit.parents, [head], 'exactly one commit on top of the head');
    assert.equal(commit.message, 'Dispatch add-login');
    assert.deepEqual(await folders(port), ['processed']);
    assert.deepEqual(await folders(port, head), ['pending'], 'the parent still has it in pending: one commit did both');
    assert.equal(await port.getFileText(processed, 'main'), task);
  });

  it('appends a result section to the moved file, once, even when the move is retried', async () => {
    const { port, head } = await setUp();
    const section = renderResultSection({ runId: 'run-1', agentId: 'copilot', finishedAt: '2026-11-21T10:00:00.000Z', pullRequest: { url: 'https://github.com/o/r/pull/7' } }).join('\n');
    const moved = await moveTaskRemote(port, { branch: 'main', from: pending, to: processed, message: 'dispatch', expectedHeadSha: head });
    const done = await moveTaskRemote(port, { branch: 'main', from: processed, to: complete, appendText: section, message: 'complete', expectedHeadSha: moved.headSha });
    const text = await port.getFileText(complete, 'main');
    assert.equal(text, appendResultSection(task, { runId: 'run-1', agentId: 'copilot', finishedAt: '2026-11-21T10:00:00.000Z', pullRequest: { url: 'https://github.com/o/r/pull/7' } }).text);
    const again = await moveTaskRemote(port, { branch: 'main', from: processed, to: complete, appendText: section, message: 'complete', expectedHeadSha: done.headSha });
    assert.equal(again.status, 'alreadyDone');
    assert.equal(again.headSha, done.headSha);
    assert.equal((await port.getRef('refs/heads/main'))?.sha, done.headSha, 'no second commit');
  });

  it('is idempotent: a move already made (a retry after a crash) writes nothing and says so', async () => {
    const { port, head } = await setUp();
    const first = await moveTaskRemote(port, { branch: 'main', from: pending, to: processed, message: 'dispatch', expectedHeadSha: head });
    // The crashed process still has the old head: the branch moved, the retry re-reads and finds the move done.
    const retry = await moveTaskRemote(port, { branch: 'main', from: pending, to: processed, message: 'dispatch', expectedHeadSha: head });
    assert.equal(retry.status, 'alreadyDone');
    assert.equal((await port.getRef('refs/heads/main'))?.sha, first.headSha);
    assert.equal(retry.attempts, 1, 'its one commit attempt, from the stale head, was refused by the compare-and-swap');
    assert.deepEqual((await port.getCommit(first.headSha)).parents, [head]);
  });

  it('re-reads the head and retries when the branch moved (someone pushed), keeping their change', async () => {
    const { port, head } = await setUp();
    const theirs = await port.commitFiles('main', { expectedHeadSha: head, message: 'their work', changes: [{ path: 'src/app.ts', content: 'x\n' }] });
    const outcome = await moveTaskRemote(port, { branch: 'main', from: pending, to: processed, message: 'dispatch', expectedHeadSha: head });
    assert.equal(outcome.status, 'committed');
    assert.equal(outcome.attempts, 2);
    assert.deepEqual((await port.getCommit(outcome.headSha)).parents, [theirs]);
    assert.equal(await port.getFileText('src/app.ts', 'main'), 'x\n');
    assert.deepEqual(await folders(port), ['processed']);
  });

  it('gives up after a bounded number of conflicts with a typed error, leaving the task where it was', async () => {
    let pushes = 0;
    const box: { port: MemoryGitHubPort | undefined } = { port: undefined };
    const { port, head } = await setUp({
      // Another writer pushes right before each of our commits.
      beforeCall: async method => {
        if (method !== 'commitFiles' || box.port === undefined) return;
        const current = (await box.port.resolve('refs/heads/main'))!;
        const blocker = box.port;
        box.port = undefined;
        await blocker.commitFiles('main', { expectedHeadSha: current, message: `push ${++pushes}`, changes: [{ path: `other-${pushes}.txt`, content: 'x' }] });
        box.port = blocker;
      },
    });
    box.port = port;
    await assert.rejects(moveTaskRemote(port, { branch: 'main', from: pending, to: processed, message: 'dispatch', expectedHeadSha: head, maxAttempts: 3 }),
      error => RemoteQueueMoveError.is(error, 'tooManyConflicts'));
    assert.equal(pushes, 3);
    box.port = undefined;
    assert.deepEqual(await folders(port), ['pending']);
  });

  it('refuses a missing source and a taken destination without writing', async () => {
    const { port, head } = await setUp();
    await assert.rejects(moveTaskRemote(port, { branch: 'main', from: 'planning/issue_queue/pending/nope.md', to: 'planning/issue_queue/processed/nope.md', message: 'm', expectedHeadSha: head }),
      error => RemoteQueueMoveError.is(error, 'sourceMissing'));
    const taken = await port.commitFiles('main', { expectedHeadSha: head, message: 'same name', changes: [{ path: processed, content: 'another task\n' }] });
    await assert.rejects(moveTaskRemote(port, { branch: 'main', from: pending, to: processed, message: 'm', expectedHeadSha: taken }),
      error => RemoteQueueMoveError.is(error, 'destinationExists'));
    assert.equal((await port.getRef('refs/heads/main'))?.sha, taken);
  });

  it('queueDraft commits a local draft to pending/, idempotently by path and content', async () => {
    const { port } = await setUp();
    const path = 'planning/issue_queue/pending/draft.task.md';
    const first = await queueDraft(port, { branch: 'main', path, text: '# Draft\n' });
    assert.equal(first.status, 'committed');
    assert.equal((await port.getCommit(first.headSha)).message, 'Queue draft.task.md');
    assert.equal(await port.getFileText(path, 'main'), '# Draft\n');
    const second = await queueDraft(port, { branch: 'main', path, text: '# Draft\n' });
    assert.equal(second.status, 'alreadyDone');
    assert.equal((await port.getRef('refs/heads/main'))?.sha, first.headSha);
    await assert.rejects(queueDraft(port, { branch: 'main', path, text: '# Something else\n' }), error => RemoteQueueMoveError.is(error, 'pathTaken'));
    await assert.rejects(queueDraft(port, { branch: 'nope', path, text: 'x' }), error => RemoteQueueMoveError.is(error, 'branchMissing'));
  });
});
