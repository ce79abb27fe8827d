import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { installLauncher, isOnPath, launcherDirectory, launcherFiles, uninstallLauncher } from '../../../../src/core/launcher/launcherInstall';
import { launcherMarker } from '../../../../src/core/launcher/launcherScript';
import { useTempDir } from '../../../support/tempDir';

const target = { cli: '/ext/ato-team.ato-0.1.0/dist/cli.js', vscodeNode: '/usr/share/code/code' };
const moved = { cli: '/ext/ato-team.ato-0.2.0/dist/cli.js', vscodeNode: '/usr/share/code/code' };

describe('installing the ato launcher', () => {
  const tempDir = useTempDir('ato-launcher-install-');

  it('goes to ~/.local/bin, or $XDG_BIN_HOME when that is an absolute path', () => {
    assert.equal(launcherDirectory({}, '/home/u').directory, join('/home/u', '.local', 'bin'));
    assert.equal(launcherDirectory({ XDG_BIN_HOME: '/opt/u/bin' }, '/home/u').directory, '/opt/u/bin');
    assert.equal(launcherDirectory({ XDG_BIN_HOME: 'relative/bin' }, '/home/u').directory, join('/home/u', '.local', 'bin'));
  });

  it('writes `ato`, and `ato.cmd` as well on Windows', () => {
    assert.deepEqual(launcherFiles('linux', target).map(file => file.name), ['ato']);
    assert.deepEqual(launcherFiles('darwin', target).map(file => file.name), ['ato']);
    assert.deepEqual(launcherFiles('win32', target).map(file => file.name), ['ato', 'ato.cmd']);
  });

  it('knows whether the folder is on the PATH (trailing slash aside; case-insensitively on Windows)', () => {
    assert.equal(isOnPath('/home/u/.local/bin', '/usr/bin:/home/u/.local/bin/:/bin', 'linux'), true);
    assert.equal(isOnPath('/home/u/.local/bin', '/usr/bin:/bin', 'linux'), false);
    assert.equal(isOnPath('/home/u/.local/bin', undefined, 'linux'), false);
    assert.equal(isOnPath('C:\\Users\\U\\.local\\bin', 'C:\\Windows;c:\\users\\u\\.local\\bin\\', 'win32'), true);
  });

  it('creates the folder, writes an executable launcher, and a second install changes nothing', async () => {
    const directory = join(tempDir(), 'home', '.local', 'bin');
    const first = await installLauncher(directory, launcherFiles('linux', target));
    assert.deepEqual(first, { kind: 'installed', written: [join(directory, 'ato')], unchanged: [] });
    assert.equal((await stat(join(directory, 'ato'))).mode & 0o777, 0o755);
    assert.ok((await readFile(join(directory, 'ato'), 'utf8')).includes(target.cli));
    const second = await installLauncher(directory, launcherFiles('linux', target));
    assert.deepEqual(second, { kind: 'installed', written: [], unchanged: [join(directory, 'ato')] });
    assert.deepEqual(await readdir(directory), ['ato'], 'no temporary file left behind');
  });

  it('refuses to overwrite an `ato` it did not write, and then writes nothing at all (not even ato.cmd)', async () => {
    const directory = tempDir();
    await writeFile(join(directory, 'ato'), '#!/bin/sh\necho someone else\'s ato\n');
    const outcome = await installLauncher(directory, launcherFiles('win32', target));
    assert.deepEqual(outcome, { kind: 'conflict', path: join(directory, 'ato'), reason: 'ATO did not write it' });
    assert.equal(await readFile(join(directory, 'ato'), 'utf8'), '#!/bin/sh\necho someone else\'s ato\n');
    assert.deepEqual(await readdir(directory), ['ato']);
  });

  it('refuses a symbolic link of that name (it would write through it)', async function () {
    if (process.platform === 'win32') this.skip();
    const directory = tempDir();
    await writeFile(join(directory, 'real'), `# ${launcherMarker}\n`);
    await symlink(join(directory, 'real'), join(directory, 'ato'));
    const outcome = await installLauncher(directory, launcherFiles('linux', target));
    assert.equal(outcome.kind, 'conflict');
    assert.equal(await readFile(join(directory, 'real'), 'utf8'), `# ${launcherMarker}\n`);
  });

  it('refreshing (at activation) creates no launcher, and points one ATO wrote at the extension\'s new folder', async () => {
    const directory = join(tempDir(), 'bin');
    assert.deepEqual(await installLauncher(directory, launcherFiles('linux', moved), { onlyIfInstalled: true }), { kind: 'installed', written: [], unchanged: [] });
    await assert.rejects(stat(directory), 'no folder made either');
    await installLauncher(directory, launcherFiles('linux', target));
    const refreshed = await installLauncher(directory, launcherFiles('linux', moved), { onlyIfInstalled: true });
    assert.deepEqual(refreshed, { kind: 'installed', written: [join(directory, 'ato')], unchanged: [] });
    assert.ok((await readFile(join(directory, 'ato'), 'utf8')).includes(moved.cli));
  });

  it('uninstall removes what ATO wrote and keeps any other file of that name', async () => {
    const directory = tempDir();
    await installLauncher(directory, launcherFiles('linux', target));
    await writeFile(join(directory, 'ato.cmd'), '@echo off\r\necho mine\r\n');
    const outcome = await uninstallLauncher(directory, ['ato', 'ato.cmd']);
    assert.deepEqual(outcome, { removed: [join(directory, 'ato')], kept: [{ path: join(directory, 'ato.cmd'), reason: 'ATO did not write it' }] });
    assert.deepEqual(await readdir(directory), ['ato.cmd']);
    assert.deepEqual(await uninstallLauncher(join(directory, 'missing'), ['ato']), { removed: [], kept: [] });
  });

  it('a folder named ato is not a launcher: conflict, untouched', async () => {
    const directory = tempDir();
    await mkdir(join(directory, 'ato'));
    assert.deepEqual(await installLauncher(directory, launcherFiles('linux', target)), { kind: 'conflict', path: join(directory, 'ato'), reason: 'it is not a file' });
  });
});
