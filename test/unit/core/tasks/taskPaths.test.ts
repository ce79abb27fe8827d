import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseTaskFile } from '../../../../src/core/tasks/parseTaskFile';
import type { TaskDiagnostic } from '../../../../src/core/tasks/task';
import { checkTaskPaths } from '../../../../src/core/tasks/taskPaths';
import { useTempDir } from '../../../support/tempDir';

/** A task file naming `targets` (one per line from line 6) and, when given, a `cwd` (line 1). */
function taskText(targets: readonly string[], cwd?: string): string {
  const frontmatter = cwd === undefined ? 'type: fix' : `cwd: ${JSON.stringify(cwd)}`;
  return `---\n${frontmatter}\n---\n# Paths\n\n**Target Files:**\n${targets.map(target => `- \`${target}\``).join('\n')}\n\n**Prompt:**\nTouch them.\n`;
}

const firstTargetLine = 6;

describe('checkTaskPaths', () => {
  const tempDir = useTempDir('ato-paths-');
  const workspace = (): string => join(tempDir(), 'ws');
  const outside = (): string => join(tempDir(), 'outside');

  beforeEach(async () => {
    await mkdir(join(workspace(), 'src'), { recursive: true });
    await mkdir(join(workspace(), 'packages', 'web'), { recursive: true });
    await mkdir(join(workspace(), '..hidden'), { recursive: true });
    await writeFile(join(workspace(), 'src', 'a.ts'), 'export {};\n');
    await mkdir(outside(), { recursive: true });
    await writeFile(join(outside(), 'secret.txt'), 'secret\n');
    await symlink(outside(), join(workspace(), 'link-out'), 'dir');
    await symlink(join(outside(), 'secret.txt'), join(workspace(), 'secret-link.txt'), 'file');
    await symlink(join(workspace(), 'src'), join(workspace(), 'link-in'), 'dir');
    await symlink(join(workspace(), 'missing-target'), join(workspace(), 'dangling'), 'file');
  });

  async function check(targets: readonly string[], cwd?: string, root = workspace()): Promise<TaskDiagnostic[]> {
    const text = taskText(targets, cwd);
    const { task, diagnostics } = parseTaskFile(text, 'paths.task.md');
    assert.ok(task !== undefined, JSON.stringify(diagnostics));
    return checkTaskPaths(task, { workspaceRoot: root, taskFileText: text });
  }

  function summary(diagnostics: readonly TaskDiagnostic[]): (readonly [string, string, number])[] {
    return diagnostics.map(d => [d.code, d.severity, d.range.start.line] as const);
  }

  it('accepts paths inside the workspace, existing or not', async () => {
    const diagnostics = await check(['src/a.ts', 'src/new/deep/file.ts', './src/../src/a.ts', '..hidden/x', 'README.md', '.']);
    assert.deepEqual(diagnostics, []);
  });

  it('accepts a symlink that stays inside the workspace, and files through it', async () => {
    assert.deepEqual(await check(['link-in/a.ts', 'link-in/new.ts', 'link-in']), []);
  });

  it('accepts a dangling symlink whose target would be inside', async () => {
    assert.deepEqual(await check(['dangling']), []);
  });

  it('refuses by the text alone what the parser refuses (absolute, ~, .. past the root), for callers without a parse', async () => {
    const direct = await checkTaskPaths({ id: 'direct', targetFiles: ['../outside/secret.txt', 'src/../../x', '/etc/passwd', join(workspace(), 'src', 'a.ts'), '~/.ssh/id_rsa'], cwd: '../../..' }, { workspaceRoot: workspace() });
    assert.deepEqual(summary(direct), [
      ['target-outside-workspace', 'error', 0], ['target-outside-workspace', 'error', 0], ['invalid-target', 'error', 0],
      ['invalid-target', 'error', 0], ['invalid-target', 'error', 0], ['cwd-outside-workspace', 'error', 0],
    ]);
    assert.match(direct[0]?.message ?? '', /"\.\.\/outside\/secret\.txt" climbs out with "\.\."/);
    assert.match(direct[2]?.message ?? '', /"\/etc\/passwd" is an absolute path/);
  });

  it('rejects symlinks whose real path escapes: the link, a file through it, a file not yet created through it', async () => {
    const diagnostics = await check(['link-out', 'link-out/secret.txt', 'link-out/new/dir/file.ts', 'secret-link.txt']);
    assert.deepEqual(summary(diagnostics), [0, 1, 2, 3].map(offset => ['symlink-outside-workspace', 'error', firstTargetLine + offset] as const));
    assert.match(diagnostics[1]?.message ?? '', /through a symlink \(to .*outside.secret\.txt\)/);
  });

  it('follows .. after a symlink from where the link points, as the OS does', async () => {
    // By name this is ws/src/a.ts; the OS goes to outside/, then up, then src/a.ts next to it.
    assert.deepEqual(summary(await check(['link-out/../src/a.ts'])), [['symlink-outside-workspace', 'error', firstTargetLine]]);
  });

  it('checks cwd too, at the cwd line', async () => {
    assert.deepEqual(await check(['src/a.ts'], 'packages/web'), []);
    assert.deepEqual(summary(await check(['src/a.ts'], 'link-out/sub')), [['symlink-outside-workspace', 'error', 1]]);
  });

  it('works when the workspace root itself is reached through a symlink', async () => {
    const alias = join(tempDir(), 'ws-alias');
    await symlink(workspace(), alias, 'dir');
    assert.deepEqual(await check(['src/a.ts', 'link-in/a.ts'], 'packages/web', alias), []);
    assert.deepEqual(summary(await check(['link-out/secret.txt'], undefined, alias)), [['symlink-outside-workspace', 'error', firstTargetLine]]);
  });

  it('reports a symlink loop as unresolvable instead of throwing', async () => {
    await symlink(join(workspace(), 'loop-b'), join(workspace(), 'loop-a'));
    await symlink(join(workspace(), 'loop-a'), join(workspace(), 'loop-b'));
    assert.deepEqual(summary(await check(['loop-a/x.ts'])), [['path-unresolvable', 'error', firstTargetLine]]);
  });
});
