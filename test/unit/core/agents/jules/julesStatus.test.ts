import assert from 'node:assert/strict';
import { julesFailureClass, parseRetryAfter } from '../../../../../src/core/agents/jules/julesApiError';
import { isSessionForTask, markedPrompt, sessionIdOf } from '../../../../../src/core/agents/jules/julesRunMarker';
import type { JulesActivity, JulesSession } from '../../../../../src/core/agents/jules/julesSchemas';
import { describeActivity, isTerminalJulesState, julesRunStatus, updateRunView } from '../../../../../src/core/agents/jules/julesStatus';

const session = (state: string | undefined, extra: Partial<JulesSession> = {}): JulesSession => ({ name: 'sessions/42', url: 'https://jules.google.com/session/42', ...(state === undefined ? {} : { state }), ...extra });
const activity = (extra: Partial<JulesActivity>): JulesActivity => ({ name: 'sessions/42/activities/a', createTime: '2026-12-07T10:00:00Z', ...extra });

describe('julesRunStatus', () => {
  it('maps every non-terminal working state, and a state it does not know, to running', () => {
    for (const state of ['QUEUED', 'PLANNING', 'IN_PROGRESS', 'STATE_UNSPECIFIED', 'SOMETHING_NEW', undefined]) {
      assert.deepEqual(julesRunStatus(session(state), {}), { state: 'running', usage: { sessionId: 'sessions/42' } }, String(state));
    }
  });

  it('needs you while the plan awaits approval (naming its steps), while Jules asks, and while paused', () => {
    const view = updateRunView({}, activity({ planGenerated: { plan: { steps: [{ title: 'Second', index: 1 }, { title: 'First\n step', index: 0 }] } } }));
    assert.deepEqual(julesRunStatus(session('AWAITING_PLAN_APPROVAL'), view), { state: 'needsYou', reason: 'Jules plan awaiting approval: 1. First step; 2. Second', usage: { sessionId: 'sessions/42' } });
    const asked = updateRunView(view, activity({ agentMessaged: { agentMessage: 'Which branch?' } }));
    assert.equal(julesRunStatus(session('AWAITING_USER_FEEDBACK'), asked).state === 'needsYou' && (julesRunStatus(session('AWAITING_USER_FEEDBACK'), asked) as { reason: string }).reason, 'Jules asks: Which branch? — answer with a follow-up, or at https://jules.google.com/session/42');
    assert.equal(julesRunStatus(session('PAUSED'), {}).state, 'needsYou');
    assert.match((julesRunStatus(session('AWAITING_PLAN_APPROVAL'), {}) as { reason: string }).reason, /the plan is not listed yet/);
  });

  it('succeeds with the pull request, or says there is none', () => {
    const done = julesRunStatus(session('COMPLETED', { outputs: [{ changeSet: {} }, { pullRequest: { url: 'https://github.com/acme/app/pull/7', title: 'Add login' } }] }), {});
    assert.deepEqual(done, { state: 'succeeded', summary: 'Jules opened https://github.com/acme/app/pull/7 (Add login). Session: https://jules.google.com/session/42', usage: { sessionId: 'sessions/42' } });
    const noPull = julesRunStatus(session('COMPLETED', { outputs: [{ changeSet: {} }] }), {});
    assert.equal(noPull.state === 'succeeded' && noPull.summary, 'Jules completed https://jules.google.com/session/42 without opening a pull request; its change set is in the session.');
  });

  it('fails with the reason; the concurrency cap or a quota is a rate limit (retried), anything else fatal', () => {
    const failed = (reason: string) => julesRunStatus(session('FAILED'), updateRunView({}, activity({ sessionFailed: { reason } })));
    assert.deepEqual(failed('Setup script failed'), { state: 'failed', failure: 'fatal', message: 'Jules session https://jules.google.com/session/42 failed: Setup script failed', usage: { sessionId: 'sessions/42' } });
    assert.equal(failed('You are currently at your concurrent task limit.').state === 'failed' && (failed('You are currently at your concurrent task limit.') as { failure: string }).failure, 'rateLimit');
    assert.equal((julesRunStatus(session('FAILED'), {}) as { message: string }).message, 'Jules session https://jules.google.com/session/42 failed: no reason given');
  });

  it('knows the terminal states', () => {
    assert.deepEqual(['COMPLETED', 'FAILED', 'PAUSED', 'AWAITING_USER_FEEDBACK', undefined].map(isTerminalJulesState), [true, true, false, false, false]);
  });
});

describe('describeActivity', () => {
  it('gives one line per kind, whatever newlines the text carries', () => {
    assert.equal(describeActivity(activity({ progressUpdated: { title: 'Ran tests', description: '3\npassed' } })), 'progress: Ran tests — 3 passed');
    assert.equal(describeActivity(activity({ planApproved: { planId: 'p' }, originator: 'user' })), 'plan approved (user)');
    assert.equal(describeActivity(activity({ userMessaged: { userMessage: 'Use dev.' } })), 'you: Use dev.');
    assert.equal(describeActivity(activity({ sessionFailed: { reason: 'boom' } })), 'session failed: boom');
    assert.equal(describeActivity(activity({ description: 'Session started' })), 'Session started');
  });
});

describe('julesFailureClass and parseRetryAfter', () => {
  it('classes a refused key as auth (401, 403, and Google\'s 400 API_KEY_INVALID), 429 as rate limit, 5xx as network, other 4xx fatal', () => {
    assert.deepEqual([[401, undefined], [403, undefined], [400, 'API_KEY_INVALID'], [429, 'RATE_LIMIT_EXCEEDED'], [500, undefined], [503, undefined], [400, undefined], [404, undefined]].map(([status, reason]) => julesFailureClass(status as number, reason as string | undefined)),
      ['auth', 'auth', 'auth', 'rateLimit', 'network', 'network', 'fatal', 'fatal']);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-12-07T10:00:00Z');
    assert.equal(parseRetryAfter('30', now), 30_000);
    assert.equal(parseRetryAfter('Mon, 07 Dec 2026 10:01:00 GMT', now), 60_000);
    assert.equal(parseRetryAfter(null, now), undefined);
    assert.equal(parseRetryAfter('soon', now), undefined);
  });
});

describe('the run marker', () => {
  it('ends the prompt with the task marker, which finds the session again and no other task\'s', () => {
    const prompt = markedPrompt('# Add login\n\nDo it.\n\n', 'add-login');
    assert.equal(prompt, '# Add login\n\nDo it.\n\n<!-- ato:task=add-login -->\n');
    assert.equal(isSessionForTask(session('QUEUED', { prompt }), 'add-login'), true);
    assert.equal(isSessionForTask(session('QUEUED', { prompt }), 'add'), false);
    assert.equal(isSessionForTask(session('QUEUED', { prompt: 'Quoted: `<!-- ato:task=add-login -->` mid-line' }), 'add-login'), false);
    assert.equal(isSessionForTask(session('QUEUED'), 'add-login'), false);
    assert.equal(sessionIdOf('sessions/123'), '123');
  });
});
