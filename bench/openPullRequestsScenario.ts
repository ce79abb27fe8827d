// The loop benchmark's world: the planning-loop repository with its gap-analysis issue open and assigned
// (the planning track waits in 1a and takes no action), plus N open pull requests with green CI.
import { allAtoLabels, labelsFor } from '../src/core/loop/texts/atoLabels';
import { gapAnalysisIssueBody, gapAnalysisIssueTitle } from '../src/core/loop/texts/gapAnalysisTemplate';
import type { FakeGitHub } from '../test/fakes/github/fakeGitHub';
import type { FakePull } from '../test/fakes/github/model';
import type { Scenario } from '../test/fakes/github/scenario';

export const benchOwner = 'octo';
export const benchRepo = 'app';
const requiredCheck = 'ci/build';
const contributor = 'alice';

/**
 * The scenario: `octo/app` as in `planning-loop.yaml` (planning folder, Copilot on, `ci/build` required)
 * with ATO's labels and gap-analysis issue #1 written from ATO's own template and assigned to Copilot, as
 * the loop leaves it after stage 1a. The budgets are raised so that several full reads of 500 PRs in one
 * run cannot exhaust them; the points are counted per request either way.
 */
export function loopBenchScenario(): Scenario {
  return {
    token: 'fake-token-loop-bench',
    user: { login: 'octocat', name: 'The Octocat' },
    rateLimit: { core: 1_000_000, graphql: 1_000_000 },
    repos: [{
      owner: benchOwner,
      name: benchRepo,
      defaultBranch: 'main',
      copilot: true,
      collaborators: [contributor],
      branchProtection: { main: { requiredStatusChecks: [requiredCheck] } },
      labels: allAtoLabels.map(label => ({ name: label.name, color: label.color, description: label.description })),
      files: {
        'README.md': '# app\n',
        'planning/vision/goal.md': '# Goal\n\nShip a web app where users sign in and keep a list of notes.\n',
        'planning/state/system_capabilities.md': '# System capabilities\n\n- Nothing yet.\n',
        'planning/issue_queue/pending/.gitkeep': '',
        'planning/issue_queue/processed/.gitkeep': '',
        'planning/issue_queue/complete/.gitkeep': '',
      },
      issues: [{
        title: gapAnalysisIssueTitle,
        body: gapAnalysisIssueBody('planning/vision/goal.md', 'planning/state/system_capabilities.md', 'planning/issue_queue/pending/'),
        labels: [...labelsFor('gapAnalysis')],
        assignees: ['copilot-swe-agent[bot]'],
      }],
    }],
  };
}

/**
 * Opens pull requests until `count` are open: each a branch with one commit (written to the fake's bare
 * repository) by a collaborator, linked to no ATO issue, with a completed green `ci/build` run on its
 * head. Takes a while (several git commands per PR), so callers grow one fake rather than build one per size.
 */
export async function openPullRequestsUpTo(fake: FakeGitHub, count: number): Promise<void> {
  for (let index = openPulls(fake).length + 1; index <= count; index++) {
    const pull = await fake.simulate.openPullRequest({
      head: `feature/change-${String(index)}`,
      title: `Change ${String(index)}: tidy module ${String(index)}`,
      body: `Refactors module ${String(index)}.`,
      author: contributor,
      files: { [`src/module${String(index)}.ts`]: `export const module${String(index)} = ${String(index)};\n` },
    });
    await fake.simulate.setCheckRuns(pull, [{ name: requiredCheck, status: 'completed', conclusion: 'success' }]);
  }
  const open = openPulls(fake).length;
  if (open !== count) throw new Error(`bench scenario: ${String(open)} open PRs, wanted ${String(count)}`);
}

/** CI re-runs on the first open PR (pending), or that run finishes green again. */
export async function setFirstCheckPending(fake: FakeGitHub, pending: boolean): Promise<void> {
  const first = openPulls(fake)[0];
  if (first === undefined) throw new Error('bench scenario: no open PR');
  await fake.simulate.setCheckRuns(first.number, [pending ? { name: requiredCheck, status: 'in_progress' } : { name: requiredCheck, status: 'completed', conclusion: 'success' }]);
}

function openPulls(fake: FakeGitHub): readonly FakePull[] {
  return fake.state.repo(benchOwner, benchRepo).pulls.filter(pull => pull.state === 'open').sort((a, b) => a.number - b.number);
}
