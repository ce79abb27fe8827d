import { canPush, mergeableOf, mergeStateStatusOf, reviewDecisionOf } from '../domain/mergeability';
import { closingIssueNumbers, latestReviews, pullFiles } from '../domain/pulls';
import { type FakeComment, type FakeIssue, type FakeLabel, type FakePull, type FakeReview, isPull } from '../model';
import type { RepoRuntime } from '../runtime';
import { authorAssociation } from '../rest/issueShapes';
import { actorByLogin, teamNode } from './actorNodes';
import { commitNode, refNode } from './commitNodes';
import { type Args, connection, enumValue, type GqlContext, type GqlObject, listArg } from './gqlSupport';
import { repositoryNode } from './repositoryNode';
import { timelineItems } from './timelineNodes';

export function labelNode(context: GqlContext, repo: RepoRuntime, label: FakeLabel): GqlObject {
  return {
    __typename: 'Label', id: label.nodeId, name: label.name, color: label.color, description: label.description, isDefault: label.isDefault,
    url: context.rt.urls.repoHtml(repo.data, `/labels/${encodeURIComponent(label.name)}`), resourcePath: `/${repo.fullName}/labels/${encodeURIComponent(label.name)}`,
  };
}

function labelsOf(context: GqlContext, repo: RepoRuntime, issue: FakeIssue): (args: Args) => GqlObject {
  const labels = issue.labels.flatMap(name => {
    const label = repo.data.labels.get(name.toLowerCase());
    return label === undefined ? [] : [label];
  });
  return args => connection(labels, args, label => labelNode(context, repo, label));
}

export function commentNode(context: GqlContext, repo: RepoRuntime, comment: FakeComment): GqlObject {
  const issue = repo.data.issues.get(comment.issueNumber);
  const url = `${context.rt.urls.repoHtml(repo.data, `/${issue?.pull === undefined ? 'issues' : 'pull'}/${comment.issueNumber}`)}#issuecomment-${comment.id}`;
  return {
    __typename: 'IssueComment', id: comment.nodeId, databaseId: comment.id, body: comment.body, bodyText: comment.body, createdAt: comment.createdAt,
    updatedAt: comment.updatedAt, url, resourcePath: new URL(url).pathname, author: () => actorByLogin(context, comment.author),
    authorAssociation: authorAssociation(repo.data, comment.author), isMinimized: false, minimizedReason: null,
    issue: () => (issue === undefined ? null : issueOrPullNode(context, repo, issue)),
  };
}

export function reviewNode(context: GqlContext, repo: RepoRuntime, review: FakeReview): GqlObject {
  const url = `${context.rt.urls.repoHtml(repo.data, `/pull/${review.pullNumber}`)}#pullrequestreview-${review.id}`;
  return {
    __typename: 'PullRequestReview', id: review.nodeId, databaseId: review.id, state: review.state, body: review.body, bodyText: review.body,
    submittedAt: review.submittedAt, createdAt: review.submittedAt, updatedAt: review.submittedAt, url, resourcePath: new URL(url).pathname,
    author: () => actorByLogin(context, review.author), authorAssociation: authorAssociation(repo.data, review.author),
    authorCanPushToRepository: canPush(repo.data, review.author),
    commit: () => commitNode(context, repo, review.commitId),
  };
}

/** Fields issues and pull requests share. */
function commonFields(context: GqlContext, repo: RepoRuntime, issue: FakeIssue): GqlObject {
  const path = `/${repo.fullName}/${issue.pull === undefined ? 'issues' : 'pull'}/${issue.number}`;
  return {
    id: issue.nodeId,
    databaseId: issue.id,
    number: issue.number,
    title: issue.title,
    body: issue.body ?? '',
    bodyText: issue.body ?? '',
    url: context.rt.urls.html(path),
    resourcePath: path,
    createdAt: issue.createdAt,
    updatedAt: issue.updatedAt,
    closedAt: issue.closedAt,
    closed: issue.state === 'closed',
    locked: issue.locked,
    author: () => actorByLogin(context, issue.author),
    authorAssociation: authorAssociation(repo.data, issue.author),
    labels: labelsOf(context, repo, issue),
    // GraphQL `assignees` lists users only; the coding agent shows in the preview field `assignedActors`.
    assignees: (args: Args) => connection(issue.assignees.map(login => context.rt.users.get(login)).filter(user => user.type === 'User'), args, user => actorByLogin(context, user.login)),
    comments: (args: Args) => connection(repo.data.comments.filter(comment => comment.issueNumber === issue.number), args, comment => commentNode(context, repo, comment)),
    timelineItems: (args: Args) => timelineItems(context, repo, issue, args),
    repository: () => repositoryNode(context, repo),
    viewerDidAuthor: issue.author === context.viewer.login,
  };
}

export function issueNode(context: GqlContext, repo: RepoRuntime, issue: FakeIssue): GqlObject {
  return {
    __typename: 'Issue',
    ...commonFields(context, repo, issue),
    state: enumValue(issue.state),
    stateReason: issue.stateReason === null ? null : enumValue(issue.stateReason),
  };
}

export function pullNode(context: GqlContext, repo: RepoRuntime, pull: FakePull): GqlObject {
  const data = pull.pull;
  const baseSha = async (): Promise<string | undefined> => (data.merged ? (await repo.git.readCommit(data.mergeCommitSha ?? ''))?.parents[0] : await repo.branchSha(data.baseRef));
  return {
    __typename: 'PullRequest',
    ...commonFields(context, repo, pull),
    permalink: context.rt.urls.repoHtml(repo.data, `/pull/${pull.number}`),
    state: data.merged ? 'MERGED' : enumValue(pull.state),
    isDraft: data.draft,
    merged: data.merged,
    mergedAt: data.mergedAt,
    mergedBy: () => (data.mergedBy === null ? null : actorByLogin(context, data.mergedBy)),
    mergeCommit: () => (data.mergeCommitSha === null ? null : commitNode(context, repo, data.mergeCommitSha)),
    headRefName: data.headRef,
    headRefOid: data.headSha,
    baseRefName: data.baseRef,
    baseRefOid: async () => await baseSha() ?? data.headSha,
    headRef: async () => {
      const sha = data.headOwner === undefined ? await repo.branchSha(data.headRef) : undefined;
      return sha === undefined ? null : refNode(context, repo, `refs/heads/${data.headRef}`, sha);
    },
    headRepository: () => {
      const head = data.headOwner === undefined ? repo : context.rt.repo(data.headOwner, repo.data.name);
      return head === undefined ? null : repositoryNode(context, head);
    },
    headRepositoryOwner: () => actorByLogin(context, data.headOwner ?? repo.data.owner),
    baseRef: async () => {
      const sha = await repo.branchSha(data.baseRef);
      return sha === undefined ? null : refNode(context, repo, `refs/heads/${data.baseRef}`, sha);
    },
    isCrossRepository: data.headOwner !== undefined,
    maintainerCanModify: false,
    mergeable: () => mergeableOf(repo, pull),
    mergeStateStatus: () => mergeStateStatusOf(repo, pull),
    // GitHub: the head lacks the base's latest commit and the viewer may update it (same-repository heads here).
    viewerCanUpdateBranch: async () => {
      const base = await repo.branchSha(data.baseRef);
      if (pull.state !== 'open' || data.headOwner !== undefined || base === undefined || !canPush(repo.data, context.viewer.login)) return false;
      return !await repo.git.isAncestor(base, data.headSha);
    },
    reviewDecision: () => reviewDecisionOf(repo, pull),
    reviewRequests: (args: Args) => connection([...data.requestedReviewers.map(login => ({ login })), ...data.requestedTeams.map(team => ({ team }))], args, request => ({
      __typename: 'ReviewRequest',
      id: `RR_${pull.nodeId}_${'login' in request ? request.login : request.team}`,
      asCodeOwner: false,
      pullRequest: () => pullNode(context, repo, pull),
      requestedReviewer: () => ('login' in request ? actorByLogin(context, request.login) : teamNode(context, repo.data, request.team)),
    })),
    latestReviews: (args: Args) => connection(latestReviews(repo.data, pull), args, review => reviewNode(context, repo, review)),
    latestOpinionatedReviews: (args: Args) => connection(latestReviews(repo.data, pull).filter(review => review.state !== 'COMMENTED'), args, review => reviewNode(context, repo, review)),
    reviews: (args: Args) => {
      const states = listArg(args, 'states');
      return connection(repo.data.reviews.filter(review => review.pullNumber === pull.number && (states === undefined || states.includes(review.state))), args, review => reviewNode(context, repo, review));
    },
    files: async (args: Args) => connection(await pullFiles(repo, pull), args, file => ({
      __typename: 'PullRequestChangedFile', path: file.path, additions: file.additions, deletions: file.deletions, changeType: ({ removed: 'DELETED', added: 'ADDED', renamed: 'RENAMED', modified: 'MODIFIED' } as const)[file.status], viewerViewedState: 'UNVIEWED',
    })),
    changedFiles: async () => (await pullFiles(repo, pull)).length,
    additions: async () => (await pullFiles(repo, pull)).reduce((sum, file) => sum + file.additions, 0),
    deletions: async () => (await pullFiles(repo, pull)).reduce((sum, file) => sum + file.deletions, 0),
    closingIssuesReferences: (args: Args) => connection(closingIssueNumbers(repo.data, pull).flatMap(number => {
      const issue = repo.data.issues.get(number);
      return issue === undefined ? [] : [issue];
    }), args, issue => issueNode(context, repo, issue)),
    commits: async (args: Args) => {
      const base = await baseSha();
      const mergeBase = base === undefined ? undefined : await repo.git.mergeBase(base, data.headSha);
      const shas = mergeBase === undefined ? [] : await repo.git.commitsBetween(mergeBase, data.headSha);
      return connection(shas, args, sha => ({
        __typename: 'PullRequestCommit', id: `PURC_${pull.nodeId}_${sha}`, commit: commitNode(context, repo, sha), pullRequest: () => pullNode(context, repo, pull),
        url: context.rt.urls.repoHtml(repo.data, `/pull/${pull.number}/commits/${sha}`), resourcePath: `/${repo.fullName}/pull/${pull.number}/commits/${sha}`,
      }));
    },
  };
}

export function issueOrPullNode(context: GqlContext, repo: RepoRuntime, issue: FakeIssue): GqlObject {
  return isPull(issue) ? pullNode(context, repo, issue) : issueNode(context, repo, issue);
}
