import type { FakeUser } from '../model';
import type { FakeRuntime } from '../runtime';
import type { FakeApp } from '../users';

/** REST `simple-user`. */
export function simpleUser(rt: FakeRuntime, user: FakeUser): Record<string, unknown> {
  const api = rt.urls.api(`/users/${encodeURIComponent(user.login)}`);
  return {
    login: user.login,
    id: user.id,
    node_id: user.nodeId,
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: user.type === 'Bot' ? rt.urls.html(`/apps/${user.graphqlLogin}`) : rt.urls.html(`/${user.login}`),
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: user.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

export function userByLogin(rt: FakeRuntime, login: string): Record<string, unknown> {
  return simpleUser(rt, rt.users.get(login));
}

/** REST `collaborator`: a user with their role on one repository. */
export function collaboratorShape(rt: FakeRuntime, user: FakeUser, role: 'admin' | 'write' | 'read' | 'none'): Record<string, unknown> {
  return {
    ...simpleUser(rt, user),
    role_name: role,
    permissions: { pull: role !== 'none', triage: role !== 'none', push: role === 'write' || role === 'admin', maintain: role === 'admin', admin: role === 'admin' },
  };
}

/** REST `private-user`: `GET /user` for the token's user. */
export function privateUser(rt: FakeRuntime, user: FakeUser): Record<string, unknown> {
  return {
    ...simpleUser(rt, user),
    name: user.name,
    company: null,
    blog: '',
    location: null,
    email: user.email,
    hireable: null,
    bio: null,
    twitter_username: null,
    notification_email: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: user.createdAt,
    updated_at: user.createdAt,
    private_gists: 0,
    total_private_repos: 0,
    owned_private_repos: 0,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: true,
    plan: { name: 'pro', space: 976562499, collaborators: 0, private_repos: 9999 },
  };
}

/** REST `integration` (`performed_via_github_app`, a check run's `app`). */
export function appShape(rt: FakeRuntime, app: FakeApp, createdAt: string): Record<string, unknown> {
  return {
    id: app.id,
    slug: app.slug,
    node_id: `A_kw${Buffer.from(`App:${app.id}`).toString('base64url')}`,
    client_id: `Iv1.${app.id.toString(16).padStart(16, '0')}`,
    owner: userByLogin(rt, app.owner),
    name: app.name,
    description: '',
    external_url: 'https://github.com',
    html_url: rt.urls.html(`/apps/${app.slug}`),
    created_at: createdAt,
    updated_at: createdAt,
    permissions: { contents: 'write', issues: 'write', metadata: 'read', pull_requests: 'write', checks: 'write' },
    events: ['check_run', 'check_suite', 'pull_request', 'push'],
  };
}
