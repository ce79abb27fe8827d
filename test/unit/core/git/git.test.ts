import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { classifyGitStderr, GitError, gitEnvironment, removeUrlCredentials, runGit } from '../../../../src/core/git/git';
import { git, initRepo } from '../../../support/gitRepo';
import { useTempDir } from '../../../support/tempDir';

describe('runGit', () => {
  const tempDir = useTempDir();

  it('returns stdout and prints non-ASCII paths as UTF-8 (core.quotepath=false)', async () => {
    const root = initRepo(tempDir());
    await writeFile(join(root, 'résumé-ü.txt'), 'x');
    const { stdout, exitCode } = await runGit(['status', '--porcelain'], { cwd: root });
    assert.equal(exitCode, 0);
    assert.equal(stdout, '?? résumé-ü.txt\n');
  });

  it('rejects with notARepository outside a repository', async () => {
    const error = await runGit(['status'], { cwd: tempDir() }).catch((e: unknown) => e);
    assert.ok(GitError.is(error, 'notARepository'), String(error));
    assert.match(error.stderr, /not a git repository/);
    assert.equal(error.exitCode, 128);
    assert.deepEqual(error.args, ['status']);
    assert.ok(!GitError.is(error, 'failed'));
  });

  it('classifies an existing branch and an existing worktree path', async () => {
    const root = initRepo(tempDir());
    await runGit(['branch', 'topic'], { cwd: root });
    const branch = await runGit(['branch', 'topic'], { cwd: root }).catch((e: unknown) => e);
    assert.ok(GitError.is(branch, 'branchExists'), String(branch));

    await mkdir(join(root, 'occupied'));
    await writeFile(join(root, 'occupied', 'file'), 'x');
    const worktree = await runGit(['worktree', 'add', '-b', 'other', 'occupied'], { cwd: root }).catch((e: unknown) => e);
    assert.ok(GitError.is(worktree, 'worktreeExists'), String(worktree));

    await runGit(['worktree', 'add', '--quiet', 'wt', 'topic'], { cwd: root });
    const checkedOut = await runGit(['worktree', 'add', 'wt2', 'topic'], { cwd: root }).catch((e: unknown) => e);
    assert.ok(GitError.is(checkedOut, 'worktreeExists'), String(checkedOut));
  });

  it('classifies an unknown revision and keeps other failures as failed with their stderr', async () => {
    const root = initRepo(tempDir());
    const unknown = await runGit(['rev-parse', '--verify', 'no-such-ref'], { cwd: root }).catch((e: unknown) => e);
    assert.ok(GitError.is(unknown, 'unknownRevision'), String(unknown));
    const failed = await runGit(['no-such-command'], { cwd: root }).catch((e: unknown) => e);
    assert.ok(GitError.is(failed, 'failed'), String(failed));
    assert.match(failed.stderr, /not a git command/);
    assert.match(failed.message, /^git no-such-command failed: /);
  });

  it('accepts the exit codes the caller names as answers', async () => {
    const root = initRepo(tempDir());
    await writeFile(join(root, 'README.md'), 'changed\n');
    const result = await runGit(['diff', '--quiet'], { cwd: root, okExitCodes: [1] });
    assert.equal(result.exitCode, 1);
    await assert.rejects(runGit(['diff', '--quiet'], { cwd: root }), (e: unknown) => GitError.is(e, 'failed') && e.exitCode === 1);
  });

  it('kills git after the timeout', async () => {
    const root = initRepo(tempDir());
    // hash-object --stdin waits for standard input, which never ends.
    const started = Date.now();
    const error = await runGit(['hash-object', '--stdin'], { cwd: root, timeoutMs: 300 }).catch((e: unknown) => e);
    assert.ok(GitError.is(error, 'timedOut'), String(error));
    assert.ok(Date.now() - started < 10_000);
  });

  it('reports notInstalled when git is not on the PATH', async () => {
    const error = await runGit(['--version'], { cwd: tempDir(), baseEnv: { PATH: tempDir() } }).catch((e: unknown) => e);
    assert.ok(GitError.is(error, 'notInstalled'), String(error));
  });

  it('passes no secrets and no repository redirection to git', async () => {
    const root = initRepo(tempDir());
    git(root, 'config', 'alias.printenv', '!env');
    const baseEnv = {
      ...process.env,
      GITHUB_TOKEN: 'ghp_canary0000000000000000000000000000',
      ATO_ANTHROPIC_API_KEY: 'sk-ant-canary-0000000000000000',
      MY_SERVICE_PASSWORD: 'canary-password',
      GIT_DIR: join(tempDir(), 'elsewhere'),
      LANG: 'de_DE.UTF-8',
    };
    const { stdout } = await runGit(['printenv'], { cwd: root, baseEnv, env: { ATO_EXTRA: 'yes' } });
    assert.ok(!stdout.includes('canary'), 'no secret reaches git');
    assert.ok(!/^GIT_DIR=.*elsewhere/m.test(stdout), 'GIT_DIR from a hook does not redirect git');
    assert.match(stdout, /^LC_ALL=C$/m);
    assert.match(stdout, /^GIT_TERMINAL_PROMPT=0$/m);
    assert.match(stdout, /^ATO_EXTRA=yes$/m);
  });

  it('removes credentials embedded in URLs from errors', async () => {
    const root = initRepo(tempDir());
    const error = await runGit(['fetch', 'https://user:s3cr3t-value@127.0.0.1:9/repo.git'], { cwd: root, timeoutMs: 20_000 }).catch((e: unknown) => e);
    assert.ok(GitError.is(error), String(error));
    assert.ok(!error.message.includes('s3cr3t-value'), error.message);
    assert.ok(!error.stderr.includes('s3cr3t-value'), error.stderr);
    assert.ok(!error.args.join(' ').includes('s3cr3t-value'), error.args.join(' '));
  });
});

describe('gitEnvironment', () => {
  it('keeps what git needs and drops credentials, locale and redirections', () => {
    const env = gitEnvironment({
      PATH: '/usr/bin', HOME: '/home/me', SSH_AUTH_SOCK: '/tmp/agent.sock', http_proxy: 'http://proxy:3128',
      GITHUB_TOKEN: 'x', GH_TOKEN: 'x', ATO_GITLAB_TOKEN: 'x', ATO_JULES_API_KEY: 'x', ANTHROPIC_API_KEY: 'x', NPM_CONFIG__AUTH: 'x',
      AWS_SECRET_ACCESS_KEY: 'x', DB_PASSWORD: 'x', GIT_DIR: '/x', GIT_WORK_TREE: '/y', GIT_INDEX_FILE: '/z', LC_ALL: 'de_DE', LANG: 'de_DE', UNSET: undefined,
    });
    assert.deepEqual(env, {
      PATH: '/usr/bin', HOME: '/home/me', SSH_AUTH_SOCK: '/tmp/agent.sock', http_proxy: 'http://proxy:3128',
      LC_ALL: 'C', LANGUAGE: 'C', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0',
    });
  });
});

describe('classifyGitStderr', () => {
  const table: [string, ReturnType<typeof classifyGitStderr>][] = [
    ['fatal: not a git repository (or any of the parent directories): .git', 'notARepository'],
    ["fatal: a branch named 'ato/x' already exists", 'branchExists'],
    ["fatal: '.ato/worktrees/x' already exists", 'worktreeExists'],
    ["fatal: 'ato/x' is already checked out at '/r/.ato/worktrees/x'", 'worktreeExists'],
    ["fatal: 'ato/x' is already used by worktree at '/r/.ato/worktrees/x'", 'worktreeExists'],
    ["fatal: '/r/.ato/worktrees/x' is a missing but already registered worktree;", 'worktreeExists'],
    ["fatal: 'a..b' is not a valid branch name", 'invalidName'],
    ["fatal: ambiguous argument 'nope': unknown revision or path not in the working tree.", 'unknownRevision'],
    ['fatal: Needed a single revision', 'unknownRevision'],
    ['error: pathspec did not match', 'failed'],
    ['', 'failed'],
  ];
  for (const [stderr, kind] of table) {
    it(`${JSON.stringify(stderr)} → ${kind}`, () => {
      assert.equal(classifyGitStderr(stderr), kind);
    });
  }
});

describe('removeUrlCredentials', () => {
  it('replaces the user-info part of URLs and nothing else', () => {
    assert.equal(
      removeUrlCredentials("fatal: unable to access 'https://x-access-token:ghs_abc@github.com/o/r.git/': 403 and ssh://git@host/x"),
      "fatal: unable to access 'https://‹redacted›@github.com/o/r.git/': 403 and ssh://‹redacted›@host/x",
    );
    assert.equal(removeUrlCredentials('no url here: user@example.com'), 'no url here: user@example.com');
  });
});
