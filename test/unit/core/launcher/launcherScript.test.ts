import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { cmdLauncher, launcherMarker, shLauncher } from '../../../../src/core/launcher/launcherScript';
import { useTempDir } from '../../../support/tempDir';

/** A stand-in for dist/cli.js that prints what it got: its arguments and ELECTRON_RUN_AS_NODE. */
const echoCli = `console.log(JSON.stringify({ args: process.argv.slice(2), electronRunAsNode: process.env.ELECTRON_RUN_AS_NODE ?? null }));\n`;

function runSh(script: string, args: readonly string[], path: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(done => {
    execFile('sh', [script, ...args], { env: { PATH: path, HOME: '/nonexistent' }, encoding: 'utf8' }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

describe('the ato launcher scripts', () => {
  const tempDir = useTempDir('ato-launcher-script-');

  async function place(cliDirectory: string, vscodeNode: string): Promise<{ script: string; cli: string }> {
    const cli = join(tempDir(), cliDirectory, 'dist', 'cli.js');
    await mkdir(dirname(cli), { recursive: true });
    await writeFile(cli, echoCli);
    const script = join(tempDir(), 'ato');
    await writeFile(script, shLauncher({ cli, vscodeNode }));
    await chmod(script, 0o755);
    return { script, cli };
  }

  it('sh: names its marker and both paths; starts with #!/bin/sh', () => {
    const text = shLauncher({ cli: '/ext/dist/cli.js', vscodeNode: '/usr/share/code/code' });
    assert.ok(text.startsWith('#!/bin/sh\n'));
    assert.ok(text.includes(launcherMarker));
    assert.ok(text.includes(`cli='/ext/dist/cli.js'`));
    assert.ok(text.includes(`vscode_node='/usr/share/code/code'`));
    assert.ok(text.includes('ELECTRON_RUN_AS_NODE=1 exec "$vscode_node" "$cli" "$@"'));
  });

  it('sh: runs the CLI with VS Code\'s executable as node, every argument intact, from a path with a quote and spaces', async function () {
    if (process.platform === 'win32') this.skip();
    const { script } = await place(`it's an "extension" $HOME`, process.execPath);
    const { code, stdout, stderr } = await runSh(script, ['tasks', 'a b', '$HOME', `it's`], '/usr/bin:/bin');
    assert.equal(code, 0, stderr);
    assert.deepEqual(JSON.parse(stdout), { args: ['tasks', 'a b', '$HOME', `it's`], electronRunAsNode: '1' });
  });

  it('sh: falls back to node on the PATH when VS Code\'s executable is gone', async function () {
    if (process.platform === 'win32') this.skip();
    const { script } = await place('ext', join(tempDir(), 'no-such-code'));
    const { code, stdout, stderr } = await runSh(script, ['--version'], `${dirname(process.execPath)}:/usr/bin:/bin`);
    assert.equal(code, 0, stderr);
    assert.deepEqual(JSON.parse(stdout), { args: ['--version'], electronRunAsNode: null });
  });

  it('sh: when the extension has moved it says how to point the launcher at the new one (exit 127)', async function () {
    if (process.platform === 'win32') this.skip();
    const script = join(tempDir(), 'ato');
    await writeFile(script, shLauncher({ cli: join(tempDir(), 'gone', 'dist', 'cli.js'), vscodeNode: process.execPath }));
    const { code, stderr } = await runSh(script, [], '/usr/bin:/bin');
    assert.equal(code, 127);
    assert.match(stderr, /no longer at .*gone\/dist\/cli\.js.*"ATO: Install 'ato' Command in PATH" again/);
  });

  it('cmd: CRLF lines, the marker, % doubled in paths, VS Code\'s executable first and node after', () => {
    const text = cmdLauncher({ cli: 'C:\\Users\\a%b\\.vscode\\extensions\\ato-team.ato-0.1.0\\dist\\cli.js', vscodeNode: 'C:\\Program Files\\Microsoft VS Code\\Code.exe' });
    assert.ok(text.startsWith('@echo off\r\n'));
    assert.ok(!/[^\r]\n/.test(text), 'every line ends with CRLF');
    assert.ok(text.includes(launcherMarker));
    assert.ok(text.includes('set "ATO_CLI=C:\\Users\\a%%b\\.vscode\\extensions\\ato-team.ato-0.1.0\\dist\\cli.js"'));
    assert.ok(text.includes('set "ATO_VSCODE_NODE=C:\\Program Files\\Microsoft VS Code\\Code.exe"'));
    const lines = text.split('\r\n');
    assert.ok(lines.indexOf('"%ATO_VSCODE_NODE%" "%ATO_CLI%" %*') < lines.indexOf('node "%ATO_CLI%" %*'));
    assert.ok(lines.indexOf('set ELECTRON_RUN_AS_NODE=1') < lines.indexOf('"%ATO_VSCODE_NODE%" "%ATO_CLI%" %*'));
    for (const label of ['moved', 'node', 'nonode']) assert.ok(lines.includes(`:${label}`), `label ${label}`);
  });
});
