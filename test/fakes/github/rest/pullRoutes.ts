import { closeIssue, renameIssue, reopenIssue, touch } from '../domain/issues';
import { type MergeMethod, mergePull } from '../domain/merge';
import { bodyEdited, createPull, pullFiles, pullOf, pulls, requestReviewers } from '../domain/pulls';
import { FakeApiError, notFound } from '../errors';
import { bodyObject, invalidRequest, nullableString, optionalBoolean, optionalString, optionalStrings, requiredString } from '../http/body';
import { paginate } from '../http/pagination';
import { type RepoRouteContext, repoRoute, type Route } from '../http/router';
import type { FakePull } from '../model';
import { reviewShape } from './issueShapes';
import { diffEntryShape, pullShape } from './pullShapes';

function pullFrom(context: RepoRouteContext): FakePull {
  const pull = pullOf(context.repo.data, Number(context.params['pull_number']));
  if (pull === undefined) throw notFound();
  return pull;
}

/** `owner:branch` or `branch`: the branch name in this repository (creating a PR from a fork is not modelled). */
function branchName(context: RepoRouteContext, value: string): string {
  const { owner, branch } = headFilter(context, value);
  if (owner.toLowerCase() !== context.repo.data.owner.toLowerCase()) throw new FakeApiError(422, 'Validation Failed', { errors: [{ resource: 'PullRequest', field: 'head', code: 'invalid' }] });
  return branch;
}

/** `owner:branch` (a fork's owner names its fork) or `branch` (this repository's). */
function headFilter(context: RepoRouteContext, value: string): { readonly owner: string; readonly branch: string } {
  const colon = value.indexOf(':');
  return colon < 0 ? { owner: context.repo.data.owner, branch: value } : { owner: value.slice(0, colon), branch: value.slice(colon + 1) };
}

const mergeMethods: readonly MergeMethod[] = ['merge', 'squash', 'rebase'];

export const pullRoutes: readonly Route[] = [
  repoRoute('GET', '/repos/{owner}/{repo}/pulls', 'pulls/list', async context => {
    const state = context.query.get('state') ?? 'open';
    const head = context.query.get('head');
    const base = context.query.get('base');
    const sort = context.query.get('sort') ?? 'created';
    const direction = context.query.get('direction') ?? (sort === 'created' ? 'desc' : 'asc');
    const wanted = head === null ? undefined : headFilter(context, head);
    const matching = pulls(context.repo.data)
      .filter(pull => state === 'all' || pull.state === state)
      .filter(pull => wanted === undefined || (pull.pull.headRef === wanted.branch && (pull.pull.headOwner ?? context.repo.data.owner).toLowerCase() === wanted.owner.toLowerCase()))
      .filter(pull => base === null || pull.pull.baseRef === base)
      .sort((a, b) => {
        const order = sort === 'updated' ? a.updatedAt.localeCompare(b.updatedAt) || a.number - b.number : a.number - b.number;
        return direction === 'asc' ? order : -order;
      });
    const { page, headers } = paginate(context, matching);
    return { status: 200, body: await Promise.all(page.map(pull => pullShape(context.rt, context.repo, pull, false))), headers };
  }),
  repoRoute('POST', '/repos/{owner}/{repo}/pulls', 'pulls/create', async context => {
    const body = bodyObject(context.body);
    const pull = await createPull(context.rt, context.repo, {
      title: requiredString(body, 'title'),
      body: nullableString(body, 'body') ?? null,
      head: branchName(context, requiredString(body, 'head')),
      base: requiredString(body, 'base'),
      draft: optionalBoolean(body, 'draft') ?? false,
      author: context.rt.tokenUser.login,
    });
    return { status: 201, body: await pullShape(context.rt, context.repo, pull, true), headers: { location: context.rt.urls.repoApi(context.repo.data, `/pulls/${pull.number}`) } };
  }),
  repoRoute('GET', '/repos/{owner}/{repo}/pulls/{pull_number}', 'pulls/get', async context =>
    ({ status: 200, body: await pullShape(context.rt, context.repo, pullFrom(context), true) })),
  repoRoute('PATCH', '/repos/{owner}/{repo}/pulls/{pull_number}', 'pulls/update', async context => {
    const pull = pullFrom(context);
    const body = bodyObject(context.body);
    const actor = context.rt.tokenUser.login;
    const title = optionalString(body, 'title');
    if (title !== undefined) renameIssue(context.rt, context.repo, pull, title, actor);
    const text = nullableString(body, 'body');
    if (text !== undefined) {
      pull.body = text;
      touch(context.rt, context.repo, pull);
      bodyEdited(context.rt, context.repo, pull, actor);
    }
    const base = optionalString(body, 'base');
    if (base !== undefined) {
      if (await context.repo.branchSha(base) === undefined) throw new FakeApiError(422, 'Validation Failed', { errors: [{ resource: 'PullRequest', field: 'base', code: 'invalid' }] });
      pull.pull.baseRef = base;
      touch(context.rt, context.repo, pull);
    }
    const state = optionalString(body, 'state');
    if (state === 'closed') closeIssue(context.rt, context.repo, pull, actor);
    else if (state === 'open') {
      if (pull.pull.merged) throw new FakeApiError(422, 'Validation Failed', { errors: [{ resource: 'PullRequest', code: 'custom', message: 'state cannot be changed. The pull request cannot be reopened.' }] });
      reopenIssue(context.rt, context.repo, pull, actor);
    } else if (state !== undefined) throw invalidRequest(`"${state}" is not a valid state.`);
    return { status: 200, body: await pullShape(context.rt, context.repo, pull, true) };
  }),
  repoRoute('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/files', 'pulls/list-files', async context => {
    const pull = pullFrom(context);
    const { page, headers } = paginate(context, (await pullFiles(context.repo, pull)).slice(0, 3000));
    return { status: 200, body: page.map(file => diffEntryShape(context.rt, context.repo.data, pull.pull.headSha, file)), headers };
  }),
  repoRoute('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews', 'pulls/list-reviews', context => {
    const pull = pullFrom(context);
    const reviews = context.repo.data.reviews.filter(review => review.pullNumber === pull.number);
    const { page, headers } = paginate(context, reviews);
    return Promise.resolve({ status: 200, body: page.map(review => reviewShape(context.rt, context.repo.data, review)), headers });
  }),
  repoRoute('POST', '/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers', 'pulls/request-reviewers', async context => {
    const pull = pullFrom(context);
    const body = bodyObject(context.body);
    requestReviewers(context.rt, context.repo, pull, optionalStrings(body, 'reviewers') ?? [], optionalStrings(body, 'team_reviewers') ?? [], context.rt.tokenUser.login);
    return { status: 201, body: await pullShape(context.rt, context.repo, pull, false) };
  }),
  repoRoute('PUT', '/repos/{owner}/{repo}/pulls/{pull_number}/merge', 'pulls/merge', async context => {
    const pull = pullFrom(context);
    const body = bodyObject(context.body);
    const method = optionalString(body, 'merge_method') ?? 'merge';
    if (!mergeMethods.includes(method as MergeMethod)) throw invalidRequest(`"${method}" is not a valid merge_method.`);
    const sha = optionalString(body, 'sha');
    const commitTitle = optionalString(body, 'commit_title');
    const commitMessage = optionalString(body, 'commit_message');
    const merged = await mergePull(context.rt, context.repo, pull, {
      method: method as MergeMethod,
      ...(sha === undefined ? {} : { sha }),
      ...(commitTitle === undefined ? {} : { commitTitle }),
      ...(commitMessage === undefined ? {} : { commitMessage }),
    }, context.rt.tokenUser);
    return { status: 200, body: { sha: merged, merged: true, message: 'Pull Request successfully merged' } };
  }),
];

