import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CustomCliBackend } from '../../../src/core/agents/custom/customCliBackend';
import { customAgentSettingsSchema } from '../../../src/core/agents/custom/customAgentSettings';
import { createDispatchRuntime } from '../../../src/core/dispatch/dispatchRuntime';
import { dispatchMany, type FanOutReport } from '../../../src/core/dispatch/fanOut';
import { createLogger } from '../../../src/core/logging/logger';
import { Redactor } from '../../../src/core/logging/redactor';
import { QueueIndex } from '../../../src/core/queue/queueIndex';
import { parseTaskFile } from '../../../src/core/tasks/parseTaskFile';
import { initRepo } from '../../support/gitRepo';
import { useTempDir } from '../../support/tempDir';

const journalAgent = join(__dirname, '../../fixtures/agents/journalAgent.mjs');

/** A task file: its title is its id (the journal names it so), created in the order given. */
function taskFile(id: string, order: number, fields: { dependsOn?: readonly string[]; targets?: readonly string[] } = {}): string {
  const depends = fields.dependsOn === undefined ? '' : `depends_on: [${fields.dependsOn.join(', ')}]\n`;
  const targets = fields.targets === undefined ? '' : `\n## Target Files\n${fields.targets.map(target => `- ${target}`).join('\n')}\n`;
  return `---\nid: ${id}\nagent: journal\ncreated: 2026-11-21T10:00:0${String(order)}Z\n${depends}---\n# ${id}\n\n## Prompt\nDo ${id}.\n${targets}`;
}

describe('fan-out: several pending tasks dispatched at once, with the real dispatcher and a CLI agent', function () {
  this.timeout(90_000);
  const temp = useTempDir('ato-fanout-');

  it('starts what it can, waits for dependencies and overlapping targets (saying why), and starts them when the first ones finish', async () => {
    const repo = join(temp(), 'repo');
    mkdirSync(repo);
    const pending = 'planning/issue_queue/pending';
    initRepo(repo, {
      'README.md': '# r\n', [`${pending}/.gitkeep`]: '', 'planning/issue_queue/processed/.gitkeep': '', 'planning/issue_queue/complete/.gitkeep': '',
      // A chain a → b → c; d's targets overlap a's; e is on its own.
      [`${pending}/a.task.md`]: taskFile('a', 1, { targets: ['src/a.ts'] }),
      [`${pending}/b.task.md`]: taskFile('b', 2, { dependsOn: ['a'], targets: ['lib/b.ts'] }),
      [`${pending}/c.task.md`]: taskFile('c', 3, { dependsOn: ['b'] }),
      [`${pending}/d.task.md`]: taskFile('d', 4, { targets: ['src/**'] }),
      [`${pending}/e.task.md`]: taskFile('e', 5, { targets: ['docs/e.md'] }),
    });
    const journal = join(temp(), 'journal.txt');
    writeFileSync(journal, '');
    const index = new QueueIndex({ planningRoot: join(repo, 'planning'), parse: parseTaskFile, workspaceRoot: repo });
    await index.coldIndex();
    const agent = new CustomCliBackend(customAgentSettingsSchema.parse({ id: 'journal', command: process.execPath, args: [journalAgent, journal, 'work', '700'], concurrent: 3 }));
    const redactor = new Redactor();
    const { dispatcher } = createDispatchRuntime({
      workspaceRoot: repo, index, agents: [agent], maxConcurrentRuns: 3, defaultTimeoutMs: 60_000, redactor,
      events: { append: () => Promise.resolve() }, log: createLogger({ write: () => undefined }, redactor),
    });
    try {
      const fanOut = await dispatchMany(['c', 'b', 'a', 'd', 'e', 'nope'], { dispatcher, queue: index });
      const first = new Map(fanOut.reports().map(report => [report.taskId, report]));
      assert.deepEqual([...first.keys()], ['c', 'b', 'a', 'd', 'e', 'nope'], 'reports keep the order given');
      assert.equal(first.get('a')?.status, 'started');
      assert.equal(first.get('e')?.status, 'started', 'e overlaps nothing: it runs beside a');
      assert.deepEqual(first.get('b'), { taskId: 'b', status: 'waiting', reason: 'waits: depends on a' });
      assert.deepEqual(first.get('c'), { taskId: 'c', status: 'waiting', reason: 'waits: depends on b' });
      assert.deepEqual(first.get('d'), { taskId: 'd', status: 'waiting', reason: 'waits: targets overlap with a (src/** and src/a.ts)' });
      assert.deepEqual(first.get('nope'), { taskId: 'nope', status: 'refused', reason: 'No task "nope" in the queue.' });

      const seen: FanOutReport[][] = [];
      fanOut.onDidChange(reports => { seen.push([...reports]); });
      const final = await fanOut.done;
      fanOut.dispose();
      for (const id of ['a', 'b', 'c', 'd', 'e']) {
        const report = final.find(r => r.taskId === id);
        assert.ok(report?.status === 'finished' && report.state === 'succeeded', `${id}: ${JSON.stringify(report)}`);
        assert.ok(existsSync(join(repo, 'planning', 'issue_queue', 'complete', `${id}.task.md`)), `${id} is complete`);
      }
      assert.ok(seen.some(reports => reports.find(r => r.taskId === 'b')?.status === 'started'), 'b was seen starting');

      const lines = readFileSync(journal, 'utf8').trim().split('\n');
      const at = (line: string): number => {
        const position = lines.indexOf(line);
        assert.ok(position >= 0, `${line} in ${JSON.stringify(lines)}`);
        return position;
      };
      assert.equal(lines.length, 10, 'each task ran once');
      assert.ok(at('start b') > at('end a'), 'b waited for its dependency');
      assert.ok(at('start c') > at('end b'), 'c waited for its dependency, in the same batch');
      assert.ok(at('start d') > at('end a'), 'd never ran beside a: their targets overlap');
      assert.ok(at('start a') < at('start e') && at('start e') < at('start d'), 'e started with a, before d');
    } finally {
      await dispatcher.dispose();
      index.dispose();
    }
  });

  it('starts a task the fleet spaced out once the gap between starts ends, even when the first run ended before it', async () => {
    const repo = join(temp(), 'spaced');
    mkdirSync(repo);
    const pending = 'planning/issue_queue/pending';
    initRepo(repo, {
      'README.md': '# r\n', [`${pending}/.gitkeep`]: '', 'planning/issue_queue/processed/.gitkeep': '', 'planning/issue_queue/complete/.gitkeep': '',
      [`${pending}/one.task.md`]: taskFile('one', 1, { targets: ['one.txt'] }),
      [`${pending}/two.task.md`]: taskFile('two', 2, { targets: ['two.txt'] }),
    });
    const journal = join(temp(), 'spaced-journal.txt');
    writeFileSync(journal, '');
    const index = new QueueIndex({ planningRoot: join(repo, 'planning'), parse: parseTaskFile, workspaceRoot: repo });
    await index.coldIndex();
    const agent = new CustomCliBackend(customAgentSettingsSchema.parse({ id: 'journal', command: process.execPath, args: [journalAgent, journal, 'work', '10'], concurrent: 3 }));
    const redactor = new Redactor();
    // 20 starts a minute: the second start waits a gap of 1.5–3 s; the first run is over well before that.
    const { dispatcher } = createDispatchRuntime({
      workspaceRoot: repo, index, agents: [agent], maxConcurrentRuns: 3, defaultTimeoutMs: 60_000, redactor,
      events: { append: () => Promise.resolve() }, log: createLogger({ write: () => undefined }, redactor),
      fleet: { limits: {}, budgets: {}, copilotPremiumRequestUsd: 0.04, startsPerMinute: 20 },
    });
    try {
      const fanOut = await dispatchMany(['one', 'two'], { dispatcher, queue: index });
      const first = fanOut.reports();
      assert.equal(first[0]?.status, 'started');
      assert.ok(first[1]?.status === 'waiting' && first[1].reason.includes('starts are spaced out'), JSON.stringify(first[1]));
      const final = await fanOut.done;
      fanOut.dispose();
      for (const id of ['one', 'two']) {
        const report = final.find(r => r.taskId === id);
        assert.ok(report?.status === 'finished' && report.state === 'succeeded', `${id}: ${JSON.stringify(report)}`);
        assert.ok(existsSync(join(repo, 'planning', 'issue_queue', 'complete', `${id}.task.md`)), `${id} is complete`);
      }
    } finally {
      await dispatcher.dispose();
      index.dispose();
    }
  });
});
