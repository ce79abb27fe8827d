import assert from 'node:assert/strict';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { captureOutput } from '../../support/captureOutput';
import { cycleIds, writeCycleQueue } from '../../support/cycleQueue';
import { useTempDir } from '../../support/tempDir';

// `ATO_VERSION` is defined by esbuild at build time; in-process tests provide the global themselves.
const versionGlobal = globalThis as { ATO_VERSION?: string };

interface TaskRow {
  readonly id: string;
  readonly valid: boolean;
  readonly blocked?: string;
}

/**
 * Issue 9 C2: 10,000 real task files in one dependency cycle made `ato tasks --json` print 1.1 GB. Now the
 * cycle is described once; the output grows with the number of tasks, not with its square. Sizes only:
 * the timing goal (under 2 s) is measured by `npm run bench` (suite cycles).
 */
describe('ato tasks --json with 10,000 tasks in one dependency cycle', function () {
  this.timeout(120_000);
  const tempDir = useTempDir('ato-tasks-cycle-');
  before(() => { versionGlobal.ATO_VERSION ??= '0.0.0-test'; });

  it('prints under 5 MB: one row describes the cycle, every other row refers to it', async () => {
    const ids = cycleIds(10_000);
    await writeCycleQueue(join(tempDir(), 'planning'), ids);
    const { result, stdout, stderr } = await captureOutput(() => main(['tasks', '--json', '--workspace', tempDir()], {}));
    assert.equal(result, 0, stderr);
    const bytes = Buffer.byteLength(stdout);
    assert.ok(bytes < 5 * 1024 * 1024, `${String(bytes)} bytes`);
    const rows = (JSON.parse(stdout) as { tasks: TaskRow[] }).tasks;
    assert.equal(rows.length, 10_000);
    assert.ok(rows.every(row => row.valid && (row.blocked?.length ?? 0) > 0 && (row.blocked?.length ?? 0) <= 200), 'every task is valid and blocked, with a short reason');
    assert.deepEqual(rows.filter(row => row.blocked?.startsWith('dependency cycle of 10000 tasks: ') === true).map(row => row.id), ['task-0000']);
  });
});
