import type { FakeComment, FakeEvent, FakeIssue, FakeReview } from '../model';
import type { RepoRuntime } from '../runtime';
import { actorByLogin, teamNode } from './actorNodes';
import { commitNode } from './commitNodes';
import { type Args, connection, enumValue, type GqlContext, type GqlObject, itemTypeOf, listArg } from './gqlSupport';
import { commentNode, issueOrPullNode, labelNode, reviewNode } from './issueNodes';

/** The GraphQL type of each REST event the fake records; Copilot's work events are masked from the public schema. */
const typenames: Readonly<Record<string, string>> = {
  'review_requested': 'ReviewRequestedEvent',
  'review_request_removed': 'ReviewRequestRemovedEvent',
  'ready_for_review': 'ReadyForReviewEvent',
  'cross-referenced': 'CrossReferencedEvent',
  'connected': 'ConnectedEvent',
  'closed': 'ClosedEvent',
  'reopened': 'ReopenedEvent',
  'merged': 'MergedEvent',
  'labeled': 'LabeledEvent',
  'unlabeled': 'UnlabeledEvent',
  'assigned': 'AssignedEvent',
  'unassigned': 'UnassignedEvent',
  'renamed': 'RenamedTitleEvent',
};

/** Members of `PullRequestTimelineItems` / `IssueTimelineItems` the fake produces. */
const pullItems = new Set([...Object.values(typenames), 'IssueComment', 'PullRequestReview']);
const issueItems = new Set(['CrossReferencedEvent', 'ConnectedEvent', 'ClosedEvent', 'ReopenedEvent', 'LabeledEvent', 'UnlabeledEvent', 'AssignedEvent', 'UnassignedEvent', 'RenamedTitleEvent', 'IssueComment']);

type Item = { readonly seq: number; readonly typename: string } & (
  | { readonly kind: 'event'; readonly event: FakeEvent }
  | { readonly kind: 'comment'; readonly comment: FakeComment }
  | { readonly kind: 'review'; readonly review: FakeReview });

function eventNode(context: GqlContext, repo: RepoRuntime, issue: FakeIssue, event: FakeEvent, typename: string): GqlObject {
  const self = (): GqlObject => issueOrPullNode(context, repo, issue);
  const other = (): GqlObject | null => {
    const found = event.sourceNumber === undefined ? undefined : repo.data.issues.get(event.sourceNumber);
    return found === undefined ? null : issueOrPullNode(context, repo, found);
  };
  const url = `${context.rt.urls.repoHtml(repo.data, `/${issue.pull === undefined ? 'issues' : 'pull'}/${issue.number}`)}#event-${event.id}`;
  const base: GqlObject = { __typename: typename, id: event.nodeId, databaseId: event.id, createdAt: event.createdAt, actor: () => actorByLogin(context, event.actor), url, resourcePath: new URL(url).pathname };
  switch (typename) {
    case 'ReviewRequestedEvent':
    case 'ReviewRequestRemovedEvent':
      return {
        ...base, pullRequest: self,
        requestedReviewer: () => (event.requestedTeam !== undefined ? teamNode(context, repo.data, event.requestedTeam) : event.requestedReviewer === undefined ? null : actorByLogin(context, event.requestedReviewer)),
      };
    case 'ReadyForReviewEvent':
      return { ...base, pullRequest: self };
    case 'CrossReferencedEvent':
      return { ...base, source: other, target: self, isCrossRepository: false, willCloseTarget: event.willCloseTarget ?? false, referencedAt: event.createdAt };
    case 'ConnectedEvent':
      return { ...base, source: self, subject: other, isCrossRepository: false };
    case 'ClosedEvent': {
      const closer = event.closerPullNumber === undefined ? undefined : repo.data.issues.get(event.closerPullNumber);
      return {
        ...base, closable: self, stateReason: event.stateReason === undefined || event.stateReason === null ? null : enumValue(event.stateReason),
        closer: () => (closer !== undefined ? issueOrPullNode(context, repo, closer) : event.commitId === undefined ? null : commitNode(context, repo, event.commitId)),
      };
    }
    case 'ReopenedEvent':
      return { ...base, closable: self, stateReason: event.stateReason === undefined || event.stateReason === null ? null : enumValue(event.stateReason) };
    case 'MergedEvent':
      return {
        ...base, pullRequest: self, mergeRefName: issue.pull?.baseRef ?? '', mergeRef: null,
        commit: () => (event.commitId === undefined ? null : commitNode(context, repo, event.commitId)),
      };
    case 'LabeledEvent':
    case 'UnlabeledEvent': {
      const label = repo.data.labels.get((event.label?.name ?? '').toLowerCase());
      return { ...base, labelable: self, label: () => (label === undefined ? null : labelNode(context, repo, label)) };
    }
    case 'AssignedEvent':
    case 'UnassignedEvent':
      return { ...base, assignable: self, assignee: () => (event.assignee === undefined ? null : actorByLogin(context, event.assignee)) };
    case 'RenamedTitleEvent':
      return { ...base, subject: self, previousTitle: event.rename?.from ?? '', currentTitle: event.rename?.to ?? '' };
    default:
      return base;
  }
}

/** `timelineItems(itemTypes, first|last, after, before, since)` of an issue or pull request. */
export function timelineItems(context: GqlContext, repo: RepoRuntime, issue: FakeIssue, args: Args): GqlObject {
  const allowed = issue.pull === undefined ? issueItems : pullItems;
  const wanted = listArg(args, 'itemTypes');
  const since = typeof args['since'] === 'string' ? args['since'] : undefined;
  const all: Item[] = [
    ...repo.data.events.filter(event => event.issueNumber === issue.number && typenames[event.event] !== undefined)
      .map(event => ({ kind: 'event' as const, seq: event.seq, typename: typenames[event.event] ?? '', event, at: event.createdAt })),
    ...repo.data.comments.filter(comment => comment.issueNumber === issue.number)
      .map(comment => ({ kind: 'comment' as const, seq: comment.seq, typename: 'IssueComment', comment, at: comment.createdAt })),
    ...repo.data.reviews.filter(review => review.pullNumber === issue.number)
      .map(review => ({ kind: 'review' as const, seq: review.seq, typename: 'PullRequestReview', review, at: review.submittedAt })),
  ].filter(item => allowed.has(item.typename) && (since === undefined || item.at >= since)).sort((a, b) => a.seq - b.seq);
  const filtered = wanted === undefined ? all : all.filter(item => wanted.includes(itemTypeOf(item.typename)));
  return connection(filtered, args, item => {
    if (item.kind === 'comment') return commentNode(context, repo, item.comment);
    if (item.kind === 'review') return reviewNode(context, repo, item.review);
    return eventNode(context, repo, issue, item.event, item.typename);
  }, { filteredCount: filtered.length, pageCount: filtered.length, updatedAt: issue.updatedAt });
}
