import assert from 'node:assert/strict';
import { plainText, splitCodeSpans } from '../../../src/shared/codeSpans';

describe('code spans in ATO\'s messages', () => {
  it('plain text drops the ticks of each code span and keeps everything else', () => {
    assert.equal(plainText('ATO keeps its queue in `planning/`.'), 'ATO keeps its queue in planning/.');
    assert.equal(plainText('Auto-merge is off (`ato.merge.auto`, headless `ATO_MERGE_AUTO`): it waits.'), 'Auto-merge is off (ato.merge.auto, headless ATO_MERGE_AUTO): it waits.');
    assert.equal(plainText('`` `planning/` ``'), '`planning/`', 'a double fence shows the single ticks inside it');
    assert.equal(plainText('no code here'), 'no code here');
    assert.equal(plainText('a lone ` tick stays'), 'a lone ` tick stays');
    assert.equal(plainText('``unclosed` run'), '``unclosed` run', 'runs of different lengths do not pair');
    assert.equal(plainText('`$(x)` and `<b>`'), '$(x) and <b>', 'what is inside is not interpreted, only unfenced');
  });

  it('splits a message into text and code segments, keeping each fence', () => {
    assert.deepEqual(splitCodeSpans('run `git init` then ``a ` b``.'), [
      { kind: 'text', text: 'run ' },
      { kind: 'code', text: 'git init', fence: '`' },
      { kind: 'text', text: ' then ' },
      { kind: 'code', text: 'a ` b', fence: '``' },
      { kind: 'text', text: '.' },
    ]);
    assert.deepEqual(splitCodeSpans(''), []);
  });
});
