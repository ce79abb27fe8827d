import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FakeGitHub } from '../../fakes/github/fakeGitHub';
import { useTempDir } from '../../support/tempDir';
import { cloneApp, gitAsync, scenarioFile, startFakeGitHub } from './loopHarness';
import {
  assertNoDuplicateComments, commitsTouchingTask, copilotDelivers, foldersOf, issuesByMarker, openKitLoop, outcomesOf, queueTask,
  queueFolders, taskIssueNumber, tickOk, type KitLoop,
} from './loopKit';

/**
 * Issue 4, "crash at every step of every action, then restart": each guarded action is brought to be the
 * next one, a loop whose crash point throws at one named step runs it (the process "dies" between two
 * remote writes), and a fresh loop — a new engine and port on the same workspace and `.ato/intents` —
 * ticks until the action is done. Nothing may be doubled or lost: issues counted by ATO's markers, comments,
 * commits on main touching the task file (one per move), merges, and the task in exactly one queue folder.
 */

type ActionKind = 'ensureGapIssue' | 'promoteTask' | 'mergePullRequest' | 'openCapabilityIssue';

const crashPoints: Readonly<Record<ActionKind, readonly string[]>> = {
  ensureGapIssue: ['labels', 'beforeCreate', 'afterCreate'],
  promoteTask: ['labels', 'beforeCreate', 'afterCreate', 'afterMove'],
  mergePullRequest: ['afterReady', 'afterMerge'],
  openCapabilityIssue: ['beforeCreate', 'afterCreate'],
};

const taskId = 'crash-task';
/** The lease the loops take; a restart comes after the dead loop's lease ran out. */
const leaseSeconds = 30;
const afterLease = (): Date => new Date(Date.now() + (leaseSeconds + 1) * 1000);

class SimulatedCrash extends Error {
  override readonly name = 'SimulatedCrash';
  readonly kind = 'crash';
}

interface Stage {
  readonly fake: FakeGitHub;
  readonly root: string;
  /** The PR the action is about (merge, capability update). */
  pr?: number;
}

/** Drives the fake (and the loop's own earlier actions) until `action` is the loop's next step. */
async function bringTo(action: ActionKind, stage: Stage, loop: KitLoop): Promise<void> {
  const { fake } = stage;
  if (action === 'ensureGapIssue') return;
  await queueTask(fake, taskId);
  if (action === 'promoteTask') return;
  assert.deepEqual(await tickOk(loop), ['promoteTask:done']);
  stage.pr = await copilotDelivers(fake, taskIssueNumber(fake, taskId), { [`src/${taskId}.ts`]: 'export const built = true;\n' });
  if (action === 'mergePullRequest') return;
  assert.deepEqual(await tickOk(loop), ['mergePullRequest:done']);
  assert.deepEqual(await tickOk(loop), ['completeTask:done']);
}

/** Whether the action's work is finished on GitHub. */
async function isDone(action: ActionKind, stage: Stage): Promise<boolean> {
  const { fake } = stage;
  const counts = issuesByMarker(fake);
  switch (action) {
    case 'ensureGapIssue': {
      const issue = fake.state.repo('octo', 'app').issues.find(i => (i.body ?? '').includes('<!-- ato:kind=gap-analysis -->'));
      return issue?.state === 'open' && issue.assignees.some(a => /copilot/i.test(a));
    }
    case 'promoteTask':
      return counts.tasks.get(taskId) === 1 && (await foldersOf(fake, taskId)).join() === 'processed';
    case 'mergePullRequest':
      return fake.state.repo('octo', 'app').pull(stage.pr ?? 0)?.pull.merged === true;
    case 'openCapabilityIssue':
      return counts.capabilities.get(stage.pr ?? 0) === 1;
  }
}

/** Commits on main whose subject names the PR: its merge. */
async function mergeCommits(fake: FakeGitHub, pr: number): Promise<number> {
  const { gitDir } = fake.state.repo('octo', 'app');
  const subjects = (await gitAsync(gitDir, 'log', '--format=%s', 'refs/heads/main')).split('\n');
  return subjects.filter(subject => subject.endsWith(`(#${String(pr)})`)).length;
}

interface IntentFile {
  readonly key: string;
  readonly state: string;
}

async function intentsOf(root: string): Promise<IntentFile[]> {
  const directory = join(root, '.ato', 'intents');
  if (!existsSync(directory)) return [];
  const names = (await readdir(directory)).filter(name => name.endsWith('.json'));
  return Promise.all(names.map(async name => JSON.parse(await readFile(join(directory, name), 'utf8')) as IntentFile));
}

/** What must hold after any crash and restart of `action`, whatever the step. */
async function assertNothingDoubled(action: ActionKind, stage: Stage): Promise<void> {
  const { fake, root } = stage;
  const counts = issuesByMarker(fake);
  // At most one of each (none yet when the crash came before the create); `isDone` asks for exactly one.
  assert.ok(counts.gap <= (action === 'ensureGapIssue' ? 1 : 0), `gap-analysis issues: ${String(counts.gap)}`);
  assert.ok((counts.tasks.get(taskId) ?? 0) <= 1, `issues for the task: ${String(counts.tasks.get(taskId))}`);
  for (const [pr, count] of counts.capabilities) assert.equal(count, 1, `capability issues for PR #${String(pr)}`);
  assertNoDuplicateComments(fake);
  if (action !== 'ensureGapIssue') {
    const folders = await foldersOf(fake, taskId);
    assert.equal(folders.length, 1, `the task is in exactly one queue folder: ${folders.join(', ')}`);
    // Moves only go forward: the commit that queued it, then exactly one per move (processed/, complete/).
    assert.equal(await commitsTouchingTask(fake, taskId), 1 + queueFolders.indexOf(folders[0] ?? 'pending'), `commits touching the task file (now in ${folders.join()})`);
  }
  if (stage.pr !== undefined) assert.ok(await mergeCommits(fake, stage.pr) <= 1, 'the PR merged at most once');
  // A restart reuses the dead loop's write-ahead record instead of starting a second one.
  const keys = (await intentsOf(root)).map(intent => intent.key);
  assert.deepEqual(keys, [...new Set(keys)], 'one intent per action key');
}

describe('the planning loop: crash at every step of every action, then restart', function () {
  this.timeout(120_000);
  const tempDir = useTempDir('ato-loop-crash-');
  let fake: FakeGitHub;

  beforeEach(async () => { fake = await startFakeGitHub({ scenario: scenarioFile }); });
  afterEach(async () => { await fake.stop(); });

  for (const [action, points] of Object.entries(crashPoints) as [ActionKind, readonly string[]][]) {
    for (const step of points) {
      const point = `${action}:${step}`;
      it(`${point}: the restarted loop finishes the action, nothing doubled or lost`, async () => {
        const root = await cloneApp(fake, tempDir());
        const stage: Stage = { fake, root };
        let armed = false;
        const reached: string[] = [];
        const first = await openKitLoop(fake, root, {
          settings: { 'loop.leaseSeconds': leaseSeconds },
          holder: 'first-life',
          checkpoint: name => {
            if (!armed) return;
            reached.push(name);
            if (name === point) throw new SimulatedCrash(`killed at ${name}`);
          },
        });
        try {
          await bringTo(action, stage, first);
          assert.equal((await first.result.engine.preview()).tracks.find(t => t.track === 'planning')?.action?.kind, action, 'the action is next');
          armed = true;
          const crashed = await first.tick();
          assert.deepEqual(outcomesOf(crashed), [`${action}:failed`]);
          assert.match(crashed.outcomes[0]?.message ?? '', new RegExp(`killed at ${point}`));
          assert.equal(reached.at(-1), point, 'the crash point was reached');
        } finally {
          await first.close();
        }
        await assertNothingDoubled(action, stage);

        // The restart: a new loop on the same workspace (and intents), after the dead loop's lease ran out.
        const restarted = await openKitLoop(fake, root, { settings: { 'loop.leaseSeconds': leaseSeconds }, holder: 'second-life', now: afterLease });
        try {
          const ran: string[] = [];
          for (let tick = 0; tick < 3 && !await isDone(action, stage); tick++) ran.push(...await tickOk(restarted));
          assert.ok(await isDone(action, stage), `${action} is done after the restart (ticks: ${ran.join(', ') || 'none'})`);
          if (ran.includes(`${action}:done`) && action !== 'mergePullRequest') {
            const intents = await intentsOf(root);
            assert.ok(intents.length > 0 && intents.every(intent => intent.state === 'done'), `the action's intent is finished: ${JSON.stringify(intents)}`);
          }
          // One more tick after it is done: still nothing doubled.
          await tickOk(restarted);
        } finally {
          await restarted.close();
        }
        await assertNothingDoubled(action, stage);
      });
    }
  }

  it('a loop process killed (SIGKILL) between creating the task issue and moving the task: the restart on the same machine and workspace takes its dead predecessor\'s lease over at once and finishes', async () => {
    const directory = tempDir();
    const root = await cloneApp(fake, directory);
    const stage: Stage = { fake, root };
    await queueTask(fake, taskId);
    const markerFile = join(directory, 'reached-crash-point');
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'crashChild.ts'), JSON.stringify({
      apiUrl: fake.apiUrl, token: fake.token, workspaceRoot: root, point: 'promoteTask:afterCreate', markerFile, holder: 'killed-loop', leaseSeconds,
    })], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    const exited = new Promise<NodeJS.Signals | number | null>(resolve => { child.on('exit', (code, signal) => { resolve(signal ?? code); }); });
    let alive = true;
    void exited.then(() => { alive = false; });
    // Wait (asynchronously: this process serves the fake the child talks to) for the child to reach the point.
    while (!existsSync(markerFile)) {
      assert.ok(alive, `the child ended before the crash point: ${output}`);
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');

    // Killed between the two remote writes: the issue exists, the task has not moved.
    assert.equal(issuesByMarker(fake).tasks.get(taskId), 1);
    assert.deepEqual(await foldersOf(fake, taskId), ['pending']);

    const restarted = await openKitLoop(fake, root, { settings: { 'loop.leaseSeconds': leaseSeconds }, holder: 'restarted-loop' });
    try {
      // The dead process's lease has not expired, but it ran on this machine and workspace and its pid is
      // dead: the restart proves it gone and takes over at once (issue 9 C1). A live holder, or one on
      // another machine, is waited out (leaseRelease.test.ts, remoteLease.test.ts).
      assert.deepEqual(await tickOk(restarted), ['promoteTask:done']);
      assert.match(String(restarted.events.find(event => event.kind === 'loop.leaseTakenOver')?.['from']), /^killed-loop \(pid \d+\)$/);
      await tickOk(restarted);
    } finally {
      await restarted.close();
    }
    assert.ok(await isDone('promoteTask', stage));
    await assertNothingDoubled('promoteTask', stage);
    const intents = await intentsOf(root);
    assert.deepEqual(intents.map(intent => [intent.key, intent.state]), [[`promote:${taskId}`, 'done']], 'the dead loop\'s intent, finished by the restart');
  });
});
