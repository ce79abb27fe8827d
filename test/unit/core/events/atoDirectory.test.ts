import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { atoDirectory, atoDirectoryName, ensureAtoDirectory } from '../../../../src/core/events/atoDirectory';
import { useTempDir } from '../../../support/tempDir';

function gitAvailable(): boolean {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('ensureAtoDirectory', () => {
  const tempDir = useTempDir();

  it('creates .ato with a .gitignore that ignores everything', async () => {
    const directory = await ensureAtoDirectory(tempDir());
    assert.equal(directory, join(tempDir(), atoDirectoryName));
    assert.equal(atoDirectory(tempDir()), directory);
    assert.ok((await stat(directory)).isDirectory());
    const lines = (await readFile(join(directory, '.gitignore'), 'utf8')).split('\n').map(line => line.trim());
    assert.ok(lines.includes('*'), lines.join('|'));
  });

  it('creates the folder for the owner only', async function () {
    if (process.platform === 'win32') this.skip();
    const directory = await ensureAtoDirectory(tempDir());
    assert.equal((await stat(directory)).mode & 0o077, 0);
  });

  it('is idempotent and keeps a .gitignore the user changed', async () => {
    const first = await ensureAtoDirectory(tempDir());
    const second = await ensureAtoDirectory(tempDir());
    assert.equal(second, first);
    await writeFile(join(first, '.gitignore'), '*\n!keep.md\n');
    await ensureAtoDirectory(tempDir());
    assert.equal(await readFile(join(first, '.gitignore'), 'utf8'), '*\n!keep.md\n');
  });

  it('works when .ato already exists without a .gitignore', async () => {
    await mkdir(join(tempDir(), atoDirectoryName));
    const directory = await ensureAtoDirectory(tempDir());
    assert.match(await readFile(join(directory, '.gitignore'), 'utf8'), /^\*$/m);
  });

  it('fails (rather than pretending) when .ato is a file', async () => {
    await writeFile(join(tempDir(), atoDirectoryName), 'oops');
    await assert.rejects(ensureAtoDirectory(tempDir()));
  });

  it('keeps what ATO records out of git', async function () {
    if (!gitAvailable()) this.skip();
    const root = tempDir();
    execFileSync('git', ['init', '--quiet', root]);
    const directory = await ensureAtoDirectory(root);
    await writeFile(join(directory, 'events.ndjson'), '{}\n');
    await writeFile(join(root, 'tracked.md'), 'x');
    const status = execFileSync('git', ['-C', root, 'status', '--porcelain', '--untracked-files=all'], { encoding: 'utf8' });
    assert.equal(status.trim(), '?? tracked.md');
  });
});
