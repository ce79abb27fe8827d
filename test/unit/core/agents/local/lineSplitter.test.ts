import assert from 'node:assert/strict';
import { LineSplitter } from '../../../../../src/core/agents/local/lineSplitter';

function split(chunks: readonly (Buffer | string)[], maxLineLength?: number): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter(line => lines.push(line), maxLineLength);
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return lines;
}

describe('LineSplitter', () => {
  it('splits on LF and CRLF across chunks, keeping empty lines and the unterminated last one', () => {
    assert.deepEqual(split(['a\r\nb', 'c\n\nd']), ['a', 'bc', '', 'd']);
    assert.deepEqual(split(['x\n']), ['x']);
    assert.deepEqual(split([]), []);
  });

  it('decodes a UTF-8 character split between chunks', () => {
    const bytes = Buffer.from('é→\n', 'utf8');
    assert.deepEqual(split([bytes.subarray(0, 1), bytes.subarray(1, 3), bytes.subarray(3)]), ['é→']);
  });

  it('cuts a runaway line into pieces', () => {
    assert.deepEqual(split(['abcdefg', 'h\n'], 3), ['abc', 'def', 'gh']);
  });
});
