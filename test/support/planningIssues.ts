import type { IssueSummary } from '../../src/core/forges/github/githubModel';
import { labelsFor } from '../../src/core/loop/texts/atoLabels';
import { gapAnalysisIssueBody, gapAnalysisIssueTitle } from '../../src/core/loop/texts/gapAnalysisTemplate';
import { formatMarker } from '../../src/core/loop/texts/markers';
import { anIssue } from './githubBuilders';

/** ATO's own issues as the loop reads them (marker, label, assigned to Copilot), for classifier tests. */

export const copilot = 'copilot-swe-agent[bot]';

export const gapBody = gapAnalysisIssueBody('planning/vision/goal.md', 'planning/state/system_capabilities.md', 'planning/issue_queue/pending');

/** Gap-analysis issue #1, from ATO's template, assigned to Copilot. */
export function gapIssue(overrides: Partial<IssueSummary> = {}): IssueSummary {
  return anIssue({ number: 1, title: gapAnalysisIssueTitle, body: gapBody, labels: labelsFor('gapAnalysis'), assignees: [copilot], ...overrides });
}

/** The issue of task `id` (titled "Task <id>"), assigned to Copilot. */
export function taskIssue(id: string, overrides: Partial<IssueSummary> = {}): IssueSummary {
  return anIssue({ title: `Task ${id}`, body: `Do ${id}.\n\n${formatMarker({ kind: 'task', taskId: id })}\n`, labels: labelsFor('task'), assignees: [copilot], ...overrides });
}

/** The capability-update issue that follows merged PR `sourcePr`, assigned to Copilot. */
export function capabilityIssue(sourcePr: number, overrides: Partial<IssueSummary> = {}): IssueSummary {
  return anIssue({ body: `Update.\n${formatMarker({ kind: 'capabilityUpdate', sourcePr })}\n`, labels: labelsFor('capability'), assignees: [copilot], ...overrides });
}
