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
    // `true`/`false`/`1`/`0`, lists JSON. Anything else stays text, for the schema to reject by name.
    const fallback = settingDefinitions[key].default;
    if (typeof fallback === 'number' && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
    if (typeof fallback === 'boolean') return ({ true: true, '1': true, false: false, '0': false } as Record<string, boolean | undefined>)[raw.trim().toLowerCase()] ?? raw;
    if (Array.isArray(fallback)) {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        return raw;
      }
    }
    return raw;
  });
}
