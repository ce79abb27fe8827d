import assert from 'node:assert/strict';
import { neutraliseControls } from '../../../src/cli/terminalText';

describe('neutraliseControls (the CLI\'s text and JSON output)', () => {
  it('keeps newlines, tabs and ordinary text, including non-ASCII', () => {
    assert.equal(neutraliseControls('a\tb\nc — é ✓ 日本\n'), 'a\tb\nc — é ✓ 日本\n');
  });

  it('shows every other C0 control, DEL and every C1 control as \\u00XX', () => {
    assert.equal(neutraliseControls('\u001b[2J\u001b[H\u0007x\r\u0000\u007f\u0080\u009b\u009f\u00a0'), '\\u001b[2J\\u001b[H\\u0007x\\u000d\\u0000\\u007f\\u0080\\u009b\\u009f\u00a0');
  });

  it('turns JSON.stringify output that holds DEL or C1 into JSON with the same value and no raw control', () => {
    const value = { title: 'a\u009b31m\u007fb\u001b', n: 1 };
    const json = neutraliseControls(JSON.stringify(value, null, 2));
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    assert.doesNotMatch(json, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    assert.deepEqual(JSON.parse(json), value);
  });
});
