import assert from 'node:assert/strict';
import { createFleetRuns } from '../../../../../src/core/dispatch/dispatchRuntime';
import { createLogger } from '../../../../../src/core/logging/logger';
import { Redactor } from '../../../../../src/core/logging/redactor';
import { RemoteTaskRuns } from '../../../../../src/core/loop/github/remoteTaskRuns';
import { newRunRecord, type RunRecord } from '../../../../../src/core/runs/runRecord';
import type { RunStore } from '../../../../../src/core/runs/runStore';
import { useTempDir } from '../../../../support/tempDir';

const log = createLogger({ write: () => undefined }, new Redactor());
const now = () => new Date('2026-12-07T10:00:00Z');

function loopRecord(runId: string, taskId: string, pull?: { number: number; headRef: string }): RunRecord {
  const record = newRunRecord({ runId, taskId, taskFile: `planning/issue_queue/processed/${taskId}.task.md`, taskType: 'feature', agentId: 'jules', reason: 'the loop promoted it' }, now);
  return { ...record, loopLink: { issueNumber: 7, ...(pull === undefined ? {} : { pullRequest: { ...pull, url: `https://github.com/octo/app/pull/${String(pull.number)}` } }) } };
}

/** The fleet's RunStore, its reads counted. */
function countedFleet(root: string): { readonly remote: RemoteTaskRuns; readonly store: RunStore; readonly reads: () => number } {
  const { fleetRuns, runs } = createFleetRuns({ workspaceRoot: root, agents: [], maxConcurrentRuns: 2, redactor: new Redactor(), events: { append: () => Promise.resolve() }, log, now });
  let reads = 0;
  const list = runs.list.bind(runs);
  runs.list = () => { reads++; return list(); };
  const remote = new RemoteTaskRuns({
    workspaceRoot: root,
    planningPath: 'planning',
    port: { getPullRequest: () => Promise.reject(new Error('no request expected')), updateIssue: () => Promise.reject(new Error('no request expected')), listComments: () => Promise.resolve([]), createComment: () => Promise.reject(new Error('no request expected')) },
    repo: { protocol: 'https:', webHost: 'github.com', owner: 'octo', name: 'app' },
    fleetRuns: () => Promise.resolve(fleetRuns),
    timeoutMs: 60_000,
    log,
    now,
    checkpoint: () => undefined,
  });
  return { remote, store: runs, reads: () => reads };
}

describe('RemoteTaskRuns.reportedPullRequests', () => {
  const tempDir = useTempDir('ato-remote-reported-');

  it('reads the run records once per revision: an observe with no record written reads none', async () => {
    const root = tempDir();
    const { remote, store, reads } = countedFleet(root);
    await store.write({ ...loopRecord('20261207-100000-aaaa', 'add-login', { number: 3, headRef: 'jules/1' }), state: 'succeeded' });
    assert.deepEqual([...(await remote.reportedPullRequests())], [[3, 'jules/1']]);
    assert.equal(reads(), 1);
    for (let observe = 0; observe < 5; observe++) assert.deepEqual([...(await remote.reportedPullRequests())], [[3, 'jules/1']]);
    assert.equal(reads(), 1, 'no record changed: the records are not read again');

    // A record written (here, by this store; another process's write changes the folder's mtime): read again, once.
    await store.write({ ...loopRecord('20261207-100001-bbbb', 'add-signup', { number: 5, headRef: 'jules/2' }), state: 'succeeded' });
    assert.deepEqual([...(await remote.reportedPullRequests())].sort(([a], [b]) => a - b), [[3, 'jules/1'], [5, 'jules/2']]);
    await remote.reportedPullRequests();
    assert.equal(reads(), 2);
  });
});
