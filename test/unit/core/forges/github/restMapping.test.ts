import assert from 'node:assert/strict';
import { linkedPullRequestsOf, mapRestIssue, timelineSignalsOf } from '../../../../../src/core/forges/github/restMapping';
import { restIssueSchema } from '../../../../../src/core/forges/github/restSchemas';
import { restIssue } from './payloads';

describe('REST issue → IssueSummary', () => {
  it('maps the fields; labels may be objects or names; a deleted author is ghost', () => {
    const parsed = restIssueSchema.parse(restIssue(3, {
      labels: [{ name: 'ato:task' }, 'plain'], body: null, user: null, state: 'closed', state_reason: 'completed', closed_at: '2026-11-03T00:00:00Z',
    }));
    assert.deepEqual(mapRestIssue(parsed, [8]), {
      number: 3, nodeId: 'I_3', title: 'Issue 3', body: '', state: 'closed', stateReason: 'completed',
      labels: ['ato:task', 'plain'], assignees: ['copilot-swe-agent[bot]'], author: 'ghost',
      createdAt: '2026-11-01T10:00:00Z', updatedAt: '2026-11-02T10:00:00Z', closedAt: '2026-11-03T00:00:00Z',
      url: 'https://github.com/octo/app/issues/3', linkedPullRequests: [8],
    });
  });

  it('rejects an issue without its number or state', () => {
    assert.equal(restIssueSchema.safeParse(restIssue(3, { number: undefined })).success, false);
    assert.equal(restIssueSchema.safeParse(restIssue(3, { state: 'merged' })).success, false);
  });
});

describe('REST timeline → signals and linked pull requests', () => {
  const entries: unknown[] = [
    { event: 'committed', sha: 'abc', author: { name: 'x' } },
    { event: 'copilot_work_started', created_at: '2026-11-01T10:00:00Z', actor: { login: 'Copilot' }, performed_via_github_app: { slug: 'copilot-swe-agent' } },
    { event: 'review_requested', created_at: '2026-11-01T11:00:00Z', actor: { login: 'Copilot' }, review_requester: { login: 'Copilot' }, requested_reviewer: { login: 'alice' } },
    { event: 'review_requested', created_at: '2026-11-01T11:01:00Z', actor: { login: 'alice' }, review_requester: { login: 'alice' }, requested_team: { slug: 'core' } },
    { event: 'ready_for_review', created_at: '2026-11-01T12:00:00Z', actor: { login: 'alice' } },
    { event: 'copilot_work_finished', created_at: '2026-11-01T12:30:00Z', actor: { login: 'Copilot' } },
    { event: 'copilot_work_finished_failure', created_at: '2026-11-01T13:00:00Z', actor: null },
    { event: 'labeled', created_at: '2026-11-01T13:00:00Z', actor: { login: 'alice' }, label: { name: 'x' } },
    { event: 'cross-referenced', created_at: '2026-11-01T09:00:00Z', source: { type: 'issue', issue: { number: 12, pull_request: { url: 'u' }, repository: { full_name: 'octo/app' } } } },
    { event: 'cross-referenced', created_at: '2026-11-01T09:01:00Z', source: { type: 'issue', issue: { number: 13, repository: { full_name: 'octo/app' } } } },
    { event: 'cross-referenced', created_at: '2026-11-01T09:02:00Z', source: { type: 'issue', issue: { number: 14, pull_request: {}, repository: { full_name: 'other/repo' } } } },
    { event: 'cross-referenced', created_at: '2026-11-01T09:03:00Z', source: { type: 'issue', issue: { number: 12, pull_request: {}, repository: { full_name: 'Octo/App' } } } },
  ];

  it('keeps review requests, ready-for-review and Copilot work events, in order', () => {
    assert.deepEqual(timelineSignalsOf(entries), {
      signals: [
        { kind: 'copilotWorkStarted', actor: 'Copilot', subject: null, at: '2026-11-01T10:00:00Z' },
        { kind: 'reviewRequested', actor: 'Copilot', subject: 'alice', at: '2026-11-01T11:00:00Z' },
        { kind: 'reviewRequested', actor: 'alice', subject: 'core', at: '2026-11-01T11:01:00Z' },
        { kind: 'readyForReview', actor: 'alice', subject: null, at: '2026-11-01T12:00:00Z' },
        { kind: 'copilotWorkFinished', actor: 'Copilot', subject: null, at: '2026-11-01T12:30:00Z' },
        { kind: 'copilotWorkFailed', actor: 'ghost', subject: null, at: '2026-11-01T13:00:00Z' },
      ],
      malformed: 0,
    });
  });

  it('counts an event ATO reads that lacks its date as malformed', () => {
    assert.equal(timelineSignalsOf([{ event: 'review_requested', actor: { login: 'a' } }, { event: 'copilot_work_finished' }]).malformed, 2);
  });

  it('links pull requests of this repository only, once each, oldest first', () => {
    assert.deepEqual(linkedPullRequestsOf(entries, 'octo/app'), [12]);
  });
});
