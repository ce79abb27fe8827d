import assert from 'node:assert/strict';
import { createGitHubPort } from '../../../src/core/forges/github/githubAdapter';
import type { GitHubPort } from '../../../src/core/forges/github/githubPort';
import { createLogger } from '../../../src/core/logging/logger';
import { Redactor } from '../../../src/core/logging/redactor';
import type { PlannedAction, TickReport } from '../../../src/core/loop/engine/loopModel';
import { defaultLeaseRef } from '../../../src/core/loop/engine/remoteLease';
import type { FakeGitHub } from '../../fakes/github/fakeGitHub';
import type { FaultRule } from '../../fakes/github/faults';
import { useTempDir } from '../../support/tempDir';
import { startApiProxy, type ApiProxy, type ProxiedRequest } from './apiProxy';
import { cloneApp, gitAsync, scenarioFile, startFakeGitHub, useOriginVia } from './loopHarness';
import {
  assertNoDuplicateComments, commitsTouchingTask, copilotDelivers, fastRetry, foldersOf, issuesByMarker, openKitLoop, queueTask, taskIssueNumber, type KitLoop,
} from './loopKit';

/**
 * Issue 4, "faults on every route": for each kind of failure GitHub has, the loop goes once round the
 * planning track (gap issue → promote → merge → complete → capability issue), and at every step every route
 * that step's tick uses fails once — armed by a proxy just before that exact request reaches the fake
 * (`faults.add`), so a route shared by the lease and a move, or by a query and a mutation, is hit where the
 * table says. The tick fails or the adapter retries, as the adapter decides; the state shows the error;
 * the next tick waits as long as GitHub's `retry-after` asks; later ticks without the fault finish the work,
 * and nothing is lost or doubled.
 */

type FaultKind = '500' | '429' | 'secondary403' | 'delay' | 'malformed';
type StepAction = Extract<PlannedAction['kind'], 'ensureGapIssue' | 'promoteTask' | 'mergePullRequest' | 'completeTask' | 'openCapabilityIssue'>;

/** What GitHub's rate limit asks for in the 429 rows: longer than the adapter sits out (60 s), so the engine must wait. */
const retryAfterSeconds = 90;
const activeSeconds = 5;
const idleSeconds = 10;

const faultFor: Readonly<Record<FaultKind, Omit<FaultRule, 'path' | 'method'>>> = {
  '500': { status: 500 },
  '429': { status: 429, retryAfterSeconds },
  // Short: the adapter sits it out (2 s = 2 ms here) and retries, writes included (the request was refused).
  secondary403: { secondaryRateLimit: true, retryAfterSeconds: 2 },
  delay: { delayMs: 25 },
  malformed: { malformed: true },
};

interface Route {
  readonly step: StepAction;
  readonly name: string;
  readonly method: string;
  readonly path: RegExp;
  readonly match?: (request: ProxiedRequest) => boolean;
  /** The adapter retries it after a 5xx (reads and idempotent writes; not new issues, merges, ref creation or mutations). */
  readonly retried: boolean;
  /** Only for these kinds (a route reached only after a write whose malformed answer already did the work). */
  readonly kinds?: readonly FaultKind[];
}

const issues = /^\/repos\/octo\/app\/issues$/;
const trees = /^\/repos\/octo\/app\/git\/trees$/;
const commits = /^\/repos\/octo\/app\/git\/commits$/;
const leaseRef = /^\/repos\/octo\/app\/git\/ref\/ato\/lease$/;
const mainRef = /^\/repos\/octo\/app\/git\/ref\/heads\/main$/;
const contents = /^\/repos\/octo\/app\/contents\/planning\/issue_queue\//;
const updateMain = /^\/repos\/octo\/app\/git\/refs\/heads\/main$/;
const graphql = /^\/graphql$/;
const operation = (name: string) => (request: ProxiedRequest): boolean => request.body.includes(name);
const labelled = (label: string) => (request: ProxiedRequest): boolean => request.query.includes(`labels=${label}&`) || request.query.endsWith(`labels=${label}`);
/** Every open issue, labelled or not: ATO's own by marker, or one made by hand to adopt (issue 9 D8). */
const allOpenIssues = (request: ProxiedRequest): boolean => /[?&]state=open(&|$)/.test(request.query) && !/[?&]labels=/.test(request.query);

/** A move of the task file: one commit through the git-data API (after the lease took its own commit). */
function moveRoutes(step: StepAction, message: string): Route[] {
  return [
    { step, name: 'read the task file (contents)', method: 'GET', path: contents, retried: true },
    { step, name: 'read the branch head', method: 'GET', path: mainRef, retried: true },
    { step, name: 'write the move\'s tree', method: 'POST', path: trees, match: operation('base_tree'), retried: true },
    { step, name: 'write the move\'s commit', method: 'POST', path: commits, match: operation(message), retried: true },
    { step, name: 'fast-forward main', method: 'PATCH', path: updateMain, retried: true },
  ];
}

/** Every route, in the order a tick of its step reaches it. */
const routes: readonly Route[] = [
  // The tick's reads (in the first step): the cheap probe and the batched snapshot.
  { step: 'ensureGapIssue', name: 'probe (GET issues, 1 per page)', method: 'GET', path: issues, match: request => /[?&]per_page=1(&|$)/.test(request.query), retried: true },
  { step: 'ensureGapIssue', name: 'snapshot (GraphQL query)', method: 'POST', path: graphql, match: operation('AtoSnapshot'), retried: true },
  { step: 'ensureGapIssue', name: 'read a label', method: 'GET', path: /^\/repos\/octo\/app\/labels\/[^/]+$/, retried: true },
  { step: 'ensureGapIssue', name: 'create a missing label', method: 'POST', path: /^\/repos\/octo\/app\/labels$/, retried: true },
  { step: 'ensureGapIssue', name: 'list the open issues', method: 'GET', path: issues, match: allOpenIssues, retried: true },
  { step: 'ensureGapIssue', name: 'create the gap issue', method: 'POST', path: issues, retried: false },
  // The lease taken from scratch (the ref was deleted): read, tree, commit, create the ref.
  { step: 'promoteTask', name: 'lease: read the ref', method: 'GET', path: leaseRef, retried: true },
  { step: 'promoteTask', name: 'lease: write its tree', method: 'POST', path: trees, match: operation('ATO loop lease'), retried: true },
  { step: 'promoteTask', name: 'lease: write its commit', method: 'POST', path: commits, match: operation('expiresAt'), retried: true },
  { step: 'promoteTask', name: 'lease: create the ref', method: 'POST', path: /^\/repos\/octo\/app\/git\/refs$/, match: operation('refs/ato/lease'), retried: false },
  { step: 'promoteTask', name: 'list the open issues', method: 'GET', path: issues, match: allOpenIssues, retried: true },
  { step: 'promoteTask', name: 'create the task issue', method: 'POST', path: issues, retried: false },
  ...moveRoutes('promoteTask', 'dispatched as'),
  { step: 'mergePullRequest', name: 'git fetch of the planning branch', method: 'GIT', path: /^\/octo\/app\.git\/info\/refs$/, retried: false, kinds: ['500', '429'] },
  { step: 'mergePullRequest', name: 'read the PR (GraphQL query)', method: 'POST', path: graphql, match: operation('AtoPullRequestByNumber'), retried: true },
  { step: 'mergePullRequest', name: 'mark ready for review (GraphQL mutation)', method: 'POST', path: graphql, match: operation('AtoMarkReadyForReview'), retried: false },
  { step: 'mergePullRequest', name: 'merge the PR', method: 'PUT', path: /^\/repos\/octo\/app\/pulls\/\d+\/merge$/, retried: false },
  { step: 'mergePullRequest', name: 'read the issue the merge closes', method: 'GET', path: /^\/repos\/octo\/app\/issues\/\d+$/, retried: true, kinds: ['500', '429', 'secondary403', 'delay'] },
  { step: 'mergePullRequest', name: 'its timeline', method: 'GET', path: /^\/repos\/octo\/app\/issues\/\d+\/timeline$/, retried: true, kinds: ['500', 'secondary403', 'delay'] },
  // The lease taken over from an expired holder: read the ref and its commit, commit, fast-forward the ref.
  { step: 'completeTask', name: 'lease: read the ref', method: 'GET', path: leaseRef, retried: true },
  { step: 'completeTask', name: 'lease: read the expired lease', method: 'GET', path: /^\/repos\/octo\/app\/git\/commits\/[0-9a-f]{40}$/, retried: true },
  { step: 'completeTask', name: 'lease: write its commit', method: 'POST', path: commits, match: operation('expiresAt'), retried: true },
  { step: 'completeTask', name: 'lease: fast-forward the ref', method: 'PATCH', path: /^\/repos\/octo\/app\/git\/refs\/ato\/lease$/, retried: true },
  ...moveRoutes('completeTask', 'complete (PR'),
  { step: 'openCapabilityIssue', name: 'list capability issues by label', method: 'GET', path: issues, match: labelled('ato:capability'), retried: true },
  { step: 'openCapabilityIssue', name: 'read the merged PR (GraphQL query)', method: 'POST', path: graphql, match: operation('AtoPullRequestByNumber'), retried: true },
  { step: 'openCapabilityIssue', name: 'read its discussion (comments)', method: 'GET', path: /^\/repos\/octo\/app\/issues\/\d+\/comments$/, retried: true },
  { step: 'openCapabilityIssue', name: 'create the capability issue', method: 'POST', path: issues, retried: false },
];

/** Whether this fault on this route makes the tick or its action fail (rather than the adapter retrying it). */
function fails(kind: FaultKind, route: Route): boolean {
  if (kind === '429' || kind === 'malformed') return true;
  return kind === '500' && !route.retried;
}

interface Armed {
  readonly route: Route;
  fired: boolean;
}

const taskId = 'fault-task';
const steps: readonly { readonly action: StepAction; readonly lease: 'deleted' | 'expired' | 'kept' }[] = [
  { action: 'ensureGapIssue', lease: 'kept' },
  { action: 'promoteTask', lease: 'deleted' },
  { action: 'mergePullRequest', lease: 'deleted' },
  { action: 'completeTask', lease: 'expired' },
  { action: 'openCapabilityIssue', lease: 'deleted' },
];

describe('the planning loop under GitHub faults on every route', function () {
  this.timeout(300_000);
  const tempDir = useTempDir('ato-loop-faults-');
  let fake: FakeGitHub;
  let proxy: ApiProxy;
  let admin: GitHubPort;

  beforeEach(async () => {
    fake = await startFakeGitHub({ scenario: scenarioFile });
    proxy = await startApiProxy(fake.apiUrl);
    admin = await createGitHubPort({ repo: { owner: 'octo', name: 'app', apiUrl: fake.apiUrl }, token: fake.token, timeoutMs: 10_000, log: createLogger({ write: () => undefined }, new Redactor()), redactor: new Redactor(), userAgent: 'ato-test', retry: fastRetry });
  });
  afterEach(async () => {
    await proxy.close();
    await fake.stop();
  });

  /** The previous step's loop "went away": its lease is deleted, or left to expire, so a new loop takes it. */
  async function resetLease(mode: 'deleted' | 'expired' | 'kept'): Promise<void> {
    const ref = await admin.getRef(defaultLeaseRef);
    if (mode === 'kept' || ref === undefined) return;
    if (mode === 'deleted') {
      const response = await fetch(`${fake.apiUrl}/repos/octo/app/git/refs/ato/lease`, { method: 'DELETE', headers: { authorization: `token ${fake.token}` } });
      assert.equal(response.status, 204);
      return;
    }
    const last = await admin.getCommit(ref.sha);
    const past = new Date(Date.now() - 60_000).toISOString();
    await admin.updateRefFastForward(defaultLeaseRef, await admin.createCommit({ message: JSON.stringify({ holder: 'gone', expiresAt: past, acquiredAt: past }), treeSha: last.treeSha, parents: [ref.sha] }));
  }

  /** Whether the step's work is on GitHub. */
  async function stepDone(action: StepAction, pr: number | undefined): Promise<boolean> {
    const counts = issuesByMarker(fake);
    const folders = await foldersOf(fake, taskId);
    switch (action) {
      case 'ensureGapIssue':
        return fake.state.repo('octo', 'app').issues.some(i => i.state === 'open' && (i.body ?? '').includes('<!-- ato:kind=gap-analysis -->') && i.assignees.some(a => /copilot/i.test(a)));
      case 'promoteTask':
        return counts.tasks.get(taskId) === 1 && folders.join() === 'processed';
      case 'mergePullRequest':
        return fake.state.repo('octo', 'app').pull(pr ?? 0)?.pull.merged === true;
      case 'completeTask':
        return folders.join() === 'complete';
      case 'openCapabilityIssue':
        return counts.capabilities.get(pr ?? 0) === 1;
    }
  }

  for (const kind of Object.keys(faultFor) as FaultKind[]) {
    it(`${kind} on each route of each step: retried or failed as the adapter decides, shown, waited for, then finished once`, async () => {
      const root = await cloneApp(fake, tempDir());
      await useOriginVia(root, proxy.url);
      let pr: number | undefined;
      const log: string[] = [];
      for (const step of steps) {
        if (step.action === 'promoteTask') await queueTask(fake, taskId);
        if (step.action === 'mergePullRequest') pr = await copilotDelivers(fake, taskIssueNumber(fake, taskId), { [`src/${taskId}.ts`]: 'export const built = true;\n' });
        await resetLease(step.lease);
        const armed: Armed[] = routes.filter(route => route.step === step.action && (route.kinds ?? Object.keys(faultFor)).includes(kind)).map(route => ({ route, fired: false }));
        const loop = await openKitLoop(fake, root, { apiUrl: proxy.url, holder: `loop-${step.action}`, settings: { 'loop.pollSecondsActive': activeSeconds, 'loop.pollSecondsIdle': idleSeconds } });
        loop.result.engine.start();
        // git passes the proxy untouched: its fault is armed at the fake.
        if (armed.some(a => a.route.method === 'GIT')) fake.faults.add({ path: '/octo/app.git/info/refs', ...faultFor[kind] });
        proxy.onRequest = request => {
          const entry = armed.find(a => !a.fired && a.route.method === request.method && a.route.path.test(request.path) && (a.route.match?.(request) ?? true));
          if (entry === undefined) return;
          entry.fired = true;
          fake.faults.add({ method: request.method, path: request.path, ...faultFor[kind] });
        };
        const gitFaults = (): number => fake.requests.filter(r => r.resource === 'git' && r.status >= 400).length;
        const gitBefore = gitFaults();
        let failures = 0;
        try {
          const expectedFailures = armed.filter(a => fails(kind, a.route)).length;
          for (let tick = 0; tick <= expectedFailures + 2; tick++) {
            const allFired = armed.every(a => a.fired || (a.route.method === 'GIT' && gitFaults() > gitBefore));
            if (allFired && await stepDone(step.action, pr)) break;
            const failed = await checkedTick(loop, kind, step.action);
            if (failed) failures++;
            log.push(`${step.action} tick ${String(tick)}: ${failed ? `failed: ${loop.state().error ?? loop.state().lastReport?.outcomes[0]?.message ?? '?'}` : 'ok'}`);
          }
          const context = `${kind} at ${step.action}:\n${log.join('\n')}`;
          for (const entry of armed) {
            const fired = entry.route.method === 'GIT' ? gitFaults() > gitBefore : entry.fired;
            assert.ok(fired, `the fault on "${entry.route.name}" was reached. ${context}`);
          }
          assert.ok(await stepDone(step.action, pr), `${step.action} finished after the faults. ${context}`);
          assert.equal(failures, expectedFailures, `ticks or actions that failed. ${context}`);
        } finally {
          proxy.onRequest = undefined;
          fake.faults.clear();
          await loop.close();
        }
      }

      // Once round the track with every fault: one issue of each kind, one move per folder, one merge.
      const counts = issuesByMarker(fake);
      assert.equal(counts.gap, 1);
      assert.deepEqual([...counts.tasks], [[taskId, 1]]);
      assert.deepEqual([...counts.capabilities], [[pr, 1]]);
      assert.equal(fake.state.repo('octo', 'app').issues.length, 3, 'no other issue');
      assert.deepEqual(await foldersOf(fake, taskId), ['complete']);
      assert.equal(await commitsTouchingTask(fake, taskId), 3, 'queued, then moved to processed/ and complete/ once each');
      const subjects = (await gitAsync(fake.state.repo('octo', 'app').gitDir, 'log', '--format=%s', 'refs/heads/main')).split('\n');
      assert.equal(subjects.filter(subject => subject.endsWith(`(#${String(pr)})`)).length, 1, 'merged once');
      assertNoDuplicateComments(fake);
    });
  }
});

/**
 * One tick, and what the loop shows for it. Returns whether the tick or its action failed. A failed tick
 * leaves its error in the state and the event log and backs off; a rate limit waits GitHub's `retry-after`.
 */
async function checkedTick(loop: KitLoop, kind: FaultKind, action: StepAction): Promise<boolean> {
  const delaysBefore = loop.timers.delays.length;
  let report: TickReport | undefined;
  let thrown: unknown;
  try {
    report = await loop.tick();
  } catch (error) {
    thrown = error;
  }
  const state = loop.state();
  const delay = loop.timers.delays.at(-1);
  assert.equal(loop.timers.delays.length, delaysBefore + 1, 'the engine scheduled the next tick');
  assert.ok(delay !== undefined && state.nextTickAt !== undefined);
  if (thrown !== undefined) {
    assert.ok(state.error !== undefined && state.error !== '', 'the state shows why the tick failed');
    const lastEvent = loop.events.at(-1);
    assert.equal(lastEvent?.kind, 'loop.tickFailed');
    assert.ok(state.lastTickAt !== undefined);
    // A GitHub rate limit (not git's own failure, which says nothing of when to come back).
    if (kind === '429' && state.error.startsWith('GitHub:')) {
      assert.match(state.error, new RegExp(`wait ${String(retryAfterSeconds)} s`));
      assert.equal(delay, retryAfterSeconds * 1000, 'the next tick comes when GitHub said');
      assert.ok(Date.parse(state.nextTickAt) - Date.parse(state.lastTickAt) >= retryAfterSeconds * 1000);
    } else {
      assert.ok(delay > activeSeconds * 1000 && delay <= idleSeconds * 1000, `backs off: ${String(delay)} ms`);
    }
    return true;
  }
  assert.ok(report !== undefined);
  assert.equal(state.error, undefined);
  const planned = report.plan.tracks.find(track => track.track === 'planning')?.action?.kind;
  assert.equal(planned, action, `the step's action is planned (${report.plan.stage?.reason ?? ''})`);
  const outcome = report.outcomes[0];
  assert.ok(outcome !== undefined, 'the action was taken');
  if (outcome.result === 'failed') {
    // The action failed and the tick went on: the report in the state says what failed.
    assert.deepEqual(state.lastReport?.outcomes.map(o => o.result), ['failed']);
    assert.ok(outcome.message.startsWith('GitHub:'), outcome.message);
    // Soon: the active interval, or later only as the engine paces the GraphQL budget (points / remaining
    // of the hour until the reset).
    const budget = state.rateLimit.graphql;
    const paced = budget === undefined ? 0 : Math.ceil((Math.max(0, Date.parse(budget.resetAt) - Date.parse(state.lastTickAt ?? '')) * report.points) / Math.max(1, budget.remaining));
    assert.ok(delay >= activeSeconds * 1000 && delay <= Math.max(activeSeconds * 1000, paced) + 1000, `acted (and failed): the next tick comes soon (${String(delay)} ms)`);
    return true;
  }
  assert.equal(outcome.result, 'done', outcome.message);
  return false;
}
