import type { FakeComment, FakeEvent, FakeIssue, FakeLabel, FakeRepoData, FakeReview } from '../model';
import type { FakeRuntime } from '../runtime';
import { appShape, userByLogin } from './userShapes';

export function authorAssociation(repo: FakeRepoData, login: string): string {
  if (login.toLowerCase() === repo.owner.toLowerCase()) return 'OWNER';
  if (repo.collaborators.has(login.toLowerCase())) return 'COLLABORATOR';
  return 'NONE';
}

export function labelShape(rt: FakeRuntime, repo: FakeRepoData, label: FakeLabel): Record<string, unknown> {
  return {
    id: label.id,
    node_id: label.nodeId,
    url: rt.urls.repoApi(repo, `/labels/${encodeURIComponent(label.name)}`),
    name: label.name,
    color: label.color,
    default: label.isDefault,
    description: label.description,
  };
}

function labelsOf(rt: FakeRuntime, repo: FakeRepoData, issue: FakeIssue): Record<string, unknown>[] {
  return issue.labels.flatMap(name => {
    const label = repo.labels.get(name.toLowerCase());
    return label === undefined ? [] : [labelShape(rt, repo, label)];
  });
}

function reactions(url: string): Record<string, unknown> {
  return { url: `${url}/reactions`, total_count: 0, '+1': 0, '-1': 0, laugh: 0, hooray: 0, confused: 0, heart: 0, rocket: 0, eyes: 0 };
}

export function issueHtmlUrl(rt: FakeRuntime, repo: FakeRepoData, issue: FakeIssue): string {
  return rt.urls.repoHtml(repo, `/${issue.pull === undefined ? 'issues' : 'pull'}/${issue.number}`);
}

/** REST `issue`; pull requests carry the `pull_request` key, as in GitHub's issue lists. */
export function issueShape(rt: FakeRuntime, repo: FakeRepoData, issue: FakeIssue): Record<string, unknown> {
  const url = rt.urls.repoApi(repo, `/issues/${issue.number}`);
  const assignees = issue.assignees.map(login => userByLogin(rt, login));
  return {
    id: issue.id,
    node_id: issue.nodeId,
    url,
    repository_url: rt.urls.repoApi(repo),
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: issueHtmlUrl(rt, repo, issue),
    number: issue.number,
    state: issue.state,
    state_reason: issue.stateReason,
    title: issue.title,
    body: issue.body,
    user: userByLogin(rt, issue.author),
    labels: labelsOf(rt, repo, issue),
    assignee: assignees[0] ?? null,
    assignees,
    milestone: null,
    locked: issue.locked,
    active_lock_reason: null,
    comments: repo.comments.filter(comment => comment.issueNumber === issue.number).length,
    ...(issue.pull === undefined ? {} : {
      pull_request: {
        url: rt.urls.repoApi(repo, `/pulls/${issue.number}`),
        html_url: issueHtmlUrl(rt, repo, issue),
        diff_url: `${issueHtmlUrl(rt, repo, issue)}.diff`,
        patch_url: `${issueHtmlUrl(rt, repo, issue)}.patch`,
        merged_at: issue.pull.mergedAt,
      },
      draft: issue.pull.draft,
    }),
    closed_at: issue.closedAt,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_by: issue.closedBy === null ? null : userByLogin(rt, issue.closedBy),
    author_association: authorAssociation(repo, issue.author),
    timeline_url: `${url}/timeline`,
    performed_via_github_app: null,
    reactions: reactions(url),
  };
}

export function commentShape(rt: FakeRuntime, repo: FakeRepoData, comment: FakeComment): Record<string, unknown> {
  const url = rt.urls.repoApi(repo, `/issues/comments/${comment.id}`);
  const issue = repo.issues.get(comment.issueNumber);
  return {
    id: comment.id,
    node_id: comment.nodeId,
    url,
    html_url: `${issue === undefined ? rt.urls.repoHtml(repo) : issueHtmlUrl(rt, repo, issue)}#issuecomment-${comment.id}`,
    body: comment.body,
    user: userByLogin(rt, comment.author),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    issue_url: rt.urls.repoApi(repo, `/issues/${comment.issueNumber}`),
    author_association: authorAssociation(repo, comment.author),
    performed_via_github_app: null,
    reactions: reactions(url),
  };
}

export function reviewShape(rt: FakeRuntime, repo: FakeRepoData, review: FakeReview): Record<string, unknown> {
  const pullUrl = rt.urls.repoApi(repo, `/pulls/${review.pullNumber}`);
  const html = `${rt.urls.repoHtml(repo, `/pull/${review.pullNumber}`)}#pullrequestreview-${review.id}`;
  return {
    id: review.id,
    node_id: review.nodeId,
    user: userByLogin(rt, review.author),
    body: review.body,
    state: review.state,
    html_url: html,
    pull_request_url: pullUrl,
    _links: { html: { href: html }, pull_request: { href: pullUrl } },
    submitted_at: review.submittedAt,
    commit_id: review.commitId,
    author_association: authorAssociation(repo, review.author),
  };
}

/** One REST timeline entry for a recorded event (the shapes of `timeline-issue-events`). */
export function eventShape(rt: FakeRuntime, repo: FakeRepoData, event: FakeEvent): Record<string, unknown> {
  if (event.event === 'cross-referenced') {
    const source = event.sourceNumber === undefined ? undefined : repo.issues.get(event.sourceNumber);
    return {
      event: event.event,
      actor: userByLogin(rt, event.actor),
      created_at: event.createdAt,
      updated_at: event.createdAt,
      source: { type: 'issue', ...(source === undefined ? {} : { issue: issueShape(rt, repo, source) }) },
    };
  }
  return {
    id: event.id,
    node_id: event.nodeId,
    url: rt.urls.repoApi(repo, `/issues/events/${event.id}`),
    actor: userByLogin(rt, event.actor),
    event: event.event,
    commit_id: event.commitId ?? null,
    commit_url: event.commitId === undefined ? null : rt.urls.repoApi(repo, `/commits/${event.commitId}`),
    created_at: event.createdAt,
    performed_via_github_app: event.viaApp === undefined ? null : appShape(rt, rt.users.app(event.viaApp), repo.createdAt),
    ...(event.label === undefined ? {} : { label: event.label }),
    ...(event.assignee === undefined ? {} : { assignee: userByLogin(rt, event.assignee) }),
    ...(event.assigner === undefined ? {} : { assigner: userByLogin(rt, event.assigner) }),
    ...(event.reviewRequester === undefined ? {} : { review_requester: userByLogin(rt, event.reviewRequester) }),
    ...(event.requestedReviewer === undefined ? {} : { requested_reviewer: userByLogin(rt, event.requestedReviewer) }),
    ...(event.requestedTeam === undefined ? {} : { requested_team: teamShape(rt, repo, event.requestedTeam) }),
    ...(event.rename === undefined ? {} : { rename: event.rename }),
    ...(event.stateReason === undefined ? {} : { state_reason: event.stateReason }),
  };
}

export function teamShape(rt: FakeRuntime, repo: FakeRepoData, slug: string): Record<string, unknown> {
  const url = rt.urls.api(`/orgs/${repo.owner}/teams/${slug}`);
  return {
    id: 1000 + slug.length, node_id: `T_kw${Buffer.from(`Team:${slug}`).toString('base64url')}`, url, html_url: rt.urls.html(`/orgs/${repo.owner}/teams/${slug}`),
    name: slug, slug, description: null, privacy: 'closed', notification_setting: 'notifications_enabled', permission: 'push',
    members_url: `${url}/members{/member}`, repositories_url: `${url}/repos`, type: 'team', parent: null,
  };
}

export function commentEventShape(rt: FakeRuntime, repo: FakeRepoData, comment: FakeComment): Record<string, unknown> {
  return { ...commentShape(rt, repo, comment), event: 'commented', actor: userByLogin(rt, comment.author) };
}

export function reviewEventShape(rt: FakeRuntime, repo: FakeRepoData, review: FakeReview): Record<string, unknown> {
  return { ...reviewShape(rt, repo, review), event: 'reviewed', state: review.state.toLowerCase() };
}

/** The REST timeline of an issue or PR: events, comments and reviews, oldest first. */
export function timelineShapes(rt: FakeRuntime, repo: FakeRepoData, issue: FakeIssue): Record<string, unknown>[] {
  const items: { at: string; order: number; shape: Record<string, unknown> }[] = [];
  for (const event of repo.events) if (event.issueNumber === issue.number) items.push({ at: event.createdAt, order: event.seq, shape: eventShape(rt, repo, event) });
  for (const comment of repo.comments) if (comment.issueNumber === issue.number) items.push({ at: comment.createdAt, order: comment.seq, shape: commentEventShape(rt, repo, comment) });
  for (const review of repo.reviews) if (review.pullNumber === issue.number) items.push({ at: review.submittedAt, order: review.seq, shape: reviewEventShape(rt, repo, review) });
  return items.sort((a, b) => a.order - b.order).map(item => item.shape);
}
