import type { Logger } from '../../logging/logger';
import type { AtoSettings } from '../../settings/settings';
import { JulesBackend } from './julesBackend';

/** What the Jules agent needs beyond the settings: its key (SecretStorage, or `ATO_JULES_API_KEY`) and where it works. */
export interface JulesInputs {
  readonly apiKey: string | undefined;
  readonly workspaceRoot: string;
  readonly log: Logger;
}

/** The `jules` agent when `ato.agents.jules.enabled` is on and a key is set; otherwise none. */
export function configuredJules(settings: AtoSettings, inputs: JulesInputs | undefined): JulesBackend | undefined {
  if (!settings['agents.jules.enabled'] || inputs === undefined) return undefined;
  const apiKey = inputs.apiKey?.trim() ?? '';
  if (apiKey === '') return undefined;
  return new JulesBackend({
    apiUrl: settings['jules.apiUrl'],
    apiKey,
    workspaceRoot: inputs.workspaceRoot,
    concurrent: settings['agents.jules.concurrent'],
    dailySessions: settings['agents.jules.dailySessions'],
    requirePlanApproval: settings['agents.jules.requirePlanApproval'],
    startingBranch: settings['agents.jules.startingBranch'],
    requestTimeoutMs: settings['network.timeoutSeconds'] * 1000,
    log: inputs.log,
  });
}
