import * as z from 'zod/mini';
import '../../shared/zod';
import { ciStates, panelLoopCountsSchema, panelPullCareSchema, panelStageIds, plannedActionKinds, workKinds } from '../../shared/loopSnapshot';
import { planningSnapshotSchema } from '../../shared/protocol';
import type { NeedsYouKind } from '../loop/engine/loopModel';
import { jsonSchemaDocument } from '../util/jsonSchemaDocument';

/**
 * `ato status --json`: the contract the CLI, CI and scripts read (the panel and the tree show the same state).
 * `schemas/ato-status.schema.json` is this schema as a JSON Schema; a unit test keeps the two equal (run it
 * with ATO_UPDATE_SCHEMAS=1 to rewrite the file). Absent values are `null`, never missing keys.
 */

const count = () => z.int().check(z.nonnegative());
const text = () => z.string();
const number = () => z.int().check(z.positive());

/** Needs-you kinds of the loop (mirrors NeedsYouKind; `needsYouKindsAgree` below checks they agree). */
export const loopNeedsYouKinds = ['readyToMerge', 'workflowsAwaitingApproval', 'issueClosedOutsideLoop', 'runFailed', 'invalidTask', 'fixAttemptsExhausted', 'mergeBlocked'] as const;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const needsYouKindsAgree: Same<NeedsYouKind, (typeof loopNeedsYouKinds)[number]> = true;

const ref = () => z.object({ number: number(), title: text(), url: text() });
const budget = () => z.nullable(z.object({ limit: count(), remaining: count(), resetAt: text() }));
const checks = () => z.array(z.object({ name: text(), url: z.nullable(text()) }));

/** What the stage is about: the work (gap analysis, task, capability update) with its issue and PR. */
export const statusFocusSchema = z.object({
  kind: z.enum(workKinds),
  /** "Task add-login · issue #5 · PR #7". */
  label: text(),
  /** The work's own title. */
  title: text(),
  taskId: z.nullable(text()),
  /** A capability update: the merged PR it records. */
  sourcePullRequest: z.nullable(number()),
  issue: z.nullable(ref()),
  pullRequest: z.nullable(ref()),
});

/** What the next tick would do on one track. `waitsFor` set: it names an action the tick leaves to a person. */
export const statusNextStepSchema = z.object({
  track: z.enum(['runs', 'planning', 'maintenance']),
  action: z.nullable(z.enum(plannedActionKinds)),
  /** The action in words, e.g. "Merge PR #7 at abc1234, then close #5". */
  summary: z.nullable(text()),
  /** `you`: a ready PR waits for your merge (auto-merge off); `trust`: the workspace is not trusted. */
  waitsFor: z.nullable(z.enum(['you', 'trust'])),
  reason: text(),
});

/** An open PR the loop follows, with its CI state and the merge policy's verdict, every rule with its reason. */
export const statusPullRequestSchema = z.object({
  number: number(),
  title: text(),
  url: text(),
  author: text(),
  isDraft: z.boolean(),
  headSha: text(),
  work: z.object({ kind: z.enum(workKinds), label: text(), taskId: z.nullable(text()), sourcePullRequest: z.nullable(number()), issueNumber: z.nullable(number()) }),
  ci: z.enum(ciStates),
  failingChecks: checks(),
  pendingChecks: z.array(text()),
  /** `rule` is the rule's id; rules the policy adds come through as they are. */
  verdict: z.object({ ready: z.boolean(), rules: z.array(z.object({ rule: text(), ok: z.boolean(), detail: text() })) }),
});

/**
 * Counts from the planning branch the loop reads and from GitHub, never from the working tree: the same
 * counts the panel shows (`unpromoted`: valid pending tasks no open issue carries; `localDrafts`: task
 * files only in the working tree).
 */
export const statusCountsSchema = panelLoopCountsSchema;

/** A PR under the maintenance track's care, as the panel has it less the log excerpt (the document carries no CI log). */
export const statusPullCareSchema = z.omit(panelPullCareSchema, { logExcerpt: true });

export const statusLoopSchema = z.discriminatedUnion('available', [
  z.object({
    available: z.literal(true),
    mode: z.enum(['github', 'local']),
    /** `owner/name`. */
    repository: text(),
    /** The planning branch: the remote's default branch. */
    branch: text(),
    stage: z.enum(panelStageIds),
    /** "Gap analysis", "Development", "Capability update". */
    stageName: text(),
    reason: text(),
    focus: z.nullable(statusFocusSchema),
    next: z.array(statusNextStepSchema),
    counts: statusCountsSchema,
    followedPullRequests: z.array(statusPullRequestSchema),
    redPullRequests: z.array(z.object({
      number: number(), title: text(), url: text(), isDraft: z.boolean(), failingChecks: checks(), fixAttempts: count(),
      /** The maintenance track's care (issue 11); null when the track is off or ATO may not act on the PR. */
      care: z.nullable(statusPullCareSchema),
    })),
    needsYou: z.array(z.object({
      kind: z.enum(loopNeedsYouKinds),
      title: text(),
      detail: text(),
      url: z.nullable(text()),
      pullNumber: z.nullable(number()),
      issueNumber: z.nullable(number()),
      taskId: z.nullable(text()),
      action: z.nullable(z.enum(['merge', 'open', 'requeue'])),
    })),
    drafts: z.array(z.object({ path: text(), taskId: text(), title: text(), valid: z.boolean() })),
    rateLimit: z.object({ core: budget(), graphql: budget() }),
    lease: z.nullable(z.object({ holder: text(), mine: z.boolean(), expiresAt: text() })),
  }),
  /** No loop here (no GitHub remote, no token, no planning folder) or its state could not be read: why. */
  z.object({
    available: z.literal(false),
    mode: z.enum(['github', 'local', 'off']),
    reason: text(),
  }),
]);
export type StatusLoop = z.infer<typeof statusLoopSchema>;

export const statusDocumentSchema = z.object({
  workspace: text(),
  /** The planning folder in the working tree. */
  planning: planningSnapshotSchema,
  auth: z.object({
    github: z.discriminatedUnion('kind', [z.object({ kind: z.enum(['unknown', 'none', 'token']) }), z.object({ kind: z.literal('session'), account: text() })]),
    gitlab: z.boolean(),
    jules: z.boolean(),
    anthropic: z.boolean(),
  }),
  settingsProblems: z.array(z.object({ setting: text(), message: text() })),
  loop: statusLoopSchema,
});
export type StatusDocument = z.infer<typeof statusDocumentSchema>;

/** The JSON Schema of `ato status --json`, generated from {@link statusDocumentSchema}. */
export function statusDocumentJsonSchema(): Record<string, unknown> {
  return jsonSchemaDocument(statusDocumentSchema, {
    id: 'urn:ato:schema:status:1',
    title: 'ato status --json',
    description: 'The workspace, its planning folder, the keys present, setting problems, and the planning loop: stage, reason, focus, next steps, counts from the planning branch, followed pull requests with CI and merge verdict, red PRs with their care by the maintenance track (state, attempts, last fix), needs-you items, rate-limit budgets.',
  });
}
