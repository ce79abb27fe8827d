import assert from 'node:assert/strict';
import { VendorWindows } from '../../../../../src/core/agents/fleet/vendorWindows';

const at = (iso: string): Date => new Date(iso);

describe('VendorWindows: a vendor\'s own "not before"', () => {
  it('closes until the time the vendor gave, says why, and reopens after it', () => {
    const windows = new VendorWindows();
    const now = at('2026-12-07T14:00:00.000Z');
    assert.equal(windows.close({ vendor: 'anthropic', until: '2026-12-07T14:32:00.000Z', source: 'retryAfter', agentId: 'claude-code' }, now), 'closed');
    assert.deepEqual(windows.state('anthropic', now), { open: false, until: '2026-12-07T14:32:00.000Z', source: 'retryAfter', reason: 'anthropic window closed until 14:32 UTC (429 retry-after)' });
    assert.equal(windows.state('github', now).open, true, 'other vendors are not affected');
    assert.equal(windows.state('anthropic', at('2026-12-07T14:31:59.999Z')).open, false);
    assert.equal(windows.state('anthropic', at('2026-12-07T14:32:00.000Z')).open, true);
  });

  it('a later closure extends the window; an earlier one does not shorten it', () => {
    const windows = new VendorWindows();
    const now = at('2026-12-07T14:00:00.000Z');
    windows.close({ vendor: 'anthropic', until: '2026-12-07T15:00:00.000Z', source: 'rateLimitEvent', agentId: 'claude-code' }, now);
    assert.equal(windows.close({ vendor: 'anthropic', until: '2026-12-07T14:10:00.000Z', source: 'retryAfter', agentId: 'claude' }, now), 'unchanged');
    assert.equal(windows.state('anthropic', now).until, '2026-12-07T15:00:00.000Z');
    assert.equal(windows.close({ vendor: 'anthropic', until: '2026-12-08T01:00:00.000Z', source: 'retryAfter', agentId: 'claude' }, now), 'extended');
    assert.match(windows.state('anthropic', now).reason ?? '', /until 2026-12-08 01:00 UTC \(429 retry-after\)/, 'a reset on another day names the day');
  });

  it('a closure already in the past changes nothing', () => {
    const windows = new VendorWindows();
    assert.equal(windows.close({ vendor: 'google', until: '2026-12-07T13:00:00.000Z', source: 'retryAfter', agentId: 'jules' }, at('2026-12-07T14:00:00.000Z')), 'unchanged');
    assert.equal(windows.state('google', at('2026-12-07T14:00:00.000Z')).open, true);
  });

  it('reports each reopening once, and the next one due', () => {
    const windows = new VendorWindows();
    const now = at('2026-12-07T14:00:00.000Z');
    windows.close({ vendor: 'anthropic', until: '2026-12-07T14:05:00.000Z', source: 'retryAfter', agentId: 'claude-code' }, now);
    windows.close({ vendor: 'google', until: '2026-12-07T14:30:00.000Z', source: 'retryAfter', agentId: 'jules' }, now);
    assert.equal(windows.nextReopening(now)?.toISOString(), '2026-12-07T14:05:00.000Z');
    assert.deepEqual(windows.reopened(at('2026-12-07T14:04:00.000Z')), []);
    assert.deepEqual(windows.reopened(at('2026-12-07T14:06:00.000Z')).map(c => c.vendor), ['anthropic']);
    assert.deepEqual(windows.reopened(at('2026-12-07T14:07:00.000Z')), [], 'only once');
    assert.equal(windows.nextReopening(at('2026-12-07T14:06:00.000Z'))?.toISOString(), '2026-12-07T14:30:00.000Z');
  });

  it('restores closures from the window file: the latest per vendor holds; one already past is not announced', () => {
    const windows = new VendorWindows();
    const now = at('2026-12-07T14:00:00.000Z');
    windows.restore([
      { vendor: 'anthropic', until: '2026-12-07T14:20:00.000Z', source: 'retryAfter', agentId: 'claude-code' },
      { vendor: 'anthropic', until: '2026-12-07T14:10:00.000Z', source: 'retryAfter', agentId: 'claude-code' },
      { vendor: 'google', until: '2026-12-07T10:00:00.000Z', source: 'retryAfter', agentId: 'jules' },
    ], now);
    assert.equal(windows.state('anthropic', now).until, '2026-12-07T14:20:00.000Z');
    assert.deepEqual(windows.reopened(now), []);
  });
});
