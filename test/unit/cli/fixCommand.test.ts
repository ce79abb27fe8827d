import assert from 'node:assert/strict';
import { main } from '../../../src/cli/main';
import { captureOutput } from '../../support/captureOutput';
import { useTempDir } from '../../support/tempDir';

// `ATO_VERSION` is defined by esbuild at build time; in-process tests provide the global themselves.
const versionGlobal = globalThis as { ATO_VERSION?: string };

describe('ato fix (issue 11)', () => {
  const tempDir = useTempDir();
  before(() => {
    versionGlobal.ATO_VERSION = '0.0.0-test';
  });
  after(() => {
    delete versionGlobal.ATO_VERSION;
  });

  it('is in the usage', async () => {
    const { stdout } = await captureOutput(() => main(['help'], {}));
    assert.match(stdout, /fix <pr> \[--agent <id>\] \[--json\]/);
  });

  it('refuses what is not a PR number or an agent id (exit 2), before touching the loop', async () => {
    for (const args of [['fix'], ['fix', 'abc'], ['fix', '0'], ['fix', '99999999999'], ['fix', '21', '--agent', '../evil'], ['fix', '21', '--agent', 'a b']]) {
      const { result, stderr } = await captureOutput(() => main([...args, '--workspace', tempDir()], {}));
      assert.equal(result, 2, args.join(' '));
      assert.match(stderr, /^ato fix: /, args.join(' '));
    }
  });

  it('without a GitHub loop here says why (exit 2), in JSON too', async () => {
    const { result, stderr } = await captureOutput(() => main(['fix', '#21', '--workspace', tempDir()], {}));
    assert.equal(result, 2);
    assert.match(stderr, /^ato: /);
    const json = await captureOutput(() => main(['fix', '21', '--agent', 'claude-code', '--json', '--workspace', tempDir()], {}));
    assert.equal(json.result, 2);
    const parsed = JSON.parse(json.stdout) as { mode: string; reason: string };
    assert.equal(typeof parsed.reason, 'string');
  });
});
