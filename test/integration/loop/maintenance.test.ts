import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import type { TickReport } from '../../../src/core/loop/engine/loopModel';
import type { FakeGitHub } from '../../fakes/github/fakeGitHub';
import { useTempDir } from '../../support/tempDir';
import { api } from '../fakeGitHub/fakeGitHubKit';
import { cloneApp, planningScenario, scenarioFile, startFakeGitHub, taskFile } from './loopHarness';
import { assertNoDuplicateComments, openKitLoop, type KitLoop, type KitLoopOptions } from './loopKit';

/**
 * The maintenance track (issue 11) against the fake GitHub over real HTTP: a red Copilot PR gets one
 * `@copilot` comment with the failed job's log excerpt, Copilot pushes, CI turns green on the new head and only
 * then is the PR "fixed"; the budget runs out into needs-you; conflicts and requested changes go back to the
 * agent; a person's PR is left alone; a crash at every step and two racing loops write each comment once.
 */
describe('the maintenance track against the fake GitHub', function () {
  this.timeout(180_000);
  const tempDir = useTempDir('ato-maintenance-');
  let fake: FakeGitHub;

  beforeEach(async () => { fake = await startFakeGitHub({ scenario: scenarioFile }); });
  afterEach(async () => { await fake.stop(); });

  const repo = () => fake.state.repo('octo', 'app');
  // Red on the PRs' heads; the default branch's tip is left alone (a red main is an emergency task: emergencyTasks.test.ts).
  const failing = { pullRequestsOnly: true, checks: [{ name: 'ci/build', conclusion: 'failure' as const, log: 'Run npm test\n> app@1.0.0 test\nnpm ERR! Test failed: expected 2, got 3\n    at sum.test.js:4:10\n' }] };
  const passing = { checks: [{ name: 'ci/build', conclusion: 'success' as const }] };

  function maintenance(report: TickReport): string[] {
    return report.outcomes.filter(outcome => outcome.track === 'maintenance').map(outcome => `${outcome.action.kind}:${outcome.result}`);
  }

  function failedOutcomes(report: TickReport): string[] {
    return report.outcomes.filter(outcome => outcome.result === 'failed').map(outcome => outcome.message);
  }

  async function loopOn(options: KitLoopOptions = {}): Promise<KitLoop> {
    return openKitLoop(fake, await cloneApp(fake, await mkdtemp(join(tempDir(), 'clone-'))), options);
  }

  /** An issue made by hand, and Copilot's (finished, ready) PR for it: an ATO agent's PR the planning loop does not follow. */
  async function copilotPull(file: string): Promise<number> {
    const issue = await api(fake, 'POST', '/repos/octo/app/issues', { title: `Change ${file}` });
    const pull = await fake.simulate.copilotOpensPullRequest((issue.body as { number: number }).number, { files: { [file]: 'export const changed = 1;\n' } });
    await fake.simulate.copilotFinishes(pull);
    return pull;
  }

  function commentsOn(pull: number, pattern: RegExp): string[] {
    return repo().comments().filter(comment => comment.issueNumber === pull && pattern.test(comment.body)).map(comment => comment.body);
  }

  it('a red Copilot PR: one @copilot comment with the log excerpt, Copilot pushes, green on the new head is "fixed", then the planning track merges it', async () => {
    const loop = await loopOn();
    const first = await loop.tick();
    assert.deepEqual(first.outcomes.map(o => o.action.kind), ['ensureGapIssue']);
    const gapIssue = repo().issues.find(i => (i.body ?? '').includes('<!-- ato:kind=gap-analysis -->'));
    assert.ok(gapIssue);
    await fake.simulate.setCi(failing);
    const pr = await fake.simulate.copilotOpensPullRequest(gapIssue.number, { files: { 'planning/issue_queue/pending/add-login.task.md': taskFile } });
    await fake.simulate.copilotFinishes(pr);
    await api(fake, 'GET', '/repos/octo/app'); // the automatic CI runs on the new head (red)
    const redHead = repo().pull(pr)?.pull.headSha ?? '';
    // Copilot's fix is pushed with no CI reported yet: "fixing" until CI on the new head says more.
    await fake.simulate.setCi(null);
    await fake.simulate.copilotAnswersMentions({ 'src/sum.js': 'module.exports = (a, b) => a + b;\n' });

    const plan = await loop.result.engine.preview();
    const planned = plan.tracks.find(track => track.track === 'maintenance');
    assert.equal(planned?.action?.kind, 'requestFix', planned?.reason);
    assert.match(planned.action.reason, /fix attempt 1 of 3 goes to copilot/);
    assert.equal(loop.state().redPullRequests.find(item => item.number === pr)?.care?.state, 'red');

    const fix = await loop.tick();
    assert.deepEqual(failedOutcomes(fix), []);
    assert.deepEqual(maintenance(fix), ['requestFix:done']);
    const asked = commentsOn(pr, /^@copilot /);
    assert.equal(asked.length, 1);
    assert.match(asked[0] ?? '', /npm ERR! Test failed: expected 2, got 3/, 'the log excerpt travels');
    assert.match(asked[0] ?? '', new RegExp(`<!-- ato:maintenance=fix pr=${String(pr)} attempt=1 head=${redHead} agent=copilot -->`));
    const newHead = repo().pull(pr)?.pull.headSha;
    assert.notEqual(newHead, redHead, 'Copilot pushed');
    await loop.result.engine.preview();
    const fixing = loop.state().redPullRequests.find(item => item.number === pr);
    assert.equal(fixing?.care?.state, 'fixing', 'fixing until CI on the new head is green');
    assert.equal(fixing.care.lastFix?.headSha, redHead);
    assert.match(fixing.care.logExcerpt ?? '', /npm ERR!/);
    assert.equal(loop.state().plan?.tracks.find(track => track.track === 'maintenance')?.action, undefined, 'nothing more to ask');

    await fake.simulate.setCheckRuns(pr, [{ name: 'ci/build', status: 'completed', conclusion: 'success' }]);
    await loop.result.engine.preview();
    const fixed = loop.state().redPullRequests.find(item => item.number === pr)?.care;
    assert.equal(fixed?.state, 'fixed', fixed?.reason);
    assert.match(fixed.reason, /green on [0-9a-f]{7} after 1 fix attempt/);
    const verified = await loop.tick();
    assert.deepEqual(failedOutcomes(verified), []);
    assert.deepEqual(verified.outcomes.filter(o => o.result === 'done').map(o => o.action.kind), ['mergePullRequest']);
    assert.equal(repo().pull(pr)?.pull.merged, true, 'the planning track merged the fixed PR');
    assert.equal(commentsOn(pr, /^@copilot /).length, 1, 'one request, never a second');
    assertNoDuplicateComments(fake);
    await loop.close();
  });

  it('a fix that leaves CI red uses the next attempt; when the budget (2) is spent the PR needs you, with its history', async () => {
    const loop = await loopOn({ settings: { 'maintenance.maxFixAttempts': 2 } });
    await fake.simulate.setCi(failing);
    const pr = await copilotPull('src/a.ts');
    await fake.simulate.copilotAnswersMentions({ 'src/a.ts': 'export const changed = 2;\n' });
    assert.deepEqual(maintenance(await loop.tick()), ['requestFix:done']);
    assert.deepEqual(maintenance(await loop.tick()), ['requestFix:done'], 'still red on the new head: attempt 2');
    assert.deepEqual(maintenance(await loop.tick()), [], 'the budget is spent');
    const care = loop.state().redPullRequests.find(item => item.number === pr)?.care;
    assert.equal(care?.state, 'needsYou');
    assert.equal(care.attempts, 2);
    assert.equal(care.maxAttempts, 2);
    const item = loop.state().needsYou.find(entry => entry.kind === 'fixAttemptsExhausted' && entry.pullNumber === pr);
    assert.ok(item, 'a needs-you item');
    assert.match(item.detail, /attempt 1 at [0-9a-f]{7} to copilot.*attempt 2 at [0-9a-f]{7} to copilot/);
    assert.equal(commentsOn(pr, /^@copilot /).length, 2);
    assert.deepEqual(maintenance(await loop.tick()), [], 'and stays so');
    assertNoDuplicateComments(fake);
    await loop.close();
  });

  it('a person\'s red PR (default scope) is shown red but never touched', async () => {
    const loop = await loopOn();
    await fake.simulate.setCi(failing);
    const pr = await fake.simulate.openPullRequest({ head: 'feature/mine', title: 'Mine', files: { 'mine.txt': 'mine\n' } });
    const report = await loop.tick();
    assert.deepEqual(maintenance(report), []);
    const red = loop.state().redPullRequests.find(item => item.number === pr);
    assert.ok(red, 'listed as red');
    assert.equal(red.care, undefined, 'no care: outside the scope');
    assert.equal(repo().comments().filter(comment => comment.issueNumber === pr).length, 0);
    await loop.close();
  });

  it('a conflicting Copilot PR: its agent is asked once to rebase', async () => {
    const loop = await loopOn();
    await fake.simulate.setCi(passing);
    const pr = await copilotPull('README.md');
    await fake.simulate.setMergeable(pr, 'CONFLICTING');
    assert.deepEqual(maintenance(await loop.tick()), ['askRebase:done']);
    const asked = commentsOn(pr, /^@copilot /);
    assert.equal(asked.length, 1);
    assert.match(asked[0] ?? '', /conflicts with `main`/);
    assert.equal(loop.state().redPullRequests.find(item => item.number === pr)?.care?.state, 'updating');
    assert.deepEqual(maintenance(await loop.tick()), [], 'asked once per head');
    await loop.close();
  });

  it('changes requested: the review\'s line comments (file:line) go to Copilot, which pushes', async () => {
    const loop = await loopOn();
    await fake.simulate.setCi(passing);
    const pr = await copilotPull('src/c.ts');
    await fake.simulate.grantWriteAccess('alice');
    const reviewId = await fake.simulate.requestChanges(pr, 'alice', 'Please handle the empty case.', [{ path: 'src/c.ts', line: 1, body: 'What if the list is empty?' }]);
    await fake.simulate.copilotAnswersMentions({ 'src/c.ts': 'export const changed = [];\n' });
    const before = repo().pull(pr)?.pull.headSha;
    const report = await loop.tick();
    assert.deepEqual(failedOutcomes(report), []);
    assert.deepEqual(maintenance(report), ['sendReviewFollowUp:done']);
    const sent = commentsOn(pr, /^@copilot /);
    assert.equal(sent.length, 1);
    assert.match(sent[0] ?? '', /`src\/c\.ts:1`/);
    assert.match(sent[0] ?? '', /What if the list is empty\?/);
    assert.match(sent[0] ?? '', new RegExp(`review=${String(reviewId)}`));
    assert.notEqual(repo().pull(pr)?.pull.headSha, before, 'a new push');
    assert.deepEqual(maintenance(await loop.tick()), [], 'it waits for a new review');
    assert.equal(loop.state().redPullRequests.find(item => item.number === pr)?.care?.state, 'waitingForReviewFix');
    await loop.close();
  });

  it('"Fix now" asks now, and a second click on the same state asks for the next attempt, never the same one twice', async () => {
    const loop = await loopOn({ settings: { 'maintenance.enabled': false } });
    await fake.simulate.setCi(failing);
    const pr = await copilotPull('src/f.ts');
    const off = await loop.result.engine.fixPullRequest(pr);
    assert.equal(off.result, 'skipped');
    assert.match(off.message, /maintenance\.enabled/);
    await loop.close();
    const on = await loopOn();
    const outcome = await on.result.engine.fixPullRequest(pr);
    assert.equal(outcome.result, 'done', outcome.message);
    assert.equal(outcome.track, 'maintenance');
    assert.equal(commentsOn(pr, /^@copilot /).length, 1);
    const person = await fake.simulate.openPullRequest({ head: 'feature/p', title: 'P', files: { 'p.txt': 'p\n' } });
    const refused = await on.result.engine.fixPullRequest(person);
    assert.equal(refused.result, 'skipped');
    assert.match(refused.message, /not one ATO may fix/);
    await on.close();
  });

  it('a preview names the fix request and writes nothing', async () => {
    const loop = await loopOn();
    await fake.simulate.setCi(failing);
    const pr = await copilotPull('src/u.ts');
    const plan = await loop.result.engine.preview();
    assert.equal(plan.tracks.find(track => track.track === 'maintenance')?.action?.kind, 'requestFix');
    assert.equal(commentsOn(pr, /@copilot/).length, 0, 'a preview writes nothing');
    await loop.close();
  });

  /** Brings a Copilot PR to where `kind` is the maintenance track's next action; returns the PR. */
  async function bringTo(kind: 'requestFix' | 'askRebase' | 'sendReviewFollowUp', file: string): Promise<number> {
    await fake.simulate.setCi(kind === 'requestFix' ? failing : passing);
    const pr = await copilotPull(file);
    if (kind === 'askRebase') await fake.simulate.setMergeable(pr, 'CONFLICTING');
    if (kind === 'sendReviewFollowUp') {
      await fake.simulate.grantWriteAccess('alice');
      await fake.simulate.requestChanges(pr, 'alice', 'Not yet.', [{ path: file, line: 1, body: 'Rename this.' }]);
    }
    return pr;
  }

  const crashPoints = {
    requestFix: ['read', 'beforeComment', 'afterComment'],
    askRebase: ['read', 'afterComment'],
    sendReviewFollowUp: ['read', 'afterComment'],
  } as const;
  for (const [kind, points] of Object.entries(crashPoints) as ['requestFix' | 'askRebase' | 'sendReviewFollowUp', readonly string[]][]) {
    for (const step of points) {
      const point = `${kind}:${step}`;
      it(`a crash at ${point}, then a restart: exactly one comment`, async () => {
        const pr = await bringTo(kind, `src/crash-${step}.ts`);
        const root = await cloneApp(fake, tempDir());
        const crashing = await openKitLoop(fake, root, { checkpoint: name => { if (name === point) throw new Error(`crash at ${name}`); } });
        assert.deepEqual(maintenance(await crashing.tick()), [`${kind}:failed`]);
        await crashing.close();
        const restarted = await openKitLoop(fake, root);
        // Written before the crash: the record on the PR says so, nothing is asked again.
        assert.deepEqual(maintenance(await restarted.tick()), step === 'afterComment' ? [] : [`${kind}:done`]);
        assert.equal(commentsOn(pr, /^@copilot /).length, 1, 'one comment after the restart');
        assert.deepEqual(maintenance(await restarted.tick()), []);
        assertNoDuplicateComments(fake);
        await restarted.close();
      });
    }
  }

  it('two loops racing on the same red PR: exactly one comment', async () => {
    await fake.simulate.setCi(failing);
    const pr = await copilotPull('src/race.ts');
    const one = await loopOn({ holder: 'one' });
    const two = await loopOn({ holder: 'two' });
    const reports = await Promise.all([one.tick(), two.tick()]);
    const done = reports.flatMap(maintenance).filter(entry => entry === 'requestFix:done');
    assert.equal(done.length, 1, JSON.stringify(reports.map(maintenance)));
    await Promise.all([one.tick(), two.tick()]);
    assert.equal(commentsOn(pr, /^@copilot /).length, 1);
    await one.close();
    await two.close();
  });

  it('a 500 on the job log: a clear failure, no comment; the next tick asks once', async () => {
    await fake.simulate.setCi(failing);
    const pr = await copilotPull('src/fault.ts');
    const loop = await loopOn();
    fake.faults.add({ method: 'GET', path: /\/actions\/jobs\/\d+\/logs$/, status: 500, times: 10 });
    const report = await loop.tick();
    assert.deepEqual(maintenance(report), ['requestFix:failed'], report.plan.tracks.map(track => `${track.track}: ${track.reason}`).join('\n'));
    assert.match(report.outcomes.find(o => o.track === 'maintenance')?.message ?? '', /GitHub/);
    assert.equal(commentsOn(pr, /^@copilot /).length, 0);
    fake.faults.clear();
    assert.deepEqual(maintenance(await loop.tick()), ['requestFix:done']);
    assert.equal(commentsOn(pr, /^@copilot /).length, 1);
    await loop.close();
  });

  it('rate-limited while writing the fix request: the tick fails with GitHub\'s reason, and the next one asks exactly once', async () => {
    await fake.simulate.setCi(failing);
    const pr = await copilotPull('src/limit.ts');
    const loop = await loopOn();
    fake.faults.add({ method: 'POST', path: `/repos/octo/app/issues/${String(pr)}/comments`, status: 429, retryAfterSeconds: 1, times: 20 });
    await assert.rejects(loop.tick(), /rate limit|GitHub/i);
    assert.match(loop.state().error ?? '', /GitHub/);
    fake.faults.clear();
    assert.deepEqual(maintenance(await loop.tick()), ['requestFix:done']);
    assert.equal(commentsOn(pr, /^@copilot /).length, 1);
    assertNoDuplicateComments(fake);
    await loop.close();
  });

  it('a red default branch: the loop\'s maintenance track queues one emergency task on main, which the planning track then promotes; never a second', async () => {
    const loop = await loopOn();
    await loop.tick(); // the planning track's first step (the gap issue); main is green
    await fake.simulate.setCi({ checks: [{ name: 'ci/build', conclusion: 'failure', log: 'npm ERR! build broke\n' }] });
    await api(fake, 'GET', '/repos/octo/app'); // CI runs on main's tip (red)
    const emergencies = async (folder: 'pending' | 'processed'): Promise<string[]> => {
      const listing = await api(fake, 'GET', `/repos/octo/app/contents/planning/issue_queue/${folder}?ref=main`);
      return (listing.body as { name: string }[]).map(entry => entry.name).filter(name => name.startsWith('emergency-main-red-'));
    };
    assert.deepEqual(maintenance(await loop.tick()), ['queueEmergencyTask:done']);
    assert.equal((await emergencies('pending')).length, 1);
    const later: string[] = [];
    for (let tick = 0; tick < 3; tick++) later.push(...(await loop.tick()).outcomes.map(outcome => `${outcome.action.kind}:${outcome.result}`));
    assert.ok(!later.includes('queueEmergencyTask:done'), `one task per failure (ticks: ${later.join(', ')})`);
    assert.ok(later.includes('promoteTask:done'), `the emergency task is promoted first (ticks: ${later.join(', ')})`);
    assert.equal((await emergencies('pending')).length + (await emergencies('processed')).length, 1);
    await loop.close();
  });

  it('behind its base (branches must be up to date): update-branch through the API, once; the PR is then up to date', async () => {
    await fake.stop();
    fake = await startFakeGitHub({ scenario: await planningScenario({ branchProtection: { main: { requireUpToDate: true } } }) });
    await fake.simulate.setCi(passing);
    const pr = await copilotPull('src/behind.ts');
    await fake.simulate.pushFiles('main', { 'other.txt': 'main moves on\n' }, 'Main moves on');
    const before = repo().pull(pr)?.pull.headSha;
    const loop = await loopOn();
    const report = await loop.tick();
    assert.deepEqual(failedOutcomes(report), []);
    assert.deepEqual(maintenance(report), ['updateBranch:done']);
    await api(fake, 'GET', '/repos/octo/app');
    assert.notEqual(repo().pull(pr)?.pull.headSha, before, 'the base was merged into the head');
    assert.deepEqual(maintenance(await loop.tick()), [], 'up to date now');
    assert.equal(repo().comments().filter(comment => comment.issueNumber === pr).length, 0, 'an update writes no comment');
    await loop.close();
  });
});
