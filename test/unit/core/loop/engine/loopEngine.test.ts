import assert from 'node:assert/strict';
import { GitHubError } from '../../../../../src/core/forges/github/githubError';
import { createLogger } from '../../../../../src/core/logging/logger';
import { Redactor } from '../../../../../src/core/logging/redactor';
import type { ExecutionResult, LeaseAnswer, LoopBackend, LoopObservation } from '../../../../../src/core/loop/engine/loopBackend';
import { LoopEngine, type LoopTimers } from '../../../../../src/core/loop/engine/loopEngine';
import { initialLoopState, type LoopCounts, type LoopState, type PlannedAction, type StageDecision, type TickPlan, type TrackPlan } from '../../../../../src/core/loop/engine/loopModel';
import type { EventInput } from '../../../../../src/core/events/eventLog';

const merge: PlannedAction = { kind: 'mergePullRequest', reason: 'PR #7 is ready', pullNumber: 7, headSha: 'abc1234def', markReady: false, closeIssues: [], stage: '2c' };
const promote: PlannedAction = { kind: 'promoteTask', reason: 'next task', taskId: 'add-login', path: 'planning/issue_queue/pending/add-login.task.md' };

const counts: LoopCounts = { pending: 1, processed: 0, complete: 0, invalid: 0, unpromoted: 1, openAtoIssues: 0, openPullRequests: 0, followedPullRequests: 0, localDrafts: 0 };

function planning(plan: TickPlan | undefined): TrackPlan {
  const track = plan?.tracks.find(t => t.track === 'planning');
  assert.ok(track, 'a planning track');
  return track;
}

function observation(action: PlannedAction | undefined, inFlight = false): LoopObservation {
  const decision: StageDecision = { stage: action?.kind === 'mergePullRequest' ? '2c' : '2a', reason: action === undefined ? 'Waiting for PR #7: checks pending' : action.reason, focus: undefined, action, needsYou: [] };
  return { decision, otherTracks: [{ track: 'runs', action: undefined, reason: 'No run in flight.' }], redPullRequests: [], followedPullRequests: [], counts, drafts: [], inFlight };
}

/** A scripted backend: each observe returns the next scripted answer; records what it was asked. */
class ScriptedBackend implements LoopBackend {
  readonly mode = 'github' as const;
  readonly observeCalls: boolean[] = [];
  readonly executed: PlannedAction[] = [];
  requests = 0;
  points = 0;
  pointsPerObserve = 0;
  graphql: { resource: 'graphql'; limit: number; remaining: number; resetAt: string } | undefined;
  lease: LeaseAnswer = { held: true, holder: 'me', expiresAt: '2026-11-21T10:05:00.000Z' };
  executeResult: ExecutionResult | Error = { result: 'done', message: 'merged' };
  constructor(private readonly script: (LoopObservation | 'unchanged' | Error)[]) {}
  observe(options: { full: boolean }): Promise<LoopObservation | 'unchanged'> {
    this.observeCalls.push(options.full);
    this.requests += 1;
    this.points += this.pointsPerObserve;
    const next = this.script.length > 1 ? this.script.shift() : this.script[0];
    if (next === undefined) throw new Error('script exhausted');
    if (next instanceof Error) return Promise.reject(next);
    return Promise.resolve(next);
  }
  acquireLease(): Promise<LeaseAnswer> {
    return Promise.resolve(this.lease);
  }
  execute(action: PlannedAction): Promise<ExecutionResult> {
    this.executed.push(action);
    if (this.executeResult instanceof Error) return Promise.reject(this.executeResult);
    return Promise.resolve(this.executeResult);
  }
  usage() {
    return { requests: this.requests, points: this.points, core: undefined, graphql: this.graphql };
  }
}

class ManualTimers implements LoopTimers {
  pending: { callback: () => void; ms: number }[] = [];
  setTimeout(callback: () => void, ms: number): unknown {
    const entry = { callback, ms };
    this.pending.push(entry);
    return entry;
  }
  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter(p => p !== handle);
  }
  /** Fires the oldest timer, as the clock would. */
  fire(): void {
    const next = this.pending.shift();
    assert.ok(next, 'no timer is pending');
    next.callback();
  }
}

function harness(backend: ScriptedBackend, overrides: { autoMerge?: boolean; trusted?: boolean } = {}) {
  let state: LoopState = initialLoopState;
  const events: EventInput[] = [];
  const timers = new ManualTimers();
  let clock = Date.parse('2026-11-21T10:00:00Z');
  const engine = new LoopEngine({
    backend,
    updateLoop: recipe => { state = recipe(state); },
    appendEvent: event => { events.push(event); },
    log: createLogger({ write: () => undefined }, new Redactor()),
    now: () => new Date(clock),
    timers,
    intervals: () => ({ activeMs: 30_000, idleMs: 300_000, fullRefreshMs: 600_000 }),
    autoMerge: () => overrides.autoMerge ?? false,
    trusted: () => overrides.trusted ?? true,
  });
  return { engine, events, timers, get state() { return state; }, advance(ms: number) { clock += ms; } };
}

describe('LoopEngine', () => {
  it('takes the planning action of a tick and records it with its reason', async () => {
    const backend = new ScriptedBackend([observation(promote)]);
    const h = harness(backend);
    const report = await h.engine.tickNow();
    assert.deepEqual(backend.executed, [promote]);
    assert.equal(report.outcomes.length, 1);
    assert.equal(report.outcomes[0]?.result, 'done');
    assert.equal(h.state.stage?.stage, '2a');
    assert.equal(h.state.lastReport, report);
    const tick = h.events.find(e => e.kind === 'loop.tick');
    assert.ok(tick);
    assert.equal(tick['reason'], 'next task');
  });

  it('previews without acting', async () => {
    const backend = new ScriptedBackend([observation(promote)]);
    const h = harness(backend);
    const plan = await h.engine.preview();
    assert.deepEqual(backend.executed, []);
    assert.equal(plan.tracks.find(t => t.track === 'planning')?.action, promote);
    assert.equal(h.state.plan, plan);
    assert.equal(h.state.lastReport, undefined);
    assert.ok(h.events.some(e => e.kind === 'loop.preview'));
  });

  it('leaves a ready PR to the user while auto-merge is off, and merges it on the one-click merge', async () => {
    const backend = new ScriptedBackend([observation(merge)]);
    const h = harness(backend);
    const report = await h.engine.tickNow();
    assert.deepEqual(backend.executed, []);
    assert.match(report.plan.tracks.find(t => t.track === 'planning')?.reason ?? '', /Auto-merge is off/);
    const outcome = await h.engine.mergeNow(7);
    assert.equal(outcome.result, 'done');
    assert.deepEqual(backend.executed, [merge]);
  });

  it('drops the plan once the state it was planned from moves on: the merge it planned is done (issue 14)', async () => {
    const afterMerge = observation(promote);
    const backend = new ScriptedBackend([observation(merge), observation(merge), afterMerge]);
    const h = harness(backend);
    await h.engine.tickNow();
    assert.ok(planning(h.state.plan).held !== undefined, 'the tick planned the merge, waiting for you');
    await h.engine.mergeNow(7);
    assert.equal(h.state.stage, afterMerge.decision, 'the state after the merge is shown');
    assert.equal(h.state.plan, undefined, 'the plan that named the merge is gone');
  });

  it('keeps the plan while the state it was planned from stands (a merge GitHub refused changes nothing)', async () => {
    const backend = new ScriptedBackend([observation(merge), observation(merge), observation(merge)]);
    backend.executeResult = { result: 'failed', message: 'GitHub answered 405: base branch policy' };
    const h = harness(backend);
    const plan = await h.engine.preview();
    await h.engine.mergeNow(7);
    assert.equal(h.state.plan, plan);
  });

  it('names the merge that waits for you in the plan (a preview and a tick alike), with why it waits', async () => {
    const backend = new ScriptedBackend([observation(merge)]);
    const h = harness(backend);
    for (const plan of [await h.engine.preview(), (await h.engine.tickNow()).plan]) {
      const track = planning(plan);
      assert.equal(track.action, undefined, 'the tick does not take it');
      assert.deepEqual(track.held, { action: merge, waitsFor: 'you' });
      assert.equal(track.reason, 'PR #7 is ready Auto-merge is off (`ato.merge.auto`, headless `ATO_MERGE_AUTO`): it waits for your one-click merge under Needs you.');
    }
    assert.deepEqual(backend.executed, []);
    const tick = h.events.find(e => e.kind === 'loop.tick');
    assert.deepEqual((tick?.['tracks'] as unknown[]).at(-1), { track: 'planning', action: undefined, summary: 'Merge PR #7 at abc1234', waitsFor: 'you', reason: planning(h.state.plan).reason });
  });

  it('an untrusted workspace plans the action and holds it for trust', async () => {
    const backend = new ScriptedBackend([observation(promote)]);
    const plan = await harness(backend, { trusted: false }).engine.preview();
    assert.deepEqual(planning(plan).held, { action: promote, waitsFor: 'trust' });
    assert.equal(planning(plan).action, undefined);
  });

  it('publishes the followed PRs and the counts of each observation', async () => {
    const followed = { number: 7, title: 'Add a', url: 'https://github.com/o/r/pull/7', author: 'Copilot', isDraft: false, headSha: 'abc1234def', work: { kind: 'task' as const, taskId: 'a' }, ci: 'green' as const, failingChecks: [], pendingChecks: [], verdict: { ready: true, rules: [] } };
    const backend = new ScriptedBackend([{ ...observation(merge), followedPullRequests: [followed] }]);
    const h = harness(backend);
    await h.engine.preview();
    assert.deepEqual(h.state.followedPullRequests, [followed]);
    assert.deepEqual(h.state.counts, counts);
  });

  it('merges on its own when auto-merge is on', async () => {
    const backend = new ScriptedBackend([observation(merge)]);
    await harness(backend, { autoMerge: true }).engine.tickNow();
    assert.deepEqual(backend.executed, [merge]);
  });

  it('refuses a one-click merge of a PR that is not the ready one', async () => {
    const backend = new ScriptedBackend([observation(merge)]);
    const outcome = await harness(backend).engine.mergeNow(8);
    assert.equal(outcome.result, 'skipped');
    assert.match(outcome.message, /PR #8 is not ready/);
    assert.deepEqual(backend.executed, []);
  });

  it('refusing a one-click merge of the PR the stage waits for, names it once', async () => {
    const waiting = observation(undefined);
    const focus = { kind: 'task' as const, title: 'Add a', taskId: 'a', pullRequest: { number: 7, title: 'Add a', url: 'https://github.com/o/r/pull/7' } };
    const backend = new ScriptedBackend([{ ...waiting, decision: { ...waiting.decision, stage: '2b', reason: 'Waiting for PR #7 (task a): checks pending: ci/build.', focus } }]);
    const outcome = await harness(backend).engine.mergeNow(7);
    assert.equal(outcome.message, 'Not merged now: Waiting for PR #7 (task a): checks pending: ci/build.');
  });

  it('does not act when another loop holds the lease', async () => {
    const backend = new ScriptedBackend([observation(promote)]);
    backend.lease = { held: false, holder: 'ci@runner#42', expiresAt: '2026-11-21T10:05:00.000Z' };
    const h = harness(backend);
    const report = await h.engine.tickNow();
    assert.deepEqual(backend.executed, []);
    assert.equal(report.outcomes[0]?.result, 'skipped');
    assert.match(String(report.outcomes.at(0)?.message), /ci@runner#42/);
    assert.deepEqual(h.state.lease, { holder: 'ci@runner#42', mine: false, expiresAt: '2026-11-21T10:05:00.000Z' });
  });

  it('acts on nothing in an untrusted workspace, and says so', async () => {
    const backend = new ScriptedBackend([observation(promote)]);
    const report = await harness(backend, { trusted: false }).engine.tickNow();
    assert.deepEqual(backend.executed, []);
    assert.match(report.plan.tracks.find(t => t.track === 'planning')?.reason ?? '', /not trusted/);
  });

  it('reads everything after its own write, then lets an unchanged probe reuse the last observation', async () => {
    const backend = new ScriptedBackend([observation(promote), observation(undefined), 'unchanged']);
    const h = harness(backend);
    await h.engine.tickNow(); // first: full
    await h.engine.tickNow(); // after a write: full
    const idle = await h.engine.tickNow(); // nothing in flight, nothing changed
    assert.deepEqual(backend.observeCalls, [true, true, false]);
    assert.equal(idle.plan.stage?.reason, 'Waiting for PR #7: checks pending');
    assert.deepEqual(idle.outcomes, []);
  });

  it('reads everything while something is in flight, and after the full-refresh interval', async () => {
    const backend = new ScriptedBackend([observation(undefined, true), observation(undefined, false), 'unchanged']);
    const h = harness(backend);
    await h.engine.tickNow();
    await h.engine.tickNow();
    await h.engine.tickNow();
    h.advance(600_000);
    await h.engine.tickNow();
    assert.deepEqual(backend.observeCalls, [true, true, false, true]);
  });

  it('records a failed tick in the state, keeps the last stage, and backs off', async () => {
    const backend = new ScriptedBackend([observation(undefined), new GitHubError('server', 'GitHub answered 502', 502)]);
    const h = harness(backend);
    h.engine.start();
    assert.equal(h.timers.pending[0]?.ms, 0);
    await h.engine.tickNow();
    h.advance(600_000);
    await assert.rejects(h.engine.tickNow(), /502/);
    assert.match(h.state.error ?? '', /GitHub: GitHub answered 502/);
    assert.equal(h.state.stage?.stage, '2a');
    assert.equal(h.timers.pending.at(-1)?.ms, 60_000);
    assert.ok(h.events.some(e => e.kind === 'loop.tickFailed'));
  });

  it('waits as long as GitHub says after a rate limit', async () => {
    const backend = new ScriptedBackend([new GitHubError('rateLimited', 'secondary rate limit', 403, 240_000)]);
    const h = harness(backend);
    h.engine.start();
    await assert.rejects(h.engine.tickNow());
    assert.equal(h.timers.pending.at(-1)?.ms, 240_000);
    assert.match(h.state.error ?? '', /wait 240 s/);
  });

  it('paces ticks so the GraphQL budget lasts until it resets', async () => {
    const backend = new ScriptedBackend([observation(undefined, true)]);
    backend.pointsPerObserve = 100;
    backend.graphql = { resource: 'graphql', limit: 5000, remaining: 1000, resetAt: '2026-11-21T11:00:00.000Z' };
    const h = harness(backend);
    h.engine.start();
    await h.engine.tickNow();
    // In flight wants 30 s, but 1,000 points at 100 a tick must last the hour until the reset: 6 minutes.
    assert.equal(h.timers.pending.at(-1)?.ms, 360_000);
    backend.graphql = { resource: 'graphql', limit: 5000, remaining: 5000, resetAt: '2026-11-21T11:00:00.000Z' };
    await h.engine.tickNow();
    assert.equal(h.timers.pending.at(-1)?.ms, 72_000);
    backend.pointsPerObserve = 0;
    await h.engine.tickNow();
    assert.equal(h.timers.pending.at(-1)?.ms, 30_000, 'a free tick is not slowed');
  });

  it('ticks on its timer while started, and stops when paused', async () => {
    const backend = new ScriptedBackend([observation(undefined)]);
    const h = harness(backend);
    h.engine.start();
    assert.equal(h.state.running, true);
    h.timers.fire();
    await h.engine.preview(); // waits for the timer's tick (ticks are serialised)
    assert.ok(backend.observeCalls.length >= 2);
    h.engine.pause();
    assert.equal(h.state.running, false);
    assert.deepEqual(h.timers.pending, []);
  });

  it('never runs two ticks at once', async () => {
    let inside = 0;
    let overlap = false;
    const backend = new ScriptedBackend([observation(undefined)]);
    const observe = backend.observe.bind(backend);
    backend.observe = async options => {
      inside += 1;
      if (inside > 1) overlap = true;
      await new Promise(resolve => setImmediate(resolve));
      inside -= 1;
      return observe(options);
    };
    const h = harness(backend);
    await Promise.all([h.engine.tickNow(), h.engine.preview(), h.engine.tickNow()]);
    assert.equal(overlap, false);
  });

  it('reports a failed action as an outcome without failing the tick', async () => {
    const backend = new ScriptedBackend([observation(promote)]);
    backend.executeResult = new GitHubError('invalid', 'Validation Failed', 422);
    const report = await harness(backend).engine.tickNow();
    assert.equal(report.outcomes[0]?.result, 'failed');
    assert.match(String(report.outcomes.at(0)?.message), /Validation Failed/);
  });
});
