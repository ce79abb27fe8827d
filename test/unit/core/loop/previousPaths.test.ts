import assert from 'node:assert/strict';
import type { FileRename } from '../../../../src/core/forges/github/githubModel';
import { PreviousPaths } from '../../../../src/core/loop/github/previousPaths';
import { aPullRequest } from '../../../support/githubBuilders';

describe('PreviousPaths: where renamed files came from, read once per head commit', () => {
  function reader(answers: Readonly<Record<number, readonly FileRename[]>>) {
    const asked: number[] = [];
    return { asked, read: (pullNumber: number) => { asked.push(pullNumber); return Promise.resolve(answers[pullNumber] ?? []); } };
  }

  it('fills in the previous paths of the wanted PRs with renames, and asks again only for a new head', async () => {
    const source = reader({ 7: [{ path: 'ci-disabled.yml', previousPath: '.github/workflows/ci.yml' }] });
    const paths = new PreviousPaths(source.read);
    const renamed = aPullRequest({ number: 7, headSha: 'a'.repeat(40), renames: [{ path: 'ci-disabled.yml', previousPath: null }] });
    const plain = aPullRequest({ number: 8 });
    const other = aPullRequest({ number: 9, renames: [{ path: 'x.ts', previousPath: null }] });
    const wanted = (pr: { readonly number: number }): boolean => pr.number !== 9;

    const first = await paths.fill([renamed, plain, other], wanted);
    assert.deepEqual(first.map(pr => pr.renames), [[{ path: 'ci-disabled.yml', previousPath: '.github/workflows/ci.yml' }], [], [{ path: 'x.ts', previousPath: null }]]);
    await paths.fill([renamed, plain, other], wanted);
    assert.deepEqual(source.asked, [7], 'once; never for a PR without renames or one the loop will not merge');
    await paths.fill([{ ...renamed, headSha: 'b'.repeat(40) }], wanted);
    assert.deepEqual(source.asked, [7, 7]);
  });

  it('a rename GitHub does not list stays unknown', async () => {
    const paths = new PreviousPaths(reader({}).read);
    const [pr] = await paths.fill([aPullRequest({ renames: [{ path: 'far.ts', previousPath: null }] })], () => true);
    assert.deepEqual(pr?.renames, [{ path: 'far.ts', previousPath: null }]);
  });
});
