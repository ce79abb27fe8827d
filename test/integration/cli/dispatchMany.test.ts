import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dispatchPreviewSchema } from '../../../src/core/dispatch/dispatchPreview';
import { runBuiltCli } from '../../support/builtCli';
import { initRepo } from '../../support/gitRepo';
import { useTempDir } from '../../support/tempDir';

const journalAgent = join(__dirname, '../../fixtures/agents/journalAgent.mjs');

describe('the built CLI: `ato dispatch a b c` (fan-out) and `ato dispatch x --dry-run --json` (preview)', function () {
  this.timeout(120_000);
  const temp = useTempDir('ato-cli-fanout-');

  function workspace(tasks: Readonly<Record<string, string>>): { readonly repo: string; readonly env: Record<string, string>; readonly journal: string } {
    const repo = join(temp(), 'repo');
    mkdirSync(repo);
    const files: Record<string, string> = { 'README.md': '# r\n', 'planning/issue_queue/processed/.gitkeep': '', 'planning/issue_queue/complete/.gitkeep': '' };
    for (const [id, text] of Object.entries(tasks)) files[`planning/issue_queue/pending/${id}.task.md`] = text;
    initRepo(repo, files);
    const journal = join(temp(), 'journal.txt');
    writeFileSync(journal, '');
    const agents = [{ id: 'journal', command: process.execPath, args: [journalAgent, journal, 'work', '400'], taskTypes: ['feature', 'fix'], concurrent: 2 }, { id: 'reviewer', command: process.execPath, args: [journalAgent, journal], taskTypes: ['review'] }];
    const env = { HOME: temp(), ATO_AGENTS_CLAUDE_CODE_EXECUTABLE: join(temp(), 'no-claude-here'), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', ATO_AGENTS_CUSTOM: JSON.stringify(agents) };
    return { repo, env, journal };
  }

  it('ato dispatch a b c: starts a and c, b waits for a (its dependency) and says so, then all finish', async () => {
    const { repo, env, journal } = workspace({
      a: '---\nid: a\ncreated: 2026-11-21T10:00:01Z\n---\n# a\n\n## Target Files\n- src/a.ts\n',
      b: '---\nid: b\ndepends_on: [a]\ncreated: 2026-11-21T10:00:02Z\n---\n# b\n',
      c: '---\nid: c\ncreated: 2026-11-21T10:00:03Z\n---\n# c\n\n## Target Files\n- docs/c.md\n',
    });
    const result = await runBuiltCli(['dispatch', 'a', 'b', 'c', '--workspace', repo], env);
    assert.equal(result.code, 0, result.stderr);
    const progress = result.stderr.split('\n');
    assert.ok(progress.some(line => /^a: started on journal \(run \S+\)$/.test(line)), result.stderr);
    assert.ok(progress.includes('b: waits: depends on a'), result.stderr);
    assert.ok(progress.some(line => line.startsWith('c: started on journal')), result.stderr);
    const final = result.stdout.trim().split('\n');
    assert.deepEqual(final.map(line => line.replace(/ \(run \S+\).*$/, '')), ['a: succeeded on journal', 'b: succeeded on journal', 'c: succeeded on journal']);
    for (const id of ['a', 'b', 'c']) assert.ok(existsSync(join(repo, 'planning', 'issue_queue', 'complete', `${id}.task.md`)), id);
    const lines = readFileSync(journal, 'utf8').trim().split('\n');
    assert.ok(lines.indexOf('start b') > lines.indexOf('end a'), lines.join(', '));
  });

  it('ato dispatch x --dry-run --json: every agent with its eligibility, score and reasons, and nothing moves', async () => {
    const { repo, env, journal } = workspace({ x: '---\nid: x\ntype: fix\npriority: high\n---\n# x\n' });
    const result = await runBuiltCli(['dispatch', 'x', '--dry-run', '--json', '--workspace', repo], env);
    assert.equal(result.code, 0, result.stderr);
    const parsed = dispatchPreviewSchema.safeParse(JSON.parse(result.stdout));
    if (!parsed.success) assert.fail(result.stdout);
    const preview = parsed.data;
    assert.equal(preview.verdict, 'start');
    assert.equal(preview.agentId, 'journal');
    assert.equal(preview.explicit, false);
    // The built-in claude-code is configured too; its executable is pointed where there is none: unhealthy.
    // Every configured agent is ranked: the built-in claude-code (its executable pointed where there is none:
    // unhealthy), claude (read-only: no fix tasks), copilot (no GitHub remote here) and the two custom agents.
    const byId = new Map(preview.candidates.map(c => [c.agentId, c]));
    assert.deepEqual(preview.candidates.map(c => [c.agentId, c.eligible, c.chosen]).sort(), [['claude', false, false], ['claude-code', false, false], ['copilot', false, false], ['journal', true, true], ['reviewer', false, false]]);
    assert.equal(preview.candidates[0]?.agentId, 'journal', 'the chosen agent is ranked first');
    assert.match(byId.get('claude-code')?.reasons.join('; ') ?? '', /^unhealthy: `\S*no-claude-here` could not be started/);
    assert.deepEqual(byId.get('reviewer')?.reasons, ['does not take fix tasks']);
    assert.deepEqual(byId.get('claude')?.reasons.slice(0, 1), ['does not take fix tasks']);
    assert.match(preview.candidates[0].reasons[0] ?? '', /^score 0\.550 = weight 1 × success 0\.50 × \(1 − load 0\.00\) \+ priority bonus 0\.050$/);
    assert.ok(existsSync(join(repo, 'planning', 'issue_queue', 'pending', 'x.task.md')), 'the task stays in pending/');
    assert.equal(readFileSync(journal, 'utf8'), '', 'no agent ran');
    assert.ok(!existsSync(join(repo, '.ato', 'runs')) || readdirSync(join(repo, '.ato', 'runs')).length === 0, 'no run record');

    const text = await runBuiltCli(['dispatch', 'x', '--dry-run', '--workspace', repo], env);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^x would go to journal: journal scored highest \(0\.550\)\n\nAgents, best first:\n→ journal \(custom\): score 0\.550\n/);
    assert.match(text.stdout, /✗ reviewer \(custom\): not eligible\n {4}does not take fix tasks\n/);

    const missing = await runBuiltCli(['dispatch', 'nope', '--dry-run', '--json', '--workspace', repo], env);
    assert.equal(missing.code, 1);
    assert.equal((JSON.parse(missing.stdout) as { verdict: string }).verdict, 'notFound');
  });
});
