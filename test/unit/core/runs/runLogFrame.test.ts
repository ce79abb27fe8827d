import assert from 'node:assert/strict';
import { agentOutputOfLog, commandLineText, durationText, runLogFooter, runLogHeader } from '../../../../src/core/runs/runLogFrame';
import { aRunRecord } from '../../../support/runRecords';

describe('runLogFrame: the run log\'s header and footer', () => {
  it('the header: the run, agent, command line, branch, worktree and start', () => {
    const header = runLogHeader({ runId: 'run-1', taskId: 'add-login', agentId: 'claude-code', argv: ['claude', '-p', '--output-format', 'stream-json'], branch: 'ato/add-login', workdir: '/r/.ato/worktrees/add-login', startedAt: new Date('2026-11-21T10:00:00.000Z') });
    assert.deepEqual(header.split('\n').slice(1, 7), [
      'ATO run run-1 · task add-login',
      'agent:     claude-code',
      'command:   claude -p --output-format stream-json',
      'branch:    ato/add-login',
      'worktree:  /r/.ato/worktrees/add-login',
      'started:   2026-11-21T10:00:00.000Z',
    ]);
    assert.ok(header.endsWith('\n'));
  });

  it('the command line: values of options named like secrets redacted, arguments quoted, long ones cut', () => {
    assert.equal(commandLineText(['agent', '--api-key', 'k1', '--token=t1', '--github-token', 't2', '--password=p', '-v']), 'agent --api-key ‹redacted› --token=‹redacted› --github-token ‹redacted› --password=‹redacted› -v');
    assert.equal(commandLineText(['a b', "it's", 'line\nbreak', '']), `'a b' 'it'\\''s' 'line\\nbreak' ''`);
    assert.match(commandLineText(['x'.repeat(500)]), /^'x{200}… \(500 characters\)'$/);
  });

  it('the footer: exit code, duration, cost when known, and "cancelled by user"', () => {
    const succeeded = aRunRecord({ state: 'succeeded', exitCode: 0, endedAt: '2026-11-21T10:02:05.000Z', usage: { costUsd: 0.1234 } });
    assert.deepEqual(runLogFooter(succeeded).split('\n').slice(1, 6), ['ATO run run-1 ended: succeeded', 'exit code: 0', 'duration:  2 min 5 s', 'cost:      $0.1234', 'ended:     2026-11-21T10:02:05.000Z']);
    const cancelled = aRunRecord({ state: 'cancelled', endedAt: '2026-11-21T10:00:09.000Z', failure: { class: 'cancelled', message: 'cancelled by the user' }, usage: { costNote: 'no price for model x' } });
    assert.deepEqual(runLogFooter(cancelled).split('\n').slice(1, 5), ['ATO run run-1 ended: cancelled by user', 'exit code: (none)', 'duration:  9 s', 'cost:      unknown (no price for model x)']);
    const failed = aRunRecord({ state: 'failed', exitCode: 3, endedAt: '2026-11-21T12:30:00.000Z', failure: { class: 'fatal', message: 'exit 3' } });
    assert.match(runLogFooter(failed), /ended: failed \(fatal\): exit 3\nexit code: 3\nduration: {2}2 h 30 min\ncost: {6}unknown\n/);
  });

  it('the agent\'s output without the frame: what an escalation issue quotes (no local command line, paths or worktree)', () => {
    const header = runLogHeader({ runId: 'run-1', taskId: 't', agentId: 'a', argv: ['/home/me/bin/agent', '--token', 'x'], branch: 'ato/t', workdir: '/home/me/repo/.ato/worktrees/t', startedAt: new Date('2026-11-21T10:00:00.000Z') });
    const footer = runLogFooter(aRunRecord({ state: 'failed', exitCode: 1 }));
    const output = agentOutputOfLog(`${header}[stdout] compiling…\n[stderr] Error: build failed\n${footer}`);
    assert.equal(output.trim(), '[stdout] compiling…\n[stderr] Error: build failed');
    assert.equal(agentOutputOfLog('[stdout] no frame at all\n'), '[stdout] no frame at all\n');
  });

  it('durations', () => {
    assert.equal(durationText(-1), 'unknown');
    assert.equal(durationText(Number.NaN), 'unknown');
    assert.equal(durationText(400), '0 s');
    assert.equal(durationText(61_000), '1 min 1 s');
  });
});
