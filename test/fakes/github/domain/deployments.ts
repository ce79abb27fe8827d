import { nodeId } from '../ids';
import type { DeploymentState, FakeDeployment, FakeDeploymentStatus, FakeRepoData } from '../model';
import type { FakeRuntime } from '../runtime';

export interface DeployInput {
  readonly sha: string;
  readonly ref: string;
  readonly environment: string;
  readonly state: DeploymentState;
  readonly description?: string;
  readonly logUrl?: string;
  readonly creator?: string;
}

/** A deployment of `sha` to an environment (one per sha and environment) gets a new status. */
export function deploy(rt: FakeRuntime, repo: FakeRepoData, input: DeployInput): { readonly deployment: FakeDeployment; readonly status: FakeDeploymentStatus } {
  const now = rt.clock.now();
  const creator = input.creator ?? rt.tokenUser.login;
  let deployment = repo.deployments.find(d => d.sha === input.sha && d.environment === input.environment);
  if (deployment === undefined) {
    const id = rt.ids.next('deployment');
    deployment = { id, nodeId: nodeId('Deployment', id), sha: input.sha, ref: input.ref, environment: input.environment, description: null, creator, createdAt: now, updatedAt: now };
    repo.deployments.push(deployment);
  }
  deployment.updatedAt = now;
  const id = rt.ids.next('deploymentStatus');
  const status: FakeDeploymentStatus = {
    id, nodeId: nodeId('DeploymentStatus', id), deploymentId: deployment.id, state: input.state, description: input.description ?? '',
    logUrl: input.logUrl ?? '', creator, createdAt: now,
  };
  repo.deploymentStatuses.push(status);
  return { deployment, status };
}

/** Newest first, as GitHub lists them. */
export function deploymentStatuses(repo: FakeRepoData, deploymentId: number): FakeDeploymentStatus[] {
  return repo.deploymentStatuses.filter(status => status.deploymentId === deploymentId).sort((a, b) => b.id - a.id);
}
