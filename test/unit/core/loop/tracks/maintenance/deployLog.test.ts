import assert from 'node:assert/strict';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployLogLineKey, maxDeployLogLineChars, parseDeployLog, parseDeployLogLine } from '../../../../../../src/core/loop/tracks/maintenance/deployLog';
import { DeployLogError, readDeployLog } from '../../../../../../src/core/loop/tracks/maintenance/deployLogFile';

describe('deploy log (ato.maintenance.deployLog)', () => {
  it('reads the shapes a deploy script writes: spaces, brackets, pipes, JSON lines', () => {
    const cases: readonly [string, string, string, string, string][] = [
      ['2026-12-07T23:10:00Z production failure Migration 0042 failed', '2026-12-07T23:10:00Z', 'production', 'failure', 'Migration 0042 failed'],
      ['[2026-12-07 23:10:05] [staging] ERROR: health check timed out', '2026-12-07T23:10:05Z', 'staging', 'failure', 'health check timed out'],
      ['2026-12-07T23:10:00+01:00 | production | success | v1.4.2 is live', '2026-12-07T22:10:00Z', 'production', 'success', 'v1.4.2 is live'],
      ['2026-12-07 23:10 eu-west-1 started', '2026-12-07T23:10:00Z', 'eu-west-1', 'pending', ''],
      ['{"timestamp":"2026-12-07T23:10:00.123Z","environment":"prod","status":"failed","message":"OOM killed"}', '2026-12-07T23:10:00Z', 'prod', 'failure', 'OOM killed'],
    ];
    for (const [line, timestamp, environment, status, message] of cases) {
      const entry = parseDeployLogLine(line, 7);
      assert.ok(entry !== undefined, line);
      assert.deepEqual([entry.timestamp, entry.environment, entry.status, entry.message, entry.line, entry.lineNumber], [timestamp, environment, status, message, line, 7]);
    }
  });

  it('skips and counts junk: no timestamp, an unknown status, an impossible date, broken JSON, an overlong line; blanks are not junk', () => {
    const log = [
      '2026-12-07T23:00:00Z production started deploy v1.4.2',
      'Traceback (most recent call last):',
      '  File "deploy.py", line 3',
      '',
      '2026-12-07T23:00:01Z production exploded badly',
      '2026-13-45T99:00:00Z production failure bad date',
      '{"timestamp": "2026-12-07T23:00:02Z", "environment": "production"',
      '{"timestamp": "2026-12-07T23:00:02Z", "status": "failed"}',
      `2026-12-07T23:00:03Z production failure ${'x'.repeat(maxDeployLogLineChars)}`,
      '   ',
      '2026-12-07T23:00:04Z production failure Migration failed\r',
    ].join('\n');
    const parsed = parseDeployLog(log);
    assert.deepEqual(parsed.entries.map(entry => [entry.lineNumber, entry.status, entry.message]), [[1, 'pending', 'deploy v1.4.2'], [11, 'failure', 'Migration failed']]);
    assert.equal(parsed.junkLines, 7);
  });

  it('keys a line by a hash of it as written: the same line the same key, another line another', () => {
    const line = '2026-12-07T23:10:00Z production failure Migration 0042 failed';
    assert.match(deployLogLineKey(line), /^log-[0-9a-f]{16}$/);
    assert.equal(deployLogLineKey(line), deployLogLineKey(`${line}  `));
    assert.notEqual(deployLogLineKey(line), deployLogLineKey(line.replace('23:10', '23:11')));
  });

  describe('reading the file', () => {
    let root: string;
    beforeEach(async () => {
      root = await mkdtemp(join(tmpdir(), 'ato-deploylog-'));
    });
    afterEach(async () => {
      await rm(root, { recursive: true, force: true });
    });

    it('an empty setting or a missing file is no log', async () => {
      assert.equal(await readDeployLog(root, ''), undefined);
      assert.equal(await readDeployLog(root, 'logs/deploy.log'), undefined);
    });

    it('reads only the tail of a large file and drops the line the cut went through', async () => {
      const lines = Array.from({ length: 5_000 }, (_, index) => `2026-12-07T10:${String(Math.floor(index / 60) % 60).padStart(2, '0')}:${String(index % 60).padStart(2, '0')}Z production success deploy number ${String(index)}`);
      await writeFile(join(root, 'deploy.log'), `${lines.join('\n')}\n`);
      const read = await readDeployLog(root, 'deploy.log', 4_096);
      assert.ok(read !== undefined);
      assert.equal(read.truncated, true);
      assert.equal(read.junkLines, 0, 'no half line is read as junk');
      assert.ok(read.entries.length > 10 && read.entries.length < 100, String(read.entries.length));
      assert.equal(read.entries.at(-1)?.message, 'deploy number 4999');
      const whole = await readDeployLog(root, 'deploy.log', 1_000_000);
      assert.ok(whole !== undefined);
      assert.equal(whole.truncated, false);
      assert.equal(whole.entries.length, 5_000);
    });

    it('refuses a path outside the workspace, also through a symbolic link', async () => {
      const outside = await mkdtemp(join(tmpdir(), 'ato-outside-'));
      try {
        await writeFile(join(outside, 'secret.log'), '2026-12-07T23:00:00Z production failure secret\n');
        await symlink(join(outside, 'secret.log'), join(root, 'deploy.log'));
        await assert.rejects(readDeployLog(root, 'deploy.log'), DeployLogError);
        await assert.rejects(readDeployLog(root, '../x.log'), DeployLogError);
      } finally {
        await rm(outside, { recursive: true, force: true });
      }
    });
  });
});
