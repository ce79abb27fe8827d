import assert from 'node:assert/strict';
import type { IssueSummary } from '../../../../../../src/core/forges/github/githubModel';
import { adoptIssue, gapAdoptionTarget, planAdoption, type AdoptionTarget } from '../../../../../../src/core/loop/tracks/planning/issueAdoption';
import { anIssue } from '../../../../../support/githubBuilders';

const login: AdoptionTarget = { kind: 'task', taskId: 'add-login', title: 'Add a login form' };
const notes: AdoptionTarget = { kind: 'task', taskId: 'notes', title: 'Keep notes' };

function handMade(overrides: Partial<IssueSummary>): IssueSummary {
  return anIssue({ author: 'alice', authorAssociation: 'COLLABORATOR', body: 'Written by hand.', ...overrides });
}

function numbers(items: readonly { readonly issue: IssueSummary }[]): number[] {
  return items.map(item => item.issue.number);
}

describe('adopting issues made by hand (issue 9 D8)', () => {
  describe('planAdoption', () => {
    it('adopts an open issue with the task\'s title, compared as the planning links compare titles', () => {
      const issue = handMade({ number: 4, title: '[WIP]  add a LOGIN   form ' });
      const plan = planAdoption([issue], [login, notes]);
      assert.deepEqual(plan.adopt.map(a => [a.issue.number, a.target]), [[4, login]]);
      assert.deepEqual(plan.passedOver, []);
    });

    it('adopts the gap-analysis issue by its title', () => {
      const issue = handMade({ number: 9, title: 'ATO gap analysis: queue the next development task', author: 'octo', authorAssociation: 'OWNER' });
      assert.deepEqual(numbers(planAdoption([issue], [gapAdoptionTarget]).adopt), [9]);
    });

    it('does not adopt a closed issue, nor one whose title only resembles', () => {
      const plan = planAdoption([handMade({ title: 'Add a login form', state: 'closed' }), handMade({ title: 'Add a login form, then more' })], [login]);
      assert.deepEqual(plan.adopt, []);
    });

    it('leaves a stranger\'s issue alone (its body would become the agent\'s prompt), unless a maintainer labelled it', () => {
      const stranger = handMade({ number: 5, title: 'Add a login form', author: 'mallory', authorAssociation: 'NONE' });
      const unknown = anIssue({ number: 6, title: 'Keep notes', author: 'bob', body: 'GitHub did not say who bob is.' });
      const plan = planAdoption([stranger, unknown], [login, notes]);
      assert.deepEqual(plan.adopt, []);
      assert.match(plan.passedOver[0]?.why ?? '', /@mallory \(NONE\), who has no say in the repository; label it `ato`/);
      assert.match(plan.passedOver[1]?.why ?? '', /@bob \(unknown\)/);
      const vouched = { ...stranger, labels: ['ato'] };
      assert.deepEqual(numbers(planAdoption([vouched], [login]).adopt), [5]);
    });

    it('leaves alone an issue that carries ATO\'s marker for other work', () => {
      const plan = planAdoption([handMade({ title: 'Add a login form', body: 'x\n\n<!-- ato:task=something-else -->\n' })], [login]);
      assert.deepEqual(plan.adopt, []);
      assert.match(plan.passedOver[0]?.why ?? '', /marker for other work/);
    });

    it('adopts nothing for a title two queued items share: ATO cannot tell which it is', () => {
      const twin: AdoptionTarget = { kind: 'task', taskId: 'add-login-again', title: 'add a login form' };
      const plan = planAdoption([handMade({ title: 'Add a login form' })], [login, twin]);
      assert.deepEqual(plan.adopt, []);
      assert.equal(plan.passedOver.length, 2);
      assert.match(plan.passedOver[0]?.why ?? '', /2 queued items have this title \(task add-login, task add-login-again\)/);
    });

    it('of several issues for one task, adopts the oldest and leaves the others alone', () => {
      const plan = planAdoption([handMade({ number: 12, title: 'Add a login form' }), handMade({ number: 7, title: 'Add a login form' })], [login]);
      assert.deepEqual(numbers(plan.adopt), [7]);
      assert.deepEqual(numbers(plan.passedOver), [12]);
      assert.match(plan.passedOver[0]?.why ?? '', /#7, an older open issue/);
    });

    it('a task whose issue is already ATO\'s (label and marker) is linked, and its title twins are not adopted', () => {
      const own = handMade({ number: 3, title: 'Add a login form', labels: ['ato', 'ato:task'], body: 'x\n\n<!-- ato:task=add-login -->\n' });
      const plan = planAdoption([own, handMade({ number: 8, title: 'Add a login form' })], [login]);
      assert.deepEqual(numbers(plan.linked), [3]);
      assert.deepEqual(plan.adopt, []);
    });

    it('finishes an adoption cut short: labelled but not marked, or marked but not labelled', () => {
      const labelled = handMade({ number: 3, title: 'Add a login form', labels: ['ato', 'ato:task'] });
      assert.deepEqual(numbers(planAdoption([labelled], [login]).adopt), [3]);
      const marked = handMade({ number: 4, title: 'Add a login form', body: 'x\n\n<!-- ato:task=add-login -->\n' });
      assert.deepEqual(numbers(planAdoption([marked], [login]).adopt), [4]);
    });
  });

  describe('adoptIssue', () => {
    function recordingPort() {
      const calls: string[] = [];
      return {
        calls,
        addLabels: (issueNumber: number, labels: readonly string[]) => { calls.push(`addLabels #${String(issueNumber)} ${labels.join(',')}`); return Promise.resolve(); },
        updateIssue: (issueNumber: number, change: { readonly body?: string }) => { calls.push(`updateIssue #${String(issueNumber)} ${JSON.stringify(change.body)}`); return Promise.resolve(anIssue({ number: issueNumber })); },
      };
    }

    it('adds the missing labels and the marker, keeping the body; run again on the result it writes nothing', async () => {
      const port = recordingPort();
      const issue = handMade({ number: 4, title: 'Add a login form', labels: ['bug', 'ATO'] });
      const adopted = await adoptIssue(port, { target: login, issue });
      assert.deepEqual(port.calls, ['addLabels #4 ato:task', 'updateIssue #4 "Written by hand.\\n\\n<!-- ato:task=add-login -->\\n"']);
      assert.deepEqual(adopted.labels, ['bug', 'ATO', 'ato:task']);
      port.calls.length = 0;
      await adoptIssue(port, { target: login, issue: adopted });
      assert.deepEqual(port.calls, []);
    });

    it('marks the gap analysis with its own marker and labels', async () => {
      const port = recordingPort();
      await adoptIssue(port, { target: gapAdoptionTarget, issue: handMade({ number: 2, body: '' }) });
      assert.deepEqual(port.calls, ['addLabels #2 ato,ato:gap-analysis', 'updateIssue #2 "<!-- ato:kind=gap-analysis -->\\n"']);
    });
  });
});
