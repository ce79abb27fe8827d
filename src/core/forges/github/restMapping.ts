import type { IssueComment, IssueSummary, TimelineSignal } from './githubModel';
import { stateReasonOf } from './graphqlMapping';
import {
  restActorEventSchema, restCrossReferenceSchema, restReviewRequestedSchema, restTimelineEntrySchema,
  type RestComment, type RestIssue,
} from './restSchemas';

const ghost = 'ghost';

/** A REST issue in ATO's shape; `linkedPullRequests` comes from the timeline when the caller read it. */
export function mapRestIssue(issue: RestIssue, linkedPullRequests: readonly number[] = []): IssueSummary {
  return {
    number: issue.number,
    nodeId: issue.node_id,
    title: issue.title,
    body: issue.body ?? '',
    state: issue.state,
    stateReason: stateReasonOf(issue.state_reason),
    labels: issue.labels.map(label => (typeof label === 'string' ? label : label.name ?? '')).filter(name => name !== ''),
    assignees: (issue.assignees ?? []).map(assignee => assignee.login),
    author: issue.user?.login ?? ghost,
    ...(issue.author_association === undefined ? {} : { authorAssociation: issue.author_association }),
    createdAt: issue.created_at,
    updatedAt: issue.updated_at,
    closedAt: issue.closed_at,
    url: issue.html_url,
    linkedPullRequests,
  };
}

export function mapRestComment(comment: RestComment): IssueComment {
  return {
    id: comment.id,
    body: comment.body ?? '',
    author: comment.user?.login ?? ghost,
    createdAt: comment.created_at,
    url: comment.html_url,
  };
}

const copilotEvents: Readonly<Record<string, TimelineSignal['kind']>> = {
  copilot_work_started: 'copilotWorkStarted',
  copilot_work_finished: 'copilotWorkFinished',
  copilot_work_finished_failure: 'copilotWorkFailed',
};

/**
 * The signals ATO acts on, from REST timeline entries. Entries of other kinds are skipped unread; an entry
 * of a kind ATO reads that lacks its fields yields `undefined` in `malformed` for the caller to report.
 */
export function timelineSignalsOf(entries: readonly unknown[]): { readonly signals: TimelineSignal[]; readonly malformed: number } {
  const signals: TimelineSignal[] = [];
  let malformed = 0;
  for (const entry of entries) {
    const event = restTimelineEntrySchema.safeParse(entry);
    const name = event.success ? event.data.event : undefined;
    if (name === 'review_requested') {
      const parsed = restReviewRequestedSchema.safeParse(entry);
      if (!parsed.success) { malformed++; continue; }
      const { data } = parsed;
      signals.push({
        kind: 'reviewRequested',
        actor: data.review_requester?.login ?? data.actor?.login ?? ghost,
        subject: data.requested_reviewer?.login ?? data.requested_team?.slug ?? null,
        at: data.created_at,
      });
    } else if (name === 'ready_for_review' || (name !== undefined && Object.hasOwn(copilotEvents, name))) {
      const parsed = restActorEventSchema.safeParse(entry);
      if (!parsed.success) { malformed++; continue; }
      const kind = name === 'ready_for_review' ? 'readyForReview' : copilotEvents[name];
      if (kind === undefined) continue;
      signals.push({ kind, actor: parsed.data.actor?.login ?? ghost, subject: null, at: parsed.data.created_at });
    }
  }
  return { signals, malformed };
}

/** Pull requests of this repository that cross-reference the issue, oldest first. */
export function linkedPullRequestsOf(entries: readonly unknown[], fullName: string): number[] {
  const linked: number[] = [];
  for (const entry of entries) {
    const parsed = restCrossReferenceSchema.safeParse(entry);
    const issue = parsed.success ? parsed.data.source.issue : undefined;
    if (issue?.pull_request === undefined) continue;
    if (issue.repository !== undefined && issue.repository.full_name.toLowerCase() !== fullName.toLowerCase()) continue;
    if (!linked.includes(issue.number)) linked.push(issue.number);
  }
  return linked;
}
