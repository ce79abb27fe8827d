import { JulesApiError } from './julesApiError';
import type { JulesClient } from './julesClient';
import type { JulesActivity } from './julesSchemas';
import { updateRunView, type JulesRunView } from './julesStatus';

interface Cursor {
  /** The newest `createTime` read (RFC 3339), the lower bound of the next read. */
  newest: string | undefined;
  /** Names read at or after `newest` minus the overlap, so re-read ones are not reported twice. */
  readonly seen: Set<string>;
  view: JulesRunView;
}

/** Re-read this much before the newest activity: a later activity can carry the same (whole-second) time. */
const overlapMs = 1000;
const maxPages = 50;

/**
 * Reads a session's activities incrementally: each read asks only for those created after the newest one
 * seen (`create_time>"…"`, less a second of overlap, de-duplicated by name), follows `nextPageToken`, and
 * folds them into a {@link JulesRunView}. A 404 right after creation (the API's known race) reads as none yet.
 */
export class JulesActivityFeed {
  private readonly cursors = new Map<string, Cursor>();

  constructor(private readonly client: JulesClient) {}

  view(sessionId: string): JulesRunView {
    return this.cursors.get(sessionId)?.view ?? {};
  }

  async readNew(sessionId: string): Promise<JulesActivity[]> {
    const cursor = this.cursors.get(sessionId) ?? { newest: undefined, seen: new Set<string>(), view: {} };
    this.cursors.set(sessionId, cursor);
    const after = cursor.newest === undefined ? undefined : new Date(Date.parse(cursor.newest) - overlapMs).toISOString();
    const fresh: JulesActivity[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < maxPages; page++) {
      let items: readonly JulesActivity[];
      try {
        ({ items, nextPageToken: pageToken } = await this.client.listActivities(sessionId, { after, pageToken }));
      } catch (error) {
        if (JulesApiError.is(error) && error.status === 404 && cursor.newest === undefined) return [];
        throw error;
      }
      for (const activity of items) {
        if (cursor.seen.has(activity.name)) continue;
        cursor.seen.add(activity.name);
        fresh.push(activity);
      }
      if (pageToken === undefined) break;
    }
    fresh.sort((a, b) => Date.parse(a.createTime) - Date.parse(b.createTime));
    for (const activity of fresh) {
      cursor.view = updateRunView(cursor.view, activity);
      if (cursor.newest === undefined || Date.parse(activity.createTime) > Date.parse(cursor.newest)) cursor.newest = activity.createTime;
    }
    return fresh;
  }

  forget(sessionId: string): void {
    this.cursors.delete(sessionId);
  }
}
