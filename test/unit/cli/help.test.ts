import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { secretDescriptions, secretIds } from '../../../src/core/secrets/secrets';
import { cliEnvironmentVariables, settingEnvironmentVariable } from '../../../src/core/settings/environmentSettings';
import { settingDefinitions, type SettingKey } from '../../../src/core/settings/settings';
import { captureOutput } from '../../support/captureOutput';

const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as { contributes: { configuration: readonly { properties: Record<string, unknown> }[] } };
const contributedSettings = manifest.contributes.configuration.flatMap(section => Object.keys(section.properties));
const versionGlobal = globalThis as { ATO_VERSION?: string };

describe('ato --help lists every headless setting (issue 9 A5)', () => {
  let help = '';
  before(async () => {
    versionGlobal.ATO_VERSION ??= '0.0.0-test';
    const { result, stdout } = await captureOutput(() => main(['--help'], {}));
    assert.equal(result, 0);
    help = stdout;
  });

  function line(variable: string): string | undefined {
    return help.split('\n').find(text => new RegExp(`(^|[\\s,:])${variable}([\\s,]|$)`).test(text));
  }

  it('every setting package.json contributes has an ATO_ variable in the table, listed with its setting id', () => {
    assert.ok(contributedSettings.length >= 30, 'the manifest was read');
    for (const setting of contributedSettings) {
      const key = setting.replace(/^ato\./, '');
      assert.ok(Object.hasOwn(settingDefinitions, key), `${setting} is in the settings table`);
      const variable = settingEnvironmentVariable(key as SettingKey);
      assert.match(variable, /^ATO_[A-Z0-9_]+$/);
      assert.ok(line(variable)?.includes(setting), `ato --help lists ${variable} for ${setting}`);
    }
  });

  it('lists every key variable and the CLI\'s other variables', () => {
    for (const id of secretIds) for (const variable of secretDescriptions[id].envVars) assert.ok(line(variable), `ato --help lists ${variable}`);
    for (const variable of Object.values(cliEnvironmentVariables)) assert.ok(line(variable.name)?.includes(variable.description), `ato --help explains ${variable.name}`);
  });
});
