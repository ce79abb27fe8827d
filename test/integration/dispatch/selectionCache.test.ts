import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CustomCliBackend } from '../../../src/core/agents/custom/customCliBackend';
import { customAgentSettingsSchema } from '../../../src/core/agents/custom/customAgentSettings';
import { createDispatchRuntime } from '../../../src/core/dispatch/dispatchRuntime';
import { createLogger } from '../../../src/core/logging/logger';
import { Redactor } from '../../../src/core/logging/redactor';
import { QueueIndex } from '../../../src/core/queue/queueIndex';
import { parseTaskFile } from '../../../src/core/tasks/parseTaskFile';
import { initRepo } from '../../support/gitRepo';
import { useTempDir } from '../../support/tempDir';

const journalAgent = join(__dirname, '../../fixtures/agents/journalAgent.mjs');

describe('selection reads the run records once per change, not once per dispatch', function () {
  this.timeout(60_000);
  const temp = useTempDir('ato-selection-cache-');

  it('dispatches that find the only agent busy (auto-dispatch, a fan-out turn, previews) read the records once between them', async () => {
    const repo = join(temp(), 'repo');
    mkdirSync(repo);
    const files: Record<string, string> = { 'README.md': '# r\n', 'planning/issue_queue/processed/.gitkeep': '', 'planning/issue_queue/complete/.gitkeep': '' };
    for (const id of ['first', 'second', 'third', 'fourth']) files[`planning/issue_queue/pending/${id}.task.md`] = `---\nagent: auto\n---\n# ${id}\n`;
    initRepo(repo, files);
    const journal = join(temp(), 'journal.txt');
    writeFileSync(journal, '');
    const index = new QueueIndex({ planningRoot: join(repo, 'planning'), parse: parseTaskFile, workspaceRoot: repo });
    await index.coldIndex();
    const agent = new CustomCliBackend(customAgentSettingsSchema.parse({ id: 'journal', command: process.execPath, args: [journalAgent, journal, 'silent'], concurrent: 1 }));
    const redactor = new Redactor();
    const { dispatcher, runs } = createDispatchRuntime({ workspaceRoot: repo, index, agents: [agent], maxConcurrentRuns: 4, defaultTimeoutMs: 60_000, redactor, events: { append: () => Promise.resolve() }, log: createLogger({ write: () => undefined }, redactor) });
    let lists = 0;
    const list = runs.list.bind(runs);
    runs.list = () => { lists++; return list(); };
    try {
      const started = await dispatcher.dispatch('first');
      assert.equal(started.status, 'started');
      const before = lists;
      for (const id of ['second', 'third', 'fourth']) assert.equal((await dispatcher.dispatch(id)).status, 'busy', id);
      for (const id of ['second', 'third']) assert.equal((await dispatcher.preview(id)).verdict, 'busy', id);
      assert.equal(lists - before, 1, 'one read for five selections while no record changed');
    } finally {
      await dispatcher.dispose();
      index.dispose();
    }
  });
});
