import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { renderStatus } from '../../../../src/cli/statusText';
import { initialLoopState, type MergeRuleResult } from '../../../../src/core/loop/engine/loopModel';
import { loopStatusOf } from '../../../../src/core/state/loopStatus';
import { statusDocumentJsonSchema, statusDocumentSchema, statusLoopSchema, type StatusDocument } from '../../../../src/core/state/statusDocument';
import { aFollowedPullRequest, aLoopState, aPlan, mergeAction } from '../../../support/loopStates';

const where = { repository: 'octo/repo', branch: 'main' };
const heldPlan = aPlan({ tracks: [{ track: 'runs', action: undefined, reason: 'No local agent run in flight.' }, { track: 'planning', action: undefined, reason: 'Auto-merge is off: it waits for your one-click merge.', held: { action: mergeAction, waitsFor: 'you' } }] });

function documentOf(loop: StatusDocument['loop']): StatusDocument {
  return { workspace: '/work/repo', planning: { kind: 'ready', path: '/work/repo/planning', queue: { pending: 9, processed: 9, complete: 9 } }, auth: { github: { kind: 'token' }, gitlab: false, jules: false, anthropic: false }, settingsProblems: [], loop };
}

describe('ato status --json: the document', () => {
  const file = join(process.cwd(), 'schemas', 'ato-status.schema.json');

  it('schemas/ato-status.schema.json is the JSON Schema generated from the zod schema (ATO_UPDATE_SCHEMAS=1 rewrites it)', async () => {
    const expected = statusDocumentJsonSchema();
    if (process.env['ATO_UPDATE_SCHEMAS'] === '1') {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, `${JSON.stringify(expected, null, 2)}\n`);
    }
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')) as unknown, expected);
  });

  it('the loop\'s state becomes the contract: focus with its kind, next steps with the held merge, counts, followed PRs with CI and verdict', () => {
    const status = loopStatusOf(aLoopState(), heldPlan, where);
    assert.ok(statusLoopSchema.safeParse(status).success, JSON.stringify(statusLoopSchema.safeParse(status).error?.issues));
    assert.ok(status.available);
    assert.deepEqual([status.stage, status.stageName, status.repository, status.branch], ['2c', 'Development', 'octo/repo', 'main']);
    assert.deepEqual(status.focus, {
      kind: 'task', label: 'Task add-login · issue #3 · PR #12', title: 'Add a login form', taskId: 'add-login', sourcePullRequest: null,
      issue: { number: 3, title: 'Add a login form', url: 'https://github.com/octo/repo/issues/3' },
      pullRequest: { number: 12, title: '[WIP] Add a login form', url: 'https://github.com/octo/repo/pull/12' },
    });
    assert.deepEqual(status.next, [
      { track: 'runs', action: null, summary: null, waitsFor: null, reason: 'No local agent run in flight.' },
      { track: 'planning', action: 'mergePullRequest', summary: 'Merge PR #12 at abcdef1, then close #3', waitsFor: 'you', reason: 'Auto-merge is off: it waits for your one-click merge.' },
    ]);
    assert.deepEqual(status.counts, aLoopState().counts);
    assert.deepEqual(status.followedPullRequests.map(pr => [pr.number, pr.ci, pr.work.label, pr.verdict.rules.map(rule => rule.rule)]), [[12, 'pending', 'Task add-login', ['open', 'reviewSignal', 'checksGreen']]]);
    assert.deepEqual(status.needsYou[0], { kind: 'readyToMerge', title: 'PR #12 is ready to merge', detail: 'auto-merge is off', url: 'https://github.com/octo/repo/pull/12', pullNumber: 12, issueNumber: null, taskId: null, action: 'merge' });
    assert.ok(statusDocumentSchema.safeParse(documentOf(status)).success);
  });

  it('passes a rule the merge policy adds later through as it is', () => {
    // A rule id this version does not know (the type says which it knows; the contract takes any).
    const rule = { rule: 'authorTrusted', ok: false, detail: 'opened by a stranger' } as unknown as MergeRuleResult;
    const status = loopStatusOf(aLoopState({ followedPullRequests: [aFollowedPullRequest(12, { verdict: { ready: false, rules: [rule] } })] }), heldPlan, where);
    assert.ok(statusLoopSchema.safeParse(status).success);
    assert.deepEqual(status.available && status.followedPullRequests[0]?.verdict.rules, [{ rule: 'authorTrusted', ok: false, detail: 'opened by a stranger' }]);
  });

  it('without a stage or counts yet, or off: not available, with why', () => {
    assert.deepEqual(loopStatusOf(initialLoopState, aPlan(), where), { available: false, mode: 'off', reason: 'No loop runs here.' });
    assert.deepEqual(loopStatusOf(aLoopState({ counts: undefined }), aPlan(), where), { available: false, mode: 'github', reason: 'The loop has not read its planning branch yet.' });
    assert.deepEqual(loopStatusOf(aLoopState({ error: 'GitHub: 502' }), aPlan({ stage: undefined }), where), { available: false, mode: 'github', reason: 'GitHub: 502' });
  });
});

describe('ato status: the text', () => {
  it('shows the stage, reason, focus, next steps (the held merge too), counts, followed PRs rule by rule, red PRs, needs-you and the budget', () => {
    const text = renderStatus(documentOf(loopStatusOf(aLoopState(), heldPlan, where)));
    const expected = [
      'workspace: /work/repo',
      'planning: ready (the loop reads the planning branch; counts below)',
      'loop: octo/repo, planning branch main',
      'stage 2c · Development: PR #12 is ready',
      'focus: Task add-login · issue #3 · PR #12 — Add a login form',
      '  PR #12: [WIP] Add a login form',
      'next tick:',
      '  runs: nothing — No local agent run in flight.',
      '  planning: Merge PR #12 at abcdef1, then close #3 (waits for you) — Auto-merge is off: it waits for your one-click merge.',
      'counts on main: 3 pending · 1 processed · 2 complete · 1 invalid · 2 unpromoted · 2 open ATO issues · 1 of 5 open PRs followed',
      'pull requests the loop follows:',
      '  #12 Add a login form 12 (by Copilot) — Task add-login · CI pending · 2 merge rules unmet',
      '      ✓ open',
      '      ✗ no review requested and no approval',
      '      ✗ checks pending: ci/build',
      'red PRs:',
      '  #21 Fix the build 21 — failing: test (ubuntu), lint',
      '  #22 Fix the build 22 — failing: build (draft)',
      'needs you:',
      '  PR #12 is ready to merge — auto-merge is off https://github.com/octo/repo/pull/12',
    ];
    for (const line of expected) assert.ok(text.includes(`${line}\n`), `missing line: ${line}\n${text}`);
    assert.ok(!text.includes('  issue #3:'), 'an issue titled like the work says only its number (in the focus label)');
    assert.match(text, /^budget: core 4321\/5000 \(resets 2026-11-21T11:00:00\.000Z\) · GraphQL 120\/5000 \(resets 2026-11-21T10:30:00\.000Z\)$/m);
  });

  it('without a loop: the mode and why, and the working tree\'s counts', () => {
    const text = renderStatus(documentOf({ available: false, mode: 'off', reason: 'No GitHub token: set ATO_GITHUB_TOKEN.' }));
    assert.match(text, /^planning: ready \(9 pending, 9 dispatched, 9 complete\)$/m);
    assert.match(text, /^loop: off — No GitHub token: set ATO_GITHUB_TOKEN\.$/m);
  });
});
