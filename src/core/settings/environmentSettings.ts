import { projectMcpServersVariable } from '../agents/claudeCode/projectMcpServers';
import { secretDescriptions, secretIds } from '../secrets/secrets';
import { readSettings, settingDefinitions, type SettingKey, type SettingsReadResult } from './settings';

/** `eventLog.maxFiles` → `ATO_EVENT_LOG_MAX_FILES`: how the CLI takes each setting from the environment. */
export function settingEnvironmentVariable(key: SettingKey): string {
  return `ATO_${key.replace(/\./g, '_').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

/** Settings for headless runs: each from its environment variable, validated like VS Code's. */
export function readEnvironmentSettings(env: Readonly<Record<string, string | undefined>>): SettingsReadResult {
  return readSettings(key => {
    const raw = env[settingEnvironmentVariable(key)];
    if (raw === undefined || raw === '') return undefined;
    // Environment values are strings: numeric settings get a number when the text is one, booleans
    // `true`/`false`/`1`/`0`, lists and objects JSON. Anything else stays text, for the schema to reject by name.
    const fallback = settingDefinitions[key].default;
    if (typeof fallback === 'number' && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
    if (typeof fallback === 'boolean') return ({ true: true, '1': true, false: false, '0': false } as Record<string, boolean | undefined>)[raw.trim().toLowerCase()] ?? raw;
    if (typeof fallback === 'object') {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        return raw;
      }
    }
    return raw;
  });
}

/** Variables the CLI reads that are not settings: who it is in the lease, its log level, request spacing. */
export const cliEnvironmentVariables = {
  loopHolder: { name: 'ATO_LOOP_HOLDER', description: 'who this loop is in the remote lease (default <user>@<host>#<pid>)' },
  logLevel: { name: 'ATO_LOG_LEVEL', description: '`debug` adds debug lines to stderr (default: warnings and errors)' },
  projectMcpServers: { name: projectMcpServersVariable, description: '1 lets Claude Code start the repository\'s .mcp.json servers for tasks that change the repository (default: off)' },
  requestSpacing: { name: 'ATO_GITHUB_REQUEST_SPACING_MS', description: 'pause between GitHub writes, for a fake or test server (default GitHub\'s 1 s, 3 s before notifying writes)' },
} as const satisfies Record<string, { readonly name: string; readonly description: string }>;

/**
 * The environment part of `ato --help`, generated from the tables the CLI reads (every setting, every key,
 * the other variables), so the help cannot miss one.
 */
export function environmentHelp(): string {
  const settingRows = (Object.keys(settingDefinitions) as SettingKey[]).map(key => [settingEnvironmentVariable(key), `ato.${key} (default ${JSON.stringify(settingDefinitions[key].default)})`] as const);
  const keyRows = secretIds.map(id => [secretDescriptions[id].envVars.join(', '), secretDescriptions[id].label] as const);
  const otherRows = Object.values(cliEnvironmentVariables).map(variable => [variable.name, variable.description] as const);
  const width = Math.max(...[...settingRows, ...otherRows].map(([name]) => name.length)) + 2;
  const table = (rows: readonly (readonly [string, string])[]): string => rows.map(([name, text]) => `  ${name.padEnd(width)}${text}\n`).join('');
  return [
    'Settings: each VS Code setting ato.<name> is an environment variable. Booleans are true/false/1/0,\n',
    'lists are JSON, e.g. ATO_AGENTS_CUSTOM=\'[{"id":"my-agent","command":"…"}]\'.\n',
    table(settingRows),
    '\nKeys (first one set wins):\n',
    keyRows.map(([names, label]) => `  ${label}: ${names}\n`).join(''),
    '\nOther variables:\n',
    table(otherRows),
  ].join('');
}
