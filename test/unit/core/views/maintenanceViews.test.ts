import assert from 'node:assert/strict';
import { renderStatus } from '../../../../src/cli/statusText';
import { Redactor } from '../../../../src/core/logging/redactor';
import type { PullCareView, RedPullRequest } from '../../../../src/core/loop/engine/loopModel';
import { loopStatusOf } from '../../../../src/core/state/loopStatus';
import { buildPanelSnapshot } from '../../../../src/core/state/panelSnapshot';
import { statusLoopSchema, type StatusDocument } from '../../../../src/core/state/statusDocument';
import { fixAgentChoices } from '../../../../src/core/views/fixAgentChoices';
import { redPullRequestRows } from '../../../../src/core/views/loopTreeRows';
import { statusBarView } from '../../../../src/core/views/statusBarModel';
import { panelSnapshotSchema } from '../../../../src/shared/protocol';
import { ago, attemptsText, maxShownExcerptChars, pullCareCounts } from '../../../../src/shared/pullCare';
import { aLoopState, aPlan, aRedPullRequest } from '../../../support/loopStates';
import { anAgentSummary } from '../../../support/panelState';
import { anAtoState } from '../../../support/stateBuilders';

const fixing: PullCareView = { state: 'fixing', attempts: 2, maxAttempts: 3, reason: 'fix attempt 2 of 3 asked at abcdef1; waiting for a push', author: 'copilot', lastFix: { attempt: 2, headSha: 'abcdef1234567', agent: 'copilot', at: '2026-11-21T09:55:00.000Z' }, logExcerpt: 'error TS2322\n  at x.ts:1' };
const stuck: PullCareView = { state: 'needsYou', attempts: 3, maxAttempts: 3, reason: 'CI is still red after 3 fix attempts', author: 'local' };
const prs: RedPullRequest[] = [aRedPullRequest(21, { care: fixing }), aRedPullRequest(22, { care: stuck }), aRedPullRequest(23), aRedPullRequest(24, { care: { ...fixing, state: 'fixed', reason: 'CI is green' } })];

describe('maintenance track views (issue 11)', () => {
  it('counts fixing PRs apart from red ones (no care and needs-you are red; fixed is neither)', () => {
    assert.deepEqual(pullCareCounts(prs), { red: 2, fixing: 1 });
    assert.deepEqual(pullCareCounts([]), { red: 0, fixing: 0 });
    assert.equal(attemptsText(2, 3), 'attempt 2 of 3');
    assert.equal(attemptsText(0, 3), 'no fix attempt yet (budget 3)');
    const now = Date.parse('2026-11-21T10:00:00.000Z');
    assert.deepEqual(['2026-11-21T09:59:30.000Z', '2026-11-21T09:55:00.000Z', '2026-11-21T07:00:00.000Z', '2026-11-18T10:00:00.000Z', 'garbage'].map(at => ago(at, now)), ['just now', '5m ago', '3h ago', '3d ago', '']);
  });

  it('the status bar says "2 red 1 fixing", and the tooltip what fixing means', () => {
    const view = statusBarView(anAtoState({ loop: aLoopState({ redPullRequests: prs, needsYou: [] }) }));
    assert.match(view.text, /\$\(git-pull-request\) 2 red 1 fixing/);
    assert.match(view.tooltip, /1 pull request being fixed by an agent/);
    const onlyFixing = statusBarView(anAtoState({ loop: aLoopState({ redPullRequests: [aRedPullRequest(21, { care: fixing })], needsYou: [] }) }));
    assert.match(onlyFixing.text, /\$\(git-pull-request\) 1 fixing/);
    assert.doesNotMatch(onlyFixing.text, /red/);
  });

  it('the tree shows each PR\'s state and attempts, and the group its counts', () => {
    const group = redPullRequestRows(anAtoState({ loop: aLoopState({ redPullRequests: prs }) })).at(0);
    assert.ok(group);
    assert.equal(group.description, '2 red · 1 fixing');
    const [fixingRow, stuckRow, plainRow] = [0, 1, 2].map(index => group.children?.at(index));
    assert.ok(fixingRow && stuckRow && plainRow);
    assert.equal(fixingRow.description, 'fixing · attempt 2 of 3 · 2 failing');
    assert.equal(fixingRow.icon, 'sync');
    assert.match(fixingRow.tooltip ?? '', /Last fix: attempt 2 by copilot at 2026-11-21T09:55:00.000Z on abcdef1/);
    assert.equal(stuckRow.description, 'needs you · attempt 3 of 3 · 2 failing');
    assert.equal(plainRow.description, '2 failing · 1 fix attempt', 'no care: as before');
    assert.equal(fixingRow.contextValue, 'ato.pr.red', 'Fix now and Send to… are on the row\'s menu');
  });

  it('Send to… offers the agents that can push to the PR: local ones always, Copilot and Jules only on their own PRs, never the read-only claude', () => {
    const agents = [anAgentSummary({ id: 'claude', kind: 'claude' }), anAgentSummary({ id: 'copilot', kind: 'copilot' }), anAgentSummary({ id: 'jules', kind: 'jules' }), anAgentSummary({ id: 'claude-code', kind: 'claude-code' }), anAgentSummary({ id: 'aider', kind: 'custom', health: { state: 'failing', detail: 'not on PATH' } })];
    assert.deepEqual(fixAgentChoices(agents, 'copilot').map(choice => choice.id), ['copilot', 'claude-code', 'aider']);
    assert.deepEqual(fixAgentChoices(agents, 'jules').map(choice => choice.id), ['jules', 'claude-code', 'aider']);
    assert.deepEqual(fixAgentChoices(agents, 'person').map(choice => choice.id), ['claude-code', 'aider']);
    assert.match(fixAgentChoices(agents, 'person')[1]?.description ?? '', /failing: not on PATH/);
    assert.equal(fixAgentChoices(agents, 'copilot')[0]?.description.startsWith('wrote this PR'), true);
  });

  it('the panel snapshot carries care, its excerpt redacted and bounded; no care is null; it parses', () => {
    const redactor = new Redactor();
    const secret = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    const huge = `${'x'.repeat(maxShownExcerptChars)}\n${secret}`;
    const loop = aLoopState({ redPullRequests: [aRedPullRequest(21, { care: { ...fixing, logExcerpt: `token ${secret} leaked` } }), aRedPullRequest(22, { care: { ...stuck, logExcerpt: huge } }), aRedPullRequest(23)] });
    const snapshot = buildPanelSnapshot(anAtoState({ loop }), redactor);
    const [first, second, third] = [0, 1, 2].map(index => snapshot.loop.redPullRequests.at(index)?.care);
    assert.ok(first && second);
    assert.equal(first.state, 'fixing');
    assert.deepEqual(first.lastFix, { attempt: 2, headSha: 'abcdef1234567', agent: 'copilot', at: '2026-11-21T09:55:00.000Z' });
    assert.equal(first.logExcerpt, 'token ghp_‹redacted› leaked');
    assert.ok(second.logExcerpt !== null);
    assert.equal(second.logExcerpt.length, maxShownExcerptChars);
    assert.match(second.logExcerpt, /… \(cut\)$/);
    assert.equal(second.lastFix, null);
    assert.equal(third, null);
    const parsed = panelSnapshotSchema.safeParse(JSON.parse(JSON.stringify(snapshot)));
    assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
  });

  it('ato status --json lists each PR\'s care (state, attempts, maxAttempts, reason, lastFix); the text one line per PR', () => {
    const status = loopStatusOf(aLoopState({ redPullRequests: prs }), aPlan(), { repository: 'octo/repo', branch: 'main' });
    assert.ok(statusLoopSchema.safeParse(status).success, JSON.stringify(statusLoopSchema.safeParse(status).error?.issues));
    assert.ok(status.available);
    const [fixingCare, stuckCare, noCare] = [0, 1, 2].map(index => status.redPullRequests.at(index)?.care);
    assert.deepEqual(fixingCare, { state: 'fixing', attempts: 2, maxAttempts: 3, reason: fixing.reason, author: 'copilot', lastFix: { attempt: 2, headSha: 'abcdef1234567', agent: 'copilot', at: '2026-11-21T09:55:00.000Z' } });
    assert.equal(stuckCare?.lastFix, null);
    assert.equal(noCare, null);
    assert.equal('logExcerpt' in fixingCare, false, 'the log stays out of the status document');
    const document: StatusDocument = { workspace: '/w', planning: { kind: 'ready', path: '/w/planning', queue: { pending: 0, processed: 0, complete: 0 } }, auth: { github: { kind: 'token' }, gitlab: false, jules: false, anthropic: false }, settingsProblems: [], loop: status };
    const lines = renderStatus(document).split('\n');
    assert.ok(lines.includes('  #21 Fix the build 21 — fixing, attempt 2 of 3 (last: copilot at 2026-11-21T09:55:00.000Z, abcdef1): fix attempt 2 of 3 asked at abcdef1; waiting for a push — failing: test (ubuntu), lint'), lines.join('\n'));
    assert.ok(lines.includes('  #22 Fix the build 22 — needs you, attempt 3 of 3: CI is still red after 3 fix attempts — failing: test (ubuntu), lint'));
    assert.ok(lines.includes('  #23 Fix the build 23 — failing: test (ubuntu), lint'));
  });
});
