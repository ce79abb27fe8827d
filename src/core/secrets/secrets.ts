import type { Redactor } from '../logging/redactor';

/** Every secret ATO can use. Values live only in VS Code's SecretStorage or the environment. */
export const secretIds = ['github.token', 'gitlab.token', 'jules.apiKey', 'anthropic.apiKey'] as const;
export type SecretId = (typeof secretIds)[number];

export interface SecretDescription {
  readonly label: string;
  /** Key in VS Code's SecretStorage. */
  readonly storageKey: string;
  /** Environment variables the CLI reads, first match wins. */
  readonly envVars: readonly string[];
}

export const secretDescriptions: Readonly<Record<SecretId, SecretDescription>> = {
  'github.token': { label: 'GitHub token', storageKey: 'ato.github.token', envVars: ['ATO_GITHUB_TOKEN', 'GITHUB_TOKEN', 'GH_TOKEN'] },
  'gitlab.token': { label: 'GitLab token', storageKey: 'ato.gitlab.token', envVars: ['ATO_GITLAB_TOKEN', 'GITLAB_TOKEN'] },
  'jules.apiKey': { label: 'Jules API key', storageKey: 'ato.jules.apiKey', envVars: ['ATO_JULES_API_KEY', 'JULES_API_KEY'] },
  'anthropic.apiKey': { label: 'Anthropic API key', storageKey: 'ato.anthropic.apiKey', envVars: ['ATO_ANTHROPIC_API_KEY', 'ANTHROPIC_API_KEY'] },
};

/** The core's port for reading secrets. */
export interface SecretSource {
  get(id: SecretId): Promise<string | undefined>;
}

/** Headless secrets: the environment. */
export function environmentSecretSource(env: Readonly<Record<string, string | undefined>>): SecretSource {
  return {
    get: id => {
      for (const name of secretDescriptions[id].envVars) {
        const value = env[name];
        if (value !== undefined && value.trim() !== '') return Promise.resolve(value.trim());
      }
      return Promise.resolve(undefined);
    },
  };
}

/**
 * Teaches the redactor every secret the environment holds under a name ATO reads (all of them, not only
 * the first match), before anything runs: a headless command prints what servers and agents echo, whether
 * or not it needed that key itself.
 */
export function learnEnvironmentSecrets(env: Readonly<Record<string, string | undefined>>, redactor: Redactor): void {
  for (const id of secretIds) for (const name of secretDescriptions[id].envVars) redactor.addSecret(env[name]);
}

/** Wraps a source so that every value read is known to the redactor before anyone can print it. */
export function redactingSecretSource(source: SecretSource, redactor: Redactor): SecretSource {
  return {
    get: async id => {
      const value = await source.get(id);
      redactor.addSecret(value);
      return value;
    },
  };
}

/** Checks a pasted secret; returns a message for the input box, or undefined when acceptable. */
export function validateSecretInput(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return 'Enter a value, or press Escape to cancel.';
  if (/\s/.test(trimmed)) return 'A key has no spaces or line breaks.';
  if (trimmed.length < 8) return 'That is too short to be a key.';
  return undefined;
}
