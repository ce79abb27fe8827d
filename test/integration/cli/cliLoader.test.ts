import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import Module from 'node:module';
import { join } from 'node:path';
import { runBuiltCli } from '../../support/builtCli';
import { useTempDir } from '../../support/tempDir';

/**
 * Issue 14: dist/cli.js compiles the CLI's bundle (dist/cliMain.js) through V8's code cache, kept in a folder
 * of the user's own under the temp folder (TMPDIR here). The cache is an optimisation only: a damaged cache
 * or a folder others can write to never stops the CLI.
 */
describe('the built CLI\'s code cache (dist/cli.js → dist/cliMain.js)', function () {
  this.timeout(180_000);
  const tempDir = useTempDir();
  const uid = process.getuid?.();
  const cacheFolder = (): string => join(tempDir(), `ato-compile-cache${uid === undefined ? '' : `-${String(uid)}`}`);
  const nodeHasItsOwn = typeof (Module as unknown as { enableCompileCache?: unknown }).enableCompileCache === 'function';

  it('writes the cache on the first run, reads it on the next, and a damaged cache still runs (and is written again)', async function () {
    if (nodeHasItsOwn) this.skip(); // Node 22.1+ keeps its own cache (module.enableCompileCache).
    const env = { TMPDIR: tempDir() };
    const first = await runBuiltCli(['--version'], env);
    assert.equal(first.code, 0, first.stderr);
    const files = await readdir(cacheFolder());
    assert.equal(files.length, 1, files.join(', '));
    assert.match(files[0] ?? '', /^cli-[0-9a-f]{32}\.bin$/);
    assert.deepEqual(await runBuiltCli(['--version'], env), first);
    const cacheFile = join(cacheFolder(), files[0] ?? '');
    await writeFile(cacheFile, 'not a code cache');
    assert.deepEqual(await runBuiltCli(['--version'], env), first);
    assert.notEqual(await readFile(cacheFile, 'utf8'), 'not a code cache', 'V8 rejected it, and it was written again');
    const status = await runBuiltCli(['status', '--json', '--workspace', tempDir()], env);
    assert.equal((JSON.parse(status.stdout) as { planning: { kind: string } }).planning.kind, 'missing', status.stderr);
  });

  it('does not use a cache folder that others can write to', async function () {
    if (nodeHasItsOwn || uid === undefined) this.skip();
    await mkdir(cacheFolder(), { recursive: true });
    await chmod(cacheFolder(), 0o777);
    const run = await runBuiltCli(['--version'], { TMPDIR: tempDir() });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(await readdir(cacheFolder()), [], 'nothing written there');
  });
});
