import type { JulesActivity } from '../../agents/jules/julesSchemas';
import { sessionIdOf } from '../../agents/jules/julesRunMarker';
import type { RunStore } from '../../runs/runStore';
import type { FollowUpRequest } from '../tracks/maintenance/maintenanceAgents';
import { carriesFollowUpMarker, followUpId, julesFollowUpMessage } from './followUpWork';

/** The part of the Jules client a follow-up uses (JulesClient). */
export interface JulesMessaging {
  sendMessage(id: string, prompt: string): Promise<void>;
  listActivities(id: string, options?: { readonly pageToken?: string | undefined }): Promise<{ readonly items: readonly JulesActivity[]; readonly nextPageToken: string | undefined }>;
}

export interface JulesFollowUpsOptions {
  /** The run records (`.ato/runs`): ATO's Jules runs recorded the PR their session reported. */
  readonly runs: () => Promise<RunStore>;
  /** The Jules API with the user's key; undefined when no key is set. */
  readonly jules: () => Promise<JulesMessaging | undefined>;
  /** Agent ids whose sessions are Jules sessions (default `jules`). */
  readonly julesAgentIds?: readonly string[];
}

/** Activities read when looking for a message sent before a restart (100 per page). */
const maxActivityPages = 10;

/**
 * A follow-up for the Jules session that opened a PR (issue 11): the session is the one whose run record
 * holds that PR (RemoteTaskRuns records it once it checked the PR is the loop's), and it gets the prompt
 * through `:sendMessage`. The message ends with a marker for (PR, kind, attempt): before sending, the
 * session's activities are read for it, so a second call — or a restart after the send — sends nothing.
 */
export class JulesFollowUps {
  /** Follow-ups sent (or being sent) by this process, by id: no second listing for a second call. */
  private readonly sent = new Map<string, Promise<{ readonly sessionId: string }>>();

  constructor(private readonly options: JulesFollowUpsOptions) {}

  send(request: FollowUpRequest): Promise<{ readonly sessionId: string }> {
    const id = followUpId(request);
    const known = this.sent.get(id);
    if (known !== undefined) return known;
    const sending = this.deliver(request, id);
    this.sent.set(id, sending);
    sending.catch(() => { this.sent.delete(id); });
    return sending;
  }

  /** The session ATO's Jules run for this PR worked in, if any. */
  async sessionOf(pullNumber: number): Promise<string | undefined> {
    const ids = new Set(this.options.julesAgentIds ?? ['jules']);
    const { records } = await (await this.options.runs()).list();
    const record = records.filter(candidate => ids.has(candidate.agentId) && candidate.loopLink?.pullRequest?.number === pullNumber && candidate.handle !== undefined).at(-1);
    return record?.handle === undefined ? undefined : sessionIdOf(record.handle.ref);
  }

  private async deliver(request: FollowUpRequest, id: string): Promise<{ readonly sessionId: string }> {
    const sessionId = await this.sessionOf(request.pullNumber);
    if (sessionId === undefined) throw new Error(`no Jules session of ATO's is known for PR #${String(request.pullNumber)}: ATO can only send a follow-up to the session that opened it`);
    const jules = await this.options.jules();
    if (jules === undefined) throw new Error(`no Jules API key is set: ATO cannot send the follow-up on PR #${String(request.pullNumber)} to its session`);
    if (await alreadySent(jules, sessionId, id)) return { sessionId };
    await jules.sendMessage(sessionId, julesFollowUpMessage(request, id));
    return { sessionId };
  }
}

async function alreadySent(jules: JulesMessaging, sessionId: string, id: string): Promise<boolean> {
  let pageToken: string | undefined;
  for (let page = 0; page < maxActivityPages; page++) {
    const activities = await jules.listActivities(sessionId, { pageToken });
    if (activities.items.some(activity => carriesFollowUpMarker(activity.userMessaged?.userMessage ?? '', id))) return true;
    pageToken = activities.nextPageToken;
    if (pageToken === undefined) return false;
  }
  return false;
}
