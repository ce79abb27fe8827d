import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dispatchSteps } from '../../../src/core/dispatch/dispatchSteps';
import { git, initRepo } from '../../support/gitRepo';
import { useTempDir } from '../../support/tempDir';

const taskFile = `---
id: crash-me
type: feature
agent: counter
---
# Survive a crash

**Prompt:**
Write result.txt.
`;

function runAto(workspace: string, mode: 'dispatch' | 'recover', crashAt?: string): { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'dispatchProcess.ts'), workspace, mode, ...(crashAt === undefined ? [] : [crashAt])], {
    encoding: 'utf8',
    // A crashed run's agent works slowly, so it is still running when ATO restarts: recovery must stop it.
    env: { ...process.env, ATO_TEST_COUNTER: join(workspace, '..', 'starts.txt'), ATO_TEST_AGENT_DELAY_MS: crashAt === undefined ? '50' : '3000' },
    timeout: 60_000,
  });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

function foldersHolding(workspace: string): string[] {
  return ['pending', 'processed', 'complete'].filter(folder => existsSync(join(workspace, 'planning', 'issue_queue', folder, 'crash-me.task.md')));
}

function agentStarts(workspace: string): number {
  const counter = join(workspace, '..', 'starts.txt');
  return existsSync(counter) ? readFileSync(counter, 'utf8').trim().split('\n').filter(Boolean).length : 0;
}

describe('crash safety of a dispatch (a real process killed at each step, then restarted)', function () {
  this.timeout(120_000);
  const temp = useTempDir('ato-crash-');

  function setUp(): string {
    const workspace = join(temp(), 'repo');
    mkdirSync(workspace, { recursive: true });
    initRepo(workspace, { 'README.md': '# repo\n', 'planning/issue_queue/pending/.gitkeep': '', 'planning/issue_queue/processed/.gitkeep': '', 'planning/issue_queue/complete/.gitkeep': '' });
    writeFileSync(join(workspace, 'planning', 'issue_queue', 'pending', 'crash-me.task.md'), taskFile, { flag: 'w' });
    return workspace;
  }

  it('without a crash: one run, the work on ato/crash-me, the task in complete/ with its result', () => {
    const workspace = setUp();
    const run = runAto(workspace, 'dispatch');
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(foldersHolding(workspace), ['complete']);
    assert.equal(agentStarts(workspace), 1);
    assert.match(readFileSync(join(workspace, 'planning', 'issue_queue', 'complete', 'crash-me.task.md'), 'utf8'), /<!-- ato:result run=/);
    assert.match(git(workspace, 'show', 'ato/crash-me:result.txt'), /^done: # Survive a crash/);
    assert.equal(git(workspace, 'worktree', 'list').split('\n').length, 1, 'no worktree left');
  });

  for (const step of dispatchSteps) {
    it(`killed after "${step}": after a restart the task is in exactly one folder, finished once, no worktree left`, () => {
      const workspace = setUp();
      const crashed = runAto(workspace, 'dispatch', step);
      assert.equal(crashed.signal, 'SIGKILL', `the first process died at ${step}: ${crashed.stderr}`);
      assert.equal(foldersHolding(workspace).length, 1, `right after the crash: ${foldersHolding(workspace).join(', ')}`);
      // Give a surviving agent process time to record its start.
      spawnSync(process.execPath, ['-e', 'setTimeout(() => {}, 700)']);
      const startsBefore = agentStarts(workspace);

      const restarted = runAto(workspace, 'recover');
      assert.equal(restarted.status, 0, restarted.stderr);
      assert.deepEqual(foldersHolding(workspace), ['complete']);
      const starts = agentStarts(workspace);
      // The crashed run's agent was stopped, not left to finish: its result never landed on the branch twice.
      assert.ok(!existsSync(join(workspace, '.ato', 'worktrees', 'crash-me')), 'the crashed run\'s worktree is gone');
      assert.ok(starts >= 1 && starts <= startsBefore + 1, `agent started ${starts} times (${startsBefore} before the restart)`);
      const text = readFileSync(join(workspace, 'planning', 'issue_queue', 'complete', 'crash-me.task.md'), 'utf8');
      assert.equal(text.match(/<!-- ato:result run=/g)?.length, 1, 'exactly one result section');
      assert.equal(git(workspace, 'worktree', 'list').split('\n').length, 1, 'no worktree left');
      const worktrees = join(workspace, '.ato', 'worktrees');
      assert.deepEqual(existsSync(worktrees) ? readdirSync(worktrees) : [], []);
      const records = readdirSync(join(workspace, '.ato', 'runs')).filter(f => f.endsWith('.json')).map(f => JSON.parse(readFileSync(join(workspace, '.ato', 'runs', f), 'utf8')) as { state: string });
      assert.equal(records.filter(r => r.state === 'succeeded').length, 1, JSON.stringify(records.map(r => r.state)));
      assert.ok(records.every(r => ['succeeded', 'failed', 'cancelled'].includes(r.state)), 'no run left in progress');
    });
  }
});
