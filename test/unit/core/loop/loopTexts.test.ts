import assert from 'node:assert/strict';
import type { PullRequestSummary, RepoSnapshot } from '../../../../src/core/forges/github/githubModel';
import { describeAction } from '../../../../src/core/loop/engine/describeAction';
import { defaultMergePolicy, type MergePolicy, type StageDecision } from '../../../../src/core/loop/engine/loopModel';
import { classifyPlanning, type PlanningObservation } from '../../../../src/core/loop/tracks/planning/stageClassifier';
import { focusLabel } from '../../../../src/core/loop/tracks/planning/workNames';
import type { QueueEntry } from '../../../../src/core/queue/queueEntry';
import { aCheckRun, aMergedPullRequest, aPullRequest, aQueueEntry, aSignal, aSnapshot, aTaskEntry, aTrust, someChecks } from '../../../support/githubBuilders';
import { capabilityIssue, gapIssue, taskIssue } from '../../../support/planningIssues';

/**
 * Every kind of text the stage classifier writes — stage reasons, action reasons, needs-you titles and
 * details, focus labels — rendered from table scenarios (one per rule of each track), and the lines the
 * views compose from them ("<action> — <reason>", "<title> — <detail>"). None may say an issue's or a PR's
 * number twice ("Issue #2 (gap-analysis issue #2)") or read oddly.
 */

const now = new Date('2026-11-21T12:00:00Z');
const pending: Partial<PullRequestSummary> = { checks: someChecks([aCheckRun('ci/build', { status: 'IN_PROGRESS', conclusion: null })]) };
const closedUnmerged: Partial<PullRequestSummary> = { state: 'closed', updatedAt: '2026-11-21T11:00:00Z' };
const agentFailed: Partial<PullRequestSummary> = { ...pending, timeline: [aSignal('copilotWorkFailed', '2026-11-21T11:00:00Z')] };
const awaitingApproval: Partial<PullRequestSummary> = { checks: someChecks([], { awaitingApproval: 2 }) };
const touchesWorkflows: Partial<PullRequestSummary> = { changedFiles: ['.github/workflows/ci.yml'] };
const closedIssue = { state: 'closed' as const, closedAt: '2026-11-21T11:00:00Z' };

interface Scenario {
  readonly name: string;
  readonly snapshot?: Partial<RepoSnapshot>;
  readonly queue?: QueueEntry[];
  readonly policy?: Partial<MergePolicy>;
}

const processed = (id: string, type?: string): QueueEntry => aTaskEntry('processed', { id, ...(type === undefined ? {} : { type }) });
const done = [aTaskEntry('complete', { id: 'shipped' })];
const shipped = aMergedPullRequest({ number: 12, closingIssues: [30] });
const shippedIssue = taskIssue('shipped', { number: 30, ...closedIssue });

const scenarios: readonly Scenario[] = [
  { name: 'nothing open: open the gap analysis' },
  { name: 'gap issue without an agent', snapshot: { issues: [gapIssue({ number: 2, assignees: [] })] } },
  { name: 'gap issue asking the agent to open PRs', snapshot: { issues: [gapIssue({ body: 'Then open a PR and create issues for each gap.\n<!-- ato:kind=gap-analysis -->' })] } },
  { name: 'legacy gap issue', snapshot: { issues: [gapIssue({ body: 'Please look at the goal.', assignees: [] })] } },
  { name: 'gap issue waiting for the agent', snapshot: { issues: [gapIssue()] } },
  { name: 'gap PR waiting', snapshot: { issues: [gapIssue()], openPullRequests: [aPullRequest({ number: 2, closingIssues: [1], ...pending })] } },
  { name: 'gap PR ready, auto-merge off', snapshot: { issues: [gapIssue()], openPullRequests: [aPullRequest({ number: 2, closingIssues: [1] })] } },
  { name: 'gap PR ready as a draft, auto-merge on', policy: { autoMerge: true }, snapshot: { issues: [gapIssue()], openPullRequests: [aPullRequest({ number: 2, closingIssues: [1], isDraft: true })] } },
  { name: 'gap PR merged, issue still open', snapshot: { issues: [gapIssue()], recentlyClosedPullRequests: [aMergedPullRequest({ number: 2, closingIssues: [1], changedFiles: [] })] } },
  { name: 'gap PR merged, its task file not in the queue yet', snapshot: { issues: [gapIssue(closedIssue)], recentlyClosedPullRequests: [aMergedPullRequest({ number: 2, closingIssues: [1], mergedAt: '2026-11-21T11:55:00Z', changedFiles: ['planning/issue_queue/pending/add-login.task.md'] })] } },
  { name: 'gap issue closed by hand while its PR is open', snapshot: { issues: [gapIssue(closedIssue)], openPullRequests: [aPullRequest({ number: 2, closingIssues: [1], ...pending })] } },
  { name: 'gap PR closed unmerged', snapshot: { issues: [gapIssue()], recentlyClosedPullRequests: [aPullRequest({ number: 2, closingIssues: [1], ...closedUnmerged })] } },
  { name: 'gap PR whose agent reported failure', snapshot: { issues: [gapIssue()], openPullRequests: [aPullRequest({ number: 2, closingIssues: [1], ...agentFailed })] } },
  { name: 'gap PR with workflow runs awaiting approval', snapshot: { issues: [gapIssue()], openPullRequests: [aPullRequest({ number: 2, closingIssues: [1], ...awaitingApproval })] } },
  { name: 'gap PR changing a protected path', snapshot: { issues: [gapIssue()], openPullRequests: [aPullRequest({ number: 2, closingIssues: [1], ...touchesWorkflows })] } },
  { name: 'task issue without an agent', queue: [processed('a')], snapshot: { issues: [taskIssue('a', { number: 5, assignees: [] })] } },
  { name: 'task waiting for the agent', queue: [processed('a')], snapshot: { issues: [taskIssue('a', { number: 5 })] } },
  { name: 'task PR waiting', queue: [processed('a')], snapshot: { issues: [taskIssue('a', { number: 5 })], openPullRequests: [aPullRequest({ number: 7, closingIssues: [5], ...pending })] } },
  { name: 'task PR ready', queue: [processed('a')], snapshot: { issues: [taskIssue('a', { number: 5 })], openPullRequests: [aPullRequest({ number: 7, closingIssues: [5] })] } },
  { name: 'task PR merged', queue: [processed('a')], snapshot: { issues: [taskIssue('a', { number: 5, ...closedIssue })], recentlyClosedPullRequests: [aMergedPullRequest({ number: 7, closingIssues: [5] })] } },
  { name: 'task issue closed by hand', queue: [processed('a')], snapshot: { issues: [taskIssue('a', { number: 5, ...closedIssue })] } },
  { name: 'task PR closed unmerged', queue: [processed('a')], snapshot: { issues: [taskIssue('a', { number: 5 })], recentlyClosedPullRequests: [aPullRequest({ number: 7, closingIssues: [5], ...closedUnmerged })] } },
  { name: 'task PR whose agent reported failure', queue: [processed('a')], snapshot: { issues: [taskIssue('a', { number: 5 })], openPullRequests: [aPullRequest({ number: 7, closingIssues: [5], ...agentFailed })] } },
  { name: 'task PR with workflow runs awaiting approval', queue: [processed('a')], snapshot: { issues: [taskIssue('a', { number: 5 })], openPullRequests: [aPullRequest({ number: 7, closingIssues: [5], ...awaitingApproval })] } },
  { name: 'task in processed/ with no issue', queue: [processed('a')] },
  { name: 'task promotion cut short', queue: [aTaskEntry('pending', { id: 'a' })], snapshot: { issues: [taskIssue('a', { number: 5 })] } },
  { name: 'next pending task, another skipped', queue: [aTaskEntry('pending', { id: 'a' }), aTaskEntry('pending', { id: 'b', dependsOn: ['c'] }), aTaskEntry('pending', { id: 'c', dependsOn: ['b'] })] },
  { name: 'no pending task can go', queue: [aTaskEntry('pending', { id: 'b', dependsOn: ['c'] }), aTaskEntry('processed', { id: 'c' })], snapshot: { issues: [taskIssue('c', { number: 5, ...closedIssue })] } },
  { name: 'a review task while a task PR waits', queue: [processed('a'), aTaskEntry('pending', { id: 'r', type: 'review' })], snapshot: { issues: [taskIssue('a', { number: 5 })], openPullRequests: [aPullRequest({ number: 7, closingIssues: [5], ...pending })] } },
  { name: 'an invalid task file', queue: [aQueueEntry('pending', '---\nid: [\n---\n', 'broken.task.md')] },
  { name: 'a task depending on an unknown one', queue: [aTaskEntry('pending', { id: 'a', dependsOn: ['ghost'] })] },
  { name: 'merged task without a capability update', queue: done, snapshot: { issues: [shippedIssue], recentlyClosedPullRequests: [shipped] } },
  { name: 'capability issue without an agent', queue: done, snapshot: { issues: [shippedIssue, capabilityIssue(12, { number: 40, assignees: [] })], recentlyClosedPullRequests: [shipped] } },
  { name: 'capability waiting for the agent', queue: done, snapshot: { issues: [shippedIssue, capabilityIssue(12, { number: 40 })], recentlyClosedPullRequests: [shipped] } },
  { name: 'capability PR waiting', queue: done, snapshot: { issues: [shippedIssue, capabilityIssue(12, { number: 40 })], openPullRequests: [aPullRequest({ number: 41, closingIssues: [40], ...pending })], recentlyClosedPullRequests: [shipped] } },
  { name: 'capability PR ready', queue: done, snapshot: { issues: [shippedIssue, capabilityIssue(12, { number: 40 })], openPullRequests: [aPullRequest({ number: 41, closingIssues: [40] })], recentlyClosedPullRequests: [shipped] } },
  { name: 'capability PR merged, issue still open', queue: done, snapshot: { issues: [shippedIssue, capabilityIssue(12, { number: 40 })], recentlyClosedPullRequests: [shipped, aMergedPullRequest({ number: 41, closingIssues: [40] })] } },
  { name: 'capability PR closed unmerged', queue: done, snapshot: { issues: [shippedIssue, capabilityIssue(12, { number: 40 })], recentlyClosedPullRequests: [shipped, aPullRequest({ number: 41, closingIssues: [40], ...closedUnmerged })] } },
  { name: 'duplicate gap issues', snapshot: { issues: [gapIssue(), gapIssue({ number: 4, createdAt: '2026-11-21T11:00:00Z' })] } },
  { name: 'a failed task, a task closed by hand and a task without an issue, while the gap analysis opens', queue: [processed('a'), processed('b'), processed('c')], snapshot: { issues: [taskIssue('a', { number: 5 }), taskIssue('b', { number: 6, ...closedIssue })], recentlyClosedPullRequests: [aPullRequest({ number: 7, closingIssues: [5], ...closedUnmerged })] } },
];

function decide(scenario: Scenario): StageDecision {
  const observation: PlanningObservation = { snapshot: aSnapshot(scenario.snapshot), queue: scenario.queue ?? [], policy: { ...defaultMergePolicy, ...scenario.policy }, now, trust: aTrust() };
  return classifyPlanning(observation);
}

/** Every text of a decision, with what it is: a sentence (reasons, details), a title, or a composed line. */
function textsOf(decision: StageDecision): { readonly kind: 'sentence' | 'title' | 'line'; readonly text: string }[] {
  const texts: { kind: 'sentence' | 'title' | 'line'; text: string }[] = [{ kind: 'sentence', text: decision.reason }];
  if (decision.action !== undefined) {
    texts.push({ kind: 'sentence', text: decision.action.reason }, { kind: 'title', text: describeAction(decision.action) });
    texts.push({ kind: 'line', text: `${describeAction(decision.action)} — ${decision.action.reason}` });
  }
  if (decision.focus !== undefined) texts.push({ kind: 'title', text: focusLabel(decision.focus) });
  for (const item of decision.needsYou) texts.push({ kind: 'title', text: item.title }, { kind: 'sentence', text: item.detail }, { kind: 'line', text: `${item.title} — ${item.detail}` });
  return texts;
}

/** What reads oddly in one text; empty when nothing does. */
function oddities(kind: 'sentence' | 'title' | 'line', text: string): string[] {
  const found: string[] = [];
  const numbers = [...text.matchAll(/#(\d+)/g)].map(match => match[1]);
  const twice = numbers.filter((number, index) => numbers.indexOf(number) !== index);
  if (twice.length > 0) found.push(`says #${twice.join(', #')} twice`);
  const doubled = /\b(\w+) \1\b/i.exec(text);
  if (doubled !== null) found.push(`doubled word "${doubled[0]}"`);
  if (/undefined|NaN|\[object|\bnull\b/.test(text)) found.push('a value leaked into the text');
  // (A path may start with a dot: ".github/workflows/ci.yml".)
  if (/ {2}| [,;:)]| \.(?=\s|$)|\( |[.,;:]{2}/.test(text)) found.push('stray spacing or punctuation');
  if ((text.match(/\(/g) ?? []).length !== (text.match(/\)/g) ?? []).length) found.push('unbalanced parentheses');
  if (!/^[A-Z"]/.test(text)) found.push('does not start with a capital letter');
  if (kind === 'sentence' && !/[.)]$/.test(text)) found.push('a sentence that does not end with a full stop');
  if (kind === 'title' && text.endsWith('.')) found.push('a title that ends with a full stop');
  const sentences = text.split(/(?<=\.) /);
  if (new Set(sentences).size !== sentences.length) found.push('repeats a sentence');
  return found;
}

describe('the loop\'s texts', () => {
  const decisions = scenarios.map(scenario => ({ scenario, decision: decide(scenario) }));

  it('say every issue and PR number once, and read well, in every kind of reason, action, focus and needs-you item', () => {
    const problems: string[] = [];
    for (const { scenario, decision } of decisions) {
      for (const { kind, text } of textsOf(decision)) {
        for (const odd of oddities(kind, text)) problems.push(`${scenario.name}: ${odd}: ${text}`);
      }
      for (const item of decision.needsYou) {
        if (item.detail.toLowerCase().includes(item.title.toLowerCase())) problems.push(`${scenario.name}: the detail repeats the title: ${item.title} — ${item.detail}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('the table reaches every stage, every action and every needs-you kind the classifier writes', () => {
    const stages = new Set(decisions.map(({ decision }) => decision.stage));
    const actions = new Set(decisions.flatMap(({ decision }) => decision.action === undefined ? [] : [decision.action.kind]));
    const needs = new Set(decisions.flatMap(({ decision }) => decision.needsYou.map(item => item.kind)));
    assert.deepEqual([...stages].sort(), ['1a', '1b', '1c', '2a', '2b', '2c', '3a', '3b', '3c']);
    assert.deepEqual([...actions].sort(), ['closeIssue', 'completeTask', 'dispatchIssue', 'ensureGapIssue', 'mergePullRequest', 'openCapabilityIssue', 'promoteTask']);
    // `fixAttemptsExhausted` belongs to the maintenance track, which the classifier does not run.
    assert.deepEqual([...needs].sort(), ['invalidTask', 'issueClosedOutsideLoop', 'mergeBlocked', 'readyToMerge', 'runFailed', 'workflowsAwaitingApproval']);
  });

  it('the example of the issue: an open gap issue without an agent names its number once', () => {
    const decision = decide({ name: 'gap', snapshot: { issues: [gapIssue({ number: 2, assignees: [] })] } });
    assert.equal(decision.reason, 'Gap-analysis issue #2 is open without an agent: assign it.');
    assert.equal(`${describeAction(decision.action ?? { kind: 'closeIssue', reason: '', issueNumber: 0 })} — ${decision.action?.reason ?? ''}`, 'Dispatch issue #2 to an agent — No agent works on the gap analysis yet.');
  });
});
