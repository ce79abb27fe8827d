import assert from 'node:assert/strict';
import { GitHubError } from '../../../../../src/core/forges/github/githubError';
import { createLogger } from '../../../../../src/core/logging/logger';
import { Redactor } from '../../../../../src/core/logging/redactor';
import type { ExecutionResult, LeaseAnswer, LoopBackend, LoopObservation } from '../../../../../src/core/loop/engine/loopBackend';
import { LoopEngine } from '../../../../../src/core/loop/engine/loopEngine';
import { initialLoopState, type LoopState, type PlannedAction } from '../../../../../src/core/loop/engine/loopModel';
import type { EventInput } from '../../../../../src/core/events/eventLog';

const promote: PlannedAction = { kind: 'promoteTask', reason: 'next task', taskId: 'add-login', path: 'planning/issue_queue/pending/add-login.task.md' };
const expiresAt = '2026-11-21T10:05:00.000Z';

function observation(action: PlannedAction | undefined): LoopObservation {
  return { decision: { stage: '2a', reason: action?.reason ?? 'nothing to do', focus: undefined, action, needsYou: [] }, otherTracks: [], redPullRequests: [], followedPullRequests: [], counts: { pending: 1, processed: 0, complete: 0, invalid: 0, unpromoted: 1, openAtoIssues: 0, openPullRequests: 0, followedPullRequests: 0, localDrafts: 0 }, drafts: [], inFlight: false };
}

/** A backend that holds a lease the engine takes and gives back, and records each step in order. */
class LeaseBackend implements LoopBackend {
  readonly mode = 'github' as const;
  readonly steps: string[] = [];
  answer: LeaseAnswer = { held: true, holder: 'me', expiresAt };
  releaseError: Error | undefined;
  constructor(private readonly next: LoopObservation) {}
  observe(): Promise<LoopObservation> {
    this.steps.push('observe');
    return Promise.resolve(this.next);
  }
  acquireLease(): Promise<LeaseAnswer> {
    this.steps.push(this.answer.held ? 'acquire' : 'acquire:refused');
    return Promise.resolve(this.answer);
  }
  releaseLease(): Promise<void> {
    this.steps.push('release');
    return this.releaseError === undefined ? Promise.resolve() : Promise.reject(this.releaseError);
  }
  execute(action: PlannedAction): Promise<ExecutionResult> {
    this.steps.push(`execute:${action.kind}`);
    return Promise.resolve({ result: 'done', message: 'done' });
  }
  queueDraft(): Promise<ExecutionResult> {
    this.steps.push('queueDraft');
    return Promise.resolve({ result: 'done', message: 'queued' });
  }
  usage() {
    return { requests: 0, points: 0, core: undefined, graphql: undefined };
  }
}

function engineOn(backend: LeaseBackend) {
  let state: LoopState = initialLoopState;
  const events: EventInput[] = [];
  const warnings: string[] = [];
  const engine = new LoopEngine({
    backend,
    updateLoop: recipe => { state = recipe(state); },
    appendEvent: event => { events.push(event); },
    log: createLogger({ write: (level, message) => { if (level === 'warn') warnings.push(message); } }, new Redactor()),
    now: () => new Date('2026-11-21T10:00:00Z'),
    timers: { setTimeout: () => undefined, clearTimeout: () => undefined },
    intervals: () => ({ activeMs: 30_000, idleMs: 300_000, fullRefreshMs: 600_000 }),
    autoMerge: () => true,
    trusted: () => true,
  });
  return { engine, events, warnings, state: () => state };
}

describe('LoopEngine and the remote lease (issue 9 C1: released when a one-shot ends and when the loop stops)', () => {
  it('a tick of a loop that is not started (ato tick, Run One Tick while paused) gives the lease back after its action', async () => {
    const backend = new LeaseBackend(observation(promote));
    const { engine, events, state } = engineOn(backend);
    await engine.tickNow();
    assert.deepEqual(backend.steps, ['observe', 'acquire', 'execute:promoteTask', 'release']);
    assert.equal(state().lease, undefined, 'the views no longer show a lease');
    assert.ok(events.some(event => event.kind === 'loop.leaseReleased'));
    await engine.close();
    assert.equal(backend.steps.filter(step => step === 'release').length, 1, 'nothing left to release');
  });

  it('a started loop keeps the lease between ticks, and gives it back when paused', async () => {
    const backend = new LeaseBackend(observation(promote));
    const { engine } = engineOn(backend);
    engine.start();
    await engine.tickNow();
    assert.deepEqual(backend.steps, ['observe', 'acquire', 'execute:promoteTask']);
    engine.pause();
    await engine.preview(); // after the queued release
    assert.deepEqual(backend.steps.slice(3), ['release', 'observe']);
  });

  it('close (ato run stopping, the window closing) gives the lease back after the running tick, once', async () => {
    const backend = new LeaseBackend(observation(promote));
    const { engine } = engineOn(backend);
    engine.start();
    const ticking = engine.tickNow();
    const closed = engine.close();
    assert.equal(engine.close(), closed);
    await ticking;
    await closed;
    assert.deepEqual(backend.steps, ['observe', 'acquire', 'execute:promoteTask', 'release']);
  });

  it('releases nothing it did not take: a dry run, a tick with nothing to do, a lease held by another loop', async () => {
    const idle = new LeaseBackend(observation(undefined));
    const first = engineOn(idle);
    await first.engine.preview();
    await first.engine.tickNow();
    await first.engine.close();
    assert.deepEqual(idle.steps, ['observe', 'observe']);
    const refused = new LeaseBackend(observation(promote));
    refused.answer = { held: false, holder: 'bob', expiresAt };
    const second = engineOn(refused);
    await second.engine.tickNow();
    await second.engine.close();
    assert.deepEqual(refused.steps, ['observe', 'acquire:refused']);
  });

  it('"Queue it" and a one-click merge while paused give the lease back too', async () => {
    const backend = new LeaseBackend(observation({ kind: 'mergePullRequest', reason: 'ready', pullNumber: 7, headSha: 'abc', markReady: false, closeIssues: [], stage: '2c' }));
    const { engine } = engineOn(backend);
    await engine.queueDraft('planning/issue_queue/pending/x.task.md');
    assert.deepEqual(backend.steps.slice(0, 3), ['acquire', 'queueDraft', 'release']);
    backend.steps.length = 0;
    await engine.mergeNow(7);
    assert.deepEqual(backend.steps.slice(0, 4), ['observe', 'acquire', 'execute:mergePullRequest', 'release']);
  });

  it('a failed release is a warning (the lease expires on its own), never a failed tick', async () => {
    const backend = new LeaseBackend(observation(promote));
    backend.releaseError = new GitHubError('server', 'Service Unavailable', 503);
    const { engine, warnings } = engineOn(backend);
    const report = await engine.tickNow();
    assert.equal(report.outcomes[0]?.result, 'done');
    assert.match(warnings.join('\n'), /could not be released.*Service Unavailable/);
  });

  it('records a lease taken over from a dead predecessor on this machine', async () => {
    const backend = new LeaseBackend(observation(promote));
    backend.answer = { held: true, holder: 'me', expiresAt, takenOverFrom: 'ci (pid 4242)' };
    const { engine, events } = engineOn(backend);
    await engine.tickNow();
    assert.equal(events.find(event => event.kind === 'loop.leaseTakenOver')?.['from'], 'ci (pid 4242)');
  });
});
