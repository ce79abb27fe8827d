import assert from 'node:assert/strict';
import { formatCopilotRunRef, parseCopilotRunRef } from '../../../../../src/core/agents/copilot/copilotRunRef';

describe('Copilot run refs', () => {
  it('round-trips the issue number and the assignment time', () => {
    const ref = { issueNumber: 42, assignedAt: '2026-11-21T14:00:00Z' };
    assert.equal(formatCopilotRunRef(ref), '42@2026-11-21T14:00:00Z');
    assert.deepEqual(parseCopilotRunRef(formatCopilotRunRef(ref)), ref);
  });

  it('round-trips the PR of an earlier run', () => {
    const ref = { issueNumber: 42, assignedAt: '2026-11-21T14:00:00Z', afterPull: 57 };
    assert.equal(formatCopilotRunRef(ref), '42@2026-11-21T14:00:00Z;after=57');
    assert.deepEqual(parseCopilotRunRef(formatCopilotRunRef(ref)), ref);
  });

  it('accepts a bare issue number, with or without #', () => {
    assert.deepEqual(parseCopilotRunRef('42'), { issueNumber: 42, assignedAt: undefined });
    assert.deepEqual(parseCopilotRunRef('#42'), { issueNumber: 42, assignedAt: undefined });
    assert.equal(formatCopilotRunRef({ issueNumber: 42, assignedAt: undefined }), '42');
  });

  for (const text of ['', 'pid:1234', '0', '-3', '12@yesterday', '1.5', 'session-abc', '12345678901', '42@2026-11-21T14:00:00Z;after=0', '42;after=x']) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      assert.equal(parseCopilotRunRef(text), undefined);
    });
  }
});
