import assert from 'node:assert/strict';
import { gapAnalysisIssueTitle } from '../../../../../../src/core/loop/texts/gapAnalysisTemplate';
import { formatMarker } from '../../../../../../src/core/loop/texts/markers';
import { canonicalIssue, linkPlanning } from '../../../../../../src/core/loop/tracks/planning/planningLinks';
import { aMergedPullRequest, anIssue, aPullRequest, aSnapshot } from '../../../../../support/githubBuilders';

const taskBody = (id: string): string => `Do it.\n\n${formatMarker({ kind: 'task', taskId: id })}\n`;
const gapBody = `Gap.\n${formatMarker({ kind: 'gapAnalysis' })}\n`;

describe('linkPlanning', () => {
  it('links a task to its issue by marker and the issue to PRs by closing and timeline references', () => {
    const issue = anIssue({ number: 5, title: 'Something else entirely', body: taskBody('add-login'), linkedPullRequests: [21] });
    const closing = aPullRequest({ number: 20, closingIssues: [5], createdAt: '2026-11-21T10:05:00Z' });
    const crossReferenced = aPullRequest({ number: 21, createdAt: '2026-11-21T10:10:00Z' });
    const unrelated = aPullRequest({ number: 22 });
    const links = linkPlanning(aSnapshot({ issues: [issue], openPullRequests: [closing, crossReferenced, unrelated] }), [{ id: 'add-login', title: 'Add login' }]);
    const link = links.tasks.get('add-login');
    assert.equal(link?.issue?.number, 5);
    assert.deepEqual(link.pullRequests.map(pr => pr.number), [21, 20]);
    assert.equal(link.linkedBy, 'reference');
  });

  it('links an ATO task branch (ato/<id>) without any issue', () => {
    const pr = aPullRequest({ number: 30, headRefName: 'ato/fix-ci' });
    const links = linkPlanning(aSnapshot({ openPullRequests: [pr] }), [{ id: 'fix-ci', title: 'Fix CI' }]);
    assert.deepEqual(links.tasks.get('fix-ci')?.pullRequests.map(p => p.number), [30]);
  });

  it('falls back to the title only when nothing references the work, and never steals a referenced PR', () => {
    const issue = anIssue({ number: 5, title: 'Add login', body: taskBody('add-login') });
    const other = anIssue({ number: 6, title: 'Other', body: taskBody('other') });
    const byTitle = aPullRequest({ number: 40, title: '[WIP] add   LOGIN' });
    const referencedElsewhere = aPullRequest({ number: 41, title: 'Add login', closingIssues: [6] });
    const links = linkPlanning(aSnapshot({ issues: [issue, other], openPullRequests: [byTitle, referencedElsewhere] }), [{ id: 'add-login', title: 'Add login' }, { id: 'other', title: 'Other' }]);
    assert.deepEqual(links.tasks.get('add-login')?.pullRequests.map(p => p.number), [40]);
    assert.equal(links.tasks.get('add-login')?.linkedBy, 'title');
    assert.deepEqual(links.tasks.get('other')?.pullRequests.map(p => p.number), [41]);
  });

  it('links no PR by title to a task that has no issue (titles link issues, not task files)', () => {
    const links = linkPlanning(aSnapshot({ recentlyClosedPullRequests: [aMergedPullRequest({ number: 45, title: 'Add login' })] }), [{ id: 'add-login', title: 'Add login' }]);
    assert.deepEqual(links.tasks.get('add-login')?.pullRequests, []);
    assert.equal(links.tasks.get('add-login')?.linkedBy, 'none');
  });

  it('uses no title at all once a reference links the work', () => {
    const issue = anIssue({ number: 5, title: 'Add login', body: taskBody('add-login'), linkedPullRequests: [50] });
    const links = linkPlanning(aSnapshot({ issues: [issue], openPullRequests: [aPullRequest({ number: 50, title: 'x' }), aPullRequest({ number: 51, title: 'Add login' })] }), [{ id: 'add-login', title: 'Add login' }]);
    assert.deepEqual(links.tasks.get('add-login')?.pullRequests.map(p => p.number), [50]);
  });

  it('makes the oldest open issue with a marker canonical and reports the other open ones', () => {
    const newer = anIssue({ number: 9, body: taskBody('t'), createdAt: '2026-11-21T12:00:00Z' });
    const older = anIssue({ number: 8, body: taskBody('t'), createdAt: '2026-11-21T11:00:00Z' });
    const closed = anIssue({ number: 7, body: taskBody('t'), state: 'closed', closedAt: '2026-11-21T11:30:00Z' });
    const link = linkPlanning(aSnapshot({ issues: [newer, closed, older] }), []).tasks.get('t');
    assert.equal(link?.issue?.number, 8);
    assert.deepEqual(link.duplicates.map(issue => issue.number), [9]);
    assert.deepEqual(link.issues.map(issue => issue.number), [8, 9, 7]);
  });

  it('follows PRs of duplicate issues too (the work is one task)', () => {
    const canonical = anIssue({ number: 8, body: taskBody('t'), createdAt: '2026-11-21T09:00:00Z' });
    const duplicate = anIssue({ number: 9, body: taskBody('t'), createdAt: '2026-11-21T09:30:00Z', linkedPullRequests: [60] });
    const link = linkPlanning(aSnapshot({ issues: [canonical, duplicate], openPullRequests: [aPullRequest({ number: 60 })] }), []).tasks.get('t');
    assert.deepEqual(link?.pullRequests.map(pr => pr.number), [60]);
  });

  it('links a capability issue to its source PR by marker', () => {
    const issue = anIssue({ number: 70, body: formatMarker({ kind: 'capabilityUpdate', sourcePr: 12 }), linkedPullRequests: [71] });
    const links = linkPlanning(aSnapshot({ issues: [issue], openPullRequests: [aPullRequest({ number: 71 })] }), []);
    assert.equal(links.capabilities.get(12)?.issue?.number, 70);
    assert.deepEqual(links.capabilities.get(12)?.pullRequests.map(pr => pr.number), [71]);
  });

  it('finds the gap issue by marker, else by label or exact title when it has no marker', () => {
    const byMarker = linkPlanning(aSnapshot({ issues: [anIssue({ number: 1, body: gapBody })] }), []).gap;
    assert.equal(byMarker.issue?.number, 1);
    assert.equal(byMarker.foundBy, 'marker');
    const byLabel = linkPlanning(aSnapshot({ issues: [anIssue({ number: 2, labels: ['ato:gap-analysis'] })] }), []).gap;
    assert.equal(byLabel.foundBy, 'label');
    const byTitle = linkPlanning(aSnapshot({ issues: [anIssue({ number: 3, title: gapAnalysisIssueTitle })] }), []).gap;
    assert.equal(byTitle.foundBy, 'title');
    const taskWithGapLabel = linkPlanning(aSnapshot({ issues: [anIssue({ number: 4, labels: ['ato:gap-analysis'], body: taskBody('x') })] }), []).gap;
    assert.equal(taskWithGapLabel.issue, undefined);
  });

  it('keeps one copy of a PR listed as open and as recently closed: the most recently updated', () => {
    const open = aPullRequest({ number: 80, updatedAt: '2026-11-21T10:00:00Z' });
    const merged = aMergedPullRequest({ number: 80, updatedAt: '2026-11-21T11:00:00Z' });
    const links = linkPlanning(aSnapshot({ openPullRequests: [open], recentlyClosedPullRequests: [merged] }), []);
    assert.deepEqual(links.pullRequests.map(pr => pr.state), ['merged']);
  });
});

describe('canonicalIssue', () => {
  it('prefers the oldest open issue, else the most recently closed one', () => {
    const a = anIssue({ number: 1, state: 'closed', closedAt: '2026-11-21T10:00:00Z' });
    const b = anIssue({ number: 2, state: 'closed', closedAt: '2026-11-21T12:00:00Z' });
    assert.equal(canonicalIssue([a, b])?.number, 2);
    assert.equal(canonicalIssue([a, b, anIssue({ number: 3 })])?.number, 3);
    assert.equal(canonicalIssue([]), undefined);
  });
});
