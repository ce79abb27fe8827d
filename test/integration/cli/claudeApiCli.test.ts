import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunRecord } from '../../../src/core/runs/runRecord';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/fakeAnthropicServer';
import { runBuiltCli } from '../../support/builtCli';
import { initRepo } from '../../support/gitRepo';
import { useTempDir } from '../../support/tempDir';

const key = 'sk-ant-api03-cli-canary-fedcba9876543210';

/**
 * The built CLI (`node dist/cli.js`), whose bundle holds none of the SDK: a `claude` run loads
 * dist/vendor/anthropic.js on first use, and the key from the environment goes to ATO_ANTHROPIC_API_URL only.
 */
describe('ato dispatch with the claude agent (the built CLI, the SDK from dist/vendor, the fake Messages API)', function () {
  this.timeout(120_000);
  const temp = useTempDir('ato-claude-cli-');
  let fake: FakeAnthropic | undefined;

  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('runs a summarize task to a report beside it, and prints its record without the key', async () => {
    fake = await startFakeAnthropic({ scenario: { kind: 'text', text: 'The README explains the demo in one line.\n\nNothing else.' }, apiKey: key });
    const repo = join(temp(), 'repo');
    mkdirSync(repo);
    initRepo(repo, { 'README.md': '# demo\n', 'planning/issue_queue/pending/.gitkeep': '' });
    writeFileSync(join(repo, 'planning', 'issue_queue', 'pending', 'sum-readme.md'), '---\ntype: summarize\nagent: claude\n---\n# Summarize the README\n\n**Target Files:**\n- README.md\n');
    const env = { ATO_ANTHROPIC_API_KEY: key, ATO_ANTHROPIC_API_URL: fake.url, ATO_AGENTS_CLAUDE_MODEL: 'claude-haiku-5-5' };

    const run = await runBuiltCli(['dispatch', 'sum-readme', '--json', '--workspace', repo], env);
    assert.equal(run.code, 0, run.stderr);
    const record = JSON.parse(run.stdout) as RunRecord;
    assert.equal(record.agentId, 'claude');
    assert.equal(record.state, 'succeeded');
    assert.equal(record.summary, 'The README explains the demo in one line.');
    assert.equal(record.report, 'planning/issue_queue/complete/sum-readme.report.md');
    assert.equal(record.usage.model, 'claude-haiku-5-5');
    assert.ok(existsSync(join(repo, 'planning', 'issue_queue', 'complete', 'sum-readme.report.md')));
    assert.match(readFileSync(join(repo, 'planning', 'issue_queue', 'complete', 'sum-readme.md'), 'utf8'), /- \*\*Report:\*\* \[sum-readme\.report\.md\]\(sum-readme\.report\.md\)/);
    assert.equal(fake.messageRequests()[0]?.headers.authorization, `Bearer ${key}`);
    assert.ok(!`${run.stdout}${run.stderr}`.includes(key));

    const doctor = await runBuiltCli(['doctor', '--workspace', repo], env);
    assert.match(doctor.stdout, /agent claude \(claude\).*Messages API at 127\.0\.0\.1:\d+, model claude-haiku-5-5/);
  });
});
