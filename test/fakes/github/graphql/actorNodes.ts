import { nodeId } from '../ids';
import type { FakeRepoData, FakeUser } from '../model';
import type { FakeApp } from '../users';
import { type Args, connection, type GqlContext, type GqlObject, listArg, stringArg } from './gqlSupport';

/** A User, Bot or Organization; GraphQL spells the coding agent `copilot-swe-agent`. */
export function actorNode(context: GqlContext, user: FakeUser): GqlObject {
  const typename = user.type === 'Bot' ? 'Bot' : user.type === 'Organization' ? 'Organization' : 'User';
  const path = user.type === 'Bot' ? `/apps/${user.graphqlLogin}` : `/${user.login}`;
  return {
    __typename: typename,
    id: user.nodeId,
    databaseId: user.id,
    login: user.graphqlLogin,
    name: user.name,
    email: user.email ?? '',
    createdAt: user.createdAt,
    updatedAt: user.createdAt,
    url: context.rt.urls.html(path),
    resourcePath: path,
    avatarUrl: () => `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    isViewer: user.login === context.viewer.login,
  };
}

export function actorByLogin(context: GqlContext, login: string): GqlObject {
  return actorNode(context, context.rt.users.get(login));
}

export function teamNode(context: GqlContext, repo: FakeRepoData, slug: string): GqlObject {
  return {
    __typename: 'Team', id: nodeId('Team', `${repo.owner}/${slug}`), slug, name: slug, combinedSlug: `${repo.owner}/${slug}`,
    url: context.rt.urls.html(`/orgs/${repo.owner}/teams/${slug}`), resourcePath: `/orgs/${repo.owner}/teams/${slug}`,
  };
}

export function appNode(context: GqlContext, app: FakeApp): GqlObject {
  return {
    __typename: 'App', id: nodeId('App', app.id), databaseId: app.id, slug: app.slug, name: app.name, description: null,
    url: context.rt.urls.html(`/apps/${app.slug}`), createdAt: '2018-07-30T09:30:17Z', updatedAt: '2018-07-30T09:30:17Z',
    logoBackgroundColor: '000000', logoUrl: () => `https://avatars.githubusercontent.com/in/${app.id}?v=4`, clientId: null,
  };
}

/**
 * `Repository.suggestedActors` (preview): the Copilot coding agent first when it is enabled, then the
 * collaborators; `query` filters by login, `loginNames` keeps only the listed logins.
 */
export function suggestedActors(context: GqlContext, repo: FakeRepoData, args: Args): GqlObject {
  const capabilities = listArg(args, 'capabilities') ?? [];
  const query = stringArg(args, 'query')?.toLowerCase();
  const names = stringArg(args, 'loginNames')?.split(',').map(name => name.trim().toLowerCase()).filter(name => name !== '');
  let actors: FakeUser[] = [];
  if (capabilities.includes('CAN_BE_ASSIGNED') || capabilities.includes('CAN_BE_AUTHOR')) {
    const people = [...repo.collaborators].map(login => context.rt.users.get(login)).sort((a, b) => a.login.localeCompare(b.login));
    actors = [...(repo.copilotEnabled ? [context.rt.users.copilot] : []), ...people];
  }
  actors = actors.filter(user => (query === undefined || user.graphqlLogin.toLowerCase().includes(query) || (user.name ?? '').toLowerCase().includes(query))
    && (names === undefined || names.includes(user.graphqlLogin.toLowerCase())));
  return connection(actors, args, user => actorNode(context, user));
}
