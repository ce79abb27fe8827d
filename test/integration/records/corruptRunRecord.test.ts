import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redactor } from '../../../src/core/logging/redactor';
import { newRunRecord } from '../../../src/core/runs/runRecord';
import { RunStore } from '../../../src/core/runs/runStore';
import { buildPanelSnapshot } from '../../../src/core/state/panelSnapshot';
import { needsYouCount } from '../../../src/core/views/statusBarModel';
import { buildTreeModel } from '../../../src/core/views/treeModel';
import { runBuiltCli } from '../../support/builtCli';
import { anAtoState } from '../../support/stateBuilders';
import { useTempDir } from '../../support/tempDir';

describe('a run record that cannot be read is reported, never skipped silently', function () {
  this.timeout(120_000);
  const temp = useTempDir('ato-records-');
  const torn = '20260301T100000Z-torn01';
  const wrongShape = '20260301T110000Z-shape1';

  /** A workspace with one good record (written by ATO), one cut short and one with the wrong shape. */
  async function workspace(): Promise<{ root: string; store: RunStore }> {
    const root = temp();
    const store = new RunStore({ workspaceRoot: root, redactor: new Redactor() });
    await store.write(newRunRecord({ runId: '20260301T090000Z-good01', taskId: 'fine', taskFile: 'planning/issue_queue/complete/fine.task.md', taskType: 'feature', agentId: 'counter', reason: 'test' }, () => new Date('2026-03-01T09:00:00Z')));
    mkdirSync(store.directory, { recursive: true });
    writeFileSync(join(store.directory, `${torn}.json`), '{\n  "version": 1,\n  "runId": "20260301T100000Z-tor');
    writeFileSync(join(store.directory, `${wrongShape}.json`), JSON.stringify({ version: 1, runId: wrongShape, state: 'flying' }));
    return { root, store };
  }

  it('ato doctor (the built CLI) names each unreadable record and exits 1; --json lists them', async () => {
    const { root } = await workspace();
    const text = await runBuiltCli(['doctor', '--workspace', root]);
    assert.equal(text.code, 1, text.stdout + text.stderr);
    assert.match(text.stdout, /## Records\n\n- ✗ Run records: 1 readable, 2 not/);
    assert.match(text.stdout, new RegExp(`✗ Run record ${torn} is not valid JSON: .*ATO leaves \\.ato/runs/${torn}\\.json as it is`));
    assert.match(text.stdout, new RegExp(`✗ Run record ${wrongShape} is not a valid run record`));

    const json = await runBuiltCli(['doctor', '--json', '--workspace', root]);
    const report = JSON.parse(json.stdout) as { runRecords: { readable: number; problems: { runId: string; kind: string }[] } };
    assert.equal(report.runRecords.readable, 1);
    assert.deepEqual(report.runRecords.problems.map(problem => [problem.runId, problem.kind]), [[torn, 'invalidJson'], [wrongShape, 'invalidRecord']]);
  });

  it('ato doctor says the records are fine when they are', async () => {
    const { root, store } = await workspace();
    const { unlink } = await import('node:fs/promises');
    await unlink(join(store.directory, `${torn}.json`));
    await unlink(join(store.directory, `${wrongShape}.json`));
    const text = await runBuiltCli(['doctor', '--workspace', root]);
    assert.match(text.stdout, /- ✓ Run records: 1 readable/);
  });

  it('each one is a needs-you item in the panel (with a way to open it), the tree and the status bar', async () => {
    const { store } = await workspace();
    const listed = await store.list();
    const state = anAtoState({ runs: listed.records, runProblems: listed.problems });
    const items = buildPanelSnapshot(state, new Redactor()).needsYou.filter(item => item.kind === 'corruptRunRecord');
    assert.deepEqual(items.map(item => [item.key, item.label, item.action]), [
      [torn, 'Open', { type: 'openRunRecord', runId: torn }],
      [wrongShape, 'Open', { type: 'openRunRecord', runId: wrongShape }],
    ]);
    assert.match(items[0]?.title ?? '', /^Run record 20260301T100000Z-torn01 is not valid JSON$/);
    const needsYou = buildTreeModel(state).find(row => row.id === 'needsYou');
    assert.equal(needsYou?.description, '2');
    assert.deepEqual(needsYou.children?.map(row => row.openFile), [join(store.directory, `${torn}.json`), join(store.directory, `${wrongShape}.json`)]);
    assert.equal(needsYouCount(state), 2);
  });
});
