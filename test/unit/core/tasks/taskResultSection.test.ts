import assert from 'node:assert/strict';
import { appendResultSection, formatCost, formatDuration, hasResultSection, resultMarker, type TaskResult } from '../../../../src/core/tasks/taskResultSection';

const taskFile = '---\ntype: feature\n---\n# Add a login form\n\n**Prompt:**\nBuild it.\n';

function aResult(overrides: Partial<TaskResult> = {}): TaskResult {
  return {
    runId: '20261121T100000Z-abc123', agentId: 'claude-code', finishedAt: '2026-11-21T10:12:34.000Z', outcome: 'succeeded',
    summary: 'Added the form and its tests.', branch: 'ato/add-login', pullRequest: { url: 'https://github.com/o/r/pull/7', title: 'Add a login form' },
    costUsd: 0.4213, turns: 12, durationMs: 192_000, ...overrides,
  };
}

describe('appendResultSection', () => {
  it('appends a marked ## Result section with every known fact', () => {
    const { text, changed } = appendResultSection(taskFile, aResult());
    assert.equal(changed, true);
    assert.equal(text, `${taskFile}
<!-- ato:result run=20261121T100000Z-abc123 -->
## Result

Added the form and its tests.

- **Outcome:** succeeded
- **Branch:** \`ato/add-login\`
- **Pull request:** Add a login form (https://github.com/o/r/pull/7)
- **Agent:** claude-code
- **Cost:** $0.42
- **Turns:** 12
- **Duration:** 3m 12s
- **Finished:** 2026-11-21T10:12:34.000Z
- **Run:** 20261121T100000Z-abc123
`);
  });

  it('links the run\'s report beside the task file, by a relative link that survives odd names', () => {
    const { text } = appendResultSection(taskFile, { runId: 'r1', agentId: 'claude-code', finishedAt: '2026-11-21T10:12:34.000Z', outcome: 'succeeded', summary: 'Reviewed.', report: 'review app.report.md' });
    assert.match(text, /\n- \*\*Outcome:\*\* succeeded\n- \*\*Report:\*\* \[review app\.report\.md\]\(review%20app\.report\.md\)\n- \*\*Agent:\*\* claude-code\n/);
    const odd = appendResultSection(taskFile, aResult({ report: 'x](javascript:alert(1)) [y.report.md' })).text;
    assert.match(odd, /- \*\*Report:\*\* \[x\(javascript:alert\(1\)\) y\.report\.md\]\(x%5D%28javascript%3Aalert%281%29%29%20%5By\.report\.md\)/);
  });

  it('writes only what it knows', () => {
    const { text } = appendResultSection('# T\n', { runId: 'r1', agentId: 'jules', finishedAt: '2026-11-21T10:00:00.000Z' });
    assert.equal(text, '# T\n\n<!-- ato:result run=r1 -->\n## Result\n\n- **Agent:** jules\n- **Finished:** 2026-11-21T10:00:00.000Z\n- **Run:** r1\n');
  });

  it('is idempotent for the same run', () => {
    const once = appendResultSection(taskFile, aResult()).text;
    const twice = appendResultSection(once, aResult({ summary: 'different words the second time' }));
    assert.equal(twice.changed, false);
    assert.equal(twice.text, once);
    assert.ok(hasResultSection(once, aResult().runId));
  });

  it('adds a section for each later run', () => {
    const first = appendResultSection(taskFile, aResult({ runId: 'run-1', outcome: 'failed' })).text;
    const second = appendResultSection(first, aResult({ runId: 'run-2' })).text;
    assert.equal(second.match(/^## Result$/gm)?.length, 2);
    assert.ok(second.indexOf(resultMarker('run-1')) < second.indexOf(resultMarker('run-2')));
    assert.equal(appendResultSection(second, aResult({ runId: 'run-1' })).changed, false);
  });

  it('does not mistake a run id that merely starts the same for this run', () => {
    const withRun1 = appendResultSection(taskFile, aResult({ runId: 'run-1' })).text;
    assert.equal(hasResultSection(withRun1, 'run-10'), false);
    assert.equal(hasResultSection(withRun1, 'run-'), false);
    assert.equal(appendResultSection(withRun1, aResult({ runId: 'run-10' })).changed, true);
  });

  it('cannot be fooled by a marker an agent wrote into its summary', () => {
    const forged = appendResultSection(taskFile, aResult({ runId: 'run-1', summary: 'ok\n<!-- ato:result run=run-2 -->' })).text;
    assert.equal(hasResultSection(forged, 'run-2'), false);
    assert.ok(forged.includes('&lt;!-- ato:result run=run-2 -->'));
    assert.equal(appendResultSection(forged, aResult({ runId: 'run-2' })).changed, true);
  });

  it('keeps CRLF files CRLF, and handles a file without a final newline or an empty file', () => {
    const crlf = appendResultSection('# T\r\n\r\nBody\r\n', { runId: 'r', agentId: 'a', finishedAt: 'x' }).text;
    assert.ok(!/[^\r]\n/.test(crlf), JSON.stringify(crlf));
    assert.ok(crlf.startsWith('# T\r\n\r\nBody\r\n\r\n<!-- ato:result run=r -->\r\n## Result'));
    assert.ok(hasResultSection(crlf, 'r'));
    assert.ok(appendResultSection('# T', { runId: 'r', agentId: 'a', finishedAt: 'x' }).text.startsWith('# T\n\n<!-- ato:result'));
    assert.ok(appendResultSection('', { runId: 'r', agentId: 'a', finishedAt: 'x' }).text.startsWith('<!-- ato:result run=r -->\n'));
  });
});

describe('result formatting', () => {
  it('formats costs and durations', () => {
    assert.deepEqual([0, 0.004, 0.01, 1.005, 12.5].map(formatCost), ['$0.00', '$0.0040', '$0.01', '$1.00', '$12.50']);
    assert.deepEqual([0, 45_000, 59_600, 192_000, 3_900_000, -5].map(formatDuration), ['0s', '45s', '1m 00s', '3m 12s', '1h 05m', '0s']);
  });
});
