import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runBuiltCli } from '../../support/builtCli';
import { git } from '../../support/gitRepo';
import { useTempDir } from '../../support/tempDir';

const repoRoot = resolve(__dirname, '../../..');

/**
 * `npm start` as a user runs it (scripts/start.sh, for real: the build, the sample, the launch), with a
 * stub `code` first on the PATH — start.sh execs desktop VS Code when there is one — that records how it
 * was called. The machine has no git identity: HOME is empty and git may use only configured values.
 */
describe('npm start (scripts/start.sh) with desktop VS Code', function () {
  this.timeout(180_000);
  const temp = useTempDir('ato-start-');

  function start(sample: string): Promise<{ code: number; output: string; codeArgs: string[] }> {
    const bin = join(temp(), 'bin');
    const home = join(temp(), 'home');
    mkdirSync(bin, { recursive: true });
    mkdirSync(home, { recursive: true });
    const record = join(temp(), 'code-args.json');
    writeFileSync(join(bin, 'code'), `#!/bin/sh\nexec "${process.execPath}" -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify(process.argv.slice(2)))' "${record}" "$@"\n`);
    chmodSync(join(bin, 'code'), 0o755);
    const env = {
      PATH: `${bin}:${process.env['PATH'] ?? ''}`,
      HOME: home,
      ATO_SAMPLE_WORKSPACE: sample,
      // No system or global git configuration, and no identity guessed from the host: as on a fresh machine.
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'user.useConfigOnly', GIT_CONFIG_VALUE_0: 'true',
    };
    return new Promise(done => {
      execFile('bash', ['scripts/start.sh'], { cwd: repoRoot, env, encoding: 'utf8', timeout: 170_000 }, (error, stdout, stderr) => {
        const codeArgs = existsSync(record) ? JSON.parse(readFileSync(record, 'utf8')) as string[] : [];
        done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, output: stdout + stderr, codeArgs });
      });
    });
  }

  it('makes a sample with a first commit, a goal and an example task, and opens it trusted with ATO under development', async () => {
    const sample = join(temp(), 'sample');
    const run = await start(sample);
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(run.codeArgs, ['--disable-workspace-trust', `--extensionDevelopmentPath=${repoRoot}`, sample]);

    assert.match(git(sample, 'log', '--format=%an <%ae> %s'), /^ATO sample <sample@ato\.invalid> Sample project for ATO/);
    assert.equal(git(sample, 'status', '--porcelain'), '', 'everything the sample holds is committed');
    const files = (git(sample, 'ls-files')).split('\n');
    for (const file of ['README.md', 'greet.js', 'planning/vision/goal.md', 'planning/state/system_capabilities.md', 'planning/issue_queue/pending/add-farewell.task.md', 'planning/issue_queue/processed/.gitkeep', 'planning/issue_queue/complete/.gitkeep']) {
      assert.ok(files.includes(file), `${file} is committed (${files.join(', ')})`);
    }
    const tasks = await runBuiltCli(['tasks', '--json', '--workspace', sample]);
    assert.equal(tasks.code, 0, tasks.stderr);
    const listed = JSON.parse(tasks.stdout) as { counts: { pending: number }; tasks: { id: string; valid: boolean }[] };
    assert.deepEqual(listed.tasks.map(task => [task.id, task.valid]), [['add-farewell', true]]);
    const doctor = await runBuiltCli(['doctor', '--workspace', sample]);
    assert.match(doctor.stdout, /✓ git: git version .*; the workspace is a repository at [0-9a-f]{12}/);
    assert.match(doctor.stdout, /✓ Planning folder at .*: task files: 1 in pending\/, 0 in processed\/, 0 in complete\//);

    const head = git(sample, 'rev-parse', 'HEAD');
    const again = await start(sample);
    assert.equal(again.code, 0, again.output);
    assert.equal(git(sample, 'rev-parse', 'HEAD'), head, 'a second start changes nothing in a sample that has a commit');
  });

  it('repairs a sample an earlier start left without a commit: the user\'s files kept, a task that moved on not added again', async () => {
    const sample = join(temp(), 'old-sample');
    mkdirSync(join(sample, 'planning', 'issue_queue', 'processed'), { recursive: true });
    writeFileSync(join(sample, 'README.md'), '# Sample project\n\nMy own notes.\n');
    git(sample, 'init', '-q');
    // What the old first dispatch left: the task stranded in processed/ ("HEAD is not a commit").
    writeFileSync(join(sample, 'planning', 'issue_queue', 'processed', 'add-farewell.task.md'), '# Add a farewell function\n');
    const run = await start(sample);
    assert.equal(run.code, 0, run.output);
    assert.match(git(sample, 'rev-parse', '--verify', 'HEAD^{commit}'), /^[0-9a-f]{40}$/);
    assert.equal(readFileSync(join(sample, 'README.md'), 'utf8'), '# Sample project\n\nMy own notes.\n');
    assert.ok(existsSync(join(sample, 'planning', 'vision', 'goal.md')));
    assert.ok(!existsSync(join(sample, 'planning', 'issue_queue', 'pending', 'add-farewell.task.md')), 'the example task is not queued twice');
    assert.equal(git(sample, 'status', '--porcelain'), '');
  });
});
