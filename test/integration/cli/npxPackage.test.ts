import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { buildCli } from '../../support/builtCli';
import { useTempDir } from '../../support/tempDir';

const repoRoot = resolve(__dirname, '../../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(done => {
    execFile(command, args, { cwd, env, encoding: 'utf8', timeout: 150_000 }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

/**
 * Issue 14: "the CLI is usable outside the repo: `npx` from the package". The package as `npm pack` makes it,
 * run by `npx` offline with an empty npm cache: its `bin` runs the bundled CLI, and installing it fetches
 * nothing (the bundles hold every runtime module, so the package has no runtime dependencies to download).
 */
describe('npx runs ato from the packed package, offline', function () {
  this.timeout(300_000);
  const tempDir = useTempDir('ato-npx-');

  it('npm pack, then npx --offline ./ato-*.tgz --version and help, with a fresh HOME and npm cache', async () => {
    buildCli();
    const home = join(tempDir(), 'home');
    await mkdir(home);
    const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'] ?? '', HOME: home, npm_config_cache: join(tempDir(), 'npm-cache'), npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false' };
    const packed = await run(npm, ['pack', '--ignore-scripts', '--pack-destination', tempDir()], repoRoot, env);
    assert.equal(packed.code, 0, packed.stderr);
    const tarball = (await readdir(tempDir())).find(name => /^ato-.*\.tgz$/.test(name));
    assert.ok(tarball, 'npm pack wrote ato-<version>.tgz');

    const version = await run(npx, ['--offline', '--yes', `./${tarball}`, '--version'], tempDir(), env);
    assert.equal(version.code, 0, version.stderr);
    assert.match(version.stdout, /^\d+\.\d+\.\d+/);
    const help = await run(npx, ['--offline', '--yes', `./${tarball}`, 'help'], tempDir(), env);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^ato — AI Task Orchestrator/);
  });
});
