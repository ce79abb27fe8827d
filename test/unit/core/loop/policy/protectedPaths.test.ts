import assert from 'node:assert/strict';
import { globToRegExp, matchesGlob, protectedPathHits } from '../../../../../src/core/loop/policy/protectedPaths';

describe('protected-path globs', () => {
  const table: [glob: string, path: string, matches: boolean][] = [
    ['.github/workflows/**', '.github/workflows/ci.yml', true],
    ['.github/workflows/**', '.github/workflows/nested/deep/x.yml', true],
    ['.github/workflows/**', '.github/CODEOWNERS', false],
    ['.github/workflows/**', 'docs/.github/workflows/ci.yml', false],
    ['.github/workflows/**', '.GitHub/Workflows/CI.yml', true],
    ['.github/workflows/', '.github/workflows/ci.yml', true],
    ['/.github/**', '.github/dependabot.yml', true],
    ['./src/*.ts', 'src/a.ts', true],
    ['src/*.ts', 'src/deep/a.ts', false],
    ['src/**/*.ts', 'src/a.ts', true],
    ['src/**/*.ts', 'src/deep/er/a.ts', true],
    ['src/**/*.ts', 'src/a.tsx', false],
    ['*.lock', 'yarn.lock', true],
    ['*.lock', 'packages/web/yarn.lock', true],
    ['package.json', 'packages/web/package.json', true],
    ['/package.json', 'packages/web/package.json', false],
    ['src/?.ts', 'src/a.ts', true],
    ['src/?.ts', 'src/ab.ts', false],
    ['src/[ab].ts', 'src/b.ts', true],
    ['src/[!ab].ts', 'src/b.ts', false],
    ['src/[!ab].ts', 'src/c.ts', true],
    ['{infra,deploy}/**', 'deploy/prod.tf', true],
    ['{infra,deploy}/**', 'src/deploy.ts', false],
    ['secrets/*.{env,pem}', 'secrets/prod.pem', true],
    ['a+b(c)/x.txt', 'a+b(c)/x.txt', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['src/[unclosed', 'src/[unclosed', true],
    ['**', 'anything/at/all', true],
  ];
  for (const [glob, path, matches] of table) {
    it(`${glob} ${matches ? 'matches' : 'does not match'} ${path}`, () => {
      assert.equal(matchesGlob(path, glob), matches, String(globToRegExp(glob)));
    });
  }

  it('reports each protected file with the first pattern that matches it', () => {
    assert.deepEqual(protectedPathHits(['src/a.ts', '.github/workflows/ci.yml', 'yarn.lock'], ['.github/workflows/**', '*.lock', '']), [
      { file: '.github/workflows/ci.yml', pattern: '.github/workflows/**' },
      { file: 'yarn.lock', pattern: '*.lock' },
    ]);
  });
});
