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
    // Environment values are strings; numeric settings get a number when the text is one.
    if (typeof settingDefinitions[key].default === 'number' && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
    return raw;
  });
}
