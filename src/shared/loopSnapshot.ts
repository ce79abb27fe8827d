/**
 * The planning loop as the control panel receives it: the stage, the plan, the last tick's outcomes, the
 * rate-limit budget and the red pull requests. Titles, reasons, check names and messages come from GitHub
 * or from agents: the panel renders them as text, and every link is an http(s) URL checked here.
 */
import * as z from 'zod/mini';
import './zod';
import { maxShownExcerptChars, pullAuthors, pullCareStates } from './pullCare';

/** The planning track's stages (mirrors src/core/loop/loopModel.ts; src/core/state/panelSnapshot.ts checks they agree). */
export const panelStageIds = ['1a', '1b', '1c', '2a', '2b', '2c', '3a', '3b', '3c'] as const;
export type PanelStageId = (typeof panelStageIds)[number];

/** The three groups of the stepper, in the order the stages are numbered. */
export const stageGroups: readonly { readonly id: 'gap' | 'development' | 'capability'; readonly label: string; readonly stages: readonly PanelStageId[] }[] = [
  { id: 'gap', label: 'Gap analysis', stages: ['1a', '1b', '1c'] },
  { id: 'development', label: 'Development', stages: ['2a', '2b', '2c'] },
  { id: 'capability', label: 'Capability update', stages: ['3a', '3b', '3c'] },
];

/** What each stage means (PRODUCT §4), for tooltips and screen readers. */
export const stageMeanings: Readonly<Record<PanelStageId, string>> = {
  '1a': 'Gap analysis needed, or its issue is open without a PR',
  '1b': 'Gap-analysis PR open, not ready yet',
  '1c': 'Gap-analysis PR ready to merge',
  '2a': 'A pending task waits to be dispatched',
  '2b': 'A task is dispatched; no ready PR yet',
  '2c': 'A task PR is ready to merge',
  '3a': 'A capability-update issue is open without a PR',
  '3b': 'Capability-update PR open, not ready yet',
  '3c': 'Capability-update PR ready to merge',
};

export function stageGroupOf(stage: PanelStageId): (typeof stageGroups)[number] {
  const group = stageGroups.find(candidate => candidate.stages.includes(stage));
  if (group === undefined) throw new Error(`unknown stage ${stage}`);
  return group;
}

/**
 * An http(s) URL with a plain host (no user info, no IPv6 literal) and only the characters RFC 3986
 * allows, so no space, quote, angle bracket, backslash or control character: safe to hand to the OS.
 */
export const externalUrlPattern = /^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?(?:[/?#][A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*)?$/;
export const maxExternalUrlLength = 2048;

export function isExternalUrl(value: string): boolean {
  return value.length <= maxExternalUrlLength && externalUrlPattern.test(value);
}

export const externalUrl = (): z.ZodMiniString => z.string().check(z.maxLength(maxExternalUrlLength), z.regex(externalUrlPattern));
/** GitHub issue and pull-request numbers. */
export const issueNumber = (): z.ZodMiniNumber<number> => z.int().check(z.positive(), z.lte(2_147_483_647));

const count = () => z.int().check(z.nonnegative());
const text = () => z.string();

/** Kinds of the planning track's actions (mirrors PlannedAction's; checked in panelSnapshot.ts). */
export const plannedActionKinds = ['ensureGapIssue', 'promoteTask', 'dispatchIssue', 'mergePullRequest', 'completeTask', 'openCapabilityIssue', 'closeIssue', 'requeueTask', 'queueReviewTask', 'requestFix', 'analyzeDraft', 'updateBranch', 'askRebase', 'sendReviewFollowUp', 'queueEmergencyTask'] as const;
export type PlannedActionKind = (typeof plannedActionKinds)[number];

/** An action the loop intends or took, described by the host. */
export const panelLoopActionSchema = z.object({
  kind: z.enum(plannedActionKinds),
  /** What it does, e.g. "Merge PR #12 (squash)". */
  summary: text(),
  /** Why, as the loop recorded it. */
  reason: text(),
});
export type PanelLoopAction = z.infer<typeof panelLoopActionSchema>;

export const loopTracks = ['runs', 'planning', 'maintenance'] as const;

/** Kinds of planning work (mirrors WorkKind in src/core/loop/loopModel.ts; checked in panelSnapshot.ts). */
export const workKinds = ['gapAnalysis', 'task', 'capabilityUpdate'] as const;
export type PanelWorkKind = (typeof workKinds)[number];

/** CI states of a head commit (mirrors CiState; checked in panelSnapshot.ts). */
export const ciStates = ['green', 'red', 'pending', 'noCi'] as const;
export type PanelCiState = (typeof ciStates)[number];

const workRef = () => z.object({ number: issueNumber(), title: text(), url: z.nullable(externalUrl()) });

/** An open pull request the loop follows, with its CI state and the merge policy's verdict rule by rule. */
export const panelFollowedPullRequestSchema = z.object({
  number: issueNumber(),
  title: text(),
  url: z.nullable(externalUrl()),
  author: text(),
  isDraft: z.boolean(),
  workKind: z.enum(workKinds),
  /** "Task add-login", "Gap analysis", "Capability update for PR #7". */
  work: text(),
  ci: z.enum(ciStates),
  failingChecks: z.array(z.object({ name: text(), url: z.nullable(externalUrl()) })),
  pendingChecks: z.array(text()),
  ready: z.boolean(),
  /** Every rule of the merge policy, in its order; `rule` is the rule's id (new rules come through as they are). */
  rules: z.array(z.object({ rule: text(), ok: z.boolean(), detail: text() })),
});
export type PanelFollowedPullRequest = z.infer<typeof panelFollowedPullRequestSchema>;

/** The loop's counts from the planning branch and GitHub (not the working tree). */
export const panelLoopCountsSchema = z.object({
  pending: count(),
  processed: count(),
  complete: count(),
  invalid: count(),
  unpromoted: count(),
  openAtoIssues: count(),
  openPullRequests: count(),
  followedPullRequests: count(),
  localDrafts: count(),
});
export type PanelLoopCounts = z.infer<typeof panelLoopCountsSchema>;

/** The maintenance track's care of a PR: its state, the attempts, why, the last fix, the failed job's log excerpt. */
export const panelPullCareSchema = z.object({
  state: z.enum(pullCareStates),
  attempts: count(),
  maxAttempts: count(),
  reason: text(),
  author: z.enum(pullAuthors),
  lastFix: z.nullable(z.object({ attempt: count(), headSha: text(), agent: text(), at: text() })),
  /** Third-party text (a CI log), redacted and bounded by the host; the panel shows it as text only. */
  logExcerpt: z.nullable(z.string().check(z.maxLength(maxShownExcerptChars))),
});
export type PanelPullCare = z.infer<typeof panelPullCareSchema>;

export const panelLoopSchema = z.object({
  /** `github`: planning truth on the remote; `local`: the working tree; `off`: no loop here (see offReason). */
  mode: z.enum(['github', 'local', 'off']),
  /** Why the loop cannot act here: always when mode is off; otherwise when no engine runs (e.g. no origin remote). */
  offReason: z.nullable(text()),
  running: z.boolean(),
  /** Running, but its poll timer is held: the window has been unfocused for `ato.loop.pauseWhenUnfocusedMinutes`. */
  pausedUnfocused: z.optional(z.boolean()),
  ticking: z.boolean(),
  /** Why the last tick failed, until one succeeds. */
  error: z.nullable(text()),
  stage: z.nullable(z.object({
    stage: z.enum(panelStageIds),
    reason: text(),
    focus: z.nullable(z.object({
      /** What the work is: the gap analysis, a task or a capability update. */
      kind: z.enum(workKinds),
      /** "Task add-login · issue #5 · PR #7". */
      label: text(),
      /** The work's own title. */
      title: text(),
      issue: z.nullable(workRef()),
      pullRequest: z.nullable(workRef()),
      /** Where a click goes: the pull request, else the issue. */
      url: z.nullable(externalUrl()),
    })),
    action: z.nullable(panelLoopActionSchema),
  })),
  /** ISO 8601. */
  lastTickAt: z.nullable(text()),
  nextTickAt: z.nullable(text()),
  /** The last preview, or the plan of the last tick. */
  plan: z.nullable(z.object({
    at: text(),
    stage: z.nullable(z.enum(panelStageIds)),
    /** `waitsFor` set: the tick does not take `action` itself (a merge waiting for your click, or an untrusted workspace). */
    tracks: z.array(z.object({ track: z.enum(loopTracks), action: z.nullable(panelLoopActionSchema), waitsFor: z.nullable(z.enum(['you', 'trust'])), reason: text() })),
  })),
  lastReport: z.nullable(z.object({
    at: text(),
    outcomes: z.array(z.object({ track: z.enum(loopTracks), summary: text(), result: z.enum(['done', 'skipped', 'failed']), message: text() })),
    requests: count(),
    points: count(),
  })),
  rateLimit: z.object({
    core: z.nullable(z.object({ limit: count(), remaining: count(), resetAt: text() })),
    graphql: z.nullable(z.object({ limit: count(), remaining: count(), resetAt: text() })),
  }),
  redPullRequests: z.array(z.object({
    number: issueNumber(),
    title: text(),
    /** Null when the forge gave a URL the panel may not open. */
    url: z.nullable(externalUrl()),
    isDraft: z.boolean(),
    failingChecks: z.array(z.object({ name: text(), url: z.nullable(externalUrl()) })),
    fixAttempts: count(),
    /** The maintenance track's care of it (issue 11); null when the track is off or ATO may not act on it. */
    care: z.nullable(panelPullCareSchema),
  })),
  /** Every open PR the planning track follows, red or not, with its CI state and merge verdict. */
  followedPullRequests: z.array(panelFollowedPullRequestSchema),
  /** Null until a tick has read the planning branch. */
  counts: z.nullable(panelLoopCountsSchema),
  /** Who holds the remote lease, when known. */
  lease: z.nullable(z.object({ holder: text(), mine: z.boolean(), expiresAt: text() })),
});
export type PanelLoop = z.infer<typeof panelLoopSchema>;
export type PanelRedPullRequest = PanelLoop['redPullRequests'][number];
