import assert from 'node:assert/strict';
import { parseTaskFile } from '../../../../src/core/tasks/parseTaskFile';
import { raisedPriority, setTaskPriority } from '../../../../src/core/tasks/taskPriorityEdit';

function edited(text: string, priority: Parameters<typeof setTaskPriority>[2]): string {
  const edit = setTaskPriority(text, 'x.task.md', priority);
  if (!edit.changed) assert.fail(edit.reason);
  return edit.text;
}

describe('escalation\'s priority bump', () => {
  it('raises one step, low → medium → high → critical, and never to emergency', () => {
    assert.equal(raisedPriority('low'), 'medium');
    assert.equal(raisedPriority('medium'), 'high');
    assert.equal(raisedPriority('high'), 'critical');
    assert.equal(raisedPriority('critical'), 'critical');
    assert.equal(raisedPriority('emergency'), 'emergency');
  });

  it('replaces the value of priority: in place, keeping its comment and everything else', () => {
    const text = '---\nid: add-login\npriority: low   # for now\ntype: feature\n---\n# Add login\n\nDo it.\n';
    const after = edited(text, 'medium');
    assert.equal(after, text.replace('priority: low', 'priority: medium'));
    assert.equal(parseTaskFile(after, 'x.task.md').task?.priority, 'medium');
  });

  it('adds the key at the end of a frontmatter without one, keeping CRLF line ends', () => {
    const text = '---\r\nid: a\r\n---\r\n# A\r\n\r\nDo it.\r\n';
    const after = edited(text, 'high');
    assert.equal(after, '---\r\nid: a\r\npriority: high\r\n---\r\n# A\r\n\r\nDo it.\r\n');
    assert.equal(parseTaskFile(after, 'x.task.md').task?.priority, 'high');
  });

  it('gives a plain Markdown task a frontmatter; its title and id stay', () => {
    const text = '# Fix the typo\n\nIn README.\n';
    const after = edited(text, 'high');
    const task = parseTaskFile(after, 'fix-typo.md').task;
    assert.deepEqual([task?.priority, task?.title, task?.id], ['high', 'Fix the typo', 'fix-typo']);
    assert.ok(after.endsWith(text));
  });

  it('is harmless twice, and leaves a broken file alone', () => {
    const once = edited('---\npriority: low\n---\n# A\n', 'medium');
    assert.deepEqual(setTaskPriority(once, 'x.task.md', 'medium'), { changed: false, reason: 'the priority is medium already' });
    assert.deepEqual(setTaskPriority('---\ntype: nonsense-type\n---\n# A\n', 'x.task.md', 'high'), { changed: false, reason: 'the task file has errors' });
  });
});
