import assert from 'node:assert/strict';
import fc from 'fast-check';
import { allAtoLabels, atoLabels, hasLabel, labelsFor } from '../../../../../src/core/loop/texts/atoLabels';
import { agentInBody, appendMarker, capabilitySourcesInBody, formatMarker, isGapAnalysisBody, parseMarkerLine, readMarkers, taskIdsInBody, type AtoMarker } from '../../../../../src/core/loop/texts/markers';
import { defuseMarkers, fenced } from '../../../../../src/core/loop/texts/thirdPartyText';
import { isTaskId } from '../../../../../src/core/tasks/taskFileName';

describe('ATO markers', () => {
  const examples: [AtoMarker, string][] = [
    [{ kind: 'task', taskId: 'add-login' }, '<!-- ato:task=add-login -->'],
    [{ kind: 'gapAnalysis' }, '<!-- ato:kind=gap-analysis -->'],
    [{ kind: 'capabilityUpdate', sourcePr: 42 }, '<!-- ato:kind=capability-update source-pr=42 -->'],
    [{ kind: 'agent', agentId: 'claude-code' }, '<!-- ato:agent=claude-code -->'],
    [{ kind: 'escalation', taskId: 'add-login', runId: '20261121T100000Z-k3x9q1' }, '<!-- ato:escalation add-login 20261121T100000Z-k3x9q1 -->'],
  ];
  for (const [marker, text] of examples) {
    it(`writes and reads ${text}`, () => {
      assert.equal(formatMarker(marker), text);
      assert.deepEqual(parseMarkerLine(text), marker);
      assert.deepEqual(parseMarkerLine(`  ${text}\r`), marker);
    });
  }

  it('round-trips every valid task id and PR number (property)', () => {
    const taskId = fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,40}$/).filter(isTaskId);
    fc.assert(fc.property(taskId, fc.integer({ min: 1, max: 2_147_483_647 }), (id, pr) => {
      assert.deepEqual(readMarkers(`intro\n${formatMarker({ kind: 'task', taskId: id })}\n`), [{ kind: 'task', taskId: id }]);
      assert.deepEqual(readMarkers(formatMarker({ kind: 'capabilityUpdate', sourcePr: pr })), [{ kind: 'capabilityUpdate', sourcePr: pr }]);
    }));
  });

  it('refuses to write an invalid id or number', () => {
    assert.throws(() => formatMarker({ kind: 'task', taskId: 'bad id -->' }));
    assert.throws(() => formatMarker({ kind: 'capabilityUpdate', sourcePr: 0 }));
    assert.throws(() => formatMarker({ kind: 'escalation', taskId: 'a', runId: 'two words' }));
    assert.throws(() => formatMarker({ kind: 'agent', agentId: 'Evil -->' }));
  });

  it('reads the agent a task issue records: the first agent marker, none from an invalid id', () => {
    assert.equal(agentInBody('x\n<!-- ato:agent=my-cli -->\n<!-- ato:agent=copilot -->\n'), 'my-cli');
    assert.equal(agentInBody('<!-- ato:agent=UPPER -->'), undefined);
    assert.equal(agentInBody('no marker'), undefined);
  });

  const notMarkers = [
    '<!-- ato:task= -->',
    '<!-- ato:task=-leading-dash -->',
    '<!-- ato:task=has space -->',
    '<!--ato:task=x-->',
    '<!-- ATO:TASK=x -->',
    '<!-- ato:task=x --> trailing text',
    'see <!-- ato:task=x -->',
    '> <!-- ato:task=x -->',
    '<!-- ato:kind=gap-analysis extra -->',
    '<!-- ato:kind=capability-update source-pr=0 -->',
    '<!-- ato:kind=capability-update source-pr=012 -->',
    '<!-- ato:kind=capability-update source-pr=99999999999 -->',
    '<!-- ato:kind=capability-update source-pr=-3 -->',
    '<!-- ato:kind=something-else -->',
    '<!-- ato:escalation add-login -->',
    '<!-- ato:escalation add-login run-1 extra -->',
    '<!-- ato:escalation -bad run-1 -->',
    `<!-- ato:task=${'a'.repeat(201)} -->`,
  ];
  for (const text of notMarkers) {
    it(`does not read ${JSON.stringify(text.slice(0, 60))}`, () => {
      assert.deepEqual(readMarkers(text), []);
    });
  }

  it('ignores markers in fenced or indented code', () => {
    const body = [
      '```',
      '<!-- ato:task=in-backticks -->',
      '```',
      '~~~~md',
      '<!-- ato:task=in-tildes -->',
      '~~~',
      '<!-- ato:task=still-in-tildes -->',
      '~~~~',
      '    <!-- ato:task=indented -->',
      '<!-- ato:task=real -->',
    ].join('\n');
    assert.deepEqual(taskIdsInBody(body), ['real']);
  });

  it('finds each kind in a body', () => {
    const body = `Text\r\n<!-- ato:kind=gap-analysis -->\r\n<!-- ato:kind=capability-update source-pr=7 -->\r\n`;
    assert.equal(isGapAnalysisBody(body), true);
    assert.deepEqual(capabilitySourcesInBody(body), [7]);
    assert.deepEqual(taskIdsInBody(body), []);
  });

  describe('appendMarker (adopting an issue someone else wrote)', () => {
    const marker: AtoMarker = { kind: 'task', taskId: 'add-login' };

    it('keeps the body and adds the marker on a line of its own after a blank line', () => {
      assert.equal(appendMarker('Alice wrote this.\n\n', marker), 'Alice wrote this.\n\n<!-- ato:task=add-login -->\n');
      assert.equal(appendMarker('', { kind: 'gapAnalysis' }), '<!-- ato:kind=gap-analysis -->\n');
    });

    it('closes a fence the body leaves open, so the marker is read (and the body keeps its text)', () => {
      for (const body of ['Steps:\n```sh\nnpm test', 'Log:\n~~~~\nerror', '```\nnever closed\n``']) {
        const marked = appendMarker(body, marker);
        assert.ok(marked.startsWith(body.trimEnd()), body);
        assert.deepEqual(taskIdsInBody(marked), ['add-login'], JSON.stringify(marked));
      }
    });

    it('for any body, the result carries the marker as read, and only the markers the body had before it', () => {
      const pieces = fc.constantFrom('```', '````', '~~~', '```js`', '\n', '\r\n', 'text', '    ', '\t', '<!-- ato:task=other -->', '<!-- ato:kind=gap-analysis -->', ' ');
      fc.assert(fc.property(fc.oneof(fc.string(), fc.array(pieces, { maxLength: 30 }).map(parts => parts.join(''))), body => {
        const before = readMarkers(body);
        const after = readMarkers(appendMarker(body, marker));
        assert.deepEqual(after, [...before, marker]);
      }), { numRuns: 300 });
    });
  });
});

describe('third-party text', () => {
  it('defuses every HTML comment, so a quoted marker never links', () => {
    const evil = 'hello\n<!-- ato:task=stolen -->\n<!-- ato:kind=gap-analysis -->';
    assert.deepEqual(readMarkers(defuseMarkers(evil)), []);
    assert.equal(defuseMarkers(evil).includes('<!--'), false);
  });

  it('fences text so it cannot close the fence, whatever backticks it holds', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('`', '~', 'a', '\n', '<!--', ' ') , maxLength: 60 }), text => {
      const block = fenced(text);
      const lines = block.split('\n');
      const fence = lines[0]?.replace(/text$/, '') ?? '';
      assert.match(fence, /^`{3,}$/);
      assert.equal(lines.at(-1), fence);
      // No line inside is a closing fence of that length or longer.
      for (const line of lines.slice(1, -1)) assert.equal(new RegExp(`^ {0,3}\`{${String(fence.length)},}\\s*$`).test(line), false);
      assert.deepEqual(readMarkers(block), []);
    }));
  });
});

describe('ATO labels', () => {
  it('has one table with names, colours and short descriptions', () => {
    assert.deepEqual(allAtoLabels.map(label => label.name), ['ato', 'ato:gap-analysis', 'ato:task', 'ato:capability']);
    for (const label of allAtoLabels) {
      assert.match(label.color, /^[0-9a-f]{6}$/);
      assert.ok(label.description.length > 0 && label.description.length <= 100, label.name);
    }
  });

  it('puts `ato` on everything ATO creates', () => {
    assert.deepEqual(labelsFor('task'), ['ato', 'ato:task']);
    assert.deepEqual(labelsFor('gapAnalysis'), ['ato', 'ato:gap-analysis']);
    assert.deepEqual(labelsFor('capability'), ['ato', atoLabels.capability.name]);
  });

  it('compares label names case-insensitively', () => {
    assert.equal(hasLabel(['ATO:Task'], 'ato:task'), true);
    assert.equal(hasLabel(['ato'], 'ato:task'), false);
  });
});
