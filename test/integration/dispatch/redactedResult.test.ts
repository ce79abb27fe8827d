import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git, initRepo } from '../../support/gitRepo';
import { useTempDir } from '../../support/tempDir';

const repoRoot = join(__dirname, '../../..');
/** A key ATO reads from the environment, of no token shape: only the redactor's knowledge of it catches it. */
const canary = 'anthropic-canary-0c4e8a17f2';

const taskFile = `---
id: leak
type: feature
agent: echo
---
# Call the service

**Prompt:**
Call the service.
`;

/** An agent that does its work and then tells everyone the key it was given. */
const agentScript = `
const key = process.env.ATO_ANTHROPIC_API_KEY;
require('node:fs').writeFileSync('work.txt', 'done\\n');
console.error('debug: using ' + key);
console.log('Called the service with ' + key + '.');
`;

function filesUnder(root: string): string[] {
  const stat = statSync(root, { throwIfNoEntry: false });
  if (stat?.isDirectory() !== true) return stat?.isFile() === true ? [root] : [];
  return readdirSync(root).flatMap(entry => (entry === '.git' ? [] : filesUnder(join(root, entry))));
}

describe('ato dispatch: an agent that echoes a key ATO knows', function () {
  this.timeout(120_000);
  const temp = useTempDir('ato-redacted-result-');

  it('the task file\'s ## Result, the run\'s records and the CLI\'s output carry it redacted', () => {
    const workspace = join(temp(), 'repo');
    mkdirSync(workspace, { recursive: true });
    initRepo(workspace, { 'README.md': '# repo\n', 'planning/issue_queue/pending/.gitkeep': '', 'planning/issue_queue/processed/.gitkeep': '', 'planning/issue_queue/complete/.gitkeep': '' });
    writeFileSync(join(workspace, 'planning', 'issue_queue', 'pending', 'leak.task.md'), taskFile);
    const agent = join(temp(), 'agent.cjs');
    writeFileSync(agent, agentScript);
    const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(ATO_|GITHUB_TOKEN$|GH_TOKEN$|ANTHROPIC_|JULES_)/.test(name)));
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--import', join(repoRoot, 'test/integration/loop/cliVersion.ts'), join(repoRoot, 'src/cli/ato.ts'), 'dispatch', 'leak', '--workspace', workspace], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 90_000,
      env: {
        ...env,
        ATO_ANTHROPIC_API_KEY: canary,
        ATO_AGENTS_CUSTOM: JSON.stringify([{ id: 'echo', command: process.execPath, args: [agent], inheritEnv: ['ATO_ANTHROPIC_API_KEY'] }]),
      },
    });
    assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
    const completed = readFileSync(join(workspace, 'planning', 'issue_queue', 'complete', 'leak.task.md'), 'utf8');
    assert.match(completed, /## Result\n\nCalled the service with ‹redacted›\./, completed);
    assert.equal(git(workspace, 'show', 'ato/leak:work.txt'), 'done', 'the agent\'s work is on its branch');
    const leaks = filesUnder(workspace).filter(file => readFileSync(file, 'utf8').includes(canary));
    assert.deepEqual(leaks, [], 'not in the planning folder, nor in .ato/ (run record, run log, events)');
    assert.ok(!git(workspace, 'log', '--all', '-p').includes(canary), 'nor in any commit');
    assert.ok(!result.stdout.includes(canary) && !result.stderr.includes(canary), `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /succeeded: Called the service with ‹redacted›\./);
  });
});
