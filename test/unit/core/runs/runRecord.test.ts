import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { newRunId, runIdPattern, runRecordSchema } from '../../../../src/core/runs/runRecord';
import { runRecordJsonSchema } from '../../../../src/core/runs/runRecordJsonSchema';
import { aRunRecord } from '../../../support/runRecords';
import { seededRandom } from '../../../support/seededRandom';

const at = (iso: string) => () => new Date(iso);

describe('runRecord', () => {
  it('starts a record queued, with one history entry and no attempts yet', () => {
    const record = aRunRecord();
    assert.deepEqual(record, {
      version: 1, runId: 'run-1', taskId: 'add-login', taskFile: 'planning/issue_queue/processed/add-login.task.md', taskType: 'feature',
      agentId: 'claude-code', attempt: 1, state: 'queued', history: [{ state: 'queued', at: '2026-11-21T10:00:00.000Z', reason: 'dispatch' }],
      startedAt: '2026-11-21T10:00:00.000Z', usage: {}, filesChanged: [], attempts: 0,
    });
    assert.ok(runRecordSchema.safeParse(record).success);
  });

  it('accepts a complete finished record', () => {
    const record = aRunRecord({
      branch: 'ato/add-login', workdir: '/repo/.ato/worktrees/add-login', handle: { runId: 'run-1', agentId: 'claude-code', ref: '4242' },
      state: 'failed', endedAt: '2026-11-21T10:05:00.000Z', exitCode: 1, usage: { costUsd: 0.12, turns: 7, inputTokens: 1000, outputTokens: 200, sessionId: 's' },
      filesChanged: ['src/login.ts'], failure: { class: 'maxTurns', message: 'stopped after 7 turns' }, attempts: 2, summary: 'half done',
    });
    assert.ok(runRecordSchema.safeParse(record).success);
  });

  const invalid: [string, Record<string, unknown>][] = [
    ['another version', { version: 2 }],
    ['a run id that is a path', { runId: '../x' }],
    ['an unknown state', { state: 'paused' }],
    ['an unknown failure class', { failure: { class: 'oops', message: '' } }],
    ['an unknown task type', { taskType: 'chore' }],
    ['a negative cost', { usage: { costUsd: -1 } }],
    ['fractional turns', { usage: { turns: 1.5 } }],
    ['attempt 0', { attempt: 0 }],
    ['an empty history', { history: [] }],
    ['a time that is not ISO', { startedAt: 'yesterday' }],
  ];
  for (const [what, change] of invalid) {
    it(`rejects ${what}`, () => {
      assert.equal(runRecordSchema.safeParse({ ...aRunRecord(), ...change }).success, false);
    });
  }

  it('makes run ids that sort by time and are safe file names', () => {
    const random = seededRandom(7);
    const first = newRunId(at('2026-11-21T10:00:00.123Z'), random);
    const second = newRunId(at('2026-11-21T10:00:01.000Z'), random);
    assert.match(first, /^20261121T100000Z-[0-9a-z]{6}$/);
    assert.ok(first < second);
    assert.match(first, runIdPattern);
    assert.equal(newRunId(at('2026-11-21T10:00:00Z'), () => 0), '20261121T100000Z-000000');
    assert.equal(newRunId(at('2026-11-21T10:00:00Z'), () => 1), '20261121T100000Z-zzzzzz', 'random() = 1 stays in range');
  });
});

describe('schemas/run-record.schema.json', () => {
  const file = join(process.cwd(), 'schemas', 'run-record.schema.json');

  it('is the JSON Schema generated from the zod schema (ATO_UPDATE_SCHEMAS=1 rewrites it)', async () => {
    const expected = runRecordJsonSchema();
    if (process.env['ATO_UPDATE_SCHEMAS'] === '1') {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, `${JSON.stringify(expected, null, 2)}\n`);
    }
    const actual = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    assert.deepEqual(actual, expected);
  });

  it('names every field of a record, and requires exactly the required ones', async () => {
    const schema = JSON.parse(await readFile(file, 'utf8')) as { properties: Record<string, unknown>; required: string[] };
    const full = aRunRecord({ branch: 'b', workdir: '/w', handle: { runId: 'r', agentId: 'a', ref: 'x' }, endedAt: '2026-11-21T10:00:00.000Z', exitCode: 0, failure: { class: 'fatal', message: 'm' }, summary: 's', report: 'planning/issue_queue/complete/x.report.md', followUp: { kind: 'retry', at: '2026-11-21T10:00:10.000Z', reason: 'rate limited' }, loopLink: { issueNumber: 7, pullRequest: { number: 8, url: 'https://github.com/o/r/pull/8', headRef: 'jules/1' } }, escalation: { priorityFrom: 'low', priorityTo: 'medium', issue: { number: 7, url: 'https://github.com/o/r/issues/7' } }, escalationDue: true, baseSha: 'a'.repeat(40), landing: { kind: 'merged', at: '2026-11-21T10:00:00.000Z', detail: 'merged' } });
    assert.deepEqual(Object.keys(schema.properties).sort(), Object.keys(full).sort());
    assert.deepEqual([...schema.required].sort(), Object.keys(aRunRecord()).sort());
  });
});
