import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { QueueIndex } from '../../../../src/core/queue/queueIndex';
import { parseTaskFile } from '../../../../src/core/tasks/parseTaskFile';
import { useTempDir } from '../../../support/tempDir';

describe('queue index: files that are not text', () => {
  const tempDir = useTempDir('ato-queue-binary-');

  it('refuses binary and non-UTF-8 files with a diagnostic, like the editor does, and keeps valid ones', async () => {
    const planningRoot = join(tempDir(), 'planning');
    const pending = join(planningRoot, 'issue_queue', 'pending');
    await mkdir(pending, { recursive: true });
    await writeFile(join(pending, 'nul.md'), Buffer.from('# Title\n\u0000\u0001 binary'));
    await writeFile(join(pending, 'latin1.md'), Buffer.from([0x23, 0x20, 0x43, 0x61, 0x66, 0xe9, 0x0a]));
    await writeFile(join(pending, 'good.md'), '# A good task\n\nDo it.\n');
    const index = new QueueIndex({ planningRoot, parse: parseTaskFile, workspaceRoot: tempDir() });
    try {
      await index.coldIndex();
      const snapshot = index.snapshot();
      assert.deepEqual(snapshot.invalid.map(entry => [entry.fileName, entry.result.diagnostics[0]?.code]).sort(), [['latin1.md', 'binary-file'], ['nul.md', 'binary-file']]);
      assert.deepEqual(snapshot.pending.ready.map(entry => entry.result.task.id), ['good']);
    } finally {
      index.dispose();
    }
  });
});
