import assert from 'node:assert/strict';
import { LandingError } from '../../../../../src/core/runs/landing/landingError';
import { isLandable, landableRuns, landableTarget, landingTarget, laterRunOnBranch } from '../../../../../src/core/runs/landing/landingTarget';
import { runPullRequestText } from '../../../../../src/core/runs/landing/runPullRequest';
import { runRecordSchema } from '../../../../../src/core/runs/runRecord';
import { aRunRecord } from '../../../../support/runRecords';

const sha = '0123456789abcdef0123456789abcdef01234567';
const finished = aRunRecord({ state: 'succeeded', branch: 'ato/add-login', baseSha: sha, endedAt: '2026-11-21T10:05:00.000Z' });

describe('landingTarget: what a run record may hand to git', () => {
  it('a finished local run with an ato/ branch is landable; its ref is the full refs/heads/ name', () => {
    assert.equal(isLandable(finished), true);
    assert.deepEqual(landableTarget(finished), { runId: 'run-1', branch: 'ato/add-login', ref: 'refs/heads/ato/add-login', baseSha: sha });
  });

  it('in progress, the loop\'s, without a branch, or landed already: not landable, each with its reason', () => {
    const cases: [Parameters<typeof aRunRecord>[0], RegExp][] = [
      [{ state: 'running', branch: 'ato/x' }, /is running: land it when it has finished/],
      [{ state: 'succeeded', branch: 'ato/x', loopLink: { issueNumber: 3 } }, /belongs to the GitHub loop/],
      [{ state: 'succeeded' }, /has no branch/],
      [{ state: 'succeeded', branch: 'ato/x', landing: { kind: 'discarded', at: '2026-11-21T10:00:00.000Z', detail: 'deleted ato/x' } }, /was discarded already: deleted ato\/x/],
    ];
    for (const [overrides, reason] of cases) {
      const record = aRunRecord(overrides);
      assert.equal(isLandable(record), false);
      assert.throws(() => landableTarget(record), (error: unknown) => LandingError.is(error, 'notLandable') && reason.test(error.message));
    }
  });

  it('a branch that is an option, not ATO\'s, or one git refuses, and a base that is not a commit id are refused', () => {
    for (const branch of ['--upload-pack=x', '-b', 'main', 'ato/../../x', 'ato/a b', 'ato/x.lock', 'refs/heads/ato/x', `ato/${'x'.repeat(300)}`]) {
      assert.throws(() => landingTarget(aRunRecord({ state: 'succeeded', branch })), (error: unknown) => LandingError.is(error, 'invalidRecord'), branch);
    }
    for (const baseSha of ['HEAD', '--all', 'abc123', `${sha.slice(0, 39)}G`]) {
      assert.throws(() => landingTarget({ ...finished, baseSha }), (error: unknown) => LandingError.is(error, 'invalidRecord'), baseSha);
    }
  });

  it('the record schema takes a full commit id as base and a landing, and nothing else', () => {
    assert.equal(runRecordSchema.safeParse(finished).success, true);
    assert.equal(runRecordSchema.safeParse({ ...finished, baseSha: '--all' }).success, false);
    assert.equal(runRecordSchema.safeParse({ ...finished, landing: { kind: 'pushed', at: finished.startedAt, detail: '' } }).success, false);
    assert.equal(runRecordSchema.safeParse({ ...finished, landing: { kind: 'pullRequest', at: finished.startedAt, detail: 'opened', pullRequest: { number: 4, url: 'https://github.com/o/r/pull/4' } } }).success, true);
  });
});

describe('landableRuns: a branch a later run took over is that run\'s to land', () => {
  it('offers the newest run of a branch, not an earlier one whose branch was reused', () => {
    const earlier = aRunRecord({ runId: 'run-a', state: 'failed', branch: 'ato/add-login', startedAt: '2026-11-21T10:00:00.000Z' });
    const later = aRunRecord({ runId: 'run-b', state: 'succeeded', branch: 'ato/add-login', startedAt: '2026-11-21T11:00:00.000Z' });
    const other = aRunRecord({ runId: 'run-c', state: 'succeeded', branch: 'ato/other', startedAt: '2026-11-21T09:00:00.000Z' });
    assert.deepEqual([...landableRuns([later, earlier, other])].sort(), ['run-b', 'run-c']);
    assert.equal(laterRunOnBranch(earlier, [earlier, later, other])?.runId, 'run-b');
    assert.equal(laterRunOnBranch(later, [earlier, later, other]), undefined);
    const landedLater = { ...later, landing: { kind: 'merged' as const, at: '2026-11-21T12:00:00.000Z', detail: 'merged' } };
    assert.deepEqual([...landableRuns([earlier, landedLater])], [], 'the earlier run stays superseded once the later one is landed');
  });
});

describe('runPullRequestText', () => {
  it('titles the pull request with the task and fences the agent\'s summary, whatever backticks it holds', () => {
    const text = runPullRequestText({ title: ' Add login ', taskId: 'add-login', runId: 'run-1', agentId: 'my-cli', summary: 'did it\n```\n<script>x</script>', branch: 'ato/add-login' });
    assert.equal(text.title, 'Add login');
    assert.match(text.body, /^Task `add-login`, run `run-1` by my-cli on `ato\/add-login`\./);
    assert.match(text.body, /## Result\n\n````text\ndid it\n```\n<script>x<\/script>\n````\n/);
    assert.match(runPullRequestText({ title: '', taskId: 't', runId: 'r', agentId: 'a', summary: undefined, branch: 'ato/t' }).body, /_The agent gave no summary\._/);
    assert.equal(runPullRequestText({ title: '', taskId: 't', runId: 'r', agentId: 'a', summary: '', branch: 'ato/t' }).title, 'ato: t');
  });
});
