import assert from 'node:assert/strict';
import { Redactor } from '../../../../../src/core/logging/redactor';
import { createTestPort, repoPath } from './testPort';

/** A key ATO read (no token shape: only the redactor's knowledge of it catches it). */
const canary = 'jules-canary-key-6d1f0b93';
const refused = { status: 422, body: { message: 'Validation Failed', documentation_url: 'https://docs.github.com/rest' } };

describe('GitHub adapter: every request body passes the redactor', () => {
  it('issue and PR text, comments, merge titles, commit messages and file contents go out redacted', async () => {
    const redactor = new Redactor();
    redactor.addSecret(canary);
    const { port, http } = await createTestPort({ redactor });
    for (const [method, path] of [['POST', '/issues'], ['PATCH', '/issues/7'], ['POST', '/issues/7/comments'], ['POST', '/pulls'], ['PUT', '/pulls/8/merge'], ['POST', '/git/trees'], ['POST', '/git/commits']] as const) {
      http.on(method, `${repoPath}${path}`, refused);
    }
    const quoted = `the agent said ${canary}`;
    const token = `ghp_${'x'.repeat(36)}`;
    const writes = [
      port.createIssue({ title: quoted, body: `${quoted} and ${token}`, labels: ['ato:task'], agentAssignment: { custom_instructions: quoted } }),
      port.updateIssue(7, { title: quoted, body: quoted }),
      port.createComment(7, quoted),
      port.openPullRequest({ head: 'ato/queue/x', base: 'main', title: quoted, body: quoted }),
      port.mergePullRequest(8, { sha: 'a'.repeat(40), method: 'squash', title: quoted }),
      port.createTree([{ path: 'planning/issue_queue/complete/x.task.md', content: quoted }]),
      port.createCommit({ message: quoted, treeSha: 'b'.repeat(40), parents: [] }),
    ];
    const settled = await Promise.allSettled(writes);
    assert.deepEqual(settled.map(s => s.status), writes.map(() => 'rejected'), 'each write reached the scripted 422');
    const sent = http.requests.filter(request => request.method !== 'GET');
    assert.equal(sent.length, writes.length);
    for (const request of sent) {
      const body = JSON.stringify(request.body);
      assert.ok(!body.includes(canary), `${request.method} ${request.url}: ${body}`);
      assert.match(body, /the agent said ‹redacted›/, `${request.method} ${request.url} still carries the text`);
    }
    assert.ok(!JSON.stringify(sent).includes(token), 'a token shape is redacted too');
  });
});
