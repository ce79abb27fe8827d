import { type FakeIssue, isPull } from '../model';
import type { RepoRuntime } from '../runtime';
import { actorByLogin, suggestedActors } from './actorNodes';
import { refNode } from './commitNodes';
import { type Args, connection, gqlError, type GqlContext, type GqlObject, intArg, listArg, stringArg } from './gqlSupport';
import { issueNode, issueOrPullNode, labelNode, pullNode } from './issueNodes';

function ordered<T extends FakeIssue>(items: readonly T[], args: Args): T[] {
  const orderBy = args['orderBy'] as { readonly field?: string; readonly direction?: string } | undefined;
  const key = (issue: FakeIssue): string | number =>
    orderBy?.field === 'UPDATED_AT' ? issue.updatedAt : orderBy?.field === 'COMMENTS' ? 0 : issue.createdAt;
  const sorted = [...items].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return x < y ? -1 : x > y ? 1 : a.number - b.number;
  });
  return orderBy?.direction === 'DESC' ? sorted.reverse() : sorted;
}

function hasLabels(issue: FakeIssue, labels: readonly string[] | undefined): boolean {
  return labels === undefined || labels.some(label => issue.labels.some(name => name.toLowerCase() === label.toLowerCase()));
}

export function repositoryNode(context: GqlContext, repo: RepoRuntime): GqlObject {
  const data = repo.data;
  const all = [...data.issues.values()];
  return {
    __typename: 'Repository',
    id: data.nodeId,
    databaseId: data.id,
    name: data.name,
    nameWithOwner: repo.fullName,
    owner: () => actorByLogin(context, data.owner),
    description: data.description,
    url: context.rt.urls.repoHtml(data),
    resourcePath: `/${repo.fullName}`,
    isPrivate: data.isPrivate,
    visibility: data.isPrivate ? 'PRIVATE' : 'PUBLIC',
    isArchived: false,
    isFork: data.forkOf !== undefined,
    createdAt: data.createdAt,
    updatedAt: data.updatedAt,
    pushedAt: data.pushedAt,
    hasIssuesEnabled: true,
    mergeCommitAllowed: true,
    squashMergeAllowed: true,
    rebaseMergeAllowed: true,
    viewerPermission: 'ADMIN',
    viewerCanAdminister: true,
    defaultBranchRef: async () => {
      const sha = await repo.branchSha(data.defaultBranch);
      return sha === undefined ? null : refNode(context, repo, `refs/heads/${data.defaultBranch}`, sha);
    },
    ref: async (args: Args) => {
      const name = stringArg(args, 'qualifiedName') ?? '';
      const refs = await repo.refs();
      const qualified = name.startsWith('refs/') ? name : refs.has(`refs/heads/${name}`) ? `refs/heads/${name}` : `refs/tags/${name}`;
      const value = refs.get(qualified);
      return value === undefined ? null : refNode(context, repo, qualified, value.sha);
    },
    pullRequests: (args: Args) => {
      const states = listArg(args, 'states');
      const head = stringArg(args, 'headRefName');
      const base = stringArg(args, 'baseRefName');
      const labels = listArg(args, 'labels');
      const matching = all.filter(isPull).filter(pull => {
        const state = pull.pull.merged ? 'MERGED' : pull.state.toUpperCase();
        return (states === undefined || states.includes(state)) && (head === undefined || pull.pull.headRef === head)
          && (base === undefined || pull.pull.baseRef === base) && hasLabels(pull, labels);
      });
      return connection(ordered(matching, args), args, pull => pullNode(context, repo, pull));
    },
    issues: (args: Args) => {
      const filterBy = (args['filterBy'] ?? {}) as Readonly<Record<string, unknown>>;
      const states = listArg(args, 'states') ?? listArg(filterBy, 'states');
      const labels = listArg(args, 'labels') ?? listArg(filterBy, 'labels');
      const since = stringArg(filterBy, 'since');
      const assignee = stringArg(filterBy, 'assignee');
      const createdBy = stringArg(filterBy, 'createdBy');
      const matching = all.filter(issue => !isPull(issue)).filter(issue =>
        (states === undefined || states.includes(issue.state.toUpperCase())) && hasLabels(issue, labels)
        && (since === undefined || issue.updatedAt >= since)
        && (assignee === undefined || issue.assignees.some(login => login.toLowerCase() === assignee.toLowerCase()))
        && (createdBy === undefined || issue.author.toLowerCase() === createdBy.toLowerCase()));
      return connection(ordered(matching, args), args, issue => issueNode(context, repo, issue));
    },
    issue: (args: Args) => {
      const issue = data.issues.get(intArg(args, 'number') ?? 0);
      if (issue === undefined || isPull(issue)) throw gqlError(`Could not resolve to an Issue with the number of ${String(args['number'])}.`, 'NOT_FOUND');
      return issueNode(context, repo, issue);
    },
    pullRequest: (args: Args) => {
      const pull = data.issues.get(intArg(args, 'number') ?? 0);
      if (pull === undefined || !isPull(pull)) throw gqlError(`Could not resolve to a PullRequest with the number of ${String(args['number'])}.`, 'NOT_FOUND');
      return pullNode(context, repo, pull);
    },
    issueOrPullRequest: (args: Args) => {
      const issue = data.issues.get(intArg(args, 'number') ?? 0);
      if (issue === undefined) throw gqlError(`Could not resolve to an issue or pull request with the number of ${String(args['number'])}.`, 'NOT_FOUND');
      return issueOrPullNode(context, repo, issue);
    },
    labels: (args: Args) => {
      const query = stringArg(args, 'query')?.toLowerCase();
      const labels = [...data.labels.values()].filter(label => query === undefined || label.name.toLowerCase().includes(query)).sort((a, b) => a.id - b.id);
      return connection(labels, args, label => labelNode(context, repo, label));
    },
    label: (args: Args) => {
      const label = data.labels.get((stringArg(args, 'name') ?? '').toLowerCase());
      return label === undefined ? null : labelNode(context, repo, label);
    },
    suggestedActors: (args: Args) => suggestedActors(context, data, args),
  };
}
