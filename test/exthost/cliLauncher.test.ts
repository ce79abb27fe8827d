import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { InstallOutcome, UninstallOutcome } from '../../src/core/launcher/launcherInstall';
import { activateAto } from './atoUnderTest';

function runLauncher(launcher: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(done => {
    // A terminal's environment, not the extension host's: no ELECTRON_RUN_AS_NODE, no VSCODE_* variables.
    execFile('sh', [launcher, ...args], { env: { PATH: '/usr/bin:/bin', HOME: process.env['HOME'] ?? '' }, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

/**
 * Issue 14: "a command that puts `ato` on the PATH from the installed extension". In the real extension
 * host, with HOME pointed at a temporary folder: the command writes ~/.local/bin/ato, which runs this
 * extension's bundled CLI with the extension host's own executable; Uninstall removes it.
 */
describe("ATO: Install 'ato' Command in PATH, in the real extension host", () => {
  const saved = { HOME: process.env['HOME'], XDG_BIN_HOME: process.env['XDG_BIN_HOME'] };
  let home: string;

  before(async () => {
    await activateAto();
    home = mkdtempSync(join(tmpdir(), 'ato-exthost-home-'));
    process.env['HOME'] = home;
    delete process.env['XDG_BIN_HOME'];
  });

  after(() => {
    process.env['HOME'] = saved.HOME;
    if (saved.XDG_BIN_HOME !== undefined) process.env['XDG_BIN_HOME'] = saved.XDG_BIN_HOME;
    rmSync(home, { recursive: true, force: true });
  });

  it('writes ~/.local/bin/ato, which prints the version and the help from any folder; installing again changes nothing', async function () {
    this.timeout(60_000);
    const outcome = await vscode.commands.executeCommand<InstallOutcome>('ato.installCliLauncher');
    const launcher = join(home, '.local', 'bin', 'ato');
    assert.deepEqual(outcome, { kind: 'installed', written: [launcher], unchanged: [] });
    assert.equal(statSync(launcher).mode & 0o111, 0o111, 'executable');
    const extension = vscode.extensions.getExtension('ato-team.ato');
    assert.ok(readFileSync(launcher, 'utf8').includes(join(extension?.extensionPath ?? '', 'dist', 'cli.js')));

    const version = await runLauncher(launcher, ['--version']);
    assert.equal(version.code, 0, version.stderr);
    assert.equal(version.stdout.trim(), String((extension?.packageJSON as { version?: unknown } | undefined)?.version));
    const help = await runLauncher(launcher, ['help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^ato — AI Task Orchestrator/);

    assert.deepEqual(await vscode.commands.executeCommand<InstallOutcome>('ato.installCliLauncher'), { kind: 'installed', written: [], unchanged: [launcher] });
  });

  it('Uninstall removes the launcher it wrote', async () => {
    const outcome = await vscode.commands.executeCommand<UninstallOutcome>('ato.uninstallCliLauncher');
    assert.deepEqual(outcome, { removed: [join(home, '.local', 'bin', 'ato')], kept: [] });
    assert.throws(() => statSync(join(home, '.local', 'bin', 'ato')));
  });
});
