import assert from 'node:assert/strict';
import { completionsAt, hoverAt } from '../../../../src/core/tasks/frontmatterAssist';
import { frontmatterKeys } from '../../../../src/core/tasks/frontmatterFields';
import { taskPriorities, taskTypes } from '../../../../src/core/tasks/taskTypes';

/** Splits `text` at the `|` marking the cursor. */
function at(marked: string): { text: string; position: { line: number; character: number } } {
  const offset = marked.indexOf('|');
  assert.ok(offset >= 0, 'mark the cursor with |');
  const before = marked.slice(0, offset).split('\n');
  return { text: marked.replace('|', ''), position: { line: before.length - 1, character: before[before.length - 1]?.length ?? 0 } };
}

function complete(marked: string, agentIds?: readonly string[]): ReturnType<typeof completionsAt> {
  const { text, position } = at(marked);
  return completionsAt(text, position, agentIds);
}

function hover(marked: string): ReturnType<typeof hoverAt> {
  const { text, position } = at(marked);
  return hoverAt(text, position);
}

describe('frontmatter completion', () => {
  it('offers every key on an empty line of an empty frontmatter, with docs and `key: ` to insert', () => {
    const items = complete('---\n|\n---\n# T\n');
    assert.deepEqual(items.map(item => item.label), [...frontmatterKeys]);
    assert.ok(items.every(item => item.kind === 'key' && item.detail !== '' && item.documentation.includes(`**${item.label}**`)));
    assert.equal(items.find(item => item.label === 'type')?.insertText, 'type: ');
  });

  it('leaves out keys already present (any spelling), and completes a partly typed key', () => {
    const items = complete('---\nType: fix\ndependencies: [a]\npri|\n---\n');
    assert.deepEqual(items.map(item => item.label), ['id', 'priority', 'agent', 'created', 'cwd', 'timeout', 'budget_usd']);
  });

  it('completes keys in a frontmatter that is still being written (no closing ---)', () => {
    assert.equal(complete('---\ntype: fix\n|').length, frontmatterKeys.length - 1);
  });

  it('offers the types after `type:`, also mid-word, with their descriptions', () => {
    const items = complete('---\ntype: fe|\n---\n');
    assert.deepEqual(items.map(item => item.label), [...taskTypes]);
    assert.ok(items.every(item => item.kind === 'value' && item.documentation.length > 10));
    assert.match(items.find(item => item.label === 'code_review')?.documentation ?? '', /read-only/);
  });

  it('offers the priorities after `priority:` (any key case)', () => {
    assert.deepEqual(complete('---\nPRIORITY: |\n---\n').map(item => item.label), [...taskPriorities]);
  });

  it('offers auto and the given agent ids after `agent:`', () => {
    const items = complete('---\nagent:|\n---\n', ['copilot', 'claude-code', 'my-script']);
    assert.deepEqual(items.map(item => item.label), ['auto', 'copilot', 'claude-code', 'my-script']);
    assert.match(items[3]?.documentation ?? '', /custom/i);
    assert.deepEqual(complete('---\nagent: |\n---\n').map(item => item.label), ['auto']);
  });

  it('offers duration examples after `timeout:`', () => {
    assert.deepEqual(complete('---\ntimeout: |\n---\n').map(item => item.label), ['30m', '1h', '1h30m', '2h', '90s']);
  });

  it('offers nothing for free-form keys, unknown keys, indented lines, list values, or outside the frontmatter', () => {
    for (const marked of [
      '---\ncwd: |\n---\n', '---\nowner: |\n---\n', '---\ndepends_on:\n  |\n---\n', '---\ntype: [a, |\n---\n',
      '---\ntype: fix\n---\n|', '# Plain\n|', '|---\n---\n', '---\n---\n# T\ntype: |',
    ]) {
      assert.deepEqual(complete(marked), [], marked);
    }
  });
});

describe('frontmatter hover', () => {
  it('documents the key under the cursor, with its values and default', () => {
    const result = hover('---\nty|pe: fix\n---\n');
    assert.match(result?.markdown ?? '', /^\*\*type\*\* — Kind of work/);
    assert.match(result?.markdown ?? '', /`capability_update`/);
    assert.deepEqual(result?.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 4 } });
    assert.match(hover('---\n|timeout: 30m\n---\n')?.markdown ?? '', /24 hours/);
    assert.match(hover('---\ndepends-on|: [a]\n---\n')?.markdown ?? '', /\*\*depends_on\*\*/);
  });

  it('documents an enum value under the cursor, naming the canonical value of an alias', () => {
    const fix = hover('---\ntype: f|ix\n---\n');
    assert.match(fix?.markdown ?? '', /^\*\*fix\*\* — Fix a bug/);
    assert.deepEqual(fix?.range, { start: { line: 1, character: 6 }, end: { line: 1, character: 9 } });
    assert.match(hover('---\ntype: bu|g  # a comment\n---\n')?.markdown ?? '', /`bug` is read as `fix`/);
    assert.match(hover('---\npriority: "urgent|"\n---\n')?.markdown ?? '', /^\*\*critical\*\*/);
    assert.match(hover('---\nagent: claude-c|ode\n---\n')?.markdown ?? '', /Claude Code CLI/);
    assert.match(hover('---\nagent: my-|script\n---\n')?.markdown ?? '', /custom CLI agent/);
  });

  it('is undefined for unknown values and keys, free-form values, blanks, and outside the frontmatter', () => {
    for (const marked of [
      '---\ntype: fet|ure\n---\n', '---\nown|er: me\n---\n', '---\ncwd: pack|ages\n---\n', '---\ntype: fix   |\n---\n',
      '---\ntype:| fix\n---\n', '---\n|\n---\n', '---\ntype: fix\n---\n# ty|pe: fix', '--|-\ntype: fix\n---\n',
    ]) {
      assert.equal(hover(marked), undefined, marked);
    }
  });
});
