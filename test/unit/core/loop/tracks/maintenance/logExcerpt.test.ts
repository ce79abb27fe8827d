import assert from 'node:assert/strict';
import fc from 'fast-check';
import { logExcerpt } from '../../../../../../src/core/loop/tracks/maintenance/logExcerpt';

const stamp = '2026-12-07T10:00:00.1234567Z ';

describe('logExcerpt: the lines of a failed job\'s log an agent needs', () => {
  it('quotes the lines around the first error, without Actions\' timestamps and colour codes', () => {
    const log = [
      ...Array.from({ length: 200 }, (_, n) => `${stamp}installing package ${String(n)}`),
      `${stamp}\u001b[31msrc/app.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.\u001b[0m`,
      `${stamp}##[error]Process completed with exit code 2.`,
      `${stamp}Post job cleanup.`,
    ].join('\n');
    const excerpt = logExcerpt(log);
    assert.equal(excerpt.errorLines, 2);
    assert.match(excerpt.text, /^…\ninstalling package 197\ninstalling package 198\ninstalling package 199\nsrc\/app\.ts\(3,7\): error TS2322/);
    assert.match(excerpt.text, /##\[error\]Process completed with exit code 2\.\nPost job cleanup\.$/);
    assert.doesNotMatch(excerpt.text, /installing package 196|2026-12-07T/);
    assert.ok(!excerpt.text.includes('\u001b'), 'no colour codes');
    assert.equal(excerpt.shortened, false);
  });

  it('quotes at most three error sites and says something was left out', () => {
    const log = Array.from({ length: 100 }, (_, n) => n % 20 === 10 ? `FAIL test/${String(n)}.test.ts` : `line ${String(n)}`).join('\n');
    const excerpt = logExcerpt(log, { before: 1, after: 1 });
    assert.equal(excerpt.errorLines, 5);
    assert.deepEqual(excerpt.text.split('\n').filter(line => line.startsWith('FAIL')), ['FAIL test/10.test.ts', 'FAIL test/30.test.ts', 'FAIL test/50.test.ts']);
    assert.equal(excerpt.shortened, true);
  });

  it('quotes the end of the log when nothing looks like an error', () => {
    const log = Array.from({ length: 100 }, (_, n) => `step ${String(n)}`).join('\n');
    const excerpt = logExcerpt(log, { tailLines: 5 });
    assert.equal(excerpt.text, '…\nstep 95\nstep 96\nstep 97\nstep 98\nstep 99');
    assert.equal(excerpt.errorLines, 0);
  });

  it('never exceeds its bound, whatever the log', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom('npm ERR! code 1', '##[error]boom', 'Traceback (most recent call last):')), { maxLength: 300 }), fc.integer({ min: 20, max: 2_000 }), (lines, maxChars) => {
      const excerpt = logExcerpt(lines.join('\n'), { maxChars });
      assert.ok(excerpt.text.length <= maxChars, `${String(excerpt.text.length)} > ${String(maxChars)}`);
    }));
  });
});
