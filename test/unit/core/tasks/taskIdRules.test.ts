import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { branchNameProblem } from '../../../../src/core/git/refName';
import { assertWorktreeTaskId } from '../../../../src/core/git/worktrees';
import { suggestTaskId } from '../../../../src/core/tasks/taskFileName';
import { maxTaskIdLength, taskIdProblem } from '../../../../src/core/tasks/taskIdRules';

/** What the real git says about `refs/heads/<branch>` (`git check-ref-format`, no repository needed). */
function gitAccepts(branch: string): boolean {
  const result = spawnSync('git', ['check-ref-format', `refs/heads/${branch}`], { env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });
  if (result.error !== undefined) throw result.error;
  return result.status === 0;
}

/** The characters git's rules are about, plus ordinary ones, so random names hit every rule. */
const nameCharacters = fc.constantFrom(...'ab01._-/@{}~^:?*[]\\ \t\x7f\x01.lockLOCKé'.split(''), 'lock', '.lock', '..', '@{', '//');

describe('task ids and git branch names', () => {
  const table: readonly (readonly [id: string, reason: RegExp | undefined])[] = [
    ['add-login', undefined],
    ['a', undefined],
    ['0', undefined],
    ['v1.2.3', undefined],
    ['un.lock-x', undefined],
    ['lock', undefined],
    ['A_B-c.d', undefined],
    ['a'.repeat(maxTaskIdLength), undefined],
    ['foo.lock', /ends with "\.lock"/],
    ['a..b', /contains "\.\."/],
    ['x.', /ends with "\."/],
    ['a'.repeat(maxTaskIdLength + 1), /129 characters long/],
    ['.hidden', /starts with "\."/],
    ['-x', /starts with "-"/],
    ['_x', /starts with "_"/],
    ['a b', /contains a space/],
    ['a~1', /contains "~"/],
    ['a^2', /contains "\^"/],
    ['a:b', /contains ":"/],
    ['a?', /contains "\?"/],
    ['a*', /contains "\*"/],
    ['a[0]', /contains "\["/],
    ['a\\b', /contains "\\"/],
    ['a@{1}', /contains "@\{"/],
    ['a/', /starts or ends with "\/"/],
    ['a//b', /contains "\/\/"/],
    ['a\tb', /control character/],
    ['a\x7fb', /control character/],
    ['', /is empty/],
    ['é', /characters other than/],
    ['a/b', /characters other than/],
    ['a+b', /characters other than/],
  ];

  for (const [id, reason] of table) {
    it(`${JSON.stringify(id.length > 20 ? `${id.slice(0, 8)}…(${id.length})` : id)}: ${reason === undefined ? 'a valid id, and git accepts ato/<id>' : `refused (${reason.source})`}`, () => {
      const problem = taskIdProblem(id);
      if (reason === undefined) {
        assert.equal(problem, undefined);
        assert.ok(gitAccepts(`ato/${id}`), 'git accepts every id ATO accepts');
        assert.doesNotThrow(() => { assertWorktreeTaskId(id); });
      } else {
        assert.match(problem ?? '', reason);
        assert.throws(() => { assertWorktreeTaskId(id); }, (error: unknown) => error instanceof Error && reason.test(error.message));
      }
    });
  }

  it('gives every id git refuses a reason from git’s rules, not only "use letters and digits"', () => {
    for (const [id] of table) {
      if (id === '' || gitAccepts(`ato/${id}`)) continue;
      assert.doesNotMatch(taskIdProblem(id) ?? '', /characters other than/, id);
    }
  });

  it('branchNameProblem agrees with git check-ref-format on random names (property)', function () {
    this.timeout(60_000);
    const name = fc.array(nameCharacters, { minLength: 0, maxLength: 8 }).map(parts => `ato/${parts.join('')}`);
    fc.assert(fc.property(name, branch => {
      assert.equal(branchNameProblem(branch) === undefined, gitAccepts(branch), `${JSON.stringify(branch)}: ATO says ${branchNameProblem(branch) ?? 'ok'}`);
    }), { numRuns: 150 });
  });

  it('every id ATO accepts gives a branch git accepts; every id ATO suggests is accepted (property)', function () {
    this.timeout(60_000);
    const candidate = fc.array(nameCharacters, { minLength: 1, maxLength: 10 }).map(parts => parts.join(''));
    fc.assert(fc.property(candidate, id => {
      if (taskIdProblem(id) === undefined) assert.ok(gitAccepts(`ato/${id}`), id);
      const suggested = suggestTaskId(id);
      assert.equal(taskIdProblem(suggested), undefined, `${JSON.stringify(id)} → ${JSON.stringify(suggested)}`);
      assert.ok(gitAccepts(`ato/${suggested}`), suggested);
    }), { numRuns: 100 });
  });
});
