import assert from 'node:assert/strict';
import { realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentOutput } from '../../../../../src/core/agents/agentBackend';
import { ClaudeCodeBackend, parseClaudeVersion } from '../../../../../src/core/agents/claudeCode/claudeCodeBackend';
import { defaultWriteTools } from '../../../../../src/core/agents/claudeCode/claudeCodeArgs';
import { maxRepositoryNotesLength, repositoryNotes } from '../../../../../src/core/agents/claudeCode/repositoryNotes';
import type { Task } from '../../../../../src/core/tasks/task';
import { useTempDir } from '../../../../support/tempDir';

/** A stand-in `claude` (a node script with a shebang) that reports what it received. */
const fakeClaude = join(__dirname, '..', '..', '..', '..', 'fixtures', 'agents', 'fake-claude.mjs');

const task = (type: Task['type']): Task => ({
  id: 't', title: 't', type, priority: 'medium', agent: 'auto', created: undefined, dependsOn: [], cwd: undefined, timeoutMs: undefined,
  targetFiles: [], prompt: 'p', successCriteria: [], context: '', body: '',
});

describe('ClaudeCodeBackend', () => {
  const tempDir = useTempDir('ato-claude-unit-');

  it('builds the command line by task type: editing tools for changes, read-only tools and dontAsk for reviews, user settings and no MCP server for every run', () => {
    const backend = new ClaudeCodeBackend({ maxTurns: 7, permissionMode: 'acceptEdits', model: 'claude-sonnet-5-5', maxBudgetUsd: 1.5, extraArgs: ['--effort', 'low'] });
    assert.deepEqual(backend.argsFor('feature'), [
      '-p', '--output-format', 'stream-json', '--verbose', '--max-turns', '7', '--permission-mode', 'acceptEdits', '--setting-sources', 'user', '--strict-mcp-config',
      '--allowedTools', ...defaultWriteTools, '--model', 'claude-sonnet-5-5', '--max-budget-usd', '1.5', '--effort', 'low',
    ]);
    assert.deepEqual(backend.argsFor('code_review'), [
      '-p', '--output-format', 'stream-json', '--verbose', '--max-turns', '7', '--permission-mode', 'dontAsk', '--setting-sources', 'user', '--strict-mcp-config',
      '--tools', 'Read,Grep,Glob', '--allowedTools', 'Read', 'Grep', 'Glob', '--disallowedTools', 'Bash', 'Edit', 'Write', 'NotebookEdit',
      '--model', 'claude-sonnet-5-5', '--max-budget-usd', '1.5', '--effort', 'low',
    ]);
    assert.deepEqual(new ClaudeCodeBackend({ writeTools: ['Read', 'Edit'] }).argsFor('fix'), [
      '-p', '--output-format', 'stream-json', '--verbose', '--max-turns', '40', '--permission-mode', 'dontAsk', '--setting-sources', 'user', '--strict-mcp-config', '--allowedTools', 'Read', 'Edit',
    ]);
  });

  it('gives a read-only task type no command, editing or MCP tool, whatever the configured list says', () => {
    const backend = new ClaudeCodeBackend({ readOnlyTools: ['Read', 'Bash(git diff:*)', 'Bash', 'Write', 'Edit', 'NotebookEdit', 'mcp__github__get_issue', 'Grep'] });
    for (const type of ['review', 'analyze', 'summarize', 'code_review'] as const) {
      const args = backend.argsFor(type, { projectMcpConfig: '/work/.mcp.json' });
      assert.deepEqual(args.slice(args.indexOf('--tools'), args.indexOf('--disallowedTools')), ['--tools', 'Read,Grep', '--allowedTools', 'Read', 'Grep'], type);
      assert.ok(!args.includes('--mcp-config'), 'no project MCP server, even when one is offered');
      assert.ok(args.includes('--strict-mcp-config'));
    }
    const none = new ClaudeCodeBackend({ readOnlyTools: ['Bash'] }).argsFor('review');
    assert.deepEqual(none.slice(none.indexOf('--tools'), none.indexOf('--tools') + 2), ['--tools', ''], 'no tool at all rather than the default set');
    assert.ok(!none.includes('--allowedTools'));
  });

  it('passes the worktree\'s .mcp.json only to a task that may change the repository, and only when the user allowed it', async () => {
    const workdir = tempDir();
    const run = async (backend: ClaudeCodeBackend, type: Task['type']): Promise<string[]> => {
      const status = await backend.wait(await backend.dispatch({ runId: `r-${type}`, task: task(type), workdir, branch: undefined, prompt: 'x', timeoutMs: 20_000, onOutput: () => undefined }));
      assert.ok(status.state === 'succeeded', JSON.stringify(status));
      return (JSON.parse(status.summary) as { argv: string[] }).argv;
    };
    const allowed = new ClaudeCodeBackend({ executable: fakeClaude, projectMcpServers: true });
    assert.ok(!(await run(allowed, 'fix')).includes('--mcp-config'), 'no .mcp.json in the worktree: nothing to pass');
    writeFileSync(join(workdir, '.mcp.json'), '{"mcpServers":{}}');
    const argv = await run(allowed, 'fix');
    assert.deepEqual(argv.slice(argv.indexOf('--strict-mcp-config'), argv.indexOf('--strict-mcp-config') + 3), ['--strict-mcp-config', '--mcp-config', join(workdir, '.mcp.json')]);
    assert.ok(!(await run(allowed, 'review')).includes('--mcp-config'));
    assert.ok(!(await run(new ClaudeCodeBackend({ executable: fakeClaude }), 'fix')).includes('--mcp-config'), 'not allowed: not passed');
  });

  it('passes the worktree\'s CLAUDE.md as the repository\'s text (not a setting source): a regular file only, cut when long', async () => {
    const workdir = tempDir();
    const backend = new ClaudeCodeBackend({ executable: fakeClaude });
    const argv = async (): Promise<string[]> => {
      const status = await backend.wait(await backend.dispatch({ runId: 'r', task: task('review'), workdir, branch: undefined, prompt: 'x', timeoutMs: 20_000, onOutput: () => undefined }));
      assert.ok(status.state === 'succeeded', JSON.stringify(status));
      return (JSON.parse(status.summary) as { argv: string[] }).argv;
    };
    const appended = (args: string[]): string | undefined => (args.includes('--append-system-prompt') ? args[args.indexOf('--append-system-prompt') + 1] : undefined);
    assert.equal(appended(await argv()), undefined, 'no CLAUDE.md: nothing appended');
    writeFileSync(join(workdir, 'CLAUDE.md'), 'Use tabs.\n@~/.ssh/id_rsa\n');
    const notes = appended(await argv()) ?? '';
    assert.match(notes, /^The repository you work in has a CLAUDE\.md, quoted below/);
    assert.match(notes, /not a request from the user/);
    assert.match(notes, /--- CLAUDE\.md ---\nUse tabs\.\n@~\/\.ssh\/id_rsa\n\n--- end of CLAUDE\.md ---$/, 'quoted as written; the import stays text');
    writeFileSync(join(workdir, 'CLAUDE.md'), 'é'.repeat(maxRepositoryNotesLength + 10));
    const long = (await repositoryNotes(workdir)) ?? '';
    assert.ok(long.length < maxRepositoryNotesLength + 500, String(long.length));
    assert.match(long, /… \(cut: the file is longer\)/);
    rmSync(join(workdir, 'CLAUDE.md'));
    writeFileSync(join(tempDir(), 'elsewhere.md'), 'SECRET-OUTSIDE-THE-WORKTREE');
    symlinkSync(join(tempDir(), 'elsewhere.md'), join(workdir, 'CLAUDE.md'));
    assert.equal(appended(await argv()), undefined, 'a symlink is not followed');
  });

  it('declares its kind, limits and task types', () => {
    const backend = new ClaudeCodeBackend({ concurrent: 3, taskTypes: ['fix'] });
    assert.equal(backend.kind, 'claude-code');
    assert.equal(backend.id, 'claude-code');
    assert.deepEqual(backend.limits, { concurrent: 3 });
    assert.deepEqual([...backend.taskTypes], ['fix']);
    assert.equal(backend.needsWorktree, true);
    assert.equal(new ClaudeCodeBackend().limits.concurrent, 2);
  });

  it('runs the executable in the workdir with the prompt on stdin and only the environment it is given', async () => {
    const backend = new ClaudeCodeBackend({
      executable: fakeClaude, maxApiRetries: 3,
      env: { ANTHROPIC_API_KEY: 'sk-ant-the-one', ANTHROPIC_BASE_URL: 'http://127.0.0.1:1' },
      parentEnv: { PATH: process.env['PATH'], HOME: '/home/u', GITHUB_TOKEN: 'ghp_canary', ATO_ANTHROPIC_API_KEY: 'sk-ant-canary', ANTHROPIC_API_KEY: 'sk-ant-parent' },
    });
    const outputs: AgentOutput[] = [];
    const handle = await backend.dispatch({ runId: 'r', task: task('fix'), workdir: tempDir(), branch: 'ato/t', prompt: 'Fix the bug\nplease', timeoutMs: 20_000, onOutput: o => outputs.push(o) });
    const status = await backend.wait(handle);
    assert.ok(status.state === 'succeeded', JSON.stringify(status));
    const seen = JSON.parse(status.summary) as { argv: string[]; cwd: string; env: Record<string, string>; prompt: string };
    assert.equal(seen.cwd, realpathSync(tempDir()));
    assert.equal(seen.prompt, 'Fix the bug\nplease');
    assert.deepEqual(seen.argv, backend.argsFor('fix'));
    assert.equal(seen.env['ANTHROPIC_API_KEY'], 'sk-ant-the-one');
    assert.equal(seen.env['ANTHROPIC_BASE_URL'], 'http://127.0.0.1:1');
    assert.equal(seen.env['CLAUDE_CODE_MAX_RETRIES'], '3');
    assert.equal(seen.env['DISABLE_TELEMETRY'], '1');
    assert.equal(seen.env['DISABLE_AUTOUPDATER'], '1');
    assert.equal(seen.env['ATO_RUN_ID'], 'r');
    assert.equal(seen.env['HOME'], '/home/u');
    assert.doesNotMatch(JSON.stringify(seen.env), /canary|sk-ant-parent/);
    assert.deepEqual(status.usage, { costUsd: 0.25, turns: 1, inputTokens: 16, outputTokens: 2, sessionId: '00000000-0000-4000-8000-000000000001' });
    assert.deepEqual(outputs.filter(o => o.stream === 'event').map(o => o.text), [
      'claude 2.1.999 started: session 00000000-0000-4000-8000-000000000001, model fake, permission mode dontAsk',
      'result: success, 1 turns, $0.25',
    ]);
    assert.equal(outputs.filter(o => o.stream === 'stdout').length, 2);
  });

  it('fails a run that exits 0 without a result line, and survives garbage lines', async () => {
    const backend = new ClaudeCodeBackend({ executable: fakeClaude, env: { FAKE_CLAUDE_MODE: 'no-result' } });
    const status = await backend.wait(await backend.dispatch({ runId: 'r', task: task('fix'), workdir: tempDir(), branch: undefined, prompt: 'x', timeoutMs: 20_000, onOutput: () => undefined }));
    assert.ok(status.state === 'failed');
    assert.equal(status.failure, 'fatal');
    assert.match(status.message, /without a result line/);
    assert.equal(status.usage.sessionId, '00000000-0000-4000-8000-000000000001');

    const noisy = new ClaudeCodeBackend({ executable: fakeClaude, env: { FAKE_CLAUDE_MODE: 'garbage' } });
    const ok = await noisy.wait(await noisy.dispatch({ runId: 'r', task: task('fix'), workdir: tempDir(), branch: undefined, prompt: 'x', timeoutMs: 20_000, onOutput: () => { throw new Error('a listener bug'); } }));
    assert.equal(ok.state, 'succeeded');
  });

  it('reports health from --version', async () => {
    assert.deepEqual(await new ClaudeCodeBackend({ executable: fakeClaude, env: { ANTHROPIC_API_KEY: 'k' } }).health(), { ok: true, detail: 'claude 2.1.999, API key configured' });
    assert.deepEqual(await new ClaudeCodeBackend({ executable: fakeClaude, env: { CLAUDE_CODE_OAUTH_TOKEN: 't', HOME: tempDir() } }).health(), { ok: true, detail: 'claude 2.1.999, auth token configured' });
  });

  it('parses versions', () => {
    assert.equal(parseClaudeVersion('2.1.330 (Claude Code)'), '2.1.330');
    assert.equal(parseClaudeVersion('claude 3.0.0-beta.1'), '3.0.0-beta.1');
    assert.equal(parseClaudeVersion('no version'), undefined);
  });
});
