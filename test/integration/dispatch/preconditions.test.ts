import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CustomCliBackend } from '../../../src/core/agents/custom/customCliBackend';
import { customAgentSettingsSchema } from '../../../src/core/agents/custom/customAgentSettings';
import { createDispatchRuntime, type DispatchRuntime } from '../../../src/core/dispatch/dispatchRuntime';
import type { DispatchOutcome } from '../../../src/core/dispatch/taskDispatcher';
import type { EventInput } from '../../../src/core/events/eventLog';
import { createLogger } from '../../../src/core/logging/logger';
import { Redactor } from '../../../src/core/logging/redactor';
import { QueueIndex } from '../../../src/core/queue/queueIndex';
import { parseTaskFile } from '../../../src/core/tasks/parseTaskFile';
import { runBuiltCli } from '../../support/builtCli';
import { commitFiles, git, initRepo } from '../../support/gitRepo';
import { useTempDir } from '../../support/tempDir';

const countingAgent = join(__dirname, '../../fixtures/agents/countingAgent.mjs');
const queue = ['pending', 'processed', 'complete'].map(folder => [`planning/issue_queue/${folder}/.gitkeep`, ''] as const);

const reasonOf = (outcome: DispatchOutcome): string => (outcome.status === 'started' ? '' : outcome.reason);

describe('dispatch checks every precondition before the task leaves pending/', function () {
  this.timeout(60_000);
  const temp = useTempDir('ato-preconditions-');
  let opened: { runtime: DispatchRuntime; index: QueueIndex; events: EventInput[] } | undefined;

  afterEach(async () => {
    await opened?.runtime.dispatcher.dispose();
    opened?.index.dispose();
    opened = undefined;
  });

  /** A workspace folder with a planning folder and one task file; `repo`: a git repository with one commit, an empty one, or none. */
  function workspace(repo: 'committed' | 'noCommit' | 'none', task: string): string {
    const root = join(temp(), 'ws');
    mkdirSync(root);
    const files = Object.fromEntries([...queue, ['README.md', '# ws\n'], ['sub/.gitkeep', '']]);
    if (repo === 'committed') initRepo(root, files);
    else {
      if (repo === 'noCommit') git(root, 'init', '--quiet');
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(join(root, path, '..'), { recursive: true });
        writeFileSync(join(root, path), content);
      }
    }
    writeFileSync(join(root, 'planning/issue_queue/pending/the-task.task.md'), task);
    return root;
  }

  async function open(root: string): Promise<NonNullable<typeof opened>> {
    const index = new QueueIndex({ planningRoot: join(root, 'planning'), parse: parseTaskFile, workspaceRoot: root });
    await index.coldIndex();
    const redactor = new Redactor();
    const events: EventInput[] = [];
    const agent = new CustomCliBackend(customAgentSettingsSchema.parse({ id: 'counter', command: process.execPath, args: [countingAgent] }));
    const runtime = createDispatchRuntime({
      workspaceRoot: root, index, agents: [agent], maxConcurrentRuns: 1, defaultTimeoutMs: 30_000, redactor,
      events: { append: event => { events.push(event); return Promise.resolve(); } }, log: createLogger({ write: () => undefined }, redactor),
    });
    opened = { runtime, index, events };
    return opened;
  }

  function assertStillPending(root: string, events: readonly EventInput[]): void {
    assert.ok(existsSync(join(root, 'planning/issue_queue/pending/the-task.task.md')), 'the task is still in pending/');
    assert.ok(!existsSync(join(root, 'planning/issue_queue/processed/the-task.task.md')), 'and not in processed/');
    assert.deepEqual(events, [], 'nothing was recorded as done');
    assert.ok(!existsSync(join(root, '.ato', 'runs')) || readdirSync(join(root, '.ato', 'runs')).length === 0, 'no run record was written');
  }

  it('a repository without a commit: a clear error, and the task stays in pending/', async () => {
    const root = workspace('noCommit', '---\nagent: counter\n---\n# Do it\n');
    const { runtime, events } = await open(root);
    const outcome = await runtime.dispatcher.dispatch('the-task');
    assert.equal(outcome.status, 'unmet', JSON.stringify(outcome));
    assert.match(reasonOf(outcome), /the repository has no commit yet: commit your files first/);
    assertStillPending(root, events);
  });

  it('a folder that is not a repository: a clear error, and the task stays in pending/', async () => {
    const root = workspace('none', '---\nagent: counter\n---\n# Do it\n');
    const { runtime, events } = await open(root);
    const outcome = await runtime.dispatcher.dispatch('the-task');
    assert.equal(outcome.status, 'unmet', JSON.stringify(outcome));
    assert.match(reasonOf(outcome), /the workspace is not a git repository/);
    assertStillPending(root, events);
  });

  it('a cwd that is not a folder in HEAD (missing, or only in the working tree): named, and the task stays in pending/', async () => {
    const root = workspace('committed', '---\nagent: counter\ncwd: later\n---\n# Do it\n');
    mkdirSync(join(root, 'later')); // in the working tree, not committed: the worktree would not have it
    const { runtime, events } = await open(root);
    const outcome = await runtime.dispatcher.dispatch('the-task');
    assert.equal(outcome.status, 'unmet', JSON.stringify(outcome));
    assert.match(reasonOf(outcome), /The task's cwd "later" is not a folder in the last commit \(HEAD\)/);
    assertStillPending(root, events);
  });

  it('a file of the same name already in processed/: named, and nothing is moved or overwritten', async () => {
    const root = workspace('committed', '---\nagent: counter\n---\n# Do it\n');
    // Another task (its own id) under the same file name: not a duplicate id, but the move would overwrite it.
    writeFileSync(join(root, 'planning/issue_queue/processed/the-task.task.md'), '---\nid: an-older-task\n---\n# an older copy\n');
    const { runtime, events } = await open(root);
    const outcome = await runtime.dispatcher.dispatch('the-task');
    assert.equal(outcome.status, 'unmet', JSON.stringify(outcome));
    assert.match(reasonOf(outcome), /issue_queue\/processed\/ already holds a file named the-task\.task\.md/);
    assert.ok(existsSync(join(root, 'planning/issue_queue/pending/the-task.task.md')));
    assert.deepEqual(events, []);
  });

  it('when every precondition holds the task runs, in its cwd inside the worktree', async () => {
    const root = workspace('committed', '---\nagent: counter\ncwd: sub\n---\n# Do it\n');
    const { runtime } = await open(root);
    const outcome = await runtime.dispatcher.dispatch('the-task');
    if (outcome.status !== 'started') assert.fail(JSON.stringify(outcome));
    const record = await runtime.dispatcher.whenDone(outcome.runId);
    assert.equal(record?.state, 'succeeded', JSON.stringify(record?.failure));
    assert.match(git(root, 'show', 'ato/the-task:sub/result.txt'), /^done: /);
  });

  it('ato dispatch (the built CLI) in a repository without a commit: exit 1, the reason on stderr, the task in pending/; after a first commit it runs', async () => {
    const root = workspace('noCommit', '---\nagent: counter\n---\n# Do it\n');
    const env = { ATO_AGENTS_CUSTOM: JSON.stringify([{ id: 'counter', command: process.execPath, args: [countingAgent] }]) };
    const refused = await runBuiltCli(['dispatch', 'the-task', '--workspace', root], env);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /ato dispatch: counter works in a git worktree started from HEAD, and the repository has no commit yet: commit your files first .* The task stays in pending\/\./);
    assert.ok(existsSync(join(root, 'planning/issue_queue/pending/the-task.task.md')));

    commitFiles(root, {}, 'first commit');
    const ran = await runBuiltCli(['dispatch', 'the-task', '--workspace', root], env);
    assert.equal(ran.code, 0, ran.stderr);
    assert.ok(existsSync(join(root, 'planning/issue_queue/complete/the-task.task.md')));
  });
});
