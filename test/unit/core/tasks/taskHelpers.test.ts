import assert from 'node:assert/strict';
import { maxTimeoutMs, parseDurationMs } from '../../../../src/core/tasks/duration';
import { editDistance, nearest } from '../../../../src/core/tasks/editDistance';
import { isIsoTimestamp } from '../../../../src/core/tasks/isoTimestamp';
import { LineIndex } from '../../../../src/core/tasks/lineIndex';
import { atxHeading, boldLabel, codeFence, isSetextUnderline, listItemText, stripClosingHashes, withoutCheckbox } from '../../../../src/core/tasks/markdownLine';
import { defaultTaskId, isTaskId, suggestTaskId, typeFromFileName } from '../../../../src/core/tasks/taskFileName';

describe('task file helpers', () => {
  it('parseDurationMs reads units, combinations and bare minutes, and nothing else', () => {
    const cases: readonly (readonly [string, number | undefined])[] = [
      ['30m', 1_800_000], ['1h30m', 5_400_000], ['1h 30m 15s', 5_415_000], ['90s', 90_000], ['2h', 7_200_000], ['1d', maxTimeoutMs],
      ['45', 2_700_000], ['0.5', 30_000], ['250ms', 250], ['10 Minutes', 600_000], [' 2 HOURS ', 7_200_000],
      ['', undefined], ['m', undefined], ['30x', undefined], ['1h30', undefined], ['-5m', undefined], ['1e3', undefined],
      ['30m later', undefined], ['constructor', undefined], ['1 constructor', undefined], ['PT30M', undefined],
    ];
    for (const [text, expected] of cases) assert.equal(parseDurationMs(text), expected, text);
  });

  it('editDistance counts an adjacent swap as one edit; nearest picks the closest candidate', () => {
    assert.equal(editDistance('feature', 'feature'), 0);
    assert.equal(editDistance('fetaure', 'feature'), 1);
    assert.equal(editDistance('feture', 'feature'), 1);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.deepEqual(nearest('hihg', [['low', 'low'], ['high', 'high']]), { value: 'high', distance: 1 });
    assert.equal(nearest('x', []), undefined);
  });

  it('isIsoTimestamp accepts ISO 8601 dates and date-times that exist', () => {
    for (const valid of ['2026-11-21', '2026-11-21T10:00Z', '2026-11-21T10:00:00Z', '2026-11-21t10:00:00.123+01:00', '2024-02-29T00:00:00-0500', '2026-12-31T23:59:60Z']) {
      assert.ok(isIsoTimestamp(valid), valid);
    }
    for (const invalid of ['2026-11-21 10:00:00', '21.11.2026', '2026-02-29', '2026-04-31', '2026-00-10', '2026-11-21T24:30:00Z', '2026-11-21T10:60Z', 'now', '', '2026-11-21T10:00:00+25:00']) {
      assert.ok(!isIsoTimestamp(invalid), invalid);
    }
  });

  it('LineIndex counts \\n, \\r\\n and lone \\r as line ends and clamps every position into the text', () => {
    const lines = new LineIndex('ab\r\ncd\ref\n');
    assert.equal(lines.lineCount, 4);
    assert.deepEqual([0, 1, 2, 3].map(line => lines.lineText(line)), ['ab', 'cd', 'ef', '']);
    assert.deepEqual(lines.positionAt(3), { line: 0, character: 2 }); // between \r and \n
    assert.deepEqual(lines.positionAt(4), { line: 1, character: 0 });
    assert.deepEqual(lines.positionAt(7), { line: 2, character: 0 });
    assert.deepEqual(lines.positionAt(99), { line: 3, character: 0 });
    assert.deepEqual(lines.positionAt(-5), { line: 0, character: 0 });
    assert.deepEqual(lines.positionAt(Number.NaN), { line: 0, character: 0 });
    assert.deepEqual(lines.lineRange(42), { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } });
    assert.deepEqual(new LineIndex('  x  ').trimmedLineRange(0), { start: { line: 0, character: 2 }, end: { line: 0, character: 3 } });
  });

  it('task ids, default ids, suggestions and the type from the file name', () => {
    for (const id of ['a', '0', 'add-login_form.2', 'ABC']) assert.ok(isTaskId(id), id);
    for (const id of ['', '-a', '.a', '_a', 'a b', 'a/b', 'ä', 'a\n']) assert.ok(!isTaskId(id), JSON.stringify(id));
    assert.equal(defaultTaskId('x/y/z.task.md'), 'z');
    assert.equal(defaultTaskId('z.TASK.MD'), 'z');
    assert.equal(defaultTaskId('z.md.txt'), 'z.md.txt');
    assert.equal(suggestTaskId('Fix the Login!'), 'fix-the-login');
    assert.equal(suggestTaskId('!!!'), 'task');
    assert.equal(typeFromFileName('dir/gap-x/readme.md'), 'feature');
    assert.equal(typeFromFileName('dir\\capabilities_2026.md'), 'capability_update');
  });

  it('the Markdown line recognizers follow CommonMark where it matters', () => {
    assert.deepEqual(atxHeading('# Title #'), { level: 1, text: 'Title' });
    assert.deepEqual(atxHeading('   ## Prompt:'), { level: 2, text: 'Prompt:' });
    assert.deepEqual(atxHeading('#'), { level: 1, text: '' });
    for (const line of ['#hashtag', '    # code', '####### seven', 'text']) assert.equal(atxHeading(line), undefined, line);
    assert.equal(stripClosingHashes('Fix #42'), 'Fix #42');
    assert.equal(stripClosingHashes('Fix ##  '), 'Fix');
    assert.equal(stripClosingHashes('C#'), 'C#');
    assert.deepEqual(boldLabel('**Prompt:** do it'), { label: 'Prompt', rest: 'do it' });
    assert.deepEqual(boldLabel('__Context__: more'), { label: 'Context', rest: 'more' });
    assert.equal(boldLabel('**unclosed'), undefined);
    assert.equal(boldLabel('*Prompt:*'), undefined);
    assert.equal(listItemText('  - item '), 'item');
    assert.equal(listItemText('12) item'), 'item');
    assert.equal(listItemText('-'), '');
    for (const line of ['-item', '1234567890. x', '1.x', 'text', '**bold**']) assert.equal(listItemText(line), undefined, line);
    assert.equal(withoutCheckbox('[x] done'), 'done');
    assert.equal(withoutCheckbox('[ ]'), '');
    assert.equal(withoutCheckbox('[link](x)'), '[link](x)');
    assert.equal(codeFence('```ts'), '```');
    assert.equal(codeFence('~~~~'), '~~~~');
    assert.equal(codeFence('``'), undefined);
    assert.ok(isSetextUnderline('=== '));
    assert.ok(!isSetextUnderline('==x'));
    assert.ok(!isSetextUnderline('    ==='));
  });
});
