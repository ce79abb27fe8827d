import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, readdir, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { commitFiles, git, initRepo } from '../../support/gitRepo';
import { useTempDir } from '../../support/tempDir';

const repoRoot = join(__dirname, '..', '..', '..');
const cli = join(repoRoot, 'dist', 'cli.js');
const pwdAgent = join(repoRoot, 'test', 'fixtures', 'agents', 'pwd-agent.mjs');

/** The newest source file's modification time: dist/cli.js must be at least as new (`node esbuild.mjs`). */
function newestSource(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A task file for the probe agent. */
function task(title: string, options: { readonly cwd?: string; readonly targets?: readonly string[]; readonly id?: string } = {}): string {
  const front = ['agent: probe', ...(options.cwd === undefined ? [] : [`cwd: ${JSON.stringify(options.cwd)}`]), ...(options.id === undefined ? [] : [`id: ${options.id}`])];
  const targets = options.targets === undefined ? '' : `**Target Files:**\n${options.targets.map(target => `- ${target}`).join('\n')}\n\n`;
  return `---\n${front.join('\n')}\n---\n# ${title}\n\n${targets}**Prompt:**\nWrite down where you are.\n`;
}

/**
 * Issue 9 B3 / C4 / C5 through the real parts: the bundled CLI (`node dist/cli.js`), real git repositories
 * with committed symlinks, and a real agent process that records the folder it runs in. An agent's working
 * directory is always inside its own worktree; what would leave it is an error, never dispatched.
 */
describe('path containment, ids and sub-folders through `ato tasks` and `ato dispatch`', function () {
  this.timeout(180_000);
  const tempDir = useTempDir('ato-containment-');
  const outside = (): string => join(tempDir(), 'outside');
  const workspace = (): string => join(tempDir(), 'ws');
  const pending = (): string => join(workspace(), 'planning', 'issue_queue', 'pending');
  const pwdLog = (): string => join(tempDir(), 'pwd.log');

  before(function () {
    assert.ok(existsSync(cli), 'dist/cli.js is missing: run `node esbuild.mjs` first');
    assert.ok(statSync(cli).mtimeMs >= newestSource(join(repoRoot, 'src')), 'dist/cli.js is older than src/: run `node esbuild.mjs` first');
  });

  function run(args: readonly string[], directory = workspace()): Promise<CliResult> {
    const agents = [{ id: 'probe', command: process.execPath, args: [pwdAgent], inheritEnv: ['PWD_LOG'] }];
    const env = {
      PATH: process.env['PATH'] ?? '',
      HOME: tempDir(),
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      PWD_LOG: pwdLog(),
      ATO_AGENTS_CUSTOM: JSON.stringify(agents),
    };
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [cli, ...args, '--workspace', directory], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
      child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
      child.on('error', reject);
      child.on('close', code => { resolve({ code, stdout, stderr }); });
    });
  }

  async function agentRuns(): Promise<string[]> {
    return existsSync(pwdLog()) ? (await readFile(pwdLog(), 'utf8')).split('\n').filter(line => line !== '') : [];
  }

  async function filesIn(folder: string): Promise<string[]> {
    const directory = join(workspace(), 'planning', 'issue_queue', folder);
    if (!existsSync(directory)) return [];
    return (await readdir(directory, { recursive: true, withFileTypes: true })).filter(entry => entry.isFile()).map(entry => join(entry.parentPath, entry.name).slice(directory.length + 1)).sort();
  }

  /**
   * A repository with a committed symlink `linkout` to a folder outside it, a committed symlink `tools`
   * that the working tree has replaced by a real folder (so only the agent's worktree has the link), and
   * a task file for each way out.
   */
  async function setUp(): Promise<void> {
    await mkdir(outside(), { recursive: true });
    await writeFile(join(outside(), 'secret.txt'), 'secret\n');
    await mkdir(workspace(), { recursive: true });
    initRepo(workspace(), { 'README.md': '# app\n', 'planning/vision/goal.md': '# Goal\n', 'packages/web/index.ts': 'export {};\n' });
    await symlink(outside(), join(workspace(), 'linkout'), 'dir');
    await symlink(outside(), join(workspace(), 'tools'), 'dir');
    commitFiles(workspace(), {
      'planning/issue_queue/pending/cwd-link.md': task('Run in a committed symlink', { cwd: 'linkout' }),
      'planning/issue_queue/pending/cwd-up.md': task('Run in the main checkout', { cwd: '../../..' }),
      'planning/issue_queue/pending/target-abs.md': task('Touch /etc/passwd', { targets: ['/etc/passwd'] }),
      'planning/issue_queue/pending/target-up.md': task('Touch an ssh key', { targets: ['../../../root/.ssh/id_rsa'] }),
      'planning/issue_queue/pending/target-link.md': task('Touch through a link', { targets: ['linkout/secret.txt'] }),
      'planning/issue_queue/pending/foo.lock.md': task('An id git refuses'),
      'planning/issue_queue/pending/cwd-missing.md': task('Run in a folder that does not exist', { cwd: 'packages/nope' }),
      'planning/issue_queue/pending/dup.md': task('One of two with the same id'),
      'planning/issue_queue/pending/area/dup.md': task('The other one'),
      'planning/issue_queue/pending/fine.md': task('Run in packages/web', { cwd: 'packages/web', targets: ['packages/web/index.ts'] }),
      'planning/issue_queue/pending/area/sub.md': task('A task in a sub-folder'),
      'planning/issue_queue/pending/tools-task.md': task('Run in tools', { cwd: 'tools' }),
    }, 'tasks, and symlinks out of the repository');
    // The working tree's `tools` becomes a real folder (uncommitted): only the worktree keeps the link.
    await rm(join(workspace(), 'tools'));
    await mkdir(join(workspace(), 'tools'));
    await writeFile(join(workspace(), 'tools', 'README.md'), 'local tools\n');
  }

  it('`ato tasks` marks every way out, and an id git refuses, invalid with the reason; a sub-folder task is listed', async () => {
    await setUp();
    const listed = await run(['tasks', '--json']);
    assert.equal(listed.code, 1, listed.stderr);
    const { tasks } = JSON.parse(listed.stdout) as { tasks: { id: string; file: string; valid: boolean; diagnostics: { severity: string; message: string }[] }[] };
    const errors = (file: string): string[] => tasks.find(row => row.file === `issue_queue/pending/${file}`)?.diagnostics.filter(d => d.severity === 'error').map(d => d.message) ?? ['(not listed)'];
    assert.match(errors('cwd-link.md').join(), /"cwd" "linkout" leads outside the workspace through a symlink/);
    assert.match(errors('cwd-up.md').join(), /"cwd" "\.\.\/\.\.\/\.\." climbs out with "\.\."/);
    assert.match(errors('target-abs.md').join(), /"\/etc\/passwd" is an absolute path/);
    assert.match(errors('target-up.md').join(), /"\.\.\/\.\.\/\.\.\/root\/\.ssh\/id_rsa" climbs out/);
    assert.match(errors('target-link.md').join(), /"linkout\/secret\.txt" leads outside the workspace through a symlink/);
    assert.match(errors('foo.lock.md').join(), /"foo\.lock".*ends with "\.lock", which git refuses in the branch name "ato\/foo\.lock"/);
    for (const file of ['fine.md', 'area/sub.md', 'dup.md', 'area/dup.md', 'cwd-missing.md', 'tools-task.md']) assert.deepEqual(errors(file), [], file);
    assert.deepEqual(tasks.filter(row => row.valid).map(row => row.id).sort(), ['cwd-missing', 'dup', 'dup', 'fine', 'sub', 'tools-task']);

    const human = await run(['tasks']);
    assert.match(human.stdout, /✗ pending\s+cwd-up\s+1 error\(s\): "cwd" "\.\.\/\.\.\/\.\." climbs out/);
    assert.match(human.stdout, /… pending\s+dup\s+.*\(blocked: /);
    assert.match(human.stdout, /✓ pending\s+sub\s+medium\s+probe\s+A task in a sub-folder/);
  });

  it('`ato dispatch` refuses each of them before anything moves, with a clear reason; no agent runs anywhere', async () => {
    await setUp();
    const before = await filesIn('pending');
    const refusals: readonly (readonly [id: string, reason: RegExp])[] = [
      ['cwd-link', /has errors: "cwd" "linkout" leads outside the workspace through a symlink/],
      ['cwd-up', /has errors: "cwd" "\.\.\/\.\.\/\.\." climbs out with "\.\."/],
      ['target-abs', /has errors: Target file "\/etc\/passwd" is an absolute path/],
      ['target-up', /has errors: Target file "\.\.\/\.\.\/\.\.\/root\/\.ssh\/id_rsa" climbs out/],
      ['target-link', /has errors: Target file "linkout\/secret\.txt" leads outside the workspace through a symlink/],
      ['foo.lock', /has errors: The file name gives the id "foo\.lock", which cannot be used/],
      ['cwd-missing', /its "cwd" "packages\/nope" is not a folder in the workspace/],
      ['dup', /Task "dup" has the same id as issue_queue\/pending\/(?:area\/)?dup\.md: give each task its own id/],
    ];
    for (const [id, reason] of refusals) {
      const result = await run(['dispatch', id]);
      assert.equal(result.code, 1, `${id}: ${result.stdout}${result.stderr}`);
      assert.match(result.stderr, reason, id);
      assert.doesNotMatch(result.stderr, /ENOENT|spawn/, id);
    }
    assert.deepEqual(await filesIn('pending'), before, 'every task is still in pending/');
    assert.deepEqual([await filesIn('processed'), await filesIn('complete')], [[], []]);
    assert.deepEqual(await agentRuns(), [], 'no agent ran');
    assert.deepEqual(await readdir(outside()), ['secret.txt']);
  });

  it('runs a valid task in its cwd inside its own worktree, and a sub-folder task keeps its sub-folder to complete/', async () => {
    await setUp();
    const fine = await run(['dispatch', 'fine']);
    assert.equal(fine.code, 0, fine.stdout + fine.stderr);
    const sub = await run(['dispatch', 'sub']);
    assert.equal(sub.code, 0, sub.stdout + sub.stderr);
    const worktrees = await realpath(join(workspace(), '.ato', 'worktrees'));
    assert.deepEqual(await agentRuns(), [join(worktrees, 'fine', 'packages', 'web'), join(worktrees, 'sub')]);
    assert.ok((await filesIn('complete')).includes('fine.md'));
    assert.ok((await filesIn('complete')).includes(join('area', 'sub.md')));
    assert.ok(!(await filesIn('pending')).includes(join('area', 'sub.md')));
    assert.equal(git(workspace(), 'show', 'ato/fine:packages/web/agent-was-here.txt'), join(worktrees, 'fine', 'packages', 'web'));
    assert.deepEqual(await readdir(outside()), ['secret.txt']);
  });

  it('a cwd that is a symlink committed in HEAD but not in the working tree is refused before the task leaves pending/', async () => {
    await setUp();
    const result = await run(['dispatch', 'tools-task']);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stderr, /^ato dispatch: The task's cwd "tools" is not a folder in the last commit \(HEAD\), so it would not exist in the agent's worktree \(it is a file or a symbolic link\): commit it, or fix the cwd\. The task stays in pending\/\.$/m);
    assert.deepEqual(await agentRuns(), [], 'the agent never ran');
    assert.deepEqual(await readdir(outside()), ['secret.txt']);
    assert.ok((await filesIn('pending')).some(name => name.startsWith('tools-task')), 'the task is still in pending/');
    assert.ok(!existsSync(join(workspace(), '.ato', 'worktrees', 'tools-task')), 'no worktree was made');
  });

  it('a cwd that exists only in the working tree, not in the commit the worktree gets, is a clear error, not "spawn … ENOENT"', async () => {
    await setUp();
    await mkdir(join(workspace(), 'packages', 'uncommitted'), { recursive: true });
    await writeFile(join(workspace(), 'packages', 'uncommitted', 'draft.ts'), 'export {};\n');
    await writeFile(join(pending(), 'local-cwd.md'), task('Run in an uncommitted folder', { cwd: 'packages/uncommitted' }));
    const result = await run(['dispatch', 'local-cwd']);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stderr, /^ato dispatch: The task's cwd "packages\/uncommitted" is not a folder in the last commit \(HEAD\), so it would not exist in the agent's worktree: commit it, or fix the cwd\. The task stays in pending\/\.$/m);
    assert.doesNotMatch(result.stderr, /ENOENT|spawn/);
    assert.deepEqual(await agentRuns(), []);
  });

  it('never reads or moves a task through a symlinked pending/ that leads outside the workspace', async () => {
    const queueOutside = join(tempDir(), 'queue-outside');
    await mkdir(queueOutside, { recursive: true });
    await writeFile(join(queueOutside, 'stolen.md'), task('A task outside the workspace'));
    await mkdir(join(workspace(), 'planning', 'issue_queue'), { recursive: true });
    initRepo(workspace(), { 'README.md': '# app\n', 'planning/vision/goal.md': '# Goal\n' });
    await symlink(queueOutside, pending(), 'dir');

    const listed = await run(['tasks']);
    assert.equal(listed.code, 1);
    assert.match(listed.stdout, /✗ pending\s+pending\/\s+1 error\(s\): The queue folder issue_queue\/pending\/ leads outside the workspace \(to .*queue-outside\); ATO does not read the task files in it/);
    assert.doesNotMatch(listed.stdout, /stolen/);

    const dispatched = await run(['dispatch', 'stolen']);
    assert.equal(dispatched.code, 1);
    assert.match(dispatched.stderr, /No task "stolen" in the queue/);
    assert.deepEqual(await readdir(queueOutside), ['stolen.md']);
    assert.ok(!existsSync(join(workspace(), 'planning', 'issue_queue', 'processed', 'stolen.md')));
    assert.deepEqual(await agentRuns(), []);
  });
});
