/**
 * zod/mini schemas for the REST answers the adapter reads (GitHub's `issue`, `issue-comment`,
 * timeline events, `git-ref`, `git-commit`, `content-file`, merge result, …): only the fields ATO uses.
 */
import * as z from 'zod/mini';
import '../../../shared/zod';

const user = z.object({ login: z.string() });

export const restIssueSchema = z.object({
  number: z.number(),
  node_id: z.string(),
  title: z.string(),
  body: z.nullish(z.string()),
  state: z.enum(['open', 'closed']),
  state_reason: z.nullish(z.string()),
  // GitHub documents label items as objects or plain names.
  labels: z.array(z.union([z.string(), z.object({ name: z.nullish(z.string()) })])),
  assignees: z.nullish(z.array(user)),
  user: z.nullable(user),
  author_association: z.optional(z.string().check(z.maxLength(40))),
  created_at: z.string(),
  updated_at: z.string(),
  closed_at: z.nullable(z.string()),
  html_url: z.string(),
  /** Present on pull requests listed as issues. */
  pull_request: z.optional(z.unknown()),
});

export const restCommentSchema = z.object({
  id: z.number(),
  body: z.optional(z.string()),
  user: z.nullable(user),
  created_at: z.string(),
  html_url: z.string(),
});

/** Any timeline entry: only `event` is common (a `committed` entry has no actor or date). */
export const restTimelineEntrySchema = z.object({ event: z.optional(z.string()) });

const actor = z.nullish(user);

export const restReviewRequestedSchema = z.object({
  event: z.literal('review_requested'),
  created_at: z.string(),
  actor,
  review_requester: actor,
  requested_reviewer: z.nullish(user),
  requested_team: z.nullish(z.object({ slug: z.string() })),
});

export const restActorEventSchema = z.object({
  event: z.string(),
  created_at: z.string(),
  actor,
});

export const restCrossReferenceSchema = z.object({
  event: z.literal('cross-referenced'),
  source: z.object({
    issue: z.optional(z.object({
      number: z.number(),
      pull_request: z.optional(z.unknown()),
      repository: z.optional(z.object({ full_name: z.string() })),
    })),
  }),
});

export const restLabelSchema = z.object({ name: z.string() });

/** The fields of a pull request ATO reads from REST lists and creates (the rest comes from GraphQL). */
export const restPullSchema = z.object({ number: z.number(), html_url: z.string(), head: z.object({ ref: z.string() }) });

/** One entry of `GET .../pulls/{n}/files` (`diff-entry`): only what renames need. */
export const restDiffEntrySchema = z.object({ filename: z.string(), status: z.string(), previous_filename: z.optional(z.string()) });

/** `GET .../collaborators/{user}/permission`: the legacy base role, admin, write, read or none. */
export const restPermissionSchema = z.object({ permission: z.string() });

export const restMergeSchema = z.object({
  sha: z.nullish(z.string()),
  merged: z.boolean(),
  message: z.string(),
});

export const restContentSchema = z.union([
  z.object({ type: z.literal('file'), encoding: z.optional(z.string()), content: z.optional(z.string()), size: z.optional(z.number()) }),
  z.object({ type: z.enum(['dir', 'symlink', 'submodule']) }),
  // A directory answers with an array of entries.
  z.array(z.unknown()),
]);

export const restRefSchema = z.object({
  ref: z.string(),
  object: z.object({ sha: z.string() }),
});

export const restGitCommitSchema = z.object({
  sha: z.string(),
  message: z.string(),
  tree: z.object({ sha: z.string() }),
  parents: z.array(z.object({ sha: z.string() })),
});

/** Answers that only carry the new object's sha (trees, blobs, commits). */
export const restShaSchema = z.object({ sha: z.string() });

export type RestIssue = z.infer<typeof restIssueSchema>;
export type RestComment = z.infer<typeof restCommentSchema>;
