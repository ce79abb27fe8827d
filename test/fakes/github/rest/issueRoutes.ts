import { copilotAnswersMention } from '../domain/copilotAnswers';
import {
  addAssignees, addLabels, closeIssue, createComment, createIssue, recordMentions, removeAssignees, removeLabel, renameIssue, reopenIssue,
  setAssignees, setLabels, touch,
} from '../domain/issues';
import { bodyEdited } from '../domain/pulls';
import { FakeApiError, notFound } from '../errors';
import { bodyObject, invalidRequest, nullableString, optionalObject, optionalString, optionalStrings, requiredString } from '../http/body';
import { paginate } from '../http/pagination';
import { type RepoRouteContext, repoRoute, type Route } from '../http/router';
import { type FakeIssue, type IssueStateReason, isPull } from '../model';
import { commentShape, issueShape, labelShape, timelineShapes } from './issueShapes';

function issueOf(context: RepoRouteContext): FakeIssue {
  const issue = context.repo.data.issues.get(Number(context.params['issue_number']));
  if (issue === undefined) throw notFound();
  return issue;
}

function listIssues(context: RepoRouteContext): FakeIssue[] {
  const query = context.query;
  const state = query.get('state') ?? 'open';
  const labels = (query.get('labels') ?? '').split(',').map(label => label.trim().toLowerCase()).filter(label => label !== '');
  const sinceText = query.get('since');
  const since = sinceText === null ? undefined : Date.parse(sinceText);
  if (since !== undefined && Number.isNaN(since)) throw new FakeApiError(422, 'Validation Failed', { errors: [{ resource: 'Issue', field: 'since', code: 'invalid' }] });
  const assignee = query.get('assignee');
  const creator = query.get('creator');
  const sort = query.get('sort') ?? 'created';
  const direction = query.get('direction') ?? 'desc';
  const key = (issue: FakeIssue): string | number =>
    sort === 'updated' ? issue.updatedAt : sort === 'comments' ? context.repo.data.comments.filter(comment => comment.issueNumber === issue.number).length : issue.createdAt;
  return [...context.repo.data.issues.values()]
    .filter(issue => state === 'all' || issue.state === state)
    .filter(issue => labels.every(label => issue.labels.some(name => name.toLowerCase() === label)))
    .filter(issue => since === undefined || Date.parse(issue.updatedAt) >= since)
    .filter(issue => assignee === null || (assignee === 'none' ? issue.assignees.length === 0 : assignee === '*' ? issue.assignees.length > 0 : issue.assignees.some(login => login.toLowerCase() === assignee.toLowerCase())))
    .filter(issue => creator === null || issue.author.toLowerCase() === creator.toLowerCase())
    .sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      const order = x < y ? -1 : x > y ? 1 : a.number - b.number;
      return direction === 'asc' ? order : -order;
    });
}

const stateReasons: readonly IssueStateReason[] = ['completed', 'not_planned', 'reopened', 'duplicate'];

export const issueRoutes: readonly Route[] = [
  repoRoute('GET', '/repos/{owner}/{repo}/issues', 'issues/list-for-repo', context => {
    const { page, headers } = paginate(context, listIssues(context));
    return Promise.resolve({ status: 200, body: page.map(issue => issueShape(context.rt, context.repo.data, issue)), headers });
  }),
  repoRoute('POST', '/repos/{owner}/{repo}/issues', 'issues/create', context => {
    const body = bodyObject(context.body);
    const assignees = [...(optionalStrings(body, 'assignees') ?? []), ...(optionalString(body, 'assignee') === undefined ? [] : [optionalString(body, 'assignee') ?? ''])];
    const agentAssignment = optionalObject(body, 'agent_assignment');
    const issue = createIssue(context.rt, context.repo, {
      title: requiredString(body, 'title'),
      body: nullableString(body, 'body') ?? null,
      author: context.rt.tokenUser.login,
      labels: optionalStrings(body, 'labels') ?? [],
      assignees,
      ...(agentAssignment === undefined ? {} : { agentAssignment }),
    });
    recordMentions(context.rt, context.repo, issue, issue.body, issue.author);
    return Promise.resolve({ status: 201, body: issueShape(context.rt, context.repo.data, issue), headers: { location: context.rt.urls.repoApi(context.repo.data, `/issues/${issue.number}`) } });
  }),
  repoRoute('GET', '/repos/{owner}/{repo}/issues/{issue_number}', 'issues/get', context =>
    Promise.resolve({ status: 200, body: issueShape(context.rt, context.repo.data, issueOf(context)) })),
  repoRoute('PATCH', '/repos/{owner}/{repo}/issues/{issue_number}', 'issues/update', context => {
    const issue = issueOf(context);
    const body = bodyObject(context.body);
    const actor = context.rt.tokenUser.login;
    const title = optionalString(body, 'title');
    if (title !== undefined) renameIssue(context.rt, context.repo, issue, title, actor);
    const text = nullableString(body, 'body');
    if (text !== undefined) {
      issue.body = text;
      touch(context.rt, context.repo, issue);
      if (isPull(issue)) bodyEdited(context.rt, context.repo, issue, actor);
      else recordMentions(context.rt, context.repo, issue, text, actor);
    }
    const labels = optionalStrings(body, 'labels');
    if (labels !== undefined) setLabels(context.rt, context.repo, issue, labels, actor);
    const assignees = optionalStrings(body, 'assignees') ?? (body['assignee'] === null ? [] : optionalString(body, 'assignee') === undefined ? undefined : [optionalString(body, 'assignee') ?? '']);
    const agentAssignment = optionalObject(body, 'agent_assignment');
    if (assignees !== undefined) setAssignees(context.rt, context.repo, issue, assignees, actor, agentAssignment);
    const state = optionalString(body, 'state');
    const reason = nullableString(body, 'state_reason');
    if (reason !== undefined && reason !== null && !stateReasons.includes(reason as IssueStateReason)) throw invalidRequest(`"${reason}" is not a valid state_reason.`);
    if (state !== undefined && state !== 'open' && state !== 'closed') throw invalidRequest(`"${state}" is not a valid state.`);
    if (state === 'closed') closeIssue(context.rt, context.repo, issue, actor, (reason ?? 'completed') as IssueStateReason);
    else if (state === 'open') reopenIssue(context.rt, context.repo, issue, actor);
    else if (reason !== undefined && reason !== null && issue.state === 'closed') issue.stateReason = reason as IssueStateReason;
    return Promise.resolve({ status: 200, body: issueShape(context.rt, context.repo.data, issue) });
  }),
  repoRoute('POST', '/repos/{owner}/{repo}/issues/{issue_number}/assignees', 'issues/add-assignees', context => {
    const issue = issueOf(context);
    const body = bodyObject(context.body);
    addAssignees(context.rt, context.repo, issue, optionalStrings(body, 'assignees') ?? [], context.rt.tokenUser.login, optionalObject(body, 'agent_assignment'));
    return Promise.resolve({ status: 201, body: issueShape(context.rt, context.repo.data, issue) });
  }),
  repoRoute('DELETE', '/repos/{owner}/{repo}/issues/{issue_number}/assignees', 'issues/remove-assignees', context => {
    const issue = issueOf(context);
    removeAssignees(context.rt, context.repo, issue, optionalStrings(bodyObject(context.body), 'assignees') ?? [], context.rt.tokenUser.login);
    return Promise.resolve({ status: 200, body: issueShape(context.rt, context.repo.data, issue) });
  }),
  repoRoute('GET', '/repos/{owner}/{repo}/issues/{issue_number}/comments', 'issues/list-comments', context => {
    const issue = issueOf(context);
    const since = context.query.get('since');
    const comments = context.repo.data.comments.filter(comment => comment.issueNumber === issue.number && (since === null || comment.updatedAt >= since));
    const { page, headers } = paginate(context, comments);
    return Promise.resolve({ status: 200, body: page.map(comment => commentShape(context.rt, context.repo.data, comment)), headers });
  }),
  repoRoute('POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments', 'issues/create-comment', async context => {
    const issue = issueOf(context);
    const comment = createComment(context.rt, context.repo, issue, requiredString(bodyObject(context.body), 'body'), context.rt.tokenUser.login);
    const shape = commentShape(context.rt, context.repo.data, comment);
    await copilotAnswersMention(context.rt, context.repo, issue, comment);
    return { status: 201, body: shape };
  }),
  repoRoute('GET', '/repos/{owner}/{repo}/issues/{issue_number}/timeline', 'issues/list-events-for-timeline', context => {
    const { page, headers } = paginate(context, timelineShapes(context.rt, context.repo.data, issueOf(context)));
    return Promise.resolve({ status: 200, body: page, headers });
  }),
  repoRoute('POST', '/repos/{owner}/{repo}/issues/{issue_number}/labels', 'issues/add-labels', context => {
    const issue = issueOf(context);
    const names = Array.isArray(context.body) ? optionalStrings({ labels: context.body }, 'labels') : optionalStrings(bodyObject(context.body), 'labels');
    addLabels(context.rt, context.repo, issue, names ?? [], context.rt.tokenUser.login);
    return Promise.resolve({ status: 200, body: labelsOn(context, issue) });
  }),
  repoRoute('DELETE', '/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}', 'issues/remove-label', context => {
    const issue = issueOf(context);
    if (!removeLabel(context.rt, context.repo, issue, context.params['name'] ?? '', context.rt.tokenUser.login)) throw new FakeApiError(404, 'Label does not exist');
    return Promise.resolve({ status: 200, body: labelsOn(context, issue) });
  }),
];

function labelsOn(context: RepoRouteContext, issue: FakeIssue): Record<string, unknown>[] {
  return issue.labels.flatMap(name => {
    const label = context.repo.data.labels.get(name.toLowerCase());
    return label === undefined ? [] : [labelShape(context.rt, context.repo.data, label)];
  });
}
