import assert from 'node:assert/strict';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EventLog } from '../../../src/core/events/eventLog';
import { Redactor } from '../../../src/core/logging/redactor';
import { useTempDir } from '../../support/tempDir';
import { runAto, startAto, type AtoProcess } from './atoProcess';

const secret = 'ghp_eventsCliCanary0123456789abcdefABCDEF';

async function waitForOutput(ato: AtoProcess, pattern: RegExp, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!pattern.test(ato.stdout())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stdout: ${ato.stdout()} stderr: ${ato.stderr()}`);
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

/**
 * Issue 14 / PRODUCT §8: the event log filtered by task, from the CLI: `ato events [--task <id>] [--follow]
 * [--json]`, the real CLI in its own process over a real `.ato/` folder.
 */
describe('ato events', function () {
  this.timeout(120_000);
  const tempDir = useTempDir('ato-cli-events-');

  async function workspaceWithEvents(): Promise<{ root: string; log: EventLog }> {
    const root = tempDir();
    const log = new EventLog({ directory: join(root, '.ato'), maxFileBytes: 10_000_000, maxFiles: 5, redactor: new Redactor() });
    await log.append({ kind: 'extension.activated', version: '0.1.0' });
    await log.append({ kind: 'task.created', id: 'add-login', file: 'planning/issue_queue/pending/add-login.task.md', via: 'newTask' });
    await log.append({ kind: 'queue.moved', taskId: 'add-login', from: 'pending', to: 'processed', runId: 'run-1' });
    await log.append({ kind: 'queue.moved', taskId: 'other', from: 'pending', to: 'processed', runId: 'run-2' });
    await log.append({ kind: 'fleet.windowClosed', vendor: 'anthropic', runId: 'run-1', why: 'a 429 retry-after' });
    // Written before the token was known to ATO: the CLI still prints it redacted.
    await log.append({ kind: 'run.transition', runId: 'run-1', taskId: 'add-login', from: 'running', to: 'failed', reason: `git said: token ${secret} refused` });
    return { root, log };
  }

  it('prints every event, one line each: time, kind, run, message', async () => {
    const { root } = await workspaceWithEvents();
    const { code, stdout, stderr } = await runAto(['events', '--workspace', root], { GITHUB_TOKEN: secret });
    assert.equal(code, 0, stderr);
    const lines = stdout.trimEnd().split('\n');
    assert.equal(lines.length, 6);
    assert.match(lines[2] ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ {2}queue\.moved {2}run-1 {2}pending → processed$/);
    assert.ok(!stdout.includes(secret), 'redacted');
  });

  it('--task keeps that task\'s events and its runs\' (a run event that names only the run too), redacted', async () => {
    const { root } = await workspaceWithEvents();
    const { code, stdout } = await runAto(['events', '--task', 'add-login', '--workspace', root], { GITHUB_TOKEN: secret });
    assert.equal(code, 0);
    assert.deepEqual(stdout.trimEnd().split('\n').map(line => line.split('  ').slice(1, 3).join(' ')), ['task.created -', 'queue.moved run-1', 'fleet.windowClosed run-1', 'run.transition run-1']);
    assert.ok(!stdout.includes(secret));
    assert.match(stdout, /running → failed: git said: token \S+ refused/);
  });

  it('--json prints the events themselves as NDJSON', async () => {
    const { root } = await workspaceWithEvents();
    const { code, stdout } = await runAto(['events', '--task', 'other', '--json', '--workspace', root], {});
    assert.equal(code, 0);
    const events = stdout.trimEnd().split('\n').map(line => JSON.parse(line) as { kind: string; runId?: string });
    assert.deepEqual(events.map(event => [event.kind, event.runId]), [['queue.moved', 'run-2']]);
  });

  it('in a folder with no log: nothing on stdout, says so on stderr, exit 0, creates no .ato/', async () => {
    const root = tempDir();
    await mkdir(join(root, 'sub'));
    const { code, stdout, stderr } = await runAto(['events', '--workspace', join(root, 'sub')], {});
    assert.equal(code, 0);
    assert.equal(stdout, '');
    assert.match(stderr, /no events recorded/);
    await assert.rejects(stat(join(root, 'sub', '.ato')), 'no .ato/ made');
  });

  it('skips a torn line and says so; --task with no id is a usage error', async () => {
    const root = tempDir();
    await mkdir(join(root, '.ato'));
    await writeFile(join(root, '.ato', 'events.ndjson'), '{"v":1,"time":"2026-12-07T20:41:00.000Z","kind":"a.b","taskId":"t"}\n{"v":1,"ti\n');
    const { code, stdout, stderr } = await runAto(['events', '--task', 't', '--workspace', root], {});
    assert.equal(code, 0);
    assert.equal(stdout.trimEnd().split('\n').length, 1);
    assert.match(stderr, /1 line\(s\) .* skipped/);
    assert.equal((await runAto(['events', '--task', '', '--workspace', root], {})).code, 2);
  });

  it('--follow prints the task\'s new events as they are recorded (not another task\'s), and ends with 0 on Ctrl-C', async () => {
    const { root, log } = await workspaceWithEvents();
    const ato = startAto(['events', '--task', 'add-login', '--follow', '--workspace', root], {});
    try {
      await waitForOutput(ato, /run\.transition/, 'the events so far');
      await log.append({ kind: 'queue.moved', taskId: 'other', from: 'processed', to: 'complete', runId: 'run-2' });
      await log.append({ kind: 'run.transition', runId: 'run-1', taskId: 'add-login', from: 'failed', to: 'running', reason: 'requeued and started again' });
      await log.append({ kind: 'fleet.windowReopened', runId: 'run-1', why: 'the window has passed' });
      await waitForOutput(ato, /the window has passed/, 'the new events');
      assert.ok(!ato.stdout().includes('processed → complete'), 'another task\'s event is not shown');
      assert.match(ato.stdout(), /failed → running: requeued and started again\n.*fleet\.windowReopened {2}run-1 {2}the window has passed\n$/);
    } finally {
      ato.child.kill('SIGINT');
    }
    const { code } = await ato.exited;
    assert.equal(code, 0);
  });
});
