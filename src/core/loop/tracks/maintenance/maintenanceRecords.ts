import type { IssueComment } from '../../../forges/github/githubModel';
import { readMarkers, type MaintenanceMarker } from '../../texts/markers';
import { normalLogin } from '../planning/workProgress';
import type { MaintenanceRecord } from './maintenanceDecision';

/** One maintenance request ATO made on a PR, as read back from its comment. */
export interface ReadRecord extends MaintenanceRecord {
  readonly agent?: string;
  readonly outcome?: 'conflict';
  readonly at: string;
  readonly commentId: number;
  /** The first fenced block of the comment: for a fix, the log excerpt it sent. */
  readonly quoted?: string;
}

const requestKinds: Readonly<Record<MaintenanceMarker['request'], MaintenanceRecord['kind']>> = {
  fix: 'fix', analysis: 'analysis', updateBranch: 'updateBranch', rebase: 'rebase', reviewFollowUp: 'reviewFollowUp',
};

/**
 * The maintenance records of one PR, from ATO's own marker comments: only comments the token's user wrote
 * (anyone can paste a marker; a stranger's must neither spend nor refill the fix budget) and only markers that
 * name this PR (a comment quoted from another PR records nothing here). A restart reads the same records.
 */
export function recordsFromComments(pullNumber: number, comments: readonly IssueComment[], viewerLogin: string | undefined): ReadRecord[] {
  if (viewerLogin === undefined) return [];
  const viewer = normalLogin(viewerLogin);
  const records: ReadRecord[] = [];
  for (const comment of comments) {
    if (normalLogin(comment.author) !== viewer) continue;
    for (const marker of readMarkers(comment.body)) {
      if (marker.kind !== 'maintenance' || marker.record.pr !== pullNumber) continue;
      const { record } = marker;
      const quoted = firstFencedBlock(comment.body);
      records.push({
        kind: requestKinds[record.request], attempt: record.attempt, headSha: record.headSha, at: comment.createdAt, commentId: comment.id,
        ...(record.agent === undefined ? {} : { agent: record.agent }),
        ...(record.reviewId === undefined ? {} : { reviewId: record.reviewId }),
        ...(record.outcome === undefined ? {} : { outcome: record.outcome }),
        ...(quoted === undefined ? {} : { quoted }),
      });
    }
  }
  return records;
}

/** Whether the records hold this exact request already (the idempotency check before a write). */
export function hasRecord(records: readonly ReadRecord[], wanted: Pick<MaintenanceRecord, 'kind' | 'attempt' | 'headSha'> & { readonly reviewId?: number }): boolean {
  return records.some(record => record.kind === wanted.kind && record.attempt === wanted.attempt && record.headSha === wanted.headSha && (wanted.reviewId === undefined || record.reviewId === wanted.reviewId));
}

/** The text inside the first fenced block of a body, if any. */
export function firstFencedBlock(body: string): string | undefined {
  const lines = body.split(/\r\n|\r|\n/);
  const start = lines.findIndex(line => /^ {0,3}(`{3,}|~{3,})/.test(line));
  if (start < 0) return undefined;
  const fence = /^ {0,3}(`{3,}|~{3,})/.exec(lines[start] ?? '')?.[1] ?? '```';
  const end = lines.findIndex((line, index) => index > start && line.trim().startsWith(fence.charAt(0).repeat(fence.length)) && line.trim().replace(/[`~]/g, '') === '');
  if (end < 0) return undefined;
  return lines.slice(start + 1, end).join('\n');
}
