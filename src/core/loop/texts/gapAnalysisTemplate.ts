import { formatMarker } from './markers';
import { codeSpan } from './thirdPartyText';

/** The gap-analysis issue's title; also how ATO recognises a gap issue that lost its marker. */
export const gapAnalysisIssueTitle = 'ATO gap analysis: queue the next development task';

/**
 * ATO's own gap-analysis issue body (PRODUCT §4 stage 1a), never a prompt taken from the repository. It is
 * written for the Copilot coding agent, which always works in exactly one pull request of its own: the
 * body keeps the agent inside that pull request (one new task file, no code, no other PRs or issues).
 * Paths are relative to the repository root, e.g. `planning/vision/goal.md`.
 */
export function gapAnalysisIssueBody(goalPath: string, capabilitiesPath: string, pendingPath: string): string {
  const pending = pendingPath.replace(/\/+$/, '');
  return `${[
    '## Gap analysis',
    '',
    'Compare what this project is meant to become with what it can do today, and write down the one most valuable next development task.',
    '',
    '**Read**',
    `- The goal: ${codeSpan(goalPath)}`,
    `- What the system can do now: ${codeSpan(capabilitiesPath)}`,
    `- Tasks already queued, in progress or done: the folders next to ${codeSpan(pending)} (do not repeat one of them)`,
    '- The code, as far as you need it to judge what is missing',
    '',
    '**Write exactly one file**',
    `Add exactly one new task file to ${codeSpan(`${pending}/`)}, named \`<short-slug>.task.md\`, in this format:`,
    '',
    '~~~markdown',
    '---',
    'id: <short-slug>',
    'type: feature',
    'priority: medium',
    'created: <the current time, ISO 8601>',
    '---',
    '# <A short title>',
    '',
    '**Target Files:**',
    '- <path the task will change>',
    '',
    '**Prompt:**',
    'What the developer must do, concretely enough to do it without asking.',
    '',
    '**Success Criteria:**',
    '- [ ] <a checkable outcome>',
    '',
    '**Context:**',
    'Why this is the next step: the gap between the goal and the capabilities it closes.',
    '~~~',
    '',
    '**Rules**',
    '- The pull request you are working in is the only one for this issue: put the task file in it, and nothing else.',
    '- Make no code changes: change no source, test, workflow or documentation file, and do not edit the goal or the capabilities document.',
    '- One task only, small enough for one pull request; it must be new work, not a fix of this pull request.',
    '- Do not open any other pull request, do not create issues, and do not comment on or close other issues.',
    '',
    formatMarker({ kind: 'gapAnalysis' }),
  ].join('\n')}\n`;
}

/**
 * Whether a gap-analysis body asks the agent to open pull requests or create issues (a repo-supplied or
 * legacy prompt): such a body makes the agent act beyond its one pull request, so the loop rewrites it
 * with ATO's template before assigning it. Negated instructions ("do not open …") are fine.
 */
export function isUnsafeGapBody(body: string): boolean {
  return unsafeGapInstructions(body).length > 0;
}

/** The clauses of a body that ask the agent to open pull requests or create issues. */
export function unsafeGapInstructions(body: string): string[] {
  return clauses(body).filter(isUnsafeClause);
}

const verb = String.raw`(?:open|opening|opens|create|creating|creates|submit|submitting|submits|file|filing|raise|raising|send|sending|make|making)`;
const filler = String.raw`(?:a|an|the|one|new|another|separate|additional|more|extra|second|draft|follow-up|followup|github|gitlab|your|its|their|some|several|multiple)`;
const target = String.raw`(?:pull[\s-]*requests?|PRs?|issues?|merge[\s-]*requests?|MRs?|tickets?)`;
const instruction = new RegExp(String.raw`\b${verb}(?:\s+${filler}){0,3}\s+${target}\b|\bgh\s+(?:pr|issue)\s+create\b`, 'i');
const negation = /\b(?:do not|don't|dont|does not|doesn't|never|not|no|must not|mustn't|should not|shouldn't|cannot|can't|avoid|without|nor|instead of|refrain from)\b/i;

function isUnsafeClause(clause: string): boolean {
  const match = instruction.exec(clause);
  if (match === null) return false;
  return !negation.test(clause.slice(0, match.index));
}

/** Sentences and clauses: split at line breaks, sentence ends, `;` and `,`. */
function clauses(body: string): string[] {
  return body
    .split(/\r?\n|[.!?;,](?=\s|$)/)
    .map(clause => clause.replace(/[`*_>#-]+/g, ' ').replace(/\s+/g, ' ').trim())
    .filter(clause => clause !== '');
}
