import { addAssignees, closeIssue, createComment, createIssue, recordMentions, renameIssue, reopenIssue, setAssignees, setLabels, touch } from '../domain/issues';
import { markReadyForReview } from '../domain/pulls';
import { parseNodeId } from '../ids';
import { type FakeIssue, type IssueStateReason, isPull } from '../model';
import type { RepoRuntime } from '../runtime';
import { type Args, gqlError, type GqlContext, type GqlObject, listArg, stringArg } from './gqlSupport';
import { commentNode, issueNode, issueOrPullNode, pullNode } from './issueNodes';

/** The issue or pull request a node id names. */
export function findIssue(context: GqlContext, id: string): { readonly repo: RepoRuntime; readonly issue: FakeIssue } | undefined {
  const parsed = parseNodeId(id);
  if (parsed?.kind !== 'Issue' && parsed?.kind !== 'PullRequest') return undefined;
  const [repoId, number] = parsed.key.split(':').map(Number);
  for (const repo of context.rt.repos.values()) {
    if (repo.data.id !== repoId) continue;
    const issue = repo.data.issues.get(number ?? 0);
    return issue === undefined ? undefined : { repo, issue };
  }
  return undefined;
}

export function findRepo(context: GqlContext, id: string): RepoRuntime | undefined {
  return [...context.rt.repos.values()].find(repo => repo.data.nodeId === id);
}

function unresolved(id: string): Error {
  return gqlError(`Could not resolve to a node with the global id of '${id}'`, 'NOT_FOUND');
}

function input(args: Args): Args {
  return (args['input'] ?? {}) as Args;
}

function issueFrom(context: GqlContext, id: string | undefined): { readonly repo: RepoRuntime; readonly issue: FakeIssue } {
  const found = id === undefined ? undefined : findIssue(context, id);
  if (found === undefined) throw unresolved(id ?? '');
  return found;
}

/** Logins for actor ids (users and bots, the coding agent included). */
function loginsFor(context: GqlContext, ids: readonly string[] | undefined): string[] | undefined {
  return ids?.map(id => {
    const user = context.rt.users.byNodeId(id);
    if (user === undefined) throw unresolved(id);
    return user.login;
  });
}

/** GraphQL `agentAssignment` in the REST spelling the fake records (`base_branch`, `custom_instructions`, ...). */
function agentAssignment(context: GqlContext, value: unknown): Readonly<Record<string, unknown>> | undefined {
  if (value === undefined || value === null) return undefined;
  const source = value as Args;
  const target = stringArg(source, 'targetRepositoryId');
  const repo = target === undefined ? undefined : findRepo(context, target);
  if (target !== undefined && repo === undefined) throw unresolved(target);
  const out: Record<string, unknown> = {};
  if (repo !== undefined) out['target_repo'] = repo.fullName;
  for (const [from, to] of [['baseRef', 'base_branch'], ['customInstructions', 'custom_instructions'], ['customAgent', 'custom_agent'], ['model', 'model']] as const) {
    const field = stringArg(source, from);
    if (field !== undefined) out[to] = field;
  }
  return out;
}

function labelNames(repo: RepoRuntime, ids: readonly string[] | undefined): string[] | undefined {
  return ids?.map(id => {
    const label = [...repo.data.labels.values()].find(candidate => candidate.nodeId === id);
    if (label === undefined) throw unresolved(id);
    return label.name;
  });
}

export function mutationRoot(context: GqlContext): GqlObject {
  const actor = context.viewer.login;
  return {
    markPullRequestReadyForReview: (args: Args) => {
      const { repo, issue } = issueFrom(context, stringArg(input(args), 'pullRequestId'));
      if (!isPull(issue)) throw unresolved(issue.nodeId);
      markReadyForReview(context.rt, repo, issue, actor);
      return { clientMutationId: input(args)['clientMutationId'] ?? null, pullRequest: () => pullNode(context, repo, issue) };
    },
    addAssigneesToAssignable: (args: Args) => {
      const { repo, issue } = issueFrom(context, stringArg(input(args), 'assignableId'));
      addAssignees(context.rt, repo, issue, loginsFor(context, listArg(input(args), 'assigneeIds')) ?? [], actor, agentAssignment(context, input(args)['agentAssignment']));
      return { clientMutationId: input(args)['clientMutationId'] ?? null, assignable: () => issueOrPullNode(context, repo, issue) };
    },
    replaceActorsForAssignable: (args: Args) => {
      const { repo, issue } = issueFrom(context, stringArg(input(args), 'assignableId'));
      setAssignees(context.rt, repo, issue, loginsFor(context, listArg(input(args), 'actorIds')) ?? [], actor, agentAssignment(context, input(args)['agentAssignment']));
      return { clientMutationId: input(args)['clientMutationId'] ?? null, assignable: () => issueOrPullNode(context, repo, issue) };
    },
    createIssue: (args: Args) => {
      const fields = input(args);
      const repoId = stringArg(fields, 'repositoryId') ?? '';
      const repo = findRepo(context, repoId);
      if (repo === undefined) throw unresolved(repoId);
      const assignment = agentAssignment(context, fields['agentAssignment']);
      const issue = createIssue(context.rt, repo, {
        title: stringArg(fields, 'title') ?? '',
        body: stringArg(fields, 'body') ?? null,
        author: actor,
        labels: labelNames(repo, listArg(fields, 'labelIds')) ?? [],
        assignees: loginsFor(context, listArg(fields, 'assigneeIds')) ?? [],
        ...(assignment === undefined ? {} : { agentAssignment: assignment }),
      });
      recordMentions(context.rt, repo, issue, issue.body, actor);
      return { clientMutationId: fields['clientMutationId'] ?? null, issue: () => issueNode(context, repo, issue) };
    },
    updateIssue: (args: Args) => {
      const fields = input(args);
      const { repo, issue } = issueFrom(context, stringArg(fields, 'id'));
      const title = stringArg(fields, 'title');
      if (title !== undefined) renameIssue(context.rt, repo, issue, title, actor);
      const body = stringArg(fields, 'body');
      if (body !== undefined) {
        issue.body = body;
        touch(context.rt, repo, issue);
      }
      const labels = labelNames(repo, listArg(fields, 'labelIds'));
      if (labels !== undefined) setLabels(context.rt, repo, issue, labels, actor);
      const assignees = loginsFor(context, listArg(fields, 'assigneeIds'));
      if (assignees !== undefined) setAssignees(context.rt, repo, issue, assignees, actor, agentAssignment(context, fields['agentAssignment']));
      const state = stringArg(fields, 'state');
      if (state === 'CLOSED') closeIssue(context.rt, repo, issue, actor);
      if (state === 'OPEN') reopenIssue(context.rt, repo, issue, actor);
      return { clientMutationId: fields['clientMutationId'] ?? null, actor: null, issue: () => issueNode(context, repo, issue) };
    },
    closeIssue: (args: Args) => {
      const fields = input(args);
      const { repo, issue } = issueFrom(context, stringArg(fields, 'issueId'));
      closeIssue(context.rt, repo, issue, actor, (stringArg(fields, 'stateReason') ?? 'COMPLETED').toLowerCase() as IssueStateReason);
      return { clientMutationId: fields['clientMutationId'] ?? null, issue: () => issueNode(context, repo, issue) };
    },
    addComment: (args: Args) => {
      const fields = input(args);
      const { repo, issue } = issueFrom(context, stringArg(fields, 'subjectId'));
      const comment = createComment(context.rt, repo, issue, stringArg(fields, 'body') ?? '', actor);
      const node = commentNode(context, repo, comment);
      return {
        clientMutationId: fields['clientMutationId'] ?? null,
        subject: () => issueOrPullNode(context, repo, issue),
        commentEdge: { cursor: Buffer.from(`cursor:v2:${comment.id}`).toString('base64'), node },
        timelineEdge: { cursor: Buffer.from(`cursor:v2:${comment.id}`).toString('base64'), node },
      };
    },
  };
}

