import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initializePlanningFolder } from '../../../src/core/planning/planningFolder';
import { buildCli } from '../../support/builtCli';
import { useTempDir } from '../../support/tempDir';
import { atoEnvironment } from './atoProcess';

interface Ended {
  readonly code: number | null;
  readonly stderr: string;
}

/** Runs the built CLI with the read end of its stdout (or stderr) closed before it writes a byte. */
function runWithClosedReader(args: readonly string[], closed: 'stdout' | 'stderr'): Promise<Ended> {
  const child = spawn(process.execPath, [buildCli(), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: atoEnvironment({}) });
  child[closed].destroy();
  let stderr = '';
  if (closed === 'stdout') child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  else child.stdout.resume();
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', code => { resolve({ code, stderr }); });
  });
}

/** `bash -o pipefail -c '<ato> … | head -n 1'`: the shell's own pipeline, as a user types it. */
function pipeIntoHead(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const quoted = [process.execPath, buildCli(), ...args].map(word => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise(resolve => {
    execFile('bash', ['-o', 'pipefail', '-c', `${quoted} | head -n 1`], { env: atoEnvironment({}), encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

/**
 * Issue 14: `ato … | head` crashed with an unhandled EPIPE (a stack trace on stderr, exit 1) in every command.
 * The built CLI, in its own process, stops quietly with status 0 when the reader of its stdout has gone.
 */
describe('the ato CLI when the reader of its output goes away (EPIPE)', function () {
  this.timeout(120_000);
  const tempDir = useTempDir('ato-cli-epipe-');

  it('ato help with stdout closed before it writes: exit 0, nothing on stderr', async () => {
    const { code, stderr } = await runWithClosedReader(['help'], 'stdout');
    assert.equal(stderr, '');
    assert.equal(code, 0);
  });

  it('ato tasks --json with more output than a pipe holds, piped into head -n 1: the first line, exit 0 under pipefail, no EPIPE', async () => {
    const root = tempDir();
    await initializePlanningFolder(join(root, 'planning'));
    const padding = 'a long title that makes the listing bigger than the 64 KiB a pipe buffers '.repeat(2);
    for (let index = 0; index < 400; index++) {
      await writeFile(join(root, `planning/issue_queue/pending/t${String(index)}.task.md`), `---\nid: t${String(index)}\ntype: feature\npriority: high\n---\n# Task ${String(index)}: ${padding}\n\n**Prompt:**\nDo it.\n\n**Success Criteria:**\n- [ ] done\n`);
    }
    const { code, stdout, stderr } = await pipeIntoHead(['tasks', '--json', '--workspace', root]);
    assert.doesNotMatch(stderr, /EPIPE|Error/, stderr);
    assert.equal(stdout, '{\n');
    assert.equal(code, 0);
  });

  it('with stderr closed, an error message that cannot be written does not crash the CLI: its own exit code stays', async () => {
    const { code } = await runWithClosedReader(['no-such-command'], 'stderr');
    assert.equal(code, 2);
  });
});
