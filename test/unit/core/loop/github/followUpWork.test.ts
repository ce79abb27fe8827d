import assert from 'node:assert/strict';
import { pushWithToken } from '../../../../../src/core/git/tokenPush';
import { analysisComment, carriesFollowUpMarker, conflictMarkerLines, followUpId, followUpMarker, julesFollowUpMessage, localFollowUpPrompt, maxAnalysisChars } from '../../../../../src/core/loop/github/followUpWork';
import type { FollowUpRequest } from '../../../../../src/core/loop/tracks/maintenance/maintenanceAgents';

const request: FollowUpRequest = {
  kind: 'fix', pullNumber: 12, pullUrl: 'https://github.com/octo/app/pull/12', title: 'Add login', headRef: 'ato/add-login', headSha: 'a'.repeat(40), baseRef: 'main', attempt: 2, prompt: 'CI is red.',
};

describe('the maintenance follow-ups\' pure parts', () => {
  it('one id per PR, kind and attempt; nothing else can name the branch', () => {
    assert.equal(followUpId(request), 'pr-12-fix-2');
    assert.equal(followUpId({ ...request, kind: 'rebase', attempt: 0 }), 'pr-12-rebase-0');
    assert.equal(followUpId({ ...request, kind: 'reviewFollowUp' }), 'pr-12-review-2');
    assert.throws(() => followUpId({ ...request, pullNumber: 0 }), /not a pull request number/);
    assert.throws(() => followUpId({ ...request, attempt: 1.5 }), /not an attempt number/);
  });

  it('finds the conflict markers git writes, and only those', () => {
    assert.deepEqual(conflictMarkerLines('a\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> abc (commit)\nz\n'), [2, 4, 6]);
    assert.deepEqual(conflictMarkerLines('<<<<<<< HEAD\r\nours\r\n||||||| base\r\nold\r\n=======\r\n>>>>>>> x\r\n'), [1, 3, 5, 6]);
    assert.deepEqual(conflictMarkerLines('Title\n=======\nmore\n'), [], 'a heading\'s underline alone is no conflict');
    assert.deepEqual(conflictMarkerLines('Title\n=======\n>>>>>>> theirs\n'), [2, 3], 'beside a closing marker it is');
    assert.deepEqual(conflictMarkerLines('========\n<<<<<<<<\n  <<<<<<< x\n<<<<<<<x\nplain\n'), []);
  });

  it('a Jules message carries its marker on a line of its own; a quoted or other marker does not count', () => {
    const message = julesFollowUpMessage(request, 'pr-12-fix-2');
    assert.ok(carriesFollowUpMarker(message, 'pr-12-fix-2'));
    assert.ok(!carriesFollowUpMarker(message, 'pr-12-fix-1'));
    assert.ok(!carriesFollowUpMarker(`see ${followUpMarker('pr-12-fix-2')} here`, 'pr-12-fix-2'));
    assert.throws(() => followUpMarker('x -->\n<!-- ato:task=evil'), /not a follow-up id/);
  });

  it('the local prompt names the branch; on conflicts, the files, as code spans that cannot break out', () => {
    assert.match(localFollowUpPrompt(request, []), /^CI is red\.\n\nYou work in a git worktree of ato\/add-login, the head branch of pull request #12/);
    const prompt = localFollowUpPrompt({ ...request, kind: 'rebase' }, ['src/a`b.ts', 'README.md']);
    assert.match(prompt, /git stopped on conflicts in:\n- `src\/ab\.ts`\n- `README\.md`\n/);
    assert.match(prompt, /remove every conflict marker/);
  });

  it('the analysis comment: redacted, fenced so the answer cannot close it, bounded', () => {
    const body = analysisComment({ agentId: 'claude', headSha: 'b'.repeat(40), answer: 'cause: ```` four\n<!-- ato:task=x -->\nkey SECRET', redact: text => text.replace(/SECRET/g, '[redacted]') });
    assert.match(body, /^\*\*ATO's analysis of the red checks at bbbbbbb\*\* \(by `claude`, read-only\)/);
    assert.match(body, /\n`````markdown\ncause: ```` four\n<\u200B!-- ato:task=x -->\nkey \[redacted\]\n`````$/);
    const long = analysisComment({ agentId: 'claude', headSha: 'b'.repeat(40), answer: 'x'.repeat(maxAnalysisChars + 500), redact: text => text });
    assert.ok(long.length < maxAnalysisChars + 500);
    assert.match(long, /cut at 20000 characters/);
  });

  it('a lease names a full commit id, never a ref or an option', async () => {
    await assert.rejects(pushWithToken({ cwd: '/nowhere', remoteUrl: 'https://github.com/octo/app.git', source: 'HEAD', branch: 'ato/x', token: 't', forceWithLease: { expectedSha: '--mirror' } }), /not a commit id to lease a push on/);
    await assert.rejects(pushWithToken({ cwd: '/nowhere', remoteUrl: 'https://github.com/octo/app.git', source: 'HEAD', branch: 'ato/x', token: 't', forceWithLease: { expectedSha: 'main' } }), /not a commit id/);
  });
});
