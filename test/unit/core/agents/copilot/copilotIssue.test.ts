import assert from 'node:assert/strict';
import { carriesTaskMarker, chooseTaskIssue, taskIssueBody, taskMarker } from '../../../../../src/core/agents/copilot/copilotIssue';
import { anIssue } from './copilotBuilders';

describe('task issue marker', () => {
  it('is a hidden comment naming the task', () => {
    assert.equal(taskMarker('add-login'), '<!-- ato:task=add-login -->');
    assert.throws(() => taskMarker('x -->'), /not a task id/);
  });

  const table: readonly (readonly [string, string, boolean])[] = [
    ['on its own line', 'Prompt\n\n<!-- ato:task=add-login -->\n', true],
    ['with CRLF and spaces around', 'Prompt\r\n  <!-- ato:task=add-login -->  \r\n', true],
    ['another task whose id starts the same', '<!-- ato:task=add-login-2 -->', false],
    ['quoted inside a line', 'we wrote `<!-- ato:task=add-login -->` here', false],
    ['other spacing', '<!--ato:task=add-login-->', false],
    ['no marker, the title only', 'Add login', false],
    ['inside a fenced code block', 'Quoted:\n```\n<!-- ato:task=add-login -->\n```\n', false],
  ];
  for (const [name, body, expected] of table) {
    it(`${expected ? 'matches' : 'does not match'} a marker ${name}`, () => {
      assert.equal(carriesTaskMarker(body, 'add-login'), expected);
    });
  }

  it('puts the marker after the prompt', () => {
    const body = taskIssueBody('Do it.\n\n', 'add-login');
    assert.equal(body, 'Do it.\n\n<!-- ato:task=add-login -->\n');
    assert.ok(carriesTaskMarker(body, 'add-login'));
  });
});

describe('chooseTaskIssue', () => {
  const marked = '<!-- ato:task=add-login -->';

  it('takes the oldest open issue and reports the others', () => {
    const choice = chooseTaskIssue([anIssue({ number: 9, body: marked }), anIssue({ number: 4, body: marked }), anIssue({ number: 2, body: marked, state: 'closed' }), anIssue({ number: 1, body: 'x' })], 'add-login');
    assert.equal(choice.issue?.number, 4);
    assert.deepEqual(choice.duplicates.map(issue => issue.number).sort(), [2, 9]);
  });

  it('falls back to the most recently created closed issue', () => {
    const choice = chooseTaskIssue([anIssue({ number: 2, body: marked, state: 'closed' }), anIssue({ number: 5, body: marked, state: 'closed' })], 'add-login');
    assert.equal(choice.issue?.number, 5);
  });

  it('finds nothing without the marker, even with the same title', () => {
    assert.deepEqual(chooseTaskIssue([anIssue({ title: 'Add login', body: 'no marker' })], 'add-login'), { issue: undefined, duplicates: [] });
  });
});
