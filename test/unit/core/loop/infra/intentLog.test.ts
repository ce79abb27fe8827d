import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IntentLog, IntentLogError, type IntentProblem } from '../../../../../src/core/loop/engine/intentLog';
import { parseIntent } from '../../../../../src/core/loop/engine/intentRecord';
import { useTempDir } from '../../../../support/tempDir';

describe('intent log (write-ahead records of guarded actions in .ato/intents)', () => {
  const temp = useTempDir('ato-intents-');
  let clock = new Date('2026-11-21T10:00:00.000Z');
  const now = (): Date => clock;
  const advance = (ms: number): void => { clock = new Date(clock.getTime() + ms); };
  beforeEach(() => { clock = new Date('2026-11-21T10:00:00.000Z'); });

  const intentsFolder = (): string => join(temp(), '.ato', 'intents');
  const files = (): string[] => readdirSync(intentsFolder()).sort();

  it('begin writes a record before the action; steps and finish update it; the file always parses', async () => {
    const log = new IntentLog({ workspaceRoot: temp(), now });
    const intent = await log.begin('promoteTask', 'promote:add-login', { taskId: 'add-login', path: 'planning/issue_queue/pending/add-login.task.md' });
    assert.equal(intent.state, 'open');
    assert.match(intent.id, /^20261121T100000000Z-promotetask-[0-9a-f]{6}$/);
    const file = join(intentsFolder(), `${intent.id}.json`);
    assert.deepEqual(parseIntent(readFileSync(file, 'utf8')), { intent });
    advance(1000);
    const stepped = await log.step(intent, 'issueCreated', { issueNumber: 12 });
    assert.deepEqual(stepped.steps, { issueCreated: { at: '2026-11-21T10:00:01.000Z', result: { issueNumber: 12 } } });
    const moved = await log.step(stepped, 'queueMoved');
    const done = await log.finish(moved);
    const onDisk = parseIntent(readFileSync(file, 'utf8'));
    assert.ok('intent' in onDisk);
    assert.equal(onDisk.intent.state, 'done');
    assert.deepEqual(Object.keys(onDisk.intent.steps), ['issueCreated', 'queueMoved']);
    assert.deepEqual(onDisk.intent, done);
    await assert.rejects(log.step(done, 'late'), error => IntentLogError.is(error, 'notOpen'));
    assert.deepEqual(files(), [`${intent.id}.json`], 'no temporary file left');
  });

  it('begin returns the open intent with the same key instead of a second one; after finish, a new one', async () => {
    const log = new IntentLog({ workspaceRoot: temp(), now });
    const [a, b] = await Promise.all([log.begin('promoteTask', 'promote:x', null), log.begin('promoteTask', 'promote:x', null)]);
    assert.equal(a.id, b.id);
    await log.finish(a);
    advance(10);
    const c = await log.begin('promoteTask', 'promote:x', null);
    assert.notEqual(c.id, a.id);
    assert.equal(files().length, 2);
  });

  it('a restarted loop finds the unfinished intents, oldest first, with their steps', async () => {
    const before = new IntentLog({ workspaceRoot: temp(), now });
    const first = await before.begin('mergePullRequest', 'merge:7', { pullNumber: 7 });
    advance(1000);
    const second = await before.begin('promoteTask', 'promote:y', { taskId: 'y' });
    await before.step(second, 'issueCreated', { issueNumber: 3 });
    advance(1000);
    await before.abandon(await before.begin('closeIssue', 'close:4', null), 'the issue was deleted');
    advance(1000);
    await before.finish(await before.begin('closeIssue', 'close:5', null));

    const after = new IntentLog({ workspaceRoot: temp(), now });
    const open = await after.open();
    assert.deepEqual(open.map(intent => intent.key), ['merge:7', 'promote:y']);
    assert.deepEqual(open[1]?.steps['issueCreated']?.result, { issueNumber: 3 });
    assert.equal((await after.find('promote:y'))?.id, second.id);
    assert.equal((await after.begin('mergePullRequest', 'merge:7', null)).id, first.id, 'the open one is reused after a restart too');
    const all = (await after.scan()).all;
    assert.deepEqual(all.map(intent => intent.state), ['open', 'open', 'abandoned', 'done']);
    assert.equal(all[2]?.reason, 'the issue was deleted');
  });

  it('a corrupt record is reported and moved aside, never fatal; the others still load', async () => {
    const log = new IntentLog({ workspaceRoot: temp(), now });
    const good = await log.begin('promoteTask', 'promote:z', null);
    writeFileSync(join(intentsFolder(), '20261121T090000000Z-broken-aaaaaa.json'), '{"id": "20261121T0900');
    writeFileSync(join(intentsFolder(), '20261121T090000000Z-wrong-bbbbbb.json'), JSON.stringify({ ...good, state: 'maybe' }));
    writeFileSync(join(intentsFolder(), '20261121T090000000Z-other-cccccc.json'), JSON.stringify(good));
    const problems: IntentProblem[] = [];
    const restarted = new IntentLog({ workspaceRoot: temp(), now, onProblem: problem => problems.push(problem) });
    const scan = await restarted.scan();
    assert.deepEqual(scan.open.map(intent => intent.id), [good.id]);
    assert.deepEqual(scan.problems.map(problem => problem.kind).sort(), ['invalidJson', 'invalidRecord', 'invalidRecord']);
    assert.deepEqual(problems, scan.problems);
    for (const problem of scan.problems) {
      assert.equal(problem.movedTo, `${problem.file}.corrupt`);
      assert.ok(existsSync(problem.movedTo) && !existsSync(problem.file));
    }
    assert.deepEqual((await new IntentLog({ workspaceRoot: temp(), now }).scan()).problems, [], 'moved aside: not reported again');
  });

  it('prune deletes done and abandoned intents older than N days, never open ones', async () => {
    const log = new IntentLog({ workspaceRoot: temp(), now });
    const old = await log.finish(await log.begin('a', 'a:1', null));
    const stillOpen = await log.begin('b', 'b:1', null);
    advance(10 * 24 * 60 * 60_000);
    const recent = await log.finish(await log.begin('c', 'c:1', null));
    advance(60_000);
    assert.equal(await log.prune(7), 1);
    assert.deepEqual(files(), [stillOpen.id, recent.id].sort().map(id => `${id}.json`));
    assert.ok(!files().includes(`${old.id}.json`));
  });

  it('a scan removes temporary files left by a crash mid-write once they are old, and keeps young ones', async () => {
    mkdirSync(intentsFolder(), { recursive: true });
    const oldTemp = join(intentsFolder(), '.x.json.1234abcd.tmp');
    const youngTemp = join(intentsFolder(), '.y.json.5678abcd.tmp');
    writeFileSync(oldTemp, '{"half');
    writeFileSync(youngTemp, '{"half');
    const anHourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(oldTemp, anHourAgo, anHourAgo);
    const log = new IntentLog({ workspaceRoot: temp() });
    assert.deepEqual((await log.scan()).problems, []);
    assert.deepEqual(files(), ['.y.json.5678abcd.tmp']);
  });
});
