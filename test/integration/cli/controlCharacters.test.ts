import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initializePlanningFolder } from '../../../src/core/planning/planningFolder';
import { useTempDir } from '../../support/tempDir';
import { runAto } from './atoProcess';

/** Any control character a terminal acts on: C0 but newline, DEL, C1. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const rawControl = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

/**
 * Issue 9 B8: a task title is data, and `ato tasks` printed it raw — a title holding `ESC[2J ESC[H` cleared
 * the screen. The real CLI, in its own process, writes no control character a terminal would act on.
 */
describe('the ato CLI neutralises control characters from data', function () {
  this.timeout(60_000);
  const tempDir = useTempDir('ato-cli-controls-');
  const title = 'Clear \u001b[2J\u001b[Hthe screen\u0007 and \u009b31m recolour';

  async function workspaceWithHostileTask(): Promise<string> {
    const root = tempDir();
    await initializePlanningFolder(join(root, 'planning'));
    await writeFile(join(root, 'planning/issue_queue/pending/hostile.task.md'), `---\nid: hostile\ntype: feature\npriority: high\n---\n# ${title}\n\n**Prompt:**\nDo it.\n\n**Success Criteria:**\n- [ ] done\n`);
    return root;
  }

  it('ato tasks: the title shows its escapes as visible text, and nothing reaches the terminal raw', async () => {
    const root = await workspaceWithHostileTask();
    const { code, stdout, stderr } = await runAto(['tasks', '--workspace', root], {});
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stdout, rawControl, JSON.stringify(stdout));
    assert.doesNotMatch(stderr, rawControl, JSON.stringify(stderr));
    assert.ok(stdout.includes('Clear \\u001b[2J\\u001b[Hthe screen\\u0007 and \\u009b31m recolour'), stdout);
    assert.match(stdout, /^✓ pending +hostile +high/m, 'the rest of the line and ATO\'s own newlines are intact');
  });

  it('ato tasks --json: valid JSON that gives back the exact title, with no raw control character (C1 included)', async () => {
    const root = await workspaceWithHostileTask();
    const { code, stdout } = await runAto(['tasks', '--json', '--workspace', root], {});
    assert.equal(code, 0);
    assert.doesNotMatch(stdout, rawControl, JSON.stringify(stdout));
    const parsed = JSON.parse(stdout) as { tasks: { id: string; title: string }[] };
    assert.equal(parsed.tasks.find(task => task.id === 'hostile')?.title, title);
  });

  it('an unknown command is echoed neutralised on stderr', async () => {
    const { code, stderr } = await runAto(['\u001b]0;pwned\u0007', '--workspace', tempDir()], {});
    assert.equal(code, 2);
    assert.doesNotMatch(stderr, rawControl, JSON.stringify(stderr));
    assert.ok(stderr.includes('unknown command "\\u001b]0;pwned\\u0007"'), stderr);
  });
});
