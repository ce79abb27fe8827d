import assert from 'node:assert/strict';
import { describeOverlap, findTargetOverlap } from '../../../../src/core/dispatch/targetOverlap';

const overlaps = (a: string, b: string): boolean => findTargetOverlap([a], [b]) !== undefined;

describe('findTargetOverlap: may two tasks touch the same file?', () => {
  it('the same path, however it is written', () => {
    assert.ok(overlaps('src/a.ts', 'src/a.ts'));
    assert.ok(overlaps('./src//a.ts', 'src/a.ts'));
    assert.ok(overlaps('src\\a.ts', 'src/a.ts'));
    assert.ok(overlaps('SRC/A.ts', 'src/a.ts'), 'case is ignored: macOS and Windows would write one file');
    assert.ok(!overlaps('src/a.ts', 'src/b.ts'));
    assert.ok(!overlaps('src/a.ts', 'lib/a.ts'));
  });

  it('a folder holds every path under it', () => {
    assert.ok(overlaps('src', 'src/deep/a.ts'));
    assert.ok(overlaps('src/deep/a.ts', 'src/'));
    assert.ok(!overlaps('src', 'srcs/a.ts'));
  });

  it('globs against paths', () => {
    assert.ok(overlaps('src/*.ts', 'src/a.ts'));
    assert.ok(!overlaps('src/*.ts', 'src/a.md'));
    assert.ok(!overlaps('src/*.ts', 'src/deep/a.ts'), '* stays in its segment');
    assert.ok(overlaps('src/**/*.ts', 'src/deep/er/a.ts'));
    assert.ok(overlaps('src/**', 'src/a.md'));
    assert.ok(overlaps('**', 'anything/at/all.txt'));
    assert.ok(overlaps('src/?.ts', 'src/a.ts'));
    assert.ok(!overlaps('src/?.ts', 'src/ab.ts'));
    assert.ok(overlaps('src/[ab].ts', 'src/b.ts'));
    assert.ok(!overlaps('src/[ab].ts', 'src/c.ts'));
    assert.ok(overlaps('src/{a,b}.ts', 'src/b.ts'));
    assert.ok(!overlaps('src/{a,b}.ts', 'src/c.ts'));
    assert.ok(overlaps('{src,lib}/**', 'lib/x.ts'));
  });

  it('globs against globs, conservatively: apart only when their fixed parts differ', () => {
    assert.ok(overlaps('src/*.ts', 'src/a*'));
    assert.ok(!overlaps('src/*.ts', 'src/*.md'));
    assert.ok(!overlaps('src/a*', 'src/b*'));
    assert.ok(overlaps('src/**/x.ts', 'src/*/x.ts'));
    assert.ok(!overlaps('src/**/*.ts', 'docs/**/*.md'));
    assert.ok(overlaps('src/**/*.ts', 'src/**/index.*'));
  });

  it('names the first pair that may meet; tasks without targets never overlap', () => {
    const found = findTargetOverlap(['README.md', 'src/**/*.ts'], ['docs/x.md', 'src/a.ts']);
    assert.deepEqual(found, { first: 'src/**/*.ts', second: 'src/a.ts' });
    assert.equal(describeOverlap(found), 'src/**/*.ts and src/a.ts');
    assert.equal(describeOverlap({ first: 'src/a.ts', second: './src/a.ts' }), 'src/a.ts');
    assert.equal(findTargetOverlap([], ['src/a.ts']), undefined);
    assert.equal(findTargetOverlap(['src/a.ts'], []), undefined);
  });

  it('stays fast on hostile patterns', () => {
    const many = `${'**/'.repeat(200)}x`;
    const started = Date.now();
    assert.ok(overlaps(many, `${'a/'.repeat(200)}x`));
    assert.ok(overlaps(`{${'a,'.repeat(5000)}b}`, 'b'), 'too many alternatives to list: it may match anything');
    assert.ok(Date.now() - started < 2000);
  });
});
