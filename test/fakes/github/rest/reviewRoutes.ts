import { pullOf } from '../domain/pulls';
import { reviewWithComments, type ReviewCommentInput } from '../domain/reviewComments';
import { updateBranch } from '../domain/updateBranch';
import { notFound } from '../errors';
import { bodyObject, invalidRequest, optionalString } from '../http/body';
import { paginate } from '../http/pagination';
import { type RepoRouteContext, repoRoute, type Route } from '../http/router';
import type { FakePull, FakeRepoData, FakeReviewComment, ReviewState } from '../model';
import type { FakeRuntime } from '../runtime';
import { authorAssociation, reviewShape } from './issueShapes';
import { userByLogin } from './userShapes';

function pullFrom(context: RepoRouteContext): FakePull {
  const pull = pullOf(context.repo.data, Number(context.params['pull_number']));
  if (pull === undefined) throw notFound();
  return pull;
}

/** REST `pull-request-review-comment`. */
function reviewCommentShape(rt: FakeRuntime, repo: FakeRepoData, comment: FakeReviewComment): Record<string, unknown> {
  const url = rt.urls.repoApi(repo, `/pulls/comments/${String(comment.id)}`);
  const pullUrl = rt.urls.repoApi(repo, `/pulls/${String(comment.pullNumber)}`);
  const html = `${rt.urls.repoHtml(repo, `/pull/${String(comment.pullNumber)}`)}#discussion_r${String(comment.id)}`;
  return {
    url, pull_request_review_id: comment.reviewId, id: comment.id, node_id: comment.nodeId,
    diff_hunk: `@@ -${String(comment.line)},1 +${String(comment.line)},1 @@`, path: comment.path, position: comment.line, original_position: comment.line,
    commit_id: comment.commitId, original_commit_id: comment.commitId, user: userByLogin(rt, comment.author), body: comment.body,
    created_at: comment.createdAt, updated_at: comment.createdAt, html_url: html, pull_request_url: pullUrl,
    author_association: authorAssociation(repo, comment.author),
    _links: { self: { href: url }, html: { href: html }, pull_request: { href: pullUrl } },
    start_line: null, original_start_line: null, start_side: null, line: comment.line, original_line: comment.line, side: 'RIGHT', subject_type: 'line',
  };
}

const events: Readonly<Record<string, ReviewState>> = { APPROVE: 'APPROVED', REQUEST_CHANGES: 'CHANGES_REQUESTED', COMMENT: 'COMMENTED' };

function commentInputs(value: unknown): ReviewCommentInput[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalidRequest('`comments` is not an array.');
  return value.map((item: unknown) => {
    const entry = bodyObject(item);
    const { path, line, body } = entry;
    if (typeof path !== 'string' || typeof body !== 'string') throw invalidRequest('A review comment needs `path` and `body`.');
    const at = typeof line === 'number' ? line : entry['position'];
    if (typeof at !== 'number') throw invalidRequest('A review comment needs `line` (or `position`).');
    return { path, line: at, body };
  });
}

export const reviewRoutes: readonly Route[] = [
  repoRoute('POST', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews', 'pulls/create-review', async context => {
    const pull = pullFrom(context);
    const body = bodyObject(context.body);
    const event = optionalString(body, 'event');
    // No event: the review stays pending, as on GitHub.
    const state = event === undefined ? 'PENDING' : events[event];
    if (state === undefined) throw invalidRequest(`Unknown review event ${event ?? ''}.`);
    const written = await reviewWithComments(context.rt, context.repo, pull, context.rt.tokenUser.login, state, optionalString(body, 'body') ?? '', commentInputs(body['comments']));
    return { status: 200, body: reviewShape(context.rt, context.repo.data, written.review) };
  }),
  repoRoute('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/comments', 'pulls/list-review-comments', context => {
    const pull = pullFrom(context);
    const comments = context.repo.data.reviewComments.filter(comment => comment.pullNumber === pull.number).map(comment => reviewCommentShape(context.rt, context.repo.data, comment));
    const { page, headers } = paginate(context, comments);
    return Promise.resolve({ status: 200, body: page, headers });
  }),
  repoRoute('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/comments', 'pulls/list-comments-for-review', context => {
    const pull = pullFrom(context);
    const reviewId = Number(context.params['review_id']);
    if (!context.repo.data.reviews.some(review => review.id === reviewId && review.pullNumber === pull.number)) throw notFound();
    const comments = context.repo.data.reviewComments.filter(comment => comment.reviewId === reviewId).map(comment => reviewCommentShape(context.rt, context.repo.data, comment));
    const { page, headers } = paginate(context, comments);
    return Promise.resolve({ status: 200, body: page, headers });
  }),
  repoRoute('PUT', '/repos/{owner}/{repo}/pulls/{pull_number}/update-branch', 'pulls/update-branch', async context => {
    const pull = pullFrom(context);
    await updateBranch(context.rt, context.repo, pull, context.rt.tokenUser, optionalString(bodyObject(context.body ?? {}), 'expected_head_sha'));
    return { status: 202, body: { message: 'Updating pull request branch.', url: context.rt.urls.repoHtml(context.repo.data, `/pull/${String(pull.number)}`) } };
  }),
];
