import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CustomCliBackend } from '../../../src/core/agents/custom/customCliBackend';
import { customAgentSettingsSchema } from '../../../src/core/agents/custom/customAgentSettings';
import { createDispatchRuntime, type DispatchRuntime } from '../../../src/core/dispatch/dispatchRuntime';
import { worktreePoolDirectory } from '../../../src/core/git/worktreePool';
import { createLogger } from '../../../src/core/logging/logger';
import { Redactor } from '../../../src/core/logging/redactor';
import { QueueIndex } from '../../../src/core/queue/queueIndex';
import { parseTaskFile } from '../../../src/core/tasks/parseTaskFile';
import { commitFiles, git } from '../../support/gitRepo';
import { useTempDir } from '../../support/tempDir';

/**
 * Issue 14: the first dispatch of a session claims a worktree the runtime's warmer wrote ahead, and a
 * dispatch that arrives while the warmer writes one waits for it rather than writing a second worktree
 * (the real dispatcher, real git, a real agent process).
 */
describe('worktree pool warm-up through the dispatcher', function () {
  this.timeout(180_000);
  const temp = useTempDir('ato-warm-');
  let opened: { runtime: DispatchRuntime; index: QueueIndex } | undefined;
  afterEach(async () => {
    await opened?.runtime.dispatcher.dispose();
    opened?.index.dispose();
    opened = undefined;
  });

  async function open(onStarted: (root: string) => void): Promise<{ root: string; runtime: DispatchRuntime }> {
    const root = join(realpathSync(temp()), 'repo');
    mkdirSync(root);
    git(root, 'init', '--quiet', '--initial-branch=main');
    commitFiles(root, { 'README.md': '# r\n', 'src/a.ts': 'export {};\n', ...Object.fromEntries(['pending', 'processed', 'complete'].map(folder => [`planning/issue_queue/${folder}/.gitkeep`, ''])) }, 'initial commit');
    writeFileSync(join(root, 'planning/issue_queue/pending/first.task.md'), '---\nagent: quick\n---\n# First\n\nDo nothing.\n');
    const index = new QueueIndex({ planningRoot: join(root, 'planning'), parse: parseTaskFile, workspaceRoot: root });
    await index.coldIndex();
    const redactor = new Redactor();
    const runtime = createDispatchRuntime({
      workspaceRoot: root, index, agents: [new CustomCliBackend(customAgentSettingsSchema.parse({ id: 'quick', command: process.execPath, args: ['-e', ''] }))],
      maxConcurrentRuns: 1, defaultTimeoutMs: 60_000, redactor, worktreePoolSize: () => 2,
      events: { append: () => Promise.resolve() }, log: createLogger({ write: () => undefined }, redactor),
      checkpoint: step => { if (step === 'agentStarted') onStarted(root); },
    });
    opened = { runtime, index };
    return { root, runtime };
  }
  const registered = (root: string): string[] => git(root, 'worktree', 'list', '--porcelain').split('\n').filter(line => line.startsWith('worktree ')).map(line => line.slice('worktree '.length));
  const slots = (root: string): string[] => readdirSync(worktreePoolDirectory(root)).filter(name => name.startsWith('slot-')).sort();

  it('warmed after start, the pool hands the first dispatch a prepared worktree', async () => {
    let atStart: string[] = [];
    const { root, runtime } = await open(at => { atStart = slots(at); });
    assert.ok(runtime.poolWarmer !== undefined, 'an agent that needs a worktree and a pool: a warmer');
    assert.equal(await runtime.poolWarmer.warm(), 2);
    const outcome = await runtime.dispatcher.dispatch('first');
    assert.equal(outcome.status, 'started');
    assert.equal((await runtime.dispatcher.whenDone(outcome.runId))?.state, 'succeeded');
    assert.equal(atStart.length, 1, 'one entry left the pool for the run');
    assert.deepEqual(slots(root), ['slot-0', 'slot-1'], 'and came back when it ended');
  });

  it('a dispatch while the warmer writes an entry gets that entry: it writes no worktree of its own', async () => {
    let gitDir = '';
    const { root, runtime } = await open(at => { gitDir = git(join(at, '.ato', 'worktrees', 'first'), 'rev-parse', '--git-dir'); });
    assert.ok(runtime.poolWarmer !== undefined);
    const warming = runtime.poolWarmer.warm();
    while (runtime.poolWarmer.writing === undefined) await new Promise(resolve => setTimeout(resolve, 1));
    const outcome = await runtime.dispatcher.dispatch('first');
    assert.equal(outcome.status, 'started');
    // git names a worktree's record after the directory it was added at: the warmer's, not the run's own.
    assert.match(basename(gitDir), /^warming-\d+-[0-9a-f]+$/, `the run's worktree was written by the warmer (${gitDir})`);
    await runtime.dispatcher.whenDone(outcome.runId);
    assert.ok(await warming <= 2);
    assert.ok(registered(root).length <= 3, 'never more than the pool and the main worktree');
  });

  it('no agent that needs a worktree, or no pool: no warmer', () => {
    const root = realpathSync(temp());
    const redactor = new Redactor();
    const index = new QueueIndex({ planningRoot: join(root, 'planning'), parse: parseTaskFile, workspaceRoot: root });
    const base = { workspaceRoot: root, index, maxConcurrentRuns: 1, defaultTimeoutMs: 60_000, redactor, events: { append: () => Promise.resolve() }, log: createLogger({ write: () => undefined }, redactor) };
    const agent = new CustomCliBackend(customAgentSettingsSchema.parse({ id: 'quick', command: process.execPath, args: ['-e', ''] }));
    assert.equal(createDispatchRuntime({ ...base, agents: [agent] }).poolWarmer, undefined, 'no pool size: no warmer');
    assert.equal(createDispatchRuntime({ ...base, agents: [], worktreePoolSize: () => 2 }).poolWarmer, undefined, 'no agent: no warmer');
    index.dispose();
  });
});
