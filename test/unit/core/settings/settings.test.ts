import assert from 'node:assert/strict';
import { readSettings, settingDefinitions, type SettingKey } from '../../../../src/core/settings/settings';

const settingKeys = Object.keys(settingDefinitions) as SettingKey[];

function show(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Reads settings where only `key` has a value. */
function readOne(key: SettingKey, value: unknown): ReturnType<typeof readSettings> {
  return readSettings(k => (k === key ? value : undefined));
}

interface Case {
  readonly key: SettingKey;
  readonly value: unknown;
  /** What the setting reads as; omitted when it is the value itself. */
  readonly expected?: unknown;
}

const validCases: readonly Case[] = [
  { key: 'planningPath', value: 'planning' },
  { key: 'planningPath', value: 'docs/planning' },
  { key: 'planningPath', value: '.ato-planning' },
  { key: 'planningPath', value: 'a..b' }, // dots inside a name are not a parent reference
  { key: 'github.apiUrl', value: 'https://github.example.com/api/v3' },
  { key: 'github.apiUrl', value: 'https://api.github.com/', expected: 'https://api.github.com' },
  { key: 'github.apiUrl', value: 'https://github.example.com/api/v3///', expected: 'https://github.example.com/api/v3' },
  { key: 'gitlab.apiUrl', value: 'http://localhost:8080/api/v4/', expected: 'http://localhost:8080/api/v4' },
  { key: 'anthropic.apiUrl', value: 'http://127.0.0.1:9000' },
  { key: 'jules.apiUrl', value: 'https://jules.example/v1alpha/', expected: 'https://jules.example/v1alpha' },
  { key: 'network.timeoutSeconds', value: 1 },
  { key: 'network.timeoutSeconds', value: 300 },
  { key: 'eventLog.maxFileSizeMB', value: 0.01 },
  { key: 'eventLog.maxFileSizeMB', value: 2.5 },
  { key: 'eventLog.maxFileSizeMB', value: 1024 },
  { key: 'eventLog.maxFiles', value: 1 },
  { key: 'eventLog.maxFiles', value: 100 },
];

const invalidCases: readonly Case[] = [
  { key: 'planningPath', value: '' },
  { key: 'planningPath', value: '/etc/planning' },
  { key: 'planningPath', value: '\\\\server\\share' },
  { key: 'planningPath', value: 'C:\\planning' },
  { key: 'planningPath', value: 'c:/planning' },
  { key: 'planningPath', value: '..' },
  { key: 'planningPath', value: '../planning' },
  { key: 'planningPath', value: 'docs/../../planning' },
  { key: 'planningPath', value: 'docs\\..\\..\\planning' },
  { key: 'planningPath', value: 42 },
  { key: 'planningPath', value: ['planning'] },
  { key: 'github.apiUrl', value: 'ftp://github.example.com' },
  { key: 'github.apiUrl', value: 'file:///etc/passwd' },
  { key: 'github.apiUrl', value: 'javascript:alert(1)' },
  { key: 'github.apiUrl', value: 'not a url' },
  { key: 'github.apiUrl', value: 'https://' },
  { key: 'gitlab.apiUrl', value: 'gitlab.example.com' },
  { key: 'anthropic.apiUrl', value: 12 },
  { key: 'jules.apiUrl', value: '' },
  { key: 'network.timeoutSeconds', value: 0 },
  { key: 'network.timeoutSeconds', value: 301 },
  { key: 'network.timeoutSeconds', value: 1.5 },
  { key: 'network.timeoutSeconds', value: -5 },
  { key: 'network.timeoutSeconds', value: '30' },
  { key: 'network.timeoutSeconds', value: Number.NaN },
  { key: 'network.timeoutSeconds', value: Number.POSITIVE_INFINITY },
  { key: 'eventLog.maxFileSizeMB', value: 0 },
  { key: 'eventLog.maxFileSizeMB', value: 0.001 },
  { key: 'eventLog.maxFileSizeMB', value: 2048 },
  { key: 'eventLog.maxFileSizeMB', value: true },
  { key: 'eventLog.maxFiles', value: 0 },
  { key: 'eventLog.maxFiles', value: 101 },
  { key: 'eventLog.maxFiles', value: 2.5 },
  { key: 'eventLog.maxFiles', value: { count: 3 } },
];

describe('readSettings', () => {
  it('returns every default, and no problem, when nothing is set', () => {
    for (const unset of [undefined, null]) {
      const { settings, problems } = readSettings(() => unset);
      assert.deepEqual(problems, []);
      for (const key of settingKeys) assert.deepEqual(settings[key], settingDefinitions[key].default, key);
    }
  });

  it('asks for each setting by its key', () => {
    const asked: string[] = [];
    readSettings(key => {
      asked.push(key);
      return undefined;
    });
    assert.deepEqual(asked.sort(), [...settingKeys].sort());
  });

  describe('accepts valid values', () => {
    for (const { key, value, expected } of validCases) {
      it(`${key} = ${show(value)}`, () => {
        const { settings, problems } = readOne(key, value);
        assert.deepEqual(problems, []);
        assert.equal(settings[key], expected ?? value);
      });
    }
  });

  describe('rejects invalid values, names the setting and uses the default', () => {
    for (const { key, value } of invalidCases) {
      it(`${key} = ${show(value)}`, () => {
        const { settings, problems } = readOne(key, value);
        assert.deepEqual(settings[key], settingDefinitions[key].default);
        assert.equal(problems.length, 1);
        const [problem] = problems;
        assert.equal(problem?.setting, `ato.${key}`);
        assert.ok(problem.message.includes(`\`ato.${key}\``), problem.message);
        assert.ok(problem.message.includes(JSON.stringify(settingDefinitions[key].default)), `names the default: ${problem.message}`);
        // The other settings are untouched by one bad value.
        for (const other of settingKeys.filter(k => k !== key)) assert.deepEqual(settings[other], settingDefinitions[other].default);
      });
    }
  });

  it('reports each invalid setting separately and keeps the valid ones', () => {
    const raw: Partial<Record<SettingKey, unknown>> = { planningPath: '../x', 'eventLog.maxFiles': 0, 'network.timeoutSeconds': 5 };
    const { settings, problems } = readSettings(key => raw[key]);
    assert.deepEqual(problems.map(p => p.setting).sort(), ['ato.eventLog.maxFiles', 'ato.planningPath']);
    assert.equal(settings['network.timeoutSeconds'], 5);
  });

  it('says why a path is rejected', () => {
    assert.match(readOne('planningPath', '/abs').problems[0]?.message ?? '', /relative to the workspace/);
    assert.match(readOne('planningPath', 'a/../..').problems[0]?.message ?? '', /inside the workspace/);
    assert.match(readOne('planningPath', '').problems[0]?.message ?? '', /must not be empty/);
    assert.match(readOne('github.apiUrl', 'ftp://x').problems[0]?.message ?? '', /http\(s\) URL/);
  });

  it('shortens a long invalid value in the message', () => {
    const long = `/${'x'.repeat(500)}`;
    const message = readOne('planningPath', long).problems[0]?.message ?? '';
    assert.ok(!message.includes(long));
    assert.ok(message.length < 300, message);
  });

  describe('never throws', () => {
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    const hostile: readonly [string, unknown][] = [
      ['a bigint', 10n],
      ['a circular object', circular],
      ['a symbol', Symbol('x')],
      ['a function', () => 1],
    ];
    for (const [label, value] of hostile) {
      it(`when a value is ${label}`, () => {
        for (const key of settingKeys) {
          const { settings, problems } = readOne(key, value);
          assert.deepEqual(settings[key], settingDefinitions[key].default);
          assert.equal(problems[0]?.setting, `ato.${key}`);
        }
      });
    }

    const thrown: readonly [string, unknown][] = [
      ['an Error', new Error('configuration service is gone')],
      ['a string', 'boom'],
      ['a null-prototype object', Object.create(null) as unknown],
    ];
    for (const [label, error] of thrown) {
      it(`when getRaw throws ${label}`, () => {
        const { settings, problems } = readSettings(() => {
          throw error;
        });
        assert.equal(problems.length, settingKeys.length);
        for (const key of settingKeys) {
          assert.deepEqual(settings[key], settingDefinitions[key].default);
          const problem = problems.find(p => p.setting === `ato.${key}`);
          assert.ok(problem?.message.includes(`\`ato.${key}\``), problem?.message);
        }
      });
    }

    it('when getRaw throws for one setting only', () => {
      const { settings, problems } = readSettings(key => {
        if (key === 'gitlab.apiUrl') throw new Error('nope');
        return key === 'eventLog.maxFiles' ? 9 : undefined;
      });
      assert.deepEqual(problems.map(p => p.setting), ['ato.gitlab.apiUrl']);
      assert.match(problems[0]?.message ?? '', /nope/);
      assert.equal(settings['eventLog.maxFiles'], 9);
    });
  });
});
