import type { Logger } from '../../logging/logger';
import type { SecretSource } from '../../secrets/secrets';
import type { AtoSettings } from '../../settings/settings';
import { workspaceCopilotBackend, type WorkspaceCopilotSetup } from '../copilot/workspaceCopilot';
import { configuredAgents, type ConfiguredAgents, type WorkspaceAllowances } from './configuredAgents';

/** What `copilot` needs from its host beyond the settings: the GitHub token lookup and how the host names itself. */
export type HostCopilotInputs = Pick<WorkspaceCopilotSetup, 'token' | 'enterpriseUri' | 'redactor' | 'userAgent'>;

/** The remote agents a host can use; every host gets the local ones (Claude Code, `claude`, custom CLIs). */
export interface HostRemoteAgents {
  /** `jules`, when `ato.agents.jules.enabled` is on and its key is set. */
  readonly jules: boolean;
  /** `copilot` for task files (`agent: copilot`), on the workspace's GitHub `origin`; absent: not offered. */
  readonly copilot?: HostCopilotInputs;
}

export interface HostAgentsInputs {
  readonly settings: AtoSettings;
  /** The host's secrets (SecretStorage, or the environment): the Anthropic and Jules keys are read from it. */
  readonly secrets: SecretSource;
  /** The open folder; without one, the agents that work on a workspace's repository (jules, copilot) are left out. */
  readonly workspaceRoot: string | undefined;
  readonly log: Logger;
  readonly allowances: WorkspaceAllowances;
  readonly remote: HostRemoteAgents;
}

/**
 * The fleet's agents for one host (a CLI command, the VS Code window's dispatcher, its loop, Doctor): every
 * host builds them here, so they differ only in what `remote` says this host can use.
 */
export async function hostAgents(inputs: HostAgentsInputs): Promise<ConfiguredAgents> {
  const { settings, secrets, workspaceRoot, log, allowances, remote } = inputs;
  const anthropicKey = await secrets.get('anthropic.apiKey');
  const jules = remote.jules && workspaceRoot !== undefined ? { apiKey: await secrets.get('jules.apiKey'), workspaceRoot, log } : undefined;
  const configured = configuredAgents(settings, anthropicKey, allowances, jules);
  if (remote.copilot === undefined || workspaceRoot === undefined) return configured;
  const copilot = workspaceCopilotBackend({ ...remote.copilot, workspaceRoot, settings, log: log.scoped('copilot') });
  return { ...configured, agents: [...configured.agents, copilot] };
}
