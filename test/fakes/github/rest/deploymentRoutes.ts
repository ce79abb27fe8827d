import { deploymentStatuses } from '../domain/deployments';
import { notFound } from '../errors';
import { paginate } from '../http/pagination';
import { repoRoute, type Route } from '../http/router';
import type { FakeDeployment, FakeDeploymentStatus, FakeRepoData } from '../model';
import type { FakeRuntime } from '../runtime';
import { userByLogin } from './userShapes';

function deploymentUrl(rt: FakeRuntime, repo: FakeRepoData, id: number): string {
  return rt.urls.repoApi(repo, `/deployments/${String(id)}`);
}

/** REST `deployment`. */
function deploymentShape(rt: FakeRuntime, repo: FakeRepoData, deployment: FakeDeployment): Record<string, unknown> {
  const url = deploymentUrl(rt, repo, deployment.id);
  return {
    url, id: deployment.id, node_id: deployment.nodeId, sha: deployment.sha, ref: deployment.ref, task: 'deploy', payload: {},
    original_environment: deployment.environment, environment: deployment.environment, description: deployment.description,
    creator: userByLogin(rt, deployment.creator), created_at: deployment.createdAt, updated_at: deployment.updatedAt,
    statuses_url: `${url}/statuses`, repository_url: rt.urls.repoApi(repo), transient_environment: false, production_environment: deployment.environment === 'production',
  };
}

/** REST `deployment-status`. */
function deploymentStatusShape(rt: FakeRuntime, repo: FakeRepoData, deployment: FakeDeployment, status: FakeDeploymentStatus): Record<string, unknown> {
  const url = deploymentUrl(rt, repo, deployment.id);
  const logUrl = status.logUrl === '' ? rt.urls.repoHtml(repo, `/deployments/${encodeURIComponent(deployment.environment)}`) : status.logUrl;
  return {
    url: `${url}/statuses/${String(status.id)}`, id: status.id, node_id: status.nodeId, state: status.state, creator: userByLogin(rt, status.creator),
    description: status.description, environment: deployment.environment, target_url: logUrl, created_at: status.createdAt, updated_at: status.createdAt,
    deployment_url: url, repository_url: rt.urls.repoApi(repo), environment_url: logUrl, log_url: logUrl,
  };
}

export const deploymentRoutes: readonly Route[] = [
  repoRoute('GET', '/repos/{owner}/{repo}/deployments', 'repos/list-deployments', context => {
    const filters = ['sha', 'ref', 'environment'] as const;
    const task = context.query.get('task');
    const found = context.repo.data.deployments
      .filter(deployment => filters.every(name => { const wanted = context.query.get(name); return wanted === null || deployment[name] === wanted; }) && (task === null || task === 'deploy'))
      .sort((a, b) => b.id - a.id)
      .map(deployment => deploymentShape(context.rt, context.repo.data, deployment));
    const { page, headers } = paginate(context, found);
    return Promise.resolve({ status: 200, body: page, headers });
  }),
  repoRoute('GET', '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses', 'repos/list-deployment-statuses', context => {
    const deployment = context.repo.data.deployments.find(candidate => candidate.id === Number(context.params['deployment_id']));
    if (deployment === undefined) throw notFound();
    const statuses = deploymentStatuses(context.repo.data, deployment.id).map(status => deploymentStatusShape(context.rt, context.repo.data, deployment, status));
    const { page, headers } = paginate(context, statuses);
    return Promise.resolve({ status: 200, body: page, headers });
  }),
];
