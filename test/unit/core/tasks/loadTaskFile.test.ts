import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadTaskFile, maxTaskFileBytes } from '../../../../src/core/tasks/loadTaskFile';
import { useTempDir } from '../../../support/tempDir';

const fileStart = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

describe('loadTaskFile', () => {
  const tempDir = useTempDir('ato-load-');

  async function load(name: string, content: string | Uint8Array): Promise<Awaited<ReturnType<typeof loadTaskFile>>> {
    const path = join(tempDir(), name);
    await writeFile(path, content);
    return loadTaskFile(path);
  }

  function refusal(result: Awaited<ReturnType<typeof loadTaskFile>>): readonly [string, string] {
    assert.equal(result.text, undefined);
    assert.equal(result.diagnostics.length, 1);
    const [diagnostic] = result.diagnostics;
    assert.ok(diagnostic !== undefined);
    assert.deepEqual(diagnostic.range, fileStart);
    return [diagnostic.code, diagnostic.severity];
  }

  it('reads a UTF-8 task file, with multi-byte characters intact', async () => {
    const text = '# Überprüfe die Läufe 🚀\n\nÇa marche.\n';
    assert.deepEqual(await load('a.task.md', text), { text, diagnostics: [] });
  });

  it('drops a UTF-8 byte-order mark, as VS Code does', async () => {
    const result = await load('bom.md', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('# T\n')]));
    assert.equal(result.text, '# T\n');
  });

  it('reads an empty file as empty text', async () => {
    assert.deepEqual(await load('empty.md', ''), { text: '', diagnostics: [] });
  });

  it('reads a file of exactly 1 MiB', async () => {
    const result = await load('max.md', 'a'.repeat(maxTaskFileBytes));
    assert.equal(result.text?.length, maxTaskFileBytes);
  });

  it('refuses a file of 1 MiB + 1 byte', async () => {
    assert.deepEqual(refusal(await load('big.md', 'a'.repeat(maxTaskFileBytes + 1))), ['file-too-large', 'error']);
  });

  it('refuses a 4 GiB sparse file at once, without reading it', async () => {
    const path = join(tempDir(), 'huge.md');
    const handle = await open(path, 'w');
    await handle.truncate(4 * 1024 ** 3);
    await handle.close();
    const started = Date.now();
    const result = await loadTaskFile(path);
    assert.deepEqual(refusal(result), ['file-too-large', 'error']);
    assert.match(result.diagnostics[0]?.message ?? '', /This task file is 4096 MiB; task files may be at most 1 MiB\./);
    assert.ok(Date.now() - started < 1000);
  });

  it('refuses a file with a NUL byte as binary', async () => {
    assert.deepEqual(refusal(await load('nul.md', Buffer.from('# T\n\0more'))), ['binary-file', 'error']);
  });

  it('refuses invalid UTF-8 as binary', async () => {
    assert.deepEqual(refusal(await load('latin1.md', Buffer.from([0x23, 0x20, 0xe9, 0x74, 0xe9, 0x0a]))), ['binary-file', 'error']);
    assert.deepEqual(refusal(await load('png.md', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff]))), ['binary-file', 'error']);
  });

  it('refuses a missing file and a folder as unreadable, without throwing', async () => {
    assert.deepEqual(refusal(await loadTaskFile(join(tempDir(), 'nope.md'))), ['file-unreadable', 'error']);
    await mkdir(join(tempDir(), 'dir.md'));
    assert.deepEqual(refusal(await loadTaskFile(join(tempDir(), 'dir.md'))), ['file-unreadable', 'error']);
  });

  it('does not hang on a FIFO named like a task file', async function () {
    if (process.platform === 'win32') this.skip();
    const path = join(tempDir(), 'fifo.task.md');
    execFileSync('mkfifo', [path]);
    assert.deepEqual(refusal(await loadTaskFile(path)), ['file-unreadable', 'error']);
  });

  it('honours a smaller limit', async () => {
    const path = join(tempDir(), 'small.md');
    await writeFile(path, '12345');
    assert.equal((await loadTaskFile(path, 5)).text, '12345');
    assert.deepEqual(refusal(await loadTaskFile(path, 4)), ['file-too-large', 'error']);
  });
});
