/**
 * The environment a local agent's process gets: a short allowlist copied from ATO's own environment, a
 * few variables that keep tools from waiting for a human, and what the caller adds. Nothing else: ATO's
 * process may hold GitHub, GitLab, Jules and Anthropic keys, and an agent gets only the one it needs,
 * passed explicitly (PRODUCT §5: "Secrets are never passed to agents except the one each needs").
 */

/** Copied from the parent when set. None of them carries a secret. */
export const inheritedVariables: readonly string[] = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR', 'USER', 'LOGNAME', 'SHELL'];

/**
 * Set for every child, so that tools fail or pick a default instead of waiting for input that will
 * never come (the child also has no controlling terminal and its stdin is closed).
 */
export const nonInteractiveVariables: Readonly<Record<string, string>> = {
  TERM: 'dumb',
  CI: 'true',
  NO_COLOR: '1',
  // git: never ask for credentials or open an editor/pager.
  GIT_TERMINAL_PROMPT: '0',
  GIT_ASKPASS: 'echo',
  SSH_ASKPASS: 'echo',
  GIT_EDITOR: 'true',
  GIT_PAGER: 'cat',
  PAGER: 'cat',
  DEBIAN_FRONTEND: 'noninteractive',
  // npm/npx: never prompt "Need to install the following packages … Ok to proceed?".
  npm_config_yes: 'true',
};

export interface ChildEnvironmentOptions {
  /** ATO's own environment (`process.env`). */
  readonly parent: Readonly<Record<string, string | undefined>>;
  /** Added last, so it wins: the one key the agent needs, its base URL, its own settings. */
  readonly extra?: Readonly<Record<string, string>>;
  /** More variable names to copy from the parent when set (e.g. `SSH_AUTH_SOCK`, `http_proxy`). */
  readonly inherit?: readonly string[];
}

export function childEnvironment(options: ChildEnvironmentOptions): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of [...inheritedVariables, ...(options.inherit ?? [])]) {
    const value = options.parent[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, nonInteractiveVariables, options.extra ?? {});
  return env;
}
