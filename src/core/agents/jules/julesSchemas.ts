import * as z from 'zod/mini';
import '../../../shared/zod';

/**
 * What ATO reads from the Jules REST API (v1alpha), as zod schemas: loose objects (the API is alpha and
 * adds fields), only the fields ATO uses required. Anything else is a malformed answer with a clear error.
 */

export const julesSessionStates = [
  'STATE_UNSPECIFIED', 'QUEUED', 'PLANNING', 'AWAITING_PLAN_APPROVAL', 'AWAITING_USER_FEEDBACK', 'IN_PROGRESS', 'PAUSED', 'FAILED', 'COMPLETED',
] as const;
export type JulesSessionState = (typeof julesSessionStates)[number];

export const julesSourceSchema = z.looseObject({
  name: z.string(),
  id: z.optional(z.string()),
  githubRepo: z.optional(z.looseObject({
    owner: z.string(),
    repo: z.string(),
    defaultBranch: z.optional(z.looseObject({ displayName: z.string() })),
    branches: z.optional(z.array(z.looseObject({ displayName: z.string() }))),
  })),
});
export type JulesSource = z.output<typeof julesSourceSchema>;

const pullRequestSchema = z.looseObject({ url: z.string(), title: z.optional(z.string()), description: z.optional(z.string()), headRef: z.optional(z.string()), baseRef: z.optional(z.string()) });

export const julesSessionSchema = z.looseObject({
  name: z.string().check(z.regex(/^sessions\/[^/]+$/, 'must be sessions/{id}')),
  id: z.optional(z.string()),
  prompt: z.optional(z.string()),
  title: z.optional(z.string()),
  // An unknown state from a newer API is not a crash: it maps to "running" (see julesStatus).
  state: z.optional(z.string()),
  url: z.optional(z.string()),
  createTime: z.optional(z.string()),
  updateTime: z.optional(z.string()),
  outputs: z.optional(z.array(z.looseObject({ pullRequest: z.optional(pullRequestSchema), changeSet: z.optional(z.unknown()) }))),
});
export type JulesSession = z.output<typeof julesSessionSchema>;

const planStepSchema = z.looseObject({ title: z.optional(z.string()), description: z.optional(z.string()), index: z.optional(z.number()) });

export const julesActivitySchema = z.looseObject({
  name: z.string(),
  id: z.optional(z.string()),
  originator: z.optional(z.string()),
  description: z.optional(z.string()),
  createTime: z.string(),
  planGenerated: z.optional(z.looseObject({ plan: z.optional(z.looseObject({ id: z.optional(z.string()), steps: z.optional(z.array(planStepSchema)) })) })),
  planApproved: z.optional(z.looseObject({ planId: z.optional(z.string()) })),
  progressUpdated: z.optional(z.looseObject({ title: z.optional(z.string()), description: z.optional(z.string()) })),
  agentMessaged: z.optional(z.looseObject({ agentMessage: z.optional(z.string()) })),
  userMessaged: z.optional(z.looseObject({ userMessage: z.optional(z.string()) })),
  sessionCompleted: z.optional(z.looseObject({})),
  sessionFailed: z.optional(z.looseObject({ reason: z.optional(z.string()) })),
});
export type JulesActivity = z.output<typeof julesActivitySchema>;

// proto3 JSON drops an empty repeated field: `{}` is an empty page.
export const julesSourceListSchema = z.looseObject({ sources: z._default(z.array(julesSourceSchema), []), nextPageToken: z.optional(z.string()) });
export const julesSessionListSchema = z.looseObject({ sessions: z._default(z.array(julesSessionSchema), []), nextPageToken: z.optional(z.string()) });
export const julesActivityListSchema = z.looseObject({ activities: z._default(z.array(julesActivitySchema), []), nextPageToken: z.optional(z.string()) });
export const julesEmptySchema = z.looseObject({});

/** `google.rpc.Status` as JSON (AIP-193); `details[].reason` from `google.rpc.ErrorInfo`. */
export const julesErrorBodySchema = z.looseObject({
  error: z.looseObject({
    code: z.optional(z.number()),
    message: z.optional(z.string()),
    status: z.optional(z.string()),
    details: z.optional(z.array(z.looseObject({ reason: z.optional(z.string()) }))),
  }),
});
