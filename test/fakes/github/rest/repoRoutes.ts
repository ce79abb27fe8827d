import { ensureLabel } from '../domain/issues';
import { FakeApiError, notFound } from '../errors';
import { bodyObject, nullableString, optionalString, requiredString } from '../http/body';
import { paginate } from '../http/pagination';
import { repoRoute, type Route } from '../http/router';
import { labelShape } from './issueShapes';
import { fullRepositoryShape } from './repoShapes';
import { collaboratorShape, privateUser } from './userShapes';

export const repoRoutes: readonly Route[] = [
  {
    method: 'GET', pattern: '/user', operationId: 'users/get-authenticated',
    handler: context => Promise.resolve({ status: 200, body: privateUser(context.rt, context.rt.tokenUser) }),
  },
  {
    method: 'GET', pattern: '/rate_limit', operationId: 'rate-limit/get',
    handler: context => {
      const budget = (resource: 'core' | 'graphql'): Record<string, number> => {
        const { limit, remaining, used, reset } = context.rt.limiter.budget(resource);
        return { limit, remaining, used, reset };
      };
      const other = { limit: 5000, remaining: 5000, used: 0, reset: budget('core')['reset'] ?? 0 };
      return Promise.resolve({
        status: 200,
        body: {
          resources: { core: budget('core'), graphql: budget('graphql'), search: { ...other, limit: 30, remaining: 30 }, integration_manifest: other },
          rate: budget('core'),
        },
      });
    },
  },
  repoRoute('GET', '/repos/{owner}/{repo}', 'repos/get', context => Promise.resolve({ status: 200, body: fullRepositoryShape(context.rt, context.repo.data) })),
  repoRoute('GET', '/repos/{owner}/{repo}/collaborators/{username}/permission', 'repos/get-collaborator-permission-level', context => {
    const data = context.repo.data;
    const user = context.rt.users.get(context.params['username'] ?? '');
    // The legacy base role: the owner admin, collaborators write, anyone else read on a public repository.
    const permission = user.login.toLowerCase() === data.owner.toLowerCase() ? 'admin' : data.collaborators.has(user.login.toLowerCase()) ? 'write' : data.isPrivate ? 'none' : 'read';
    return Promise.resolve({ status: 200, body: { permission, role_name: permission, user: collaboratorShape(context.rt, user, permission) } });
  }),
  repoRoute('GET', '/repos/{owner}/{repo}/labels', 'issues/list-labels-for-repo', context => {
    const labels = [...context.repo.data.labels.values()].sort((a, b) => a.id - b.id);
    const { page, headers } = paginate(context, labels);
    return Promise.resolve({ status: 200, body: page.map(label => labelShape(context.rt, context.repo.data, label)), headers });
  }),
  repoRoute('POST', '/repos/{owner}/{repo}/labels', 'issues/create-label', context => {
    const body = bodyObject(context.body);
    const name = requiredString(body, 'name');
    const color = (optionalString(body, 'color') ?? 'ededed').replace(/^#/, '');
    if (!/^[0-9a-fA-F]{6}$/.test(color)) throw new FakeApiError(422, 'Validation Failed', { errors: [{ resource: 'Label', code: 'invalid', field: 'color' }] });
    if (context.repo.data.labels.has(name.toLowerCase())) {
      throw new FakeApiError(422, 'Validation Failed', { errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }] });
    }
    const label = ensureLabel(context.rt, context.repo.data, name, color.toLowerCase(), nullableString(body, 'description') ?? null);
    return Promise.resolve({ status: 201, body: labelShape(context.rt, context.repo.data, label) });
  }),
  repoRoute('GET', '/repos/{owner}/{repo}/labels/{name}', 'issues/get-label', context => {
    const label = context.repo.data.labels.get((context.params['name'] ?? '').toLowerCase());
    if (label === undefined) throw notFound();
    return Promise.resolve({ status: 200, body: labelShape(context.rt, context.repo.data, label) });
  }),
];
