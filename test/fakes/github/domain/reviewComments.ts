import { FakeApiError } from '../errors';
import { nodeId } from '../ids';
import type { FakePull, FakeReview, FakeReviewComment, ReviewState } from '../model';
import type { FakeRuntime, RepoRuntime } from '../runtime';
import { pullFiles, submitReview } from './pulls';

export interface ReviewCommentInput {
  readonly path: string;
  readonly line: number;
  readonly body: string;
}

/**
 * A review with line comments, checked as GitHub checks it: the author cannot approve or request changes on
 * their own PR, and each comment's path must be a file the PR changes.
 */
export async function reviewWithComments(rt: FakeRuntime, repo: RepoRuntime, pull: FakePull, author: string, state: ReviewState, body: string, comments: readonly ReviewCommentInput[]): Promise<{ readonly review: FakeReview; readonly comments: readonly FakeReviewComment[] }> {
  const login = rt.users.get(author).login;
  if (login.toLowerCase() === pull.author.toLowerCase() && (state === 'APPROVED' || state === 'CHANGES_REQUESTED')) {
    throw new FakeApiError(422, 'Unprocessable Entity', { errors: [state === 'APPROVED' ? 'Review Can not approve your own pull request' : 'Review Can not request changes on your own pull request'] });
  }
  if (state === 'CHANGES_REQUESTED' && body.trim() === '') throw new FakeApiError(422, 'Unprocessable Entity', { errors: ['Review body is required when requesting changes'] });
  const changed = new Set((await pullFiles(repo, pull)).map(file => file.path));
  for (const comment of comments) {
    if (!changed.has(comment.path)) throw new FakeApiError(422, 'Unprocessable Entity', { errors: ['Path could not be resolved'] });
    if (!Number.isInteger(comment.line) || comment.line < 1) throw new FakeApiError(422, 'Unprocessable Entity', { errors: ['Line could not be resolved'] });
  }
  const review = submitReview(rt, repo, pull, login, state, body);
  const written = comments.map(comment => {
    const id = rt.ids.next('reviewComment');
    const record: FakeReviewComment = {
      id, nodeId: nodeId('PullRequestReviewComment', id), pullNumber: pull.number, reviewId: review.id, path: comment.path, line: comment.line,
      body: comment.body, author: login, commitId: pull.pull.headSha, createdAt: review.submittedAt,
    };
    repo.data.reviewComments.push(record);
    return record;
  });
  return { review, comments: written };
}
